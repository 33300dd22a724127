package dev.shelf.catalog.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.shelf.catalog.Shops;
import dev.shelf.migration.LegacyTenant;
import dev.shelf.migration.TenantImportContext;
import dev.shelf.migration.TenantImportStep;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The catalog's step of the legacy-tenant import: the legacy shop becomes a Shelf shop, marked imported (so no
 * lifecycle mail is ever sent to it), with every setting in Shelf's names ({@link LegacySettings}), its currency, time
 * zone and installation date. A shop is skipped, with the reason in the report, when the legacy app says it is
 * uninstalled, when its domain is not a Shopify domain, when its settings blob cannot be read (importing it without
 * its settings would reset them to defaults), and when the shop installed Shelf itself already (its settings in Shelf
 * are newer than the legacy app's). One statement writes the shop; re-running it writes the same row again.
 */
@Component
@Order(10)
class LegacyShopImport implements TenantImportStep {

	static final String NAME = "catalog.shop-settings";

	private static final DateTimeFormatter MYSQL_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final JdbcClient jdbc;

	LegacyShopImport(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public String name() {
		return NAME;
	}

	/** The legacy shop row and its settings blob. */
	record LegacyShop(String domain, String currency, String timezone, String status, Map<String, Object> flags,
			String created, boolean hasSettings, String settings) {
	}

	@Override
	public StepOutcome importTenant(LegacyTenant tenant, TenantImportContext context) {
		Optional<LegacyShop> found = context.legacy().jdbc().sql("""
				SELECT s.domain, s.currency, s.timezone, s.status, s.show_branding, s.email_notifications,
				       s.review_requests, s.created, st.shop_id IS NOT NULL AS has_settings, st.settings
				FROM shops s LEFT JOIN shop_settings st ON st.shop_id = s.id
				WHERE s.id = ?""")
				.param(tenant.legacyId())
				.query((row, n) -> {
					Map<String, Object> flags = new LinkedHashMap<>();
					for (LegacySettings.Mapping column : LegacySettings.COLUMNS) {
						flags.put(column.legacyName(), row.getObject(column.legacyName()));
					}
					return new LegacyShop(row.getString("domain"), row.getString("currency"), row.getString("timezone"),
							row.getString("status"), flags, row.getString("created"), row.getBoolean("has_settings"),
							row.getString("settings"));
				})
				.optional();
		if (found.isEmpty()) {
			return StepOutcome.skipTenant("no longer in the legacy database");
		}
		LegacyShop shop = found.get();
		if ("uninstalled".equalsIgnoreCase(shop.status())) {
			return StepOutcome.skipTenant("uninstalled in the legacy app");
		}
		String domain = shop.domain().strip().toLowerCase(Locale.ROOT);
		if (!Shops.MYSHOPIFY_DOMAIN.matcher(domain).matches()) {
			return StepOutcome.skipTenant("\"" + shop.domain() + "\" is not a *.myshopify.com domain");
		}
		if (!domain.equals(shop.domain())) {
			context.problem("domain", "\"" + shop.domain() + "\" imported as " + domain);
		}
		JsonNode blob = null;
		if (!shop.hasSettings()) {
			context.problem("settings", "no settings row in the legacy app: only the shop's flags imported");
		}
		else {
			try {
				blob = shop.settings() == null ? JSON.createObjectNode() : JSON.readTree(shop.settings());
			}
			catch (JacksonException e) {
				return StepOutcome.skipTenant("its settings blob is not valid JSON (" + e.getOriginalMessage()
						+ "): importing the shop without them would reset them to defaults");
			}
			if (!blob.isObject()) {
				return StepOutcome.skipTenant("its settings blob is not a JSON object: importing the shop without "
						+ "them would reset them to defaults");
			}
		}
		Map<String, Object> settings = LegacySettings.map(shop.flags(), blob, context);
		String currency = currency(shop.currency(), context);
		String zone = zone(shop.timezone(), context);
		Instant installedAt = installedAt(shop.created(), context);
		context.count("settings", settings.size());

		Optional<Boolean> imported = jdbc.sql("SELECT imported_at IS NOT NULL FROM catalog.shops WHERE shopify_domain = ?")
				.param(domain).query(Boolean.class).optional();
		if (imported.isPresent() && !imported.get()) {
			return StepOutcome.skipTenant("installed Shelf itself already: its settings in Shelf are newer");
		}
		if (context.dryRun()) {
			return StepOutcome.done();
		}
		// The WHERE keeps a shop that installed Shelf itself in the meantime as it is: no row comes back.
		boolean written = jdbc.sql("""
				INSERT INTO catalog.shops (shopify_domain, iana_timezone, currency_code, settings, installed_at,
				                           imported_at)
				VALUES (:domain, :zone, :currency, :settings::jsonb, coalesce(:installed, now()), now())
				ON CONFLICT (shopify_domain) DO UPDATE
				    SET iana_timezone = excluded.iana_timezone, currency_code = excluded.currency_code,
				        settings = excluded.settings, installed_at = excluded.installed_at, updated_at = now()
				    WHERE catalog.shops.imported_at IS NOT NULL
				RETURNING id""")
				.param("domain", domain).param("zone", zone).param("currency", currency)
				.param("settings", JSON.writeValueAsString(settings))
				.param("installed", installedAt == null ? null : installedAt.atOffset(ZoneOffset.UTC), java.sql.Types.TIMESTAMP_WITH_TIMEZONE)
				.query(Long.class).optional().isPresent();
		return written ? StepOutcome.done()
				: StepOutcome.skipTenant("installed Shelf itself already: its settings in Shelf are newer");
	}

	private static String currency(String legacy, TenantImportContext context) {
		String code = legacy == null ? "" : legacy.strip().toUpperCase(Locale.ROOT);
		if (code.matches("[A-Z]{3}")) {
			return code;
		}
		context.problem("currency", "\"" + legacy + "\" is not a currency code: USD until Shopify's shop/update "
				+ "tells Shelf the shop's currency");
		return "USD";
	}

	private static String zone(String legacy, TenantImportContext context) {
		String name = legacy == null ? "" : legacy.strip();
		if (!name.isEmpty()) {
			try {
				ZoneId zone = ZoneId.of(name, ZoneId.SHORT_IDS);
				if (!zone.getId().equals(name)) {
					context.problem("timezone", "\"" + name + "\" is an abbreviation: imported as " + zone.getId());
				}
				return zone.getId();
			}
			catch (DateTimeException e) {
				// reported below
			}
		}
		context.problem("timezone", "\"" + name + "\" is not a time zone: UTC until Shopify's shop/update tells "
				+ "Shelf the shop's zone");
		return "UTC";
	}

	/** MySQL's DATETIME text, in UTC (the legacy server's zone); its zero date means "unknown". */
	private static Instant installedAt(String created, TenantImportContext context) {
		if (created != null) {
			try {
				return LocalDateTime.parse(created.strip(), MYSQL_DATETIME).toInstant(ZoneOffset.UTC);
			}
			catch (DateTimeParseException e) {
				// reported below
			}
		}
		context.problem("created", "\"" + created + "\" is not a date: the import's time is the installation date");
		return null;
	}
}
