package dev.shelf.billing;

import java.util.List;

import dev.shelf.billing.BillingFixtures.TestShop;
import dev.shelf.catalog.ErasedRows;
import dev.shelf.catalog.Shops;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.shelf.billing.BillingFixtures.newOrder;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code shop/redact}: batch by batch, every billing table loses every row of the shop, and only of that shop. */
@BillingModuleTest
class ShopErasureTests {

	@Autowired
	Billing billing;

	@Autowired
	Shops shops;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ApiThrottle throttle;

	@Autowired
	IdempotencyKeys idempotencyKeys;

	@Test
	void erasingAShopEmptiesEveryBillingTableOfItsRowsInSmallBatches() {
		BillingFixtures fixtures = new BillingFixtures(billing, shops);
		TestShop erased = fixtures.subscribedShop("erased", "test");
		TestShop kept = fixtures.subscribedShop("kept", "test");
		for (TestShop shop : List.of(erased, kept)) {
			for (int i = 0; i < 3; i++) {
				long id = billing.chargeForOrder(shop.id(), newOrder()).charge().id();
				fixtures.awaitState(shop, id, ChargeState.SUCCEEDED);
			}
			throttle.admit(shop.id(), 10, ApiThrottle.Limits.of(new ApiThrottle.Bucket(1000, 100)));
			idempotencyKeys.begin(shop.id(), IdempotencyKey.fromHeader("erase-me"),
					RequestFingerprint.of("mutation { productCreate }", "", "{}"));
			// What the legacy-tenant import leaves of an imported shop (LegacyTenantImportTests in app imports for real).
			jdbc.sql("INSERT INTO billing.legacy_order_imports (shop_id, legacy_shop_id, older_orders_left) VALUES (?, 7, 30)")
					.param(shop.id().value()).update();
		}
		List<String> tables = jdbc.sql("""
				SELECT table_schema || '.' || table_name FROM information_schema.columns
				WHERE table_schema = 'billing' AND column_name = 'shop_id' ORDER BY 1""").query(String.class).list();

		ErasedRows total = ErasedRows.NONE;
		for (ErasedRows batch = billing.eraseBatch(erased.id(), 2); !batch.isEmpty();
				batch = billing.eraseBatch(erased.id(), 2)) {
			assertThat(batch.byTable()).hasSize(1);
			assertThat(batch.total()).isLessThanOrEqualTo(2);
			total = total.plus(batch);
		}

		assertThat(tables).contains("billing.usage_charges", "billing.charge_transitions", "billing.usage_periods",
				"billing.subscriptions", "billing.access_tokens", "billing.orders", "billing.api_buckets",
				"billing.idempotency_keys", "billing.legacy_order_imports");
		assertThat(tables).allSatisfy(table -> {
			assertThat(rows(table, erased)).as(table).isZero();
			assertThat(rows(table, kept)).as(table + " of another shop").isPositive();
		});
		assertThat(total.byTable().get("billing.usage_charges")).isEqualTo(3);
		assertThat(total.byTable().get("billing.charge_transitions")).isEqualTo(9);
	}

	private long rows(String table, TestShop shop) {
		return jdbc.sql("SELECT count(*) FROM " + table + " WHERE shop_id = :shop").param("shop", shop.id().value())
				.query(Long.class).single();
	}
}
