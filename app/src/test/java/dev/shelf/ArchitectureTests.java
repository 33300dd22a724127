package dev.shelf;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Executable;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaStaticInitializer;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.GeneralCodingRules;
import dev.shelf.app.security.DevTokenCommand;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.context.annotation.Configuration;
import org.springframework.modulith.ApplicationModule;

/**
 * DESIGN.md and STYLE.md as executable rules over the production classes of every module (the test base of
 * shelf-migration's test-jar excluded, see {@link ModularityTests.ProductionClasses}).
 * <p>
 * "Domain modules" below are all of {@code dev.shelf} except the root package ({@link ShelfApplication}) and the
 * application shell {@code dev.shelf.app}, so a module added later is covered without touching this class.
 */
@AnalyzeClasses(packages = "dev.shelf", importOptions = ModularityTests.ProductionClasses.class)
class ArchitectureTests {

	private static final String ROOT = "dev.shelf";
	private static final String SHELL = "dev.shelf.app";

	private static final DescribedPredicate<JavaClass> IN_A_DOMAIN_MODULE = resideInAPackage(ROOT + "..")
			.and(resideOutsideOfPackages(ROOT, SHELL + ".."))
			.as("belong to a domain module");

	// Subclasses included: java.sql.Date, Time and Timestamp extend Date; GregorianCalendar extends Calendar.
	private static final DescribedPredicate<JavaClass> LEGACY_DATE_TIME = assignableTo(Date.class)
			.or(assignableTo(Calendar.class))
			.as("are java.util.Date, java.util.Calendar or their subclasses (java.sql.Timestamp, ...)");

	// ---- module boundaries (Spring Modulith's verify() checks the same; these say it without Modulith) ----

	@ArchTest
	static final ArchRule modulesUseOtherModulesOnlyThroughTheirBasePackage = classes()
			.that(IN_A_DOMAIN_MODULE)
			.should(useOtherModulesOnlyThroughTheirBasePackage())
			.because("a module's base package is its public API; its sub-packages (internal, graphql, ...) are free "
					+ "to change and must not be reached from another module (DESIGN.md §1). dev.shelf.app is exempt "
					+ "as the composition root, and is still checked by Modulith's verify()");

	@ArchTest
	static final ArchRule noModuleDependsOnTheApplicationShell = noClasses()
			.that(IN_A_DOMAIN_MODULE)
			.should().dependOnClassesThat().resideInAnyPackage(ROOT, SHELL + "..")
			.because("app assembles the modules (app -> all); a module reaching back into it would create a "
					+ "cycle and could no longer be built or tested without the whole application");

	@ArchTest
	static final ArchRule modulesAreFreeOfCycles = slices()
			.matching(ROOT + ".(*)..")
			.namingSlices("module $1")
			.should().beFreeOfCycles()
			.because("the module graph is acyclic (DESIGN.md §1): migration <- catalog <- billing <- webhooks <- app");

	// ---- visibility: only the API of a module is public (STYLE.md) ----

	@ArchTest
	static final ArchRule entitiesAreNotPublic = classes()
			.that().areAnnotatedWith("jakarta.persistence.Entity")
			.should().notBePublic()
			// No entity exists yet: the rule guards the code still to come.
			.allowEmptyShould(true)
			.because("an entity is a module's storage detail; other modules get ids, records and events, never "
					+ "a managed object that lazily loads or writes another module's tables");

	@ArchTest
	static final ArchRule repositoriesAreNotPublic = classes()
			.that().areAssignableTo("org.springframework.data.repository.Repository")
			.or().haveSimpleNameEndingWith("Repository")
			.should().notBePublic()
			// No repository exists yet (modules use JdbcClient so far): the rule guards the code still to come.
			.allowEmptyShould(true)
			.because("SQL that touches a module's tables lives in that module (DESIGN.md §1); a public repository "
					+ "lets another module read or write them around the facade");

	@ArchTest
	static final ArchRule configurationsAreNotPublic = classes()
			.that().areMetaAnnotatedWith(Configuration.class)
			// ShelfApplication (@SpringBootApplication) is the one public entry point of the whole application.
			.and().resideOutsideOfPackage(ROOT)
			// Today ModuleSchemaAutoConfiguration (migration) and EmbeddedPostgresAutoConfiguration (app).
			.and(not(registeredAutoConfiguration()))
			.should().notBePublic()
			.because("a module's beans are wired inside the module; a public @Configuration invites other modules "
					+ "to @Import it. Auto-configurations registered in META-INF/spring/...AutoConfiguration.imports "
					+ "are exempt: Spring Boot loads them by name, and users name them in exclusions");

	// ---- coding rules ----

	@ArchTest
	static final ArchRule noFieldInjection = noFields()
			.should(GeneralCodingRules.BE_ANNOTATED_WITH_AN_INJECTION_ANNOTATION)
			.because("constructor injection keeps dependencies final and visible, so a bean cannot exist "
					+ "half-wired and a module test can build it with plain new");

	@ArchTest
	static final ArchRule domainModulesUseJavaTimeOnly = noClasses()
			.that(IN_A_DOMAIN_MODULE)
			.should().dependOnClassesThat(LEGACY_DATE_TIME)
			.because("timestamps are timestamptz and business periods use the shop's IANA zone (DESIGN.md §2); "
					+ "Date and Calendar silently bring in the server's default zone. java.time it is");

	@ArchTest
	static final ArchRule theShellUsesLegacyDatesOnlyWhereNimbusDemandsThem = noClasses()
			.that().resideInAnyPackage(ROOT, SHELL + "..")
			.and().doNotBelongToAnyOf(DevTokenCommand.class)
			.should().dependOnClassesThat(LEGACY_DATE_TIME)
			.because("the shell follows the same java.time rule; DevTokenCommand is the one exception because "
					+ "Nimbus' JWTClaimsSet takes iat/nbf/exp as java.util.Date");

	@ArchTest
	static final ArchRule noMoneyInFloatingPointFields = noFields()
			.that(haveAMoneyLikeName())
			.should(haveAFloatingPointType())
			// No money field exists yet (billing is still empty): the rule guards the code still to come.
			.allowEmptyShould(true)
			.because("money is BigDecimal in Java and numeric(19,4) in SQL (DESIGN.md §2): float money corrupts "
					+ "silently. Fields include record components");

	@ArchTest
	static final ArchRule noMoneyReturnedAsFloatingPoint = noMethods()
			.that(haveAMoneyLikeName())
			.should(returnAFloatingPointType())
			// No money accessor exists yet either.
			.allowEmptyShould(true)
			.because("money is BigDecimal in Java (DESIGN.md §2); this also covers record accessors");

	@ArchTest
	static final ArchRule noMoneyPassedAsFloatingPoint = codeUnits()
			.should(notTakeMoneyAsFloatingPoint())
			.because("money is BigDecimal in Java (DESIGN.md §2), in constructors and method parameters too");

	@ArchTest
	static final ArchRule domainModulesDoNotPrint = noClasses()
			.that(IN_A_DOMAIN_MODULE)
			.should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
			.because("modules log through SLF4J, so every line carries request id and shop (MDC) and reaches the "
					+ "log pipeline; printing is the business of the app's command line alone");

	@ArchTest
	static final ArchRule inTheShellOnlyTheEntryPointTouchesTheStandardStreams = noClasses()
			.that().resideInAnyPackage(ROOT, SHELL + "..")
			.and().doNotBelongToAnyOf(ShelfApplication.class)
			.should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
			.because("ShelfApplication.main hands System.out/err to DevTokenCommand, which prints to the streams "
					+ "it is given (and so stays testable); everything else logs");

	// ---- module declarations ----

	/** DESIGN.md §1 "Dependency direction"; package-info.java and this map must change together, with an ADR. */
	private static final Map<String, Set<String>> ALLOWED_DEPENDENCIES = Map.of(
			"migration", Set.of(),
			"catalog", Set.of("migration"),
			"billing", Set.of("catalog", "migration"),
			"webhooks", Set.of("catalog", "billing", "migration"));

	@ArchTest
	static void everyModuleDeclaresItselfWithApplicationModuleInItsPackageInfo(JavaClasses classes) {
		// The annotation is where allowedDependencies live, and where a reader of the module looks first.
		assertThat(ModularityTests.MODULES.stream().map(module -> module.getBasePackage().getName()))
				.isNotEmpty()
				.allSatisfy(basePackage -> assertThat(packageInfoAnnotation(basePackage))
						.as("@ApplicationModule on %s/package-info.java", basePackage.replace('.', '/'))
						.isPresent());
	}

	@ArchTest
	static void domainModulesAllowExactlyTheDependenciesDesignMdNames(JavaClasses classes) {
		// verify() enforces what package-info says; this keeps package-info saying what DESIGN.md decided.
		ALLOWED_DEPENDENCIES.forEach((module, allowed) -> assertThat(packageInfoAnnotation(ROOT + "." + module))
				.as("@ApplicationModule of %s", module)
				.hasValueSatisfying(declaration -> assertThat(declaration.allowedDependencies())
						.containsExactlyInAnyOrderElementsOf(allowed)));
	}

	@ArchTest
	static void analysesProductionClassesOfEveryModuleButNotTheTestBase(JavaClasses classes) {
		Set<String> packages = classes.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());

		assertThat(packages).noneMatch(name -> name.startsWith(ROOT + ".testing"));
		assertThat(packages).contains(SHELL, ROOT + ".migration", ROOT + ".catalog", ROOT + ".billing",
				ROOT + ".webhooks");
	}

	// ---- helpers ----

	/** Module of a package: the first segment below dev.shelf; none for dev.shelf itself or foreign packages. */
	private static Optional<String> moduleOf(String packageName) {
		if (!packageName.startsWith(ROOT + ".")) {
			return Optional.empty();
		}
		String belowRoot = packageName.substring(ROOT.length() + 1);
		int dot = belowRoot.indexOf('.');
		return Optional.of(dot < 0 ? belowRoot : belowRoot.substring(0, dot));
	}

	private static ArchCondition<JavaClass> useOtherModulesOnlyThroughTheirBasePackage() {
		return new ArchCondition<>("use other modules only through their base package") {
			@Override
			public void check(JavaClass origin, ConditionEvents events) {
				Optional<String> ownModule = moduleOf(origin.getPackageName());
				for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
					String targetPackage = dependency.getTargetClass().getBaseComponentType().getPackageName();
					Optional<String> targetModule = moduleOf(targetPackage);
					boolean intoAnotherModulesInternals = targetModule.isPresent()
							&& !targetModule.equals(ownModule)
							&& !targetPackage.equals(ROOT + "." + targetModule.get());
					if (intoAnotherModulesInternals) {
						events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
					}
				}
			}
		};
	}

	private static DescribedPredicate<JavaClass> registeredAutoConfiguration() {
		Set<String> registered = ImportCandidates.load(AutoConfiguration.class, ArchitectureTests.class.getClassLoader())
				.getCandidates().stream()
				.filter(name -> name.startsWith(ROOT + "."))
				.collect(Collectors.toSet());
		return DescribedPredicate.describe("registered in AutoConfiguration.imports " + registered,
				type -> registered.contains(type.getName()));
	}

	private static Optional<ApplicationModule> packageInfoAnnotation(String packageName) {
		try {
			return Optional.ofNullable(Class.forName(packageName + ".package-info").getAnnotation(ApplicationModule.class));
		}
		catch (ClassNotFoundException noPackageInfo) {
			return Optional.empty();
		}
	}

	// Money names. Long, unambiguous words match anywhere in a name, in any case (subtotal, totalPrice, AMOUNT);
	// the short ones only as a whole word, so capacity, escape, feed or coffee stay legal as doubles.
	private static final Pattern MONEY_SUBSTRING = Pattern.compile("(?i).*(price|amount|total|money|balance).*");
	private static final Set<String> MONEY_WORDS = Set.of("cap", "caps", "fee", "fees", "cost", "costs");
	private static final Pattern WORD_BOUNDARY = Pattern.compile("_|\\$|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])");

	static boolean looksLikeMoney(String name) {
		return MONEY_SUBSTRING.matcher(name).matches() || Arrays.stream(WORD_BOUNDARY.split(name))
				.map(word -> word.toLowerCase(Locale.ROOT))
				.anyMatch(MONEY_WORDS::contains);
	}

	private static <T extends HasName> DescribedPredicate<T> haveAMoneyLikeName() {
		return DescribedPredicate.describe("have a money-like name", element -> looksLikeMoney(element.getName()));
	}

	private static final Set<String> FLOATING_POINT = Set.of("double", "float", "java.lang.Double", "java.lang.Float");

	/** double, Double[], List<Double>, Optional<Float>, Map<String, Double>: any floating point in the type. */
	private static boolean involvesFloatingPoint(JavaType type) {
		return type.getAllInvolvedRawTypes().stream()
				.map(JavaClass::getBaseComponentType)
				.anyMatch(raw -> FLOATING_POINT.contains(raw.getName()));
	}

	private static boolean involvesFloatingPoint(Type type) {
		if (type instanceof Class<?> raw) {
			return raw.isArray() ? involvesFloatingPoint(raw.getComponentType()) : FLOATING_POINT.contains(raw.getName());
		}
		if (type instanceof ParameterizedType parameterized) {
			return Stream.of(parameterized.getActualTypeArguments()).anyMatch(ArchitectureTests::involvesFloatingPoint);
		}
		if (type instanceof GenericArrayType array) {
			return involvesFloatingPoint(array.getGenericComponentType());
		}
		if (type instanceof WildcardType wildcard) {
			return Stream.of(wildcard.getUpperBounds()).anyMatch(ArchitectureTests::involvesFloatingPoint);
		}
		return false;
	}

	private static ArchCondition<JavaField> haveAFloatingPointType() {
		return new ArchCondition<>("have a floating-point type") {
			@Override
			public void check(JavaField field, ConditionEvents events) {
				events.add(new SimpleConditionEvent(field, involvesFloatingPoint(field.getType()), "Field "
						+ field.getFullName() + " is money as " + field.getType().getName() + " in "
						+ field.getSourceCodeLocation()));
			}
		};
	}

	private static ArchCondition<JavaMethod> returnAFloatingPointType() {
		return new ArchCondition<>("return a floating-point type") {
			@Override
			public void check(JavaMethod method, ConditionEvents events) {
				events.add(new SimpleConditionEvent(method, involvesFloatingPoint(method.getReturnType()), "Method "
						+ method.getFullName() + " returns money as " + method.getReturnType().getName() + " in "
						+ method.getSourceCodeLocation()));
			}
		};
	}

	/**
	 * Parameter names are not in ArchUnit's model, so they come from reflection; they exist because the parent POM
	 * compiles with {@code -parameters} (Spring needs them too). A floating-point parameter whose name the compiler
	 * dropped is reported rather than passed, so that losing {@code -parameters} cannot blind this rule.
	 */
	private static ArchCondition<JavaCodeUnit> notTakeMoneyAsFloatingPoint() {
		return new ArchCondition<>("not take a money-like parameter as a floating-point type") {
			@Override
			public void check(JavaCodeUnit codeUnit, ConditionEvents events) {
				// Lambda bodies and bridges are compiler-made and may lack parameter names; lambdas stay unchecked.
				if (codeUnit.getModifiers().contains(JavaModifier.SYNTHETIC) || codeUnit instanceof JavaStaticInitializer) {
					return;
				}
				for (Parameter parameter : ((Executable) codeUnit.reflect()).getParameters()) {
					if (parameter.isSynthetic() || parameter.isImplicit()
							|| !involvesFloatingPoint(parameter.getParameterizedType())) {
						continue;
					}
					if (!parameter.isNamePresent()) {
						events.add(SimpleConditionEvent.violated(codeUnit, codeUnit.getFullName()
								+ " has a floating-point parameter whose name was not compiled in (-parameters)"));
					}
					else if (looksLikeMoney(parameter.getName())) {
						events.add(SimpleConditionEvent.violated(codeUnit, "Parameter '" + parameter.getName() + "' of "
								+ codeUnit.getFullName() + " is money as " + parameter.getParameterizedType().getTypeName()
								+ " in " + codeUnit.getSourceCodeLocation()));
					}
				}
			}
		};
	}
}
