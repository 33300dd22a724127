package dev.shelf.app.graphql;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.springframework.core.ResolvableType;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.util.StreamUtils;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON converter of {@code /graphql}: reads requests as Spring MVC's converter does, and writes the response — a
 * tree of maps, lists, strings, integers, booleans and nulls, as graphql-java's {@code toSpecification()} makes it —
 * straight to Jackson's generator, leaving anything else to the mapper. Jackson's data binding looked up a serializer
 * for every value of every map of that tree: for a page of 50 products with variants (~1,000 values) about 5 % of the
 * JVM's CPU, half of what writing the response cost (BENCHMARKS.md §3). The bytes are the same.
 */
final class GraphQlJsonConverter extends JacksonJsonHttpMessageConverter {

	GraphQlJsonConverter(JsonMapper mapper) {
		super(mapper);
	}

	@Override
	protected void writeInternal(Object object, ResolvableType type, HttpOutputMessage output,
			Map<String, Object> hints) throws IOException {
		if (!(object instanceof Map<?, ?> response)) {
			super.writeInternal(object, type, output, hints);
			return;
		}
		try (JsonGenerator json = getMapper().createGenerator(StreamUtils.nonClosing(output.getBody()),
				getJsonEncoding(output.getHeaders().getContentType()))) {
			writePrefix(json, object);
			write(json, response);
			writeSuffix(json, object);
		}
	}

	void write(JsonGenerator json, Object value) {
		if (value == null) {
			json.writeNull();
		}
		else if (value instanceof String text) {
			json.writeString(text);
		}
		else if (value instanceof Map<?, ?> map && keysAreStrings(map)) {
			json.writeStartObject();
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				json.writeName((String) entry.getKey());
				write(json, entry.getValue());
			}
			json.writeEndObject();
		}
		else if (value instanceof List<?> list) {
			json.writeStartArray();
			for (Object item : list) {
				write(json, item);
			}
			json.writeEndArray();
		}
		else if (value instanceof Integer number) {
			json.writeNumber(number);
		}
		else if (value instanceof Long number) {
			json.writeNumber(number);
		}
		else if (value instanceof Boolean flag) {
			json.writeBoolean(flag);
		}
		else {
			getMapper().writeValue(json, value);
		}
	}

	private static boolean keysAreStrings(Map<?, ?> map) {
		for (Object key : map.keySet()) {
			if (!(key instanceof String)) {
				return false;
			}
		}
		return true;
	}
}
