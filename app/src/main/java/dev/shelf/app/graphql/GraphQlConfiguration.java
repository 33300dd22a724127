package dev.shelf.app.graphql;

import java.util.List;

import dev.shelf.billing.ApiThrottle;
import dev.shelf.catalog.BadUserInputException;
import graphql.GraphQLError;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.schema.DataFetchingEnvironment;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.webmvc.GraphQlHttpHandler;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class GraphQlConfiguration {

	@Bean
	RuntimeWiringConfigurer shelfScalars() {
		return wiring -> wiring.scalar(Scalars.DATE_TIME).scalar(Scalars.DECIMAL).scalar(Scalars.UNSIGNED_INT_64);
	}

	@Bean
	RuntimeWiringConfigurer operatorOnlyDirective() {
		return wiring -> wiring.directive(OperatorOnly.DIRECTIVE, new OperatorOnly());
	}

	@Bean
	WebGraphQlInterceptor operatorContextInterceptor() {
		return new OperatorOnly.OperatorContextInterceptor();
	}

	@Bean
	WebGraphQlInterceptor documentSizeLimit(RequestLimits limits) {
		return new RequestLimits.DocumentSizeLimit(limits.maxDocumentCharacters());
	}

	@Bean
	RequestLimits.DepthLimit depthLimit(RequestLimits limits) {
		return new RequestLimits.DepthLimit(limits.maxDepth());
	}

	@Bean
	GraphQlSourceBuilderCustomizer persistedQueries(PersistedQueries.Settings settings, JsonMapper json) {
		PreparsedDocumentProvider provider = PersistedQueries.provider(settings, json);
		return builder -> builder.configureGraphQl(graphQl -> graphQl.preparsedDocumentProvider(provider));
	}

	/**
	 * Replaces the {@code ChainedInstrumentation} of all instrumentation beans that Spring for GraphQL hands to
	 * graphql-java with {@link OperationChecks}: the same instrumentations, in the same order, without calling the
	 * operation-level ones on every field.
	 */
	@Bean
	GraphQlSourceBuilderCustomizer operationChecks(ObjectProvider<Instrumentation> instrumentations,
			RequestLimits.DepthLimit depthLimit, CostGuard.Admission costAdmission, DeprecatedUsageMetrics deprecatedUsage) {
		return builder -> builder.configureGraphQl(graphQl -> graphQl.instrumentation(OperationChecks.around(
				instrumentations.orderedStream().toList(), List.of(depthLimit, costAdmission, deprecatedUsage))));
	}

	@Bean
	GraphQlHttpHandler graphQlHttpHandler(WebGraphQlHandler handler) {
		return new GraphQlHttpStatus(handler);
	}

	@Bean
	CostGuard.Switch costGuardSwitch(CostGuard.Limits limits) {
		return new CostGuard.Switch(limits);
	}

	@Bean
	@ConditionalOnBooleanProperty("shelf.graphql.cost.switchable")
	CostGuard.SwitchEndpoint costGuardSwitchEndpoint(CostGuard.Switch guard) {
		return new CostGuard.SwitchEndpoint(guard);
	}

	@Bean
	CostGuard.Admission costAdmission(CostGuard.Limits limits, CostGuard.Switch guard, ApiThrottle throttle) {
		return new CostGuard.Admission(limits, guard, throttle);
	}

	@Bean
	WebGraphQlInterceptor costReport(CostGuard.Limits limits, ApiThrottle throttle) {
		return new CostGuard.Report(limits, throttle);
	}

	@Bean
	WebGraphQlInterceptor clientNameInterceptor() {
		return new ClientName.ClientNameInterceptor();
	}

	@Bean
	DeprecatedUsageMetrics deprecatedUsageMetrics(MeterRegistry registry) {
		return new DeprecatedUsageMetrics(registry);
	}

	/** The caller's mistakes are BAD_USER_INPUT errors, not internal ones. */
	@Bean
	DataFetcherExceptionResolverAdapter invalidInputResolver() {
		return new DataFetcherExceptionResolverAdapter() {
			@Override
			protected GraphQLError resolveToSingleError(Throwable failure, DataFetchingEnvironment environment) {
				if (failure instanceof BadUserInputException) {
					return GraphQLError.newError().errorType(ErrorType.BAD_REQUEST).message(failure.getMessage())
							.path(environment.getExecutionStepInfo().getPath())
							.location(environment.getField().getSourceLocation())
							.build();
				}
				return null;
			}
		};
	}
}
