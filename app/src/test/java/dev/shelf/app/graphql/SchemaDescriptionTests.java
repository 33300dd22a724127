package dev.shelf.app.graphql;

import java.util.ArrayList;
import java.util.List;

import dev.shelf.support.ShelfApplicationTest;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLSchema;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.GraphQlSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every type, field, argument, input field and enum value the frontend can see is described (DESIGN.md §3): the
 * schema is the frontend team's documentation, read in GraphiQL and in generated client code.
 */
@ShelfApplicationTest
class SchemaDescriptionTests {

	@Autowired
	GraphQlSource graphQlSource;

	@Test
	void everythingInTheSchemaHasADescription() {
		GraphQLSchema schema = graphQlSource.schema();
		List<String> undescribed = new ArrayList<>();
		for (GraphQLNamedType type : schema.getAllTypesAsList()) {
			if (type.getName().startsWith("__") || isBuiltInScalar(type.getName())) {
				continue;
			}
			check(undescribed, type.getName(), type.getDescription());
			if (type instanceof GraphQLFieldsContainer container) {
				container.getFieldDefinitions().forEach(field -> {
					check(undescribed, type.getName() + "." + field.getName(), field.getDescription());
					field.getArguments().forEach(argument -> check(undescribed,
							type.getName() + "." + field.getName() + "(" + argument.getName() + ")", argument.getDescription()));
				});
			}
			if (type instanceof GraphQLInputObjectType input) {
				input.getFieldDefinitions().forEach(field ->
						check(undescribed, type.getName() + "." + field.getName(), field.getDescription()));
			}
			if (type instanceof GraphQLEnumType enumType) {
				enumType.getValues().forEach(value ->
						check(undescribed, type.getName() + "." + value.getName(), value.getDescription()));
			}
		}
		assertThat(undescribed).as("schema elements without a description").isEmpty();
	}

	private static void check(List<String> undescribed, String element, String description) {
		if (description == null || description.isBlank()) {
			undescribed.add(element);
		}
	}

	private static boolean isBuiltInScalar(String name) {
		return List.of("String", "Int", "Float", "Boolean", "ID").contains(name);
	}
}
