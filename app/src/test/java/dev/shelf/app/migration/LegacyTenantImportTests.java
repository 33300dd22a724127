package dev.shelf.app.migration;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.shelf.app.cli.ImportTenantsCommand;
import dev.shelf.catalog.Shop;
import dev.shelf.catalog.Shops;
import dev.shelf.migration.TenantImportOptions;
import dev.shelf.migration.TenantImportProblem;
import dev.shelf.migration.TenantImportRecord;
import dev.shelf.migration.TenantImportRun;
import dev.shelf.migration.TenantImportStatus;
import dev.shelf.migration.TenantImports;
import dev.shelf.support.GraphQlHttp;
import dev.shelf.support.ShelfApplicationTest;
import dev.shelf.testing.LegacyApp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The legacy-tenant import end to end: the sample legacy app ({@code legacy-app/schema.sql}, its own database and JDBC
 * URL) generated with its quirks, imported by the catalog's and billing's steps through the migration module's engine
 * into real PostgreSQL. Tenant {@code n} of a test is {@code <prefix>-n.myshopify.com}; the expectations below follow
 * the generator's formulas for each {@code n}.
 */
@ShelfApplicationTest
class LegacyTenantImportTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();
	private static final List<String> MODULE_SCHEMAS = List.of("migration", "catalog", "billing", "webhooks");
	private static LegacyApp legacyApp;

	@DynamicPropertySource
	static void legacyDatabase(DynamicPropertyRegistry registry) throws SQLException {
		legacyApp = new LegacyApp(); // dropped with the test JVM's PostgreSQL
		registry.add("shelf.migration.legacy.url", legacyApp::url);
		registry.add("shelf.migration.legacy.username", legacyApp::username);
		registry.add("shelf.migration.legacy.password", legacyApp::password);
	}

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TenantImports imports;

	@Autowired
	Shops shops;

	@Autowired
	dev.shelf.billing.Billing billing;

	String prefix;

	@BeforeEach
	void onlyThisTestsTenants() {
		legacyApp.clear();
		prefix = "imp" + UUID.randomUUID().toString().substring(0, 8);
	}

	private String domain(int n) {
		return prefix + "-" + n + ".myshopify.com";
	}

	private TenantImportRun importAll() {
		return imports.run(TenantImportOptions.run(4, "test"));
	}

	private Map<String, Object> settingsOf(int n) {
		String json = jdbc.sql("SELECT settings::text FROM catalog.shops WHERE shopify_domain = ?").param(domain(n))
				.query(String.class).single();
		return JSON.readValue(json, JSON.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class));
	}

	private static Map<String, Object> settings(Object... namesAndValues) {
		Map<String, Object> settings = new HashMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			settings.put((String) namesAndValues[i], namesAndValues[i + 1]);
		}
		return settings;
	}

	private TenantImportRecord report(boolean dryRun, int n) {
		return imports.tenants(dryRun, null, 0, 1000).stream()
				.filter(r -> r.tenant().equalsIgnoreCase(domain(n))).findFirst().orElseThrow();
	}

	@Test
	void everySettingOfASampleOfTenantsIsPreservedFieldByField() {
		legacyApp.generate(prefix, 100, 1, 3);
		shops.registerOnFirstSight(domain(2)); // installed Shelf itself before the import

		TenantImportRun run = importAll();

		assertThat(run.failed()).isZero();
		// Skipped: 2 (installed Shelf itself), 50 and 100 (uninstalled in the legacy app).
		assertThat(run.skipped()).isEqualTo(3);
		assertThat(run.imported()).isEqualTo(97);
		assertThat(report(false, 2).reason()).isEqualTo("installed Shelf itself already: its settings in Shelf are newer");
		assertThat(report(false, 50).reason()).isEqualTo("uninstalled in the legacy app");
		assertThat(shops.findByDomain(domain(2)).orElseThrow().imported()).isFalse();
		assertThat(shops.findByDomain(domain(50))).isEmpty();

		// n = 1: nothing unusual. NULL flag (email_notifications) → false; "#00AA00" → lower case.
		assertThat(settingsOf(1)).isEqualTo(settings("show-branding", false, "email-notifications", false,
				"review-requests", true, "title-with-link", false, "show-price", true, "hide-sold-out", true,
				"button-text", "Buy 1", "button-colour", "#00aa00", "products-per-row", 2, "image-size", "medium",
				"custom-css", null, "locale", "de"));
		assertThat(report(false, 1).problems()).isEmpty();
		// n = 11: "yes" and "" as flags; a colour name and a size Shelf does not know kept as they were; an unknown key
		// kept under its legacy name; no time zone.
		assertThat(settingsOf(11)).isEqualTo(settings("show-branding", true, "email-notifications", false,
				"review-requests", false, "title-with-link", true, "show-price", false, "hide-sold-out", true,
				"button-text", "Buy 11", "button-colour", "blue", "products-per-row", 6, "image-size", "huge",
				"custom-css", null, "locale", "fr", "legacy-widget-mode", "compact"));
		assertThat(report(false, 11).problems()).extracting(TenantImportProblem::field)
				.containsExactlyInAnyOrder("btn-color", "img-size", "legacy-widget-mode", "timezone");
		// n = 17: products per row "four" is not a number: kept, never reset to a default.
		assertThat(settingsOf(17)).containsEntry("products-per-row", "four").containsEntry("title-with-link", false)
				.containsEntry("hide-sold-out", true).hasSize(12);
		// n = 35: custom CSS, a NULL currency (USD until Shopify says), no status (installed).
		assertThat(settingsOf(35)).containsEntry("custom-css", ".shelf { margin: 0 }").containsEntry("show-branding", true)
				.containsEntry("products-per-row", 6).hasSize(12);
		// n = 39: MySQL's zero date.
		assertThat(settingsOf(39)).containsEntry("title-with-link", true).containsEntry("show-price", false)
				.containsEntry("button-colour", "#ff6600").containsEntry("products-per-row", 4).hasSize(12);
		assertThat(report(false, 39).problems()).extracting(TenantImportProblem::field).contains("created");
		// n = 46: no settings row at all: the shop's own flags only, and the report says so.
		assertThat(settingsOf(46)).isEqualTo(settings("show-branding", false, "email-notifications", false,
				"review-requests", true));
		assertThat(report(false, 46).problems()).extracting(TenantImportProblem::field).contains("settings", "timezone");
		// n = 97: the legacy app stored the domain in mixed case.
		assertThat(shops.findByDomain(domain(97))).isPresent();
		assertThat(report(false, 97).problems()).extracting(TenantImportProblem::field).contains("domain");

		Shop first = shops.findByDomain(domain(1)).orElseThrow();
		assertThat(first.imported()).isTrue();
		assertThat(first.receivesLifecycleMails()).as("an imported merchant never gets a welcome mail").isFalse();
		assertThat(first.ianaTimezone().getId()).isEqualTo("Europe/Berlin");
		assertThat(first.currencyCode()).isEqualTo("USD");
		assertThat(shops.findByDomain(domain(46)).orElseThrow().ianaTimezone().getId()).isEqualTo("-05:00");
		assertThat(shops.findByDomain(domain(35)).orElseThrow().currencyCode()).isEqualTo("USD");
		assertThat(shops.findByDomain(domain(4)).orElseThrow().currencyCode()).isEqualTo("EUR");
		assertThat(jdbc.sql("SELECT installed_at FROM catalog.shops WHERE shopify_domain = ?").param(domain(1))
				.query(java.time.OffsetDateTime.class).single().toInstant()).isEqualTo(Instant.parse("2016-01-01T00:37:00Z"));

		everyLegacySettingIsKeptUnderItsShelfOrLegacyName();
	}

	/** Every imported tenant: one Shelf setting per legacy key and flag column, none lost, none added. */
	private void everyLegacySettingIsKeptUnderItsShelfOrLegacyName() {
		Map<String, String> shelfNames = Map.of("product-with-link", "title-with-link", "showPrice", "show-price",
				"hide_sold_out", "hide-sold-out", "btn-text", "button-text", "btn-color", "button-colour",
				"per-row", "products-per-row", "img-size", "image-size", "custom_css", "custom-css", "lang", "locale");
		List<Map<String, Object>> blobs = legacyApp.jdbc().sql("""
				SELECT lower(s.domain) AS domain, st.settings FROM shops s JOIN shop_settings st ON st.shop_id = s.id
				WHERE coalesce(s.status, '') <> 'uninstalled'""").query().listOfRows();
		int checked = 0;
		for (Map<String, Object> legacy : blobs) {
			String shopDomain = (String) legacy.get("domain");
			if (shopDomain.equals(domain(2))) {
				continue;
			}
			Map<String, Object> legacySettings = JSON.readValue((String) legacy.get("settings"),
					JSON.getTypeFactory().constructMapType(TreeMap.class, String.class, Object.class));
			Map<String, Object> imported = JSON.readValue(jdbc.sql(
					"SELECT settings::text FROM catalog.shops WHERE shopify_domain = ?").param(shopDomain)
					.query(String.class).single(), JSON.getTypeFactory().constructMapType(TreeMap.class, String.class,
							Object.class));
			List<String> expectedNames = new ArrayList<>(List.of("show-branding", "email-notifications", "review-requests"));
			legacySettings.keySet().forEach(key -> expectedNames.add(shelfNames.getOrDefault(key, key)));
			assertThat(imported.keySet()).as(shopDomain).containsExactlyInAnyOrderElementsOf(expectedNames);
			checked++;
		}
		assertThat(checked).isGreaterThan(90);
	}

	@Test
	void onlyTheMostRecentOrdersAreImportedAndTheRestComeOnDemand() {
		legacyApp.generate(prefix, 3, 60, 80); // n = 1: 76 orders
		List<Long> legacyNewestFirst = legacyApp.jdbc().sql("""
				SELECT o.shopify_order_id::bigint FROM orders o JOIN shops s ON s.id = o.shop_id
				WHERE s.domain = ? ORDER BY o.created_at DESC, o.id DESC""").param(domain(1)).query(Long.class).list();
		assertThat(legacyNewestFirst).hasSize(76);

		importAll();

		Shop shop = shops.findByDomain(domain(1)).orElseThrow();
		assertThat(orderIds(shop)).containsExactlyInAnyOrderElementsOf(legacyNewestFirst.subList(0, 50));
		assertThat(report(false, 1).counts()).containsEntry("billing.recent-orders.orders", 50L)
				.containsEntry("billing.recent-orders.older-orders-left", 26L);
		assertThat(jdbc.sql("SELECT count(*) FROM billing.usage_charges WHERE shop_id = ?").param(shop.id().value())
				.query(Long.class).single()).as("imported orders are history, never charged").isZero();

		var graphql = new GraphQlHttp(port);
		String mutation = """
				mutation($shop: String!, $first: Int) {
				  legacyOrdersImportOlder(shopDomain: $shop, first: $first) {
				    importedOrders olderOrdersLeft problems userErrors { code message }
				  }
				}""";
		JsonNode firstPage = graphql.asOperator(mutation, Map.of("shop", domain(1), "first", 20)).data()
				.path("legacyOrdersImportOlder");
		assertThat(firstPage.path("importedOrders").asInt()).isEqualTo(20);
		assertThat(firstPage.path("olderOrdersLeft").asString()).isEqualTo("6");
		assertThat(orderIds(shop)).containsExactlyInAnyOrderElementsOf(legacyNewestFirst.subList(0, 70));

		JsonNode lastPage = graphql.asOperator(mutation, Map.of("shop", domain(1), "first", 20)).data()
				.path("legacyOrdersImportOlder");
		assertThat(lastPage.path("importedOrders").asInt()).isEqualTo(6);
		assertThat(lastPage.path("olderOrdersLeft").asString()).isEqualTo("0");
		assertThat(orderIds(shop)).containsExactlyInAnyOrderElementsOf(legacyNewestFirst);

		JsonNode nothingLeft = graphql.asOperator(mutation, Map.of("shop", domain(1), "first", 20)).data()
				.path("legacyOrdersImportOlder");
		assertThat(nothingLeft.path("importedOrders").asInt()).isZero();
		assertThat(orderIds(shop)).hasSize(76);

		JsonNode notImported = graphql.asOperator(mutation, Map.of("shop", domain(99), "first", 20)).data()
				.path("legacyOrdersImportOlder");
		assertThat(notImported.path("userErrors").path(0).path("code").asString()).isEqualTo("NOT_FOUND");
		assertThat(new GraphQlHttp(port).query(null, "mutation { legacyOrdersImportOlder(shopDomain: \"x\") { importedOrders } }")
				.status()).as("operators only").isEqualTo(401);
	}

	private List<Long> orderIds(Shop shop) {
		return jdbc.sql("SELECT shopify_order_id FROM billing.orders WHERE shop_id = ?").param(shop.id().value())
				.query(Long.class).list();
	}

	@Test
	void aRerunImportsNothingTwiceAndChangesNoCount() {
		legacyApp.generate(prefix, 30, 50, 70);
		TenantImportRun first = importAll();
		Map<String, Object> before = importedState();

		TenantImportRun again = importAll();

		assertThat(first.imported()).isEqualTo(30);
		assertThat(again.imported()).isZero();
		assertThat(again.alreadySettled()).isEqualTo(30);
		assertThat(importedState()).isEqualTo(before);
		JsonNode latest = new GraphQlHttp(port).asOperator("""
				{ tenantImport { id status imported alreadySettled tenantsDone percentDone }
				  tenantImportTenants(status: IMPORTED, first: 2) { nodes { tenant status counts { name value } }
				                                                     pageInfo { hasNextPage endCursor } } }""",
				Map.of()).data();
		assertThat(latest.path("tenantImport").path("id").asString()).isEqualTo(String.valueOf(again.id()));
		assertThat(latest.path("tenantImport").path("alreadySettled").asString()).isEqualTo("30");
		assertThat(latest.path("tenantImport").path("percentDone").asDouble()).isEqualTo(100.0);
		assertThat(latest.path("tenantImportTenants").path("nodes")).hasSize(2);
		assertThat(latest.path("tenantImportTenants").path("pageInfo").path("hasNextPage").asBoolean()).isTrue();
	}

	/** This test's shops, their settings, orders and legacy order records, as comparable values. */
	private Map<String, Object> importedState() {
		Map<String, Object> state = new TreeMap<>();
		state.put("shops", jdbc.sql("""
				SELECT string_agg(shopify_domain || settings::text || iana_timezone || currency_code || imported_at::text,
				                  '|' ORDER BY shopify_domain)
				FROM catalog.shops WHERE shopify_domain LIKE ? || '%'""").param(prefix).query(String.class).single());
		state.put("orders", jdbc.sql("""
				SELECT count(*) FROM billing.orders o JOIN catalog.shops s ON s.id = o.shop_id
				WHERE s.shopify_domain LIKE ? || '%'""").param(prefix).query(Long.class).single());
		state.put("legacy order records", jdbc.sql("""
				SELECT string_agg(l.imported_orders || '/' || l.older_orders_left || '/' || l.oldest_legacy_order_id, ',')
				FROM billing.legacy_order_imports l JOIN catalog.shops s ON s.id = l.shop_id
				WHERE s.shopify_domain LIKE ? || '%'""").param(prefix).query(String.class).single());
		state.put("attempts", jdbc.sql("SELECT sum(attempts) FROM migration.tenant_imports WHERE tenant ILIKE ? || '%'")
				.param(prefix).query(Long.class).single());
		return state;
	}

	@Test
	void aDryRunReportsEveryMappingProblemAndWritesNothing() {
		legacyApp.generate(prefix, 60, 50, 60);
		legacyApp.jdbc().sql("UPDATE shop_settings SET settings = '{\"btn-text\": \"Buy' WHERE shop_id = "
				+ "(SELECT id FROM shops WHERE domain = ?)").param(domain(3)).update();
		Map<String, Long> before = rowsOfEveryTable();

		TenantImportRun dry = imports.run(TenantImportOptions.dryRun(4, "test"));

		assertThat(rowsOfEveryTable()).isEqualTo(before);
		assertThat(dry.id()).isNull();
		assertThat(dry.imported()).isEqualTo(58);
		assertThat(dry.skipped()).isEqualTo(2);
		assertThat(dry.failed()).isZero();
		assertThat(report(true, 3).status()).isEqualTo(TenantImportStatus.SKIPPED);
		assertThat(report(true, 3).reason()).contains("not valid JSON").contains("reset them to defaults");
		assertThat(report(true, 50).reason()).isEqualTo("uninstalled in the legacy app");
		assertThat(report(true, 11).problems()).extracting(TenantImportProblem::field)
				.containsExactlyInAnyOrder("btn-color", "img-size", "legacy-widget-mode", "timezone");
		assertThat(report(true, 1).counts()).containsEntry("catalog.shop-settings.settings", 12L)
				.containsEntry("billing.recent-orders.orders", 50L);

		TenantImportRun real = importAll();
		assertThat(real.problems()).as("the dry run found every problem the real run meets").isEqualTo(dry.problems());
		assertThat(real.imported()).isEqualTo(dry.imported());
	}

	/** Rows of every table of every module's schema. */
	private Map<String, Long> rowsOfEveryTable() {
		Map<String, Long> rows = new TreeMap<>();
		for (String table : jdbc.sql("""
				SELECT table_schema || '.' || table_name FROM information_schema.tables
				WHERE table_type = 'BASE TABLE' AND table_schema = ANY (?)""")
				.param(MODULE_SCHEMAS.toArray(String[]::new)).query(String.class).list()) {
			rows.put(table, jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single());
		}
		return rows;
	}

	@Test
	void aTenantThatFailedMidWayIsResumedAtItsFailedStepAndCompletedOnesAreLeftAlone() {
		legacyApp.generate(prefix, 8, 50, 55);
		long legacyId = legacyApp.jdbc().sql("SELECT id FROM shops WHERE domain = ?").param(domain(3))
				.query(Long.class).single();
		long firstOrderId = 5_000_000_000_000L + legacyId * 1000;
		String function = "refuse_legacy_orders_" + legacyId;
		// Billing's step fails for tenant 3 (an outage stands in): its shop is imported, its orders are not.
		jdbc.sql("CREATE FUNCTION billing." + function + "() RETURNS trigger LANGUAGE plpgsql AS "
				+ "$$ BEGIN RAISE EXCEPTION 'simulated billing outage'; END $$").update();
		jdbc.sql("CREATE TRIGGER " + function + " BEFORE INSERT ON billing.orders FOR EACH ROW WHEN "
				+ "(NEW.shopify_order_id BETWEEN " + firstOrderId + " AND " + (firstOrderId + 999) + ") EXECUTE FUNCTION billing."
				+ function + "()").update();
		TenantImportRun failing;
		try {
			failing = importAll();
		}
		finally {
			jdbc.sql("DROP TRIGGER " + function + " ON billing.orders").update();
			jdbc.sql("DROP FUNCTION billing." + function + "()").update();
		}
		assertThat(failing.failed()).isEqualTo(1);
		assertThat(failing.imported()).isEqualTo(7);
		TenantImportRecord failed = report(false, 3);
		assertThat(failed.status()).isEqualTo(TenantImportStatus.FAILED);
		assertThat(failed.lastError()).contains("billing.recent-orders").contains("simulated billing outage");
		assertThat(failed.stepsDone()).containsExactly("catalog.shop-settings");
		Shop shop = shops.findByDomain(domain(3)).orElseThrow();
		assertThat(orderIds(shop)).isEmpty();

		TenantImportRun resumed = importAll();

		assertThat(resumed.imported()).isEqualTo(1);
		assertThat(resumed.alreadySettled()).isEqualTo(7);
		assertThat(report(false, 3).status()).isEqualTo(TenantImportStatus.IMPORTED);
		assertThat(report(false, 3).attempts()).isEqualTo(2);
		assertThat(orderIds(shop)).hasSize(50);
	}

	@Test
	void anErasedImportedShopIsForgottenByTheImportAndNeverImportedAgain() {
		legacyApp.generate(prefix, 3, 50, 50);
		importAll();
		Shop erased = shops.findByDomain(domain(1)).orElseThrow();

		while (!billing.eraseBatch(erased.id(), 1000).isEmpty()) {
			// batch after batch, as shop/redact does
		}
		while (!shops.eraseBatch(erased.id(), 1000).isEmpty()) {
			// the shop's own row goes last
		}

		assertThat(jdbc.sql("SELECT count(*) FROM migration.tenant_imports t WHERE t::text ILIKE ?")
				.param("%" + domain(1) + "%").query(Long.class).single()).as("the domain is forgotten").isZero();
		TenantImportRun again = importAll();
		assertThat(again.alreadySettled()).isEqualTo(3);
		assertThat(again.imported()).isZero();
		assertThat(shops.findByDomain(domain(1))).as("not brought back from the legacy app").isEmpty();
		assertThat(imports.tenants(false, null, 0, 100_000)).extracting(TenantImportRecord::tenant).contains("(erased)");
	}

	@Test
	void theImportTenantsCommandRunsADryRunThenTheImportAndWritesItsReport(@TempDir Path directory) throws Exception {
		legacyApp.generate(prefix, 55, 50, 52);
		Path report = directory.resolve("report.json");

		assertThat(command("--dry-run", "--concurrency=3")).isZero();
		assertThat(out.toString(StandardCharsets.UTF_8)).contains("Dry run (nothing written): FINISHED — 54 would be imported, 1 skipped, 0 failed")
				.contains("skipped " + domain(50) + ": uninstalled in the legacy app")
				.contains("catalog.shop-settings legacy-widget-mode");
		assertThat(shops.findByDomain(domain(1))).isEmpty();
		out.reset();

		assertThat(command("--run", "--report=" + report)).isZero();

		assertThat(out.toString(StandardCharsets.UTF_8)).contains("FINISHED [" + "#".repeat(30) + "] 100.0 %")
				.contains("54 imported, 1 skipped, 0 failed");
		JsonNode written = JSON.readTree(Files.readString(report));
		assertThat(written.path("run").path("imported").asString()).isEqualTo("54");
		List<JsonNode> ours = written.path("tenants").valueStream()
				.filter(t -> t.path("tenant").asString().toLowerCase(java.util.Locale.ROOT).startsWith(prefix)).toList();
		assertThat(ours).hasSize(55);
		assertThat(ours).filteredOn(t -> t.path("tenant").asString().equals(domain(11))).singleElement()
				.satisfies(t -> assertThat(t.path("problems").valueStream().map(p -> p.path("field").asString()))
						.contains("legacy-widget-mode"));
		assertThat(shops.findByDomain(domain(1))).isPresent();
		assertThat(command("--run")).as("nothing left to import is a success").isZero();
		assertThat(command("--walk")).isEqualTo(2);
	}

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private int command(String... args) {
		List<String> all = new ArrayList<>(List.of(args));
		all.add("--url=http://localhost:" + port + "/graphql");
		all.add("--poll-ms=50");
		return ImportTenantsCommand.run(all.toArray(String[]::new),
				Map.of("SHELF_OPERATOR_PASSWORD", ShelfApplicationTest.OPERATOR_PASSWORD), false,
				new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
	}
}
