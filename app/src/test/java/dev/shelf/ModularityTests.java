package dev.shelf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import dev.shelf.support.RepositoryRoot;
import dev.shelf.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.core.JavaPackage;
import org.springframework.modulith.docs.Documenter;

/**
 * The module structure of DESIGN.md §1 as Spring Modulith sees it, and the documentation generated from it. Runs in
 * {@code app}, the only Maven module whose classpath holds every module.
 */
class ModularityTests {

	static final ApplicationModules MODULES = ApplicationModules.of(ShelfApplication.class, new ProductionClasses());

	@Test
	void modulesUseEachOtherOnlyThroughAllowedDependenciesAndPublicApis() {
		MODULES.verify();
	}

	@Test
	void theApplicationConsistsOfTheShellAndTheFourDomainModules() {
		assertThat(MODULES.stream().map(module -> module.getIdentifier().toString()))
				.containsExactlyInAnyOrder("app", "billing", "catalog", "migration", "webhooks");
	}

	@Test
	void theSharedTestBaseIsOnTheClasspathButPartOfNoModule() {
		// Only meaningful while the test base is really there: shelf-migration's test-jar, as a jar or as the
		// reactor's target/test-classes directory, both of which would otherwise yield a module named "testing".
		String origin = TestDatabase.class.getProtectionDomain().getCodeSource().getLocation().toString();

		assertThat(MODULES.getModuleByType(TestDatabase.class)).as("module of TestDatabase from %s", origin).isEmpty();
		assertThat(MODULES.stream().map(ApplicationModule::getBasePackage).flatMap(JavaPackage::stream))
				.as("types of all modules")
				.noneMatch(type -> type.getPackageName().startsWith("dev.shelf.testing"));
	}

	@Test
	void writesTheModuleDocumentationThatIsCommittedUnderDocsModules() throws Exception {
		Path output = RepositoryRoot.path().resolve("docs").resolve("modules");

		// Wipes the folder first (Documenter's default), so a removed module leaves no stale diagram behind.
		new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(output.toString()))
				.writeDocumentation();
		try (Stream<Path> files = Files.list(output)) {
			for (Path diagram : files.filter(file -> file.toString().endsWith(".puml")).toList()) {
				sortRelationships(diagram);
			}
		}

		assertThat(output.resolve("components.puml")).isRegularFile();
		for (String module : new String[] { "app", "billing", "catalog", "migration", "webhooks" }) {
			assertThat(output.resolve("module-" + module + ".puml")).isRegularFile();
			assertThat(output.resolve("module-" + module + ".adoc")).isRegularFile();
		}
	}

	/**
	 * Structurizr keeps a diagram's relationships in a hash set, so Documenter writes them in a different order from
	 * run to run. Sorted in place, the committed diagrams change only when the architecture does.
	 */
	private static void sortRelationships(Path diagram) throws IOException {
		List<String> lines = new ArrayList<>(Files.readAllLines(diagram));
		List<Integer> positions = IntStream.range(0, lines.size()).filter(i -> lines.get(i).startsWith("Rel(")).boxed()
				.toList();
		List<String> sorted = positions.stream().map(lines::get).sorted().toList();
		for (int i = 0; i < positions.size(); i++) {
			lines.set(positions.get(i), sorted.get(i));
		}
		Files.write(diagram, lines);
	}

	/**
	 * Production classes only, for Spring Modulith here and ArchUnit in {@link ArchitectureTests}.
	 * {@link ImportOption.DoNotIncludeTests} recognizes test classes by their folder ({@code target/test-classes}),
	 * which is how the reactor puts shelf-migration's test-jar on the classpath in {@code mvn test}. {@code mvn verify}
	 * (which packages migration first) or an IDE supply {@code shelf-migration-*-tests.jar} instead, which that option
	 * lets through: Modulith then reports a sixth module, {@code testing}. The test base's package is excluded by name
	 * too, so it never counts as a module however it arrives.
	 */
	static final class ProductionClasses implements ImportOption {

		private static final ImportOption NOT_IN_A_TEST_FOLDER = new ImportOption.DoNotIncludeTests();
		private static final Pattern TEST_JAR = Pattern.compile(".*-tests\\.jar!/.*");

		@Override
		public boolean includes(Location location) {
			return NOT_IN_A_TEST_FOLDER.includes(location) && !location.matches(TEST_JAR)
					&& !location.contains("/dev/shelf/testing/");
		}
	}
}
