package dev.shelf.app.graphql;

import dev.shelf.support.SchemaInspection;
import dev.shelf.support.ShelfApplicationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.SchemaReport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every field of the schema every module contributes has a resolver (controller method or a property of the
 * returned Java type), and every controller mapping matches the schema. A field nobody maps would silently answer
 * {@code null}; here it fails the build instead.
 */
@ShelfApplicationTest
class SchemaMappingTests {

	@Autowired
	SchemaInspection inspection;

	@Test
	void everySchemaFieldAndArgumentIsMapped() {
		SchemaReport report = inspection.report();

		assertThat(report).as("schema inspection ran").isNotNull();
		assertThat(report.unmappedFields()).as("fields without a resolver").isEmpty();
		assertThat(report.unmappedArguments()).as("controller arguments not in the schema").isEmpty();
		assertThat(report.unmappedRegistrations()).as("controller mappings not in the schema").isEmpty();
		assertThat(report.fieldNullnessErrors()).as("nullable Java values behind non-null fields").isEmpty();
		assertThat(report.skippedTypes()).as("types the inspection could not check").isEmpty();
	}
}
