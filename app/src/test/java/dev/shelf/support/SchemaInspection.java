package dev.shelf.support;

import java.util.concurrent.atomic.AtomicReference;

import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.graphql.execution.SchemaReport;

/** Keeps Spring for GraphQL's schema-mapping report of the test context, so a test can fail on what it finds. */
@TestConfiguration(proxyBeanMethods = false)
public class SchemaInspection {

	private final AtomicReference<SchemaReport> report = new AtomicReference<>();

	@Bean
	GraphQlSourceBuilderCustomizer captureSchemaReport() {
		return builder -> builder.inspectSchemaMappings(report::set);
	}

	public SchemaReport report() {
		return report.get();
	}
}
