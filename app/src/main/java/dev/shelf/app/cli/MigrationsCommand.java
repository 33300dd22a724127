package dev.shelf.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * {@code migrations status | pause <job> | resume <job> | run [<job>] [--wait]}: the operators' background migration
 * commands, through the running Shelf's GraphQL API (the {@code @operatorOnly} fields, HTTP Basic as
 * {@code operator} with {@code SHELF_OPERATOR_PASSWORD}) — one way in, whether from a browser, curl or this command.
 * {@code run} resumes the job (or every paused one) and, with {@code --wait}, draws a progress bar until every job
 * it waits for has finished (exit 0) or one has failed (exit 1). Options: {@code --url=} (default
 * {@code http://localhost:$SERVER_PORT/graphql}), {@code --poll-ms=} (default 1000).
 */
public final class MigrationsCommand {

	public static final String NAME = "migrations";

	private static final String USAGE = "usage: migrations status | pause <job> | resume <job> | run [<job>] [--wait]"
			+ "  [--url=http://localhost:8080/graphql] [--poll-ms=1000]  (operator password: SHELF_OPERATOR_PASSWORD)";
	private static final int BAR_WIDTH = 30;
	private static final String FIELDS = "name status rowsDone rowsTotalEstimate percentDone rowsPerSecond etaSeconds "
			+ "batchSize failedBatches lastError throttledReason";

	private final PrintStream out;
	private final PrintStream err;
	private final OperatorApi api;
	private final boolean terminal;

	private MigrationsCommand(PrintStream out, PrintStream err, URI endpoint, String password, boolean terminal) {
		this.out = out;
		this.err = err;
		this.api = new OperatorApi(endpoint, password);
		this.terminal = terminal;
	}

	/** @param environment where {@code SHELF_OPERATOR_PASSWORD} and {@code SERVER_PORT} come from */
	public static int run(String[] args, Map<String, String> environment, boolean terminal, PrintStream out,
			PrintStream err) {
		List<String> words = new ArrayList<>();
		String url = OperatorApi.defaultUrl(environment);
		long pollMillis = 1000;
		boolean wait = false;
		for (String arg : args) {
			if (arg.startsWith("--url=")) {
				url = arg.substring("--url=".length());
			}
			else if (arg.matches("--poll-ms=\\d{1,6}")) {
				pollMillis = Long.parseLong(arg.substring("--poll-ms=".length()));
			}
			else if (arg.equals("--wait")) {
				wait = true;
			}
			else if (arg.startsWith("--")) {
				err.println(USAGE + "  (unknown: " + arg + ")");
				return 2;
			}
			else {
				words.add(arg);
			}
		}
		String password = environment.get("SHELF_OPERATOR_PASSWORD");
		if (password == null || password.isBlank()) {
			err.println("Set SHELF_OPERATOR_PASSWORD to the operator password of the Shelf at " + url);
			return 2;
		}
		if (words.isEmpty()) {
			err.println(USAGE);
			return 2;
		}
		var command = new MigrationsCommand(out, err, URI.create(url), password, terminal);
		String job = words.size() > 1 ? words.get(1) : null;
		String verb = words.get(0);
		boolean waitForJobs = wait;
		Duration poll = Duration.ofMillis(pollMillis);
		return OperatorApi.exitCodeOf(url, err, () -> {
			switch (verb) {
				case "status":
					return command.status();
				case "pause":
				case "resume":
					if (job == null) {
						err.println(USAGE);
						return 2;
					}
					return command.change(verb, job);
				case "run":
					return command.run(job, waitForJobs, poll);
				default:
					err.println(USAGE);
					return 2;
			}
		});
	}

	private int status() throws IOException, InterruptedException {
		for (JsonNode job : jobs()) {
			out.println(line(job));
			if (!job.path("lastError").isNull() && !job.path("lastError").isMissingNode()) {
				out.println("    last error: " + job.path("lastError").asString());
			}
		}
		return 0;
	}

	private int change(String verb, String job) throws IOException, InterruptedException {
		String mutation = "backgroundMigration" + Character.toUpperCase(verb.charAt(0)) + verb.substring(1);
		JsonNode payload = query("mutation($name: String!) { change: " + mutation + "(name: $name) { "
				+ "backgroundMigration { " + FIELDS + " } userErrors { message code } } }", Map.of("name", job))
				.path("change");
		if (!payload.path("userErrors").isEmpty()) {
			err.println(verb + " " + job + ": " + payload.path("userErrors").path(0).path("message").asString());
			return 1;
		}
		out.println(line(payload.path("backgroundMigration")));
		return 0;
	}

	/** Resumes what is paused, then (with --wait) follows the jobs until each has finished or one has failed. */
	private int run(String job, boolean wait, Duration poll) throws IOException, InterruptedException {
		for (JsonNode each : jobs()) {
			if ((job == null || job.equals(each.path("name").asString()))
					&& each.path("status").asString().equals("PAUSED")) {
				int resumed = change("resume", each.path("name").asString());
				if (resumed != 0) {
					return resumed;
				}
			}
		}
		if (!wait) {
			return status();
		}
		String shown = null;
		while (true) {
			List<JsonNode> followed = new ArrayList<>();
			for (JsonNode each : jobs()) {
				if (job == null || job.equals(each.path("name").asString())) {
					followed.add(each);
				}
			}
			if (followed.isEmpty()) {
				err.println("No background migration is named " + job);
				return 1;
			}
			JsonNode current = followed.stream().filter(j -> !j.path("status").asString().equals("FINISHED"))
					.findFirst().orElse(null);
			if (shown != null && (current == null || !shown.equals(current.path("name").asString()))) {
				// The job on the bar has finished: its last state stays on its own line.
				String finished = shown;
				followed.stream().filter(j -> j.path("name").asString().equals(finished)).findFirst()
						.ifPresent(done -> draw(done, true));
			}
			if (current == null) {
				if (shown == null) {
					followed.forEach(done -> draw(done, true)); // finished before the first look
				}
				return 0;
			}
			String status = current.path("status").asString();
			if (status.equals("FAILED") || status.equals("PAUSED")) {
				draw(current, true);
				err.println(current.path("name").asString() + " is " + status
						+ (status.equals("FAILED") ? ": " + current.path("lastError").asString() : ""));
				return 1;
			}
			draw(current, false);
			shown = current.path("name").asString();
			Thread.sleep(poll.toMillis());
		}
	}

	/** On a terminal the bar is redrawn in place; elsewhere (a log, a pipe) each state is a line of its own. */
	private void draw(JsonNode job, boolean last) {
		if (terminal) {
			out.print("\r" + line(job) + (last ? System.lineSeparator() : ""));
			out.flush();
		}
		else {
			out.println(line(job));
		}
	}

	/** {@code name  STATUS  [#####.....]  52.3 %  523,000 / ~1,000,000 rows  48,200 rows/s  ETA 0:00:11} */
	static String line(JsonNode job) {
		double percent = job.path("percentDone").asDouble();
		int filled = (int) Math.round(percent / 100 * BAR_WIDTH);
		StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-36s %-8s [%s%s] %5.1f %%",
				job.path("name").asString(), job.path("status").asString(), "#".repeat(filled),
				".".repeat(BAR_WIDTH - filled), percent));
		line.append(String.format(Locale.ROOT, "  %,d", Long.parseLong(job.path("rowsDone").asString("0"))));
		if (!job.path("rowsTotalEstimate").isNull() && !job.path("rowsTotalEstimate").isMissingNode()) {
			line.append(String.format(Locale.ROOT, " / ~%,d", Long.parseLong(job.path("rowsTotalEstimate").asString())));
		}
		line.append(String.format(Locale.ROOT, " rows  %,.0f rows/s", job.path("rowsPerSecond").asDouble()));
		JsonNode eta = job.path("etaSeconds");
		if (eta.isNumber()) {
			long seconds = eta.asLong();
			line.append(String.format(Locale.ROOT, "  ETA %d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60));
		}
		if (job.path("throttledReason").isString()) {
			line.append("  (waiting: ").append(job.path("throttledReason").asString()).append(')');
		}
		return line.toString();
	}

	private List<JsonNode> jobs() throws IOException, InterruptedException {
		List<JsonNode> jobs = new ArrayList<>();
		query("{ backgroundMigrations { " + FIELDS + " } }", Map.of()).path("backgroundMigrations").forEach(jobs::add);
		return jobs;
	}

	private JsonNode query(String document, Map<String, Object> variables) throws IOException, InterruptedException {
		return api.query(document, variables);
	}
}
