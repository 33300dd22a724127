package dev.shelf.app.graphql;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.FloatValue;
import graphql.language.StringValue;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Money and 64-bit ids reach JavaScript clients as exact strings; nothing passes through a double. */
class ScalarsTests {

	private final GraphQLContext context = GraphQLContext.getDefault();

	@Test
	void decimalsSerializeAsExactPlainStrings() {
		assertThat(serialize(Scalars.DECIMAL, new BigDecimal("19.9900"))).isEqualTo("19.9900");
		assertThat(serialize(Scalars.DECIMAL, new BigDecimal("1E+3"))).isEqualTo("1000");
		assertThat(serialize(Scalars.DECIMAL, new BigDecimal("0.1000000000000000055511151231257827")))
				.isEqualTo("0.1000000000000000055511151231257827");
	}

	@Test
	void aDoubleIsNeverServedAsADecimal() {
		assertThatThrownBy(() -> serialize(Scalars.DECIMAL, 0.1d)).isInstanceOf(CoercingSerializeException.class);
	}

	@Test
	void decimalInputsAreStringsOrExactLiterals() {
		assertThat(parseValue(Scalars.DECIMAL, "12.30")).isEqualTo(new BigDecimal("12.30"));
		assertThat(coercing(Scalars.DECIMAL).parseLiteral(new FloatValue(new BigDecimal("0.30")),
				CoercedVariables.emptyVariables(), context, Locale.ROOT)).isEqualTo(new BigDecimal("0.30"));
		assertThatThrownBy(() -> parseValue(Scalars.DECIMAL, 0.3d)).isInstanceOf(CoercingParseValueException.class)
				.hasMessageContaining("must be sent as a string");
		assertThatThrownBy(() -> parseValue(Scalars.DECIMAL, "12,30")).isInstanceOf(CoercingParseValueException.class);
	}

	@Test
	void unsignedInt64KeepsEveryDigitBeyondJavaScriptsSafeIntegers() {
		long beyondSafeInteger = 9_007_199_254_740_993L; // 2^53 + 1: a JavaScript number would read ...992

		assertThat(serialize(Scalars.UNSIGNED_INT_64, beyondSafeInteger)).isEqualTo("9007199254740993");
		assertThat(parseValue(Scalars.UNSIGNED_INT_64, "9007199254740993")).isEqualTo(beyondSafeInteger);
		assertThat(coercing(Scalars.UNSIGNED_INT_64).parseLiteral(StringValue.of("9223372036854775807"),
				CoercedVariables.emptyVariables(), context, Locale.ROOT)).isEqualTo(Long.MAX_VALUE);
	}

	@Test
	void unsignedInt64RefusesWhatItCannotHoldExactly() {
		assertThatThrownBy(() -> parseValue(Scalars.UNSIGNED_INT_64, "9223372036854775808"))
				.isInstanceOf(CoercingParseValueException.class);
		assertThatThrownBy(() -> parseValue(Scalars.UNSIGNED_INT_64, "-1")).isInstanceOf(CoercingParseValueException.class);
		assertThatThrownBy(() -> parseValue(Scalars.UNSIGNED_INT_64, 42)).isInstanceOf(CoercingParseValueException.class);
		assertThatThrownBy(() -> serialize(Scalars.UNSIGNED_INT_64, -5L)).isInstanceOf(CoercingSerializeException.class);
	}

	@Test
	void dateTimesAreIsoInstantsInUtc() {
		assertThat(serialize(Scalars.DATE_TIME, Instant.parse("2026-11-21T10:15:30Z"))).isEqualTo("2026-11-21T10:15:30Z");
		assertThat(serialize(Scalars.DATE_TIME, OffsetDateTime.parse("2026-11-21T11:15:30+01:00")))
				.isEqualTo("2026-11-21T10:15:30Z");
		assertThat(parseValue(Scalars.DATE_TIME, "2026-11-21T11:15:30+01:00"))
				.isEqualTo(Instant.parse("2026-11-21T10:15:30Z"));
		assertThatThrownBy(() -> parseValue(Scalars.DATE_TIME, "2026-11-21 10:15"))
				.isInstanceOf(CoercingParseValueException.class);
	}

	@SuppressWarnings("unchecked")
	private static Coercing<Object, String> coercing(graphql.schema.GraphQLScalarType scalar) {
		return (Coercing<Object, String>) scalar.getCoercing();
	}

	private String serialize(graphql.schema.GraphQLScalarType scalar, Object value) {
		return coercing(scalar).serialize(value, context, Locale.ROOT);
	}

	private Object parseValue(graphql.schema.GraphQLScalarType scalar, Object input) {
		return coercing(scalar).parseValue(input, context, Locale.ROOT);
	}
}
