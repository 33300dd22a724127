package dev.shelf.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code import-tenants --dry-run | --run [--concurrency=N] [--report=<file>]}: the legacy-tenant import, through a
 * running Shelf's operator GraphQL API (like {@code migrations}; the Shelf must have {@code SHELF_MIGRATION_LEGACY_URL}
 * set). Starts the run, draws its progress until it ends, then reads the whole report: a summary on standard output
 * (counts, every skipped and failed tenant with its reason, the mapping problems by kind) and, with {@code --report},
 * every tenant with every problem as JSON. Exit 0 when the run finished with no failed tenant, 1 otherwise, 2 for a
 * usage error. Options: {@code --url=} (default {@code http://localhost:$SERVER_PORT/graphql}), {@code --poll-ms=}.
 */
public final class ImportTenantsCommand {

	public static final String NAME = "import-tenants";

	private static final String USAGE = "usage: import-tenants --dry-run | --run  [--concurrency=N] [--report=<file>]"
			+ "  [--url=http://localhost:8080/graphql] [--poll-ms=1000]  (operator password: SHELF_OPERATOR_PASSWORD)";
	private static final String RUN_FIELDS = "id dryRun status concurrency tenantsTotal tenantsDone alreadySettled "
			+ "imported skipped failed problems percentDone tenantsPerSecond etaSeconds startedAt finishedAt lastError";
	private static final String TENANT_FIELDS = "tenant legacyId status attempts stepsDone reason lastError "
			+ "problems { step field message } problemsNotKept counts { name value } finishedAt";
	private static final int BAR_WIDTH = 30;

	private final PrintStream out;
	private final OperatorApi api;
	private final boolean terminal;

	private ImportTenantsCommand(PrintStream out, OperatorApi api, boolean terminal) {
		this.out = out;
		this.api = api;
		this.terminal = terminal;
	}

	public static int run(String[] args, Map<String, String> environment, boolean terminal, PrintStream out,
			PrintStream err) {
		String url = OperatorApi.defaultUrl(environment);
		Boolean dryRun = null;
		Integer concurrency = null;
		Path report = null;
		long pollMillis = 1000;
		for (String arg : args) {
			if (arg.equals("--dry-run") || arg.equals("--run")) {
				if (dryRun != null) {
					err.println(USAGE + "  (--dry-run or --run, once)");
					return 2;
				}
				dryRun = arg.equals("--dry-run");
			}
			else if (arg.matches("--concurrency=\\d{1,2}")) {
				concurrency = Integer.parseInt(arg.substring("--concurrency=".length()));
			}
			else if (arg.startsWith("--report=") && arg.length() > "--report=".length()) {
				report = Path.of(arg.substring("--report=".length()));
			}
			else if (arg.startsWith("--url=")) {
				url = arg.substring("--url=".length());
			}
			else if (arg.matches("--poll-ms=\\d{1,6}")) {
				pollMillis = Long.parseLong(arg.substring("--poll-ms=".length()));
			}
			else {
				err.println(USAGE + "  (unknown: " + arg + ")");
				return 2;
			}
		}
		if (dryRun == null) {
			err.println(USAGE);
			return 2;
		}
		String password = environment.get("SHELF_OPERATOR_PASSWORD");
		if (password == null || password.isBlank()) {
			err.println("Set SHELF_OPERATOR_PASSWORD to the operator password of the Shelf at " + url);
			return 2;
		}
		var command = new ImportTenantsCommand(out, new OperatorApi(URI.create(url), password), terminal);
		Path reportFile = report;
		boolean dry = dryRun;
		Integer threads = concurrency;
		Duration poll = Duration.ofMillis(pollMillis);
		return OperatorApi.exitCodeOf(url, err, () -> command.importTenants(dry, threads, reportFile, poll, err));
	}

	private int importTenants(boolean dryRun, Integer concurrency, Path report, Duration poll, PrintStream err)
			throws IOException, InterruptedException {
		Map<String, Object> variables = new LinkedHashMap<>();
		variables.put("dryRun", dryRun);
		variables.put("concurrency", concurrency);
		JsonNode started = api.query("mutation($dryRun: Boolean!, $concurrency: Int) { started: tenantImportStart("
				+ "dryRun: $dryRun, concurrency: $concurrency) { tenantImport { " + RUN_FIELDS + " } "
				+ "userErrors { message code } } }", variables).path("started");
		if (!started.path("userErrors").isEmpty()) {
			err.println("import-tenants: " + started.path("userErrors").path(0).path("message").asString());
			return 1;
		}
		JsonNode run = started.path("tenantImport");
		while (run.path("status").asString().equals("RUNNING")) {
			draw(run, false);
			Thread.sleep(poll.toMillis());
			run = api.query("query($dryRun: Boolean) { tenantImport(dryRun: $dryRun) { " + RUN_FIELDS + " } }",
					Map.of("dryRun", dryRun)).path("tenantImport");
		}
		draw(run, true);
		List<JsonNode> tenants = tenants(dryRun);
		summarize(run, tenants);
		if (report != null) {
			ObjectNode document = OperatorApi.JSON.createObjectNode();
			document.set("run", run);
			document.set("tenants", OperatorApi.JSON.valueToTree(tenants));
			Files.writeString(report, OperatorApi.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document));
			out.println("report: " + report.toAbsolutePath() + " (" + tenants.size() + " tenants)");
		}
		return run.path("status").asString().equals("FINISHED") && run.path("failed").asLong() == 0 ? 0 : 1;
	}

	/** Every tenant of the report, page after page (keyset cursors). */
	private List<JsonNode> tenants(boolean dryRun) throws IOException, InterruptedException {
		List<JsonNode> tenants = new ArrayList<>();
		String after = null;
		do {
			Map<String, Object> variables = new LinkedHashMap<>();
			variables.put("dryRun", dryRun);
			variables.put("after", after);
			JsonNode page = api.query("query($dryRun: Boolean, $after: String) { page: tenantImportTenants("
					+ "dryRun: $dryRun, first: 250, after: $after) { nodes { " + TENANT_FIELDS + " } "
					+ "pageInfo { hasNextPage endCursor } } }", variables).path("page");
			page.path("nodes").forEach(tenants::add);
			after = page.path("pageInfo").path("hasNextPage").asBoolean() ? page.path("pageInfo").path("endCursor")
					.asString() : null;
		}
		while (after != null);
		return tenants;
	}

	/** For people: the counts, every tenant not imported and why, the problems by step and field. */
	private void summarize(JsonNode run, List<JsonNode> tenants) {
		out.println((run.path("dryRun").asBoolean() ? "Dry run (nothing written)" : "Import run " + run.path("id")
				.asString()) + ": " + run.path("status").asString() + " — " + run.path("imported").asString()
				+ (run.path("dryRun").asBoolean() ? " would be imported, " : " imported, ") + run.path("skipped")
				.asString() + " skipped, " + run.path("failed").asString() + " failed, " + run.path("alreadySettled")
				.asString() + " settled by earlier runs, " + run.path("problems").asString() + " mapping problems");
		if (!run.path("lastError").isNull() && !run.path("lastError").isMissingNode()) {
			out.println("  the run failed: " + run.path("lastError").asString());
		}
		Map<String, Integer> problems = new TreeMap<>();
		for (JsonNode tenant : tenants) {
			String status = tenant.path("status").asString();
			if (status.equals("SKIPPED")) {
				out.println("  skipped " + tenant.path("tenant").asString() + ": " + tenant.path("reason").asString());
			}
			else if (status.equals("FAILED") || status.equals("RUNNING")) {
				out.println("  " + status.toLowerCase(Locale.ROOT) + " " + tenant.path("tenant").asString() + ": "
						+ tenant.path("lastError").asString("(interrupted)"));
			}
			for (JsonNode problem : tenant.path("problems")) {
				problems.merge(problem.path("step").asString() + " " + problem.path("field").asString(), 1, Integer::sum);
			}
		}
		if (!problems.isEmpty()) {
			out.println("  mapping problems by step and field (every one in --report):");
			problems.forEach((kind, count) -> out.println(String.format(Locale.ROOT, "  %8d  %s", count, kind)));
		}
	}

	/** {@code [#####.....]  52.3 %  5,230 / 10,000 tenants  41.0 tenants/s  ETA 0:01:56} */
	private void draw(JsonNode run, boolean last) {
		double percent = run.path("percentDone").asDouble();
		int filled = (int) Math.round(percent / 100 * BAR_WIDTH);
		StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-8s [%s%s] %5.1f %%  %,d / %,d tenants  %.1f tenants/s",
				run.path("status").asString(), "#".repeat(filled), ".".repeat(BAR_WIDTH - filled), percent,
				Long.parseLong(run.path("tenantsDone").asString("0")), Long.parseLong(run.path("tenantsTotal").asString("0")),
				run.path("tenantsPerSecond").asDouble()));
		if (run.path("etaSeconds").isNumber() && !last) {
			long seconds = run.path("etaSeconds").asLong();
			line.append(String.format(Locale.ROOT, "  ETA %d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60));
		}
		if (terminal) {
			out.print("\r" + line + (last ? System.lineSeparator() : ""));
			out.flush();
		}
		else {
			out.println(line);
		}
	}
}
