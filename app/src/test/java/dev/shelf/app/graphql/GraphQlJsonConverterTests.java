package dev.shelf.app.graphql;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.shelf.support.ShelfApplicationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ResolvableType;
import org.springframework.http.MediaType;
import org.springframework.mock.http.MockHttpOutputMessage;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The response writer of /graphql writes exactly what the application's JsonMapper writes. */
@ShelfApplicationTest
class GraphQlJsonConverterTests {

	@Autowired
	JsonMapper json;

	@Test
	void aResponseTreeIsWrittenByteForByteAsTheMapperWritesIt() throws Exception {
		Map<String, Object> product = new LinkedHashMap<>();
		product.put("id", "gid://shelf/Product/9007199254740993");
		product.put("title", "Crème brûlée \"deluxe\" \\ ✓ 😀 \n\t\u0001 </script>");
		product.put("description", null);
		product.put("inventory", 42);
		product.put("available", true);
		product.put("tags", List.of("a", "b"));
		product.put("variants", Map.of("nodes", new ArrayList<>(Arrays.asList(Map.of("price", Map.of("amount", "19.9900")), null))));
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("products", Map.of("nodes", List.of(product, product), "pageInfo", Map.of("hasNextPage", false)));
		Map<Object, Object> extensions = new LinkedHashMap<>();
		extensions.put("cost", Map.of("requestedQueryCost", 1152L, "currentlyAvailable", 998.5, "exact", new BigDecimal("0.10")));
		extensions.put(7, "a key that is not a string");
		extensions.put("when", Instant.parse("2026-11-22T01:02:03Z"));
		Map<String, Object> response = new LinkedHashMap<>();
		response.put("errors", List.of(Map.of("message", "Boom", "locations", List.of(Map.of("line", 1, "column", 3)),
				"path", List.of("products", 0, "title"), "extensions", Map.of("code", "INTERNAL_ERROR"))));
		response.put("data", data);
		response.put("extensions", extensions);

		MockHttpOutputMessage output = new MockHttpOutputMessage();
		output.getHeaders().setContentType(MediaType.parseMediaType("application/graphql-response+json"));
		new GraphQlJsonConverter(json).write(response, ResolvableType.forClass(Map.class),
				MediaType.parseMediaType("application/graphql-response+json"), output, null);

		assertThat(output.getBodyAsString(StandardCharsets.UTF_8)).isEqualTo(json.writeValueAsString(response));
	}
}
