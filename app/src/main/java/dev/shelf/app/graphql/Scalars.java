package dev.shelf.app.graphql;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.IntValue;
import graphql.language.FloatValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;

/**
 * The custom scalars of Shelf's schema, following Shopify's Admin API: {@code Decimal} and {@code UnsignedInt64}
 * travel as JSON strings so no JavaScript client rounds money or 64-bit ids through a double. Written here because
 * graphql-java-extended-scalars serializes its BigDecimal and Long scalars as JSON numbers, the very thing to avoid.
 */
final class Scalars {

	static final GraphQLScalarType DATE_TIME = GraphQLScalarType.newScalar()
			.name("DateTime")
			.description("An ISO-8601 date and time in UTC, e.g. `2026-11-21T10:15:30Z`.")
			.coercing(new StringCoercing<>("DateTime", Scalars::parseDateTime, Scalars::formatDateTime))
			.build();

	static final GraphQLScalarType DECIMAL = GraphQLScalarType.newScalar()
			.name("Decimal")
			.description("A decimal number as a string, exact to the last digit, e.g. `\"29.99\"`.")
			.coercing(new StringCoercing<>("Decimal", BigDecimal::new, Scalars::formatDecimal))
			.build();

	static final GraphQLScalarType UNSIGNED_INT_64 = GraphQLScalarType.newScalar()
			.name("UnsignedInt64")
			.description("A non-negative 64-bit integer as a string, e.g. `\"9007199254740993\"`; JavaScript numbers "
					+ "are exact only up to 2^53.")
			.coercing(new StringCoercing<>("UnsignedInt64", Scalars::parseUnsignedInt64, Scalars::formatUnsignedInt64))
			.build();

	private Scalars() {
	}

	private static Instant parseDateTime(String text) {
		return OffsetDateTime.parse(text).toInstant();
	}

	private static String formatDateTime(Object value) {
		Instant instant = value instanceof Instant i ? i
				: value instanceof OffsetDateTime o ? o.toInstant()
				: value instanceof ZonedDateTime z ? z.toInstant() : null;
		if (instant == null) {
			throw new IllegalArgumentException("not a point in time: " + value.getClass().getName());
		}
		return DateTimeFormatter.ISO_INSTANT.format(instant);
	}

	private static String formatDecimal(Object value) {
		if (value instanceof BigDecimal decimal) {
			return decimal.toPlainString();
		}
		if (value instanceof Integer || value instanceof Long) {
			return value.toString();
		}
		// Doubles are refused on purpose: by the time money is a double it is already wrong.
		throw new IllegalArgumentException("Decimal is served from BigDecimal, Integer or Long, not "
				+ value.getClass().getName());
	}

	private static Long parseUnsignedInt64(String text) {
		if (!text.matches("0|[1-9][0-9]{0,18}")) {
			throw new IllegalArgumentException("expected digits only");
		}
		return Long.valueOf(text); // beyond Long.MAX_VALUE: NumberFormatException, reported as invalid input
	}

	private static String formatUnsignedInt64(Object value) {
		if ((value instanceof Long || value instanceof Integer) && ((Number) value).longValue() >= 0) {
			return value.toString();
		}
		throw new IllegalArgumentException("UnsignedInt64 is served from a non-negative Long, got " + value);
	}

	/**
	 * A scalar that is a string on the wire. Inputs are accepted as strings; numeric literals in a document are
	 * accepted too since graphql-java keeps them exact. Numbers in JSON variables are refused: the JSON parser may
	 * already have rounded them.
	 */
	private record StringCoercing<T>(String name, Function<String, T> parse, Function<Object, String> format)
			implements Coercing<T, String> {

		@Override
		public String serialize(Object value, GraphQLContext context, Locale locale) {
			try {
				return format.apply(value);
			}
			catch (RuntimeException e) {
				throw new CoercingSerializeException("Cannot serialize " + name + ": " + e.getMessage(), e);
			}
		}

		@Override
		public T parseValue(Object input, GraphQLContext context, Locale locale) {
			if (!(input instanceof String text)) {
				throw new CoercingParseValueException(name + " must be sent as a string, got " + input);
			}
			return parse(text, CoercingParseValueException::new);
		}

		@Override
		public T parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
			String text = input instanceof StringValue s ? s.getValue()
					: input instanceof IntValue i ? i.getValue().toString()
					: input instanceof FloatValue f ? f.getValue().toPlainString() : null;
			if (text == null) {
				throw new CoercingParseLiteralException(name + " must be a string literal, got " + input);
			}
			return parse(text, CoercingParseLiteralException::new);
		}

		@Override
		public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
			return StringValue.of(serialize(input, context, locale));
		}

		private <E extends RuntimeException> T parse(String text, java.util.function.BiFunction<String, Throwable, E> error) {
			try {
				return parse.apply(text);
			}
			catch (DateTimeParseException | IllegalArgumentException e) {
				throw error.apply("Invalid " + name + " '" + text + "': " + e.getMessage(), e);
			}
		}
	}
}
