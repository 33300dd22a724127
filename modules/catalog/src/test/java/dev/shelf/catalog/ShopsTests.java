package dev.shelf.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.shelf.testing.Race;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The tenant registry: a shop is registered the first time Shelf sees it, exactly once, whatever the concurrency. */
@CatalogModuleTest
class ShopsTests {

	@Autowired
	Shops shops;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	@Test
	void aShopIsRegisteredOnFirstSightWithDefaultsAndFoundAfterwards() {
		String domain = uniqueDomain("first-sight");

		Shop registered = shops.registerOnFirstSight(domain);

		assertThat(registered.myshopifyDomain()).isEqualTo(domain);
		assertThat(registered.ianaTimezone()).isEqualTo(ZoneId.of("UTC"));
		assertThat(registered.currencyCode()).isEqualTo("USD");
		assertThat(shops.registerOnFirstSight(domain)).isEqualTo(registered);
		assertThat(shops.find(registered.id())).contains(registered);
	}

	@Test
	void concurrentFirstSightingsCreateOneShopAndAllSeeIt() throws Exception {
		String domain = uniqueDomain("race");
		List<ShopId> ids = Race.run(32, () -> shops.registerOnFirstSight(domain).id());

		assertThat(ids).hasSize(32).containsOnly(ids.get(0));
		assertThat(rowsFor(domain)).isOne();
	}

	/**
	 * The interleaving a barrier rarely produces on two cores, forced: another transaction has inserted the shop but
	 * not committed when this sighting reads (nothing) and inserts (blocks on the unique index). When the other
	 * commits, this sighting must return the winner's shop, not fail with a duplicate key.
	 */
	@Test
	void aSightingThatLosesTheInsertRaceReturnsTheWinnersShop() throws Exception {
		String domain = uniqueDomain("lost-race");
		try (Connection winner = dataSource.getConnection()) {
			winner.setAutoCommit(false);
			try (PreparedStatement insert = winner.prepareStatement(
					"INSERT INTO catalog.shops (shopify_domain) VALUES (?)")) {
				insert.setString(1, domain);
				insert.executeUpdate();
			}
			CompletableFuture<Shop> loser = CompletableFuture.supplyAsync(() -> shops.registerOnFirstSight(domain));
			await().atMost(Duration.ofSeconds(10)).until(() -> blockedInserts(domain) == 1);

			winner.commit();

			Shop registered = loser.get(10, TimeUnit.SECONDS);
			assertThat(registered.myshopifyDomain()).isEqualTo(domain);
			assertThat(rowsFor(domain)).isOne();
		}
	}

	@Test
	void onlyMyshopifyDomainsAreShops() {
		for (String notAShop : List.of("evil.example.com", "https://x.myshopify.com", "UPPER.myshopify.com",
				"a.myshopify.com.evil.com", "")) {
			assertThatThrownBy(() -> shops.registerOnFirstSight(notAShop)).as(notAShop)
					.isInstanceOf(IllegalArgumentException.class);
			assertThat(rowsFor(notAShop)).isZero();
		}
	}

	@Test
	void anUnknownShopIdFindsNothing() {
		assertThat(shops.find(new ShopId(Long.MAX_VALUE))).isEmpty();
	}

	private long rowsFor(String domain) {
		return jdbc.sql("SELECT count(*) FROM catalog.shops WHERE shopify_domain = ?").param(domain)
				.query(Long.class).single();
	}

	private long blockedInserts(String domain) {
		return jdbc.sql("""
				SELECT count(*) FROM pg_stat_activity
				WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO catalog.shops%'""")
				.query(Long.class).single();
	}

	private static String uniqueDomain(String purpose) {
		return purpose + "-" + System.nanoTime() + ".myshopify.com";
	}
}
