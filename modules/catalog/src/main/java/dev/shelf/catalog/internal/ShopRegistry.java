package dev.shelf.catalog.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.shelf.catalog.ErasedRows;
import dev.shelf.catalog.Shop;
import dev.shelf.catalog.ShopId;
import dev.shelf.catalog.Shops;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

@Service
class ShopRegistry implements Shops {

	private static final String COLUMNS = "id, shopify_domain, iana_timezone, currency_code, created_at, imported_at";

	private final JdbcClient jdbc;
	private final ShopDataErasure erasure;
	private final Cache<String, ShopId> idsByDomain = Caffeine.newBuilder()
			.maximumSize(100_000)
			.expireAfterWrite(ID_REMEMBERED_FOR)
			.build();

	ShopRegistry(JdbcClient jdbc, ShopDataErasure erasure) {
		this.jdbc = jdbc;
		this.erasure = erasure;
	}

	@Override
	public Shop registerOnFirstSight(String myshopifyDomain) {
		if (myshopifyDomain == null || !MYSHOPIFY_DOMAIN.matcher(myshopifyDomain).matches()) {
			throw new IllegalArgumentException("Not a myshopify.com shop domain: " + myshopifyDomain);
		}
		// Read first: the common case writes nothing and burns no identity value. The insert is a no-op when a
		// concurrent first sighting won; the second read is a new statement, so it sees that committed row.
		return findByDomain(myshopifyDomain).orElseGet(() -> {
			jdbc.sql("INSERT INTO catalog.shops (shopify_domain) VALUES (:domain) ON CONFLICT (shopify_domain) DO NOTHING")
					.param("domain", myshopifyDomain)
					.update();
			return findByDomain(myshopifyDomain).orElseThrow();
		});
	}

	@Override
	public ShopId registeredId(String myshopifyDomain) {
		return idsByDomain.get(myshopifyDomain, domain -> registerOnFirstSight(domain).id());
	}

	@Override
	public Optional<Shop> find(ShopId id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM catalog.shops WHERE id = :id")
				.param("id", id.value())
				.query(ShopRegistry::toShop)
				.optional();
	}

	@Override
	public void markUninstalled(ShopId id, Instant uninstalledAt) {
		jdbc.sql("UPDATE catalog.shops SET uninstalled_at = :at, updated_at = now() WHERE id = :id")
				.param("id", id.value()).param("at", uninstalledAt.atOffset(ZoneOffset.UTC))
				.update();
	}

	@Override
	public void updateDetails(ShopId id, ZoneId ianaTimezone, String currencyCode) {
		if (currencyCode == null || !currencyCode.matches("[A-Z]{3}")) {
			throw new IllegalArgumentException("Not an ISO 4217 currency code: " + currencyCode);
		}
		jdbc.sql("""
				UPDATE catalog.shops SET iana_timezone = :zone, currency_code = :currency, updated_at = now()
				WHERE id = :id""")
				.param("id", id.value()).param("zone", ianaTimezone.getId()).param("currency", currencyCode)
				.update();
	}

	@Override
	public ErasedRows eraseBatch(ShopId id, int batchSize) {
		ErasedRows batch = erasure.eraseBatch(id, batchSize);
		if (batch.byTable().getOrDefault(ShopDataErasure.SHOPS, 0L) > 0) {
			idsByDomain.asMap().values().removeIf(id::equals);
		}
		return batch;
	}

	@Override
	public Optional<Shop> findByDomain(String myshopifyDomain) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM catalog.shops WHERE shopify_domain = :domain")
				.param("domain", myshopifyDomain.strip().toLowerCase(java.util.Locale.ROOT))
				.query(ShopRegistry::toShop)
				.optional();
	}

	private static Shop toShop(ResultSet row, int rowNumber) throws SQLException {
		return new Shop(new ShopId(row.getLong("id")), row.getString("shopify_domain"),
				ZoneId.of(row.getString("iana_timezone")), row.getString("currency_code"),
				row.getObject("created_at", OffsetDateTime.class).toInstant(),
				Optional.ofNullable(row.getObject("imported_at", OffsetDateTime.class)).map(OffsetDateTime::toInstant)
						.orElse(null));
	}
}
