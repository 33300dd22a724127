import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a GraphQL request's JVM CPU goes, from a JFR recording's execution samples of the request threads. Run with
 * the JDK's source launcher:
 *
 * <pre>
 * java bench/JfrAreas.java recording.jfr [thread-name-part (http-nio)] [from (ISO UTC)] [to (ISO UTC)]
 * </pre>
 *
 * Prints two views: by area, inclusive (a sample counts in every area one of its frames belongs to: "how much would
 * go if this went"), and by owner of the innermost non-JDK frame, exclusive (each sample once: "whose code runs").
 * Record with stacks deep enough for graphql-java, e.g.
 * {@code -XX:FlightRecorderOptions:stackdepth=256 -XX:StartFlightRecording:settings=profile,...}, started with the
 * JVM (starting a recording later deoptimised this application's hot code for minutes on JDK 17).
 */
public class JfrAreas {

	/** Inclusive areas: frame prefixes (class/method in JVM form), and frames that exclude a sample. */
	record Area(String name, List<String> prefixes, List<String> unless) {
		Area(String name, String... prefixes) {
			this(name, List.of(prefixes), List.of());
		}
	}

	static final List<Area> AREAS = List.of(
			new Area("servlet filters before dispatch (security, request id, observation)",
					List.of("org/apache/catalina/core/ApplicationFilterChain"), List.of("org/springframework/web/servlet/DispatcherServlet")),
			new Area("  session token verification", "dev/shelf/app/security/SessionTokenDecoder.decode"),
			new Area("  shop look-up (SQL)", "dev/shelf/catalog/internal/ShopRegistry.registerOnFirstSight"),
			new Area("tomcat outside the filter chain", List.of("org/apache/"), List.of("org/apache/catalina/core/ApplicationFilterChain")),
			new Area("graphql-java parse + validate", "graphql/ParseAndValidate", "graphql/GraphQL.parseAndValidate"),
			new Area("CostGuard admission", "dev/shelf/app/graphql/CostGuard$Admission.beginExecuteOperation"),
			new Area("CostGuard report (QueryCost.actual)", "dev/shelf/app/graphql/CostGuard$Report"),
			new Area("DeprecatedUsageMetrics", "dev/shelf/app/graphql/DeprecatedUsageMetrics"),
			new Area("max depth check", "graphql/analysis/MaxQueryDepthInstrumentation"),
			new Area("instrumentations called per field through ChainedInstrumentation",
					"graphql/execution/instrumentation/ChainedInstrumentation"),
			new Area("graphql-java execution strategy (all fields)", "graphql/execution/ExecutionStrategy", "graphql/execution/AsyncExecutionStrategy"),
			new Area("  Spring annotated controller invocation", "org/springframework/graphql/data/method/"),
			new Area("  Spring context propagation per fetcher", "org/springframework/graphql/execution/ContextDataFetcherDecorator"),
			new Area("  fetchers inside a graphql.datafetcher observation (with their own work)",
					"org/springframework/graphql/observation/GraphQlObservationInstrumentation.lambda$instrumentDataFetcher"),
			new Area("  SQL (spring jdbc, pgjdbc, hikari)", "org/springframework/jdbc/", "org/postgresql/", "com/zaxxer/"),
			new Area("  connections and cursors", "dev/shelf/catalog/graphql/Connection", "dev/shelf/catalog/graphql/Cursors"),
			new Area("JSON response writing", "org/springframework/http/converter/AbstractJacksonHttpMessageConverter.write",
					"dev/shelf/app/graphql/GraphQlJsonConverter.write"),
			new Area("JSON request reading", "org/springframework/http/converter/AbstractJacksonHttpMessageConverter.read"));

	/** Exclusive owners, by prefix of the innermost non-JDK frame; first match wins. */
	static final Map<String, String> OWNERS = new LinkedHashMap<>();
	static {
		OWNERS.put("io/micrometer/context/", "micrometer context-propagation");
		OWNERS.put("io/micrometer/", "micrometer (observations, meters)");
		OWNERS.put("org/springframework/graphql/observation/", "micrometer (observations, meters)");
		OWNERS.put("org/springframework/graphql/", "spring-graphql");
		OWNERS.put("graphql/", "graphql-java");
		OWNERS.put("org/dataloader/", "dataloader");
		OWNERS.put("reactor/", "reactor");
		OWNERS.put("tools/jackson/", "jackson");
		OWNERS.put("com/nimbusds/", "security (nimbus jwt)");
		OWNERS.put("org/springframework/security/", "security (spring)");
		OWNERS.put("dev/shelf/app/security/", "security (shelf)");
		OWNERS.put("org/postgresql/", "SQL (pgjdbc, hikari, spring jdbc)");
		OWNERS.put("com/zaxxer/", "SQL (pgjdbc, hikari, spring jdbc)");
		OWNERS.put("org/springframework/jdbc/", "SQL (pgjdbc, hikari, spring jdbc)");
		OWNERS.put("org/springframework/", "spring framework (web, core)");
		OWNERS.put("org/apache/", "tomcat");
		OWNERS.put("jakarta/servlet/", "tomcat");
		OWNERS.put("dev/shelf/app/graphql/CostGuard", "shelf CostGuard/QueryCost");
		OWNERS.put("dev/shelf/app/graphql/QueryCost", "shelf CostGuard/QueryCost");
		OWNERS.put("dev/shelf/", "shelf (other)");
		OWNERS.put("ch/qos/", "logging");
		OWNERS.put("org/slf4j/", "logging");
		OWNERS.put("com/github/benmanes/caffeine/", "caffeine");
	}

	static final List<String> JDK = List.of("java/", "jdk/", "sun/", "com/sun/", "javax/");

	public static void main(String[] args) throws Exception {
		String threads = args.length > 1 ? args[1] : "http-nio";
		Instant from = args.length > 2 ? Instant.parse(args[2].endsWith("Z") ? args[2] : args[2] + "Z") : Instant.MIN;
		Instant to = args.length > 3 ? Instant.parse(args[3].endsWith("Z") ? args[3] : args[3] + "Z") : Instant.MAX;
		List<List<String>> samples = new ArrayList<>();
		try (RecordingFile file = new RecordingFile(Path.of(args[0]))) {
			while (file.hasMoreEvents()) {
				RecordedEvent event = file.readEvent();
				if (!event.getEventType().getName().equals("jdk.ExecutionSample")
						|| event.getStartTime().isBefore(from) || event.getStartTime().isAfter(to)) {
					continue;
				}
				var thread = event.getThread("sampledThread");
				RecordedStackTrace stack = event.getStackTrace();
				if (thread == null || thread.getJavaName() == null || !thread.getJavaName().contains(threads) || stack == null) {
					continue;
				}
				List<String> frames = new ArrayList<>();
				for (RecordedFrame frame : stack.getFrames()) {
					frames.add(frame.getMethod().getType().getName().replace('.', '/') + "." + frame.getMethod().getName());
				}
				samples.add(frames);
			}
		}
		int n = samples.size();
		System.out.printf("%d execution samples of threads named *%s*%n%n-- by area, inclusive%n", n, threads);
		for (Area area : AREAS) {
			long count = samples.stream().filter(frames -> matches(frames, area.prefixes()) && !matches(frames, area.unless())).count();
			System.out.printf("%5.1f %%  %s%n", 100.0 * count / n, area.name());
		}
		Map<String, Integer> owners = new TreeMap<>();
		for (List<String> frames : samples) {
			String owner = frames.stream().filter(frame -> JDK.stream().noneMatch(frame::startsWith)).findFirst()
					.map(frame -> OWNERS.entrySet().stream().filter(e -> frame.startsWith(e.getKey())).map(Map.Entry::getValue)
							.findFirst().orElse("other"))
					.orElse("JDK only");
			owners.merge(owner, 1, Integer::sum);
		}
		System.out.printf("%n-- by owner of the innermost non-JDK frame, exclusive%n");
		owners.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
				.forEach(e -> System.out.printf("%5.1f %%  %s%n", 100.0 * e.getValue() / n, e.getKey()));
	}

	private static boolean matches(List<String> frames, List<String> prefixes) {
		for (String frame : frames) {
			for (String prefix : prefixes) {
				if (frame.startsWith(prefix)) {
					return true;
				}
			}
		}
		return false;
	}
}
