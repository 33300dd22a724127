package dev.shelf.app.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.shelf.catalog.Catalog;
import dev.shelf.catalog.ShopifyProductData;
import dev.shelf.catalog.Shops;
import dev.shelf.support.GraphQlHttp;
import dev.shelf.support.ShelfApplicationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static dev.shelf.support.SessionTokens.forShop;
import static dev.shelf.support.SessionTokens.uniqueShop;
import static org.assertj.core.api.Assertions.assertThat;

/** The catalog as the frontend uses it: over HTTP, with a session token, through the GraphQL schema. */
@ShelfApplicationTest
class CatalogGraphQlTests {

	private static final String PRODUCT_FIELDS = """
			id legacyResourceId kind title descriptionHtml handle vendor productType status tags version
			merchantEditedFields createdAt updatedAt
			variants(first: 10) { nodes { id title sku price { amount currencyCode } compareAtPrice { amount }
			                              inventoryQuantity position shopifyVariantId } }
			priceRange { minVariantPrice { amount } maxVariantPrice { amount } }
			shopifyProduct { id shopifyId title personalization { title description } }
			""";

	@LocalServerPort
	int port;

	@Autowired
	Catalog catalog;

	@Autowired
	Shops shops;

	GraphQlHttp http;
	String shop;
	String token;

	@BeforeEach
	void setUp() {
		http = new GraphQlHttp(port);
		shop = uniqueShop("catalog");
		token = forShop(shop).token();
	}

	@Test
	void aCustomProductRoundTripsThroughCreateReadUpdateAndDelete() {
		JsonNode created = mutate("productCreate", """
				mutation { productCreate(input: {title: "Blue T-Shirt", vendor: "Acme", tags: ["summer"],
				  variants: [{price: "19.99", sku: "TS-S"}, {title: "XL", price: "21.50", compareAtPrice: "25"}]}) {
				  product { %s } userErrors { field message code } } }""".formatted(PRODUCT_FIELDS));
		JsonNode product = created.path("product");
		String id = product.path("id").asString();

		assertThat(created.path("userErrors").isEmpty()).isTrue();
		assertThat(id).startsWith("gid://shelf/Product/");
		assertThat(product.path("legacyResourceId").asString()).isEqualTo(id.substring(id.lastIndexOf('/') + 1));
		assertThat(product.path("kind").asString()).isEqualTo("CUSTOM");
		assertThat(product.path("handle").asString()).isEqualTo("blue-t-shirt");
		assertThat(product.path("status").asString()).isEqualTo("ACTIVE");
		assertThat(product.path("variants").path("nodes").size()).isEqualTo(2);
		assertThat(product.path("variants").path("nodes").path(0).path("price").path("amount").asString())
				.as("Decimal travels as an exact string").isEqualTo("19.9900");
		assertThat(product.path("priceRange").path("maxVariantPrice").path("amount").asString()).isEqualTo("21.5000");
		assertThat(product.path("shopifyProduct").isNull()).isTrue();

		JsonNode read = query("query($id: ID!) { product(id: $id) { title } node(id: $id) { ... on Product { handle } } }",
				Map.of("id", id));
		assertThat(read.path("product").path("title").asString()).isEqualTo("Blue T-Shirt");
		assertThat(read.path("node").path("handle").asString()).isEqualTo("blue-t-shirt");

		JsonNode updated = mutate("productUpdate", """
				mutation($id: ID!) { productUpdate(id: $id, version: "0", input: {title: "Navy T-Shirt"}) {
				  product { title version } userErrors { code } } }""", Map.of("id", id));
		assertThat(updated.path("product").path("title").asString()).isEqualTo("Navy T-Shirt");
		assertThat(updated.path("product").path("version").asString()).isEqualTo("1");

		JsonNode deleted = mutate("productDelete", """
				mutation($id: ID!) { productDelete(id: $id) { deletedProductId userErrors { code } } }""", Map.of("id", id));
		assertThat(deleted.path("deletedProductId").asString()).isEqualTo(id);
		assertThat(query("query($id: ID!) { product(id: $id) { id } }", Map.of("id", id)).path("product").isNull()).isTrue();
	}

	@Test
	void anEditBasedOnAnOldVersionIsRefusedWithConflictAndChangesNothing() {
		String id = createProduct("Lamp");
		mutate("productUpdate", "mutation($id: ID!) { productUpdate(id: $id, input: {title: \"Desk Lamp\"}) { userErrors { code } } }",
				Map.of("id", id));

		JsonNode stale = mutate("productUpdate", """
				mutation($id: ID!) { productUpdate(id: $id, version: "0", input: {title: "Floor Lamp"}) {
				  product { id } userErrors { field code message } } }""", Map.of("id", id));

		assertThat(stale.path("product").isNull()).isTrue();
		assertThat(stale.path("userErrors").path(0).path("code").asString()).isEqualTo("CONFLICT");
		assertThat(query("query($id: ID!) { product(id: $id) { title } }", Map.of("id", id)).path("product").path("title")
				.asString()).isEqualTo("Desk Lamp");
	}

	@Test
	void invalidInputIsReportedAsUserErrorsWithFieldPaths() {
		JsonNode refused = mutate("productCreate", """
				mutation { productCreate(input: {title: " ", handle: "Not A Handle",
				  variants: [{price: "-1"}], bundleComponents: [{productId: "42", quantity: 1}]}) {
				  product { id } userErrors { field code } } }""");

		assertThat(refused.path("product").isNull()).isTrue();
		assertThat(refused.path("userErrors").valueStream().map(e -> e.path("code").asString() + " " + e.path("field")))
				.containsExactlyInAnyOrder("INVALID [\"input\",\"bundleComponents\",\"0\",\"productId\"]");
		JsonNode secondTry = mutate("productCreate", """
				mutation { productCreate(input: {title: " ", handle: "Not A Handle", variants: [{price: "-1"}]}) {
				  product { id } userErrors { field code } } }""");
		assertThat(secondTry.path("userErrors").valueStream().map(e -> e.path("code").asString() + " " + e.path("field")))
				.containsExactlyInAnyOrder("BLANK [\"input\",\"title\"]", "INVALID [\"input\",\"handle\"]",
						"INVALID [\"input\",\"variants\",\"0\",\"price\"]");
		assertThat(query("{ products(first: 5) { nodes { id } } }").path("products").path("nodes").isEmpty()).isTrue();
	}

	@Test
	void aMerchantsTitleEditOfAShopifyProductSurvivesTheNextShopifyUpdate() {
		long shopifyId = 9_007_199_254_740_993L; // beyond JavaScript's exact integers
		applyShopifyProduct(shopifyId, "Shopify Title", "Shopify vendor", Instant.parse("2026-11-01T10:00:00Z"));
		String id = query("{ products(first: 1, query: \"kind:SHOPIFY\") { nodes { id } } }")
				.path("products").path("nodes").path(0).path("id").asString();

		mutate("productUpdate", "mutation($id: ID!) { productUpdate(id: $id, input: {title: \"Merchant Title\"}) { userErrors { code } } }",
				Map.of("id", id));
		applyShopifyProduct(shopifyId, "Shopify Title v2", "Shopify vendor v2", Instant.parse("2026-11-02T10:00:00Z"));

		JsonNode product = query("query($id: ID!) { product(id: $id) { %s } }".formatted(PRODUCT_FIELDS), Map.of("id", id))
				.path("product");
		assertThat(product.path("title").asString()).isEqualTo("Merchant Title");
		assertThat(product.path("vendor").asString()).as("fields the merchant did not edit follow Shopify")
				.isEqualTo("Shopify vendor v2");
		assertThat(product.path("merchantEditedFields").valueStream().map(JsonNode::asString)).containsExactly("TITLE");
		assertThat(product.path("shopifyProduct").path("shopifyId").asString()).isEqualTo("9007199254740993");
		assertThat(product.path("shopifyProduct").path("title").asString()).isEqualTo("Shopify Title v2");
		assertThat(product.path("shopifyProduct").path("personalization").path("title").asString())
				.as("the deprecated legacy field reads the new model").isEqualTo("Merchant Title");
		assertThat(product.path("shopifyProduct").path("personalization").path("description").isNull()).isTrue();
		assertThat(product.path("variants").path("nodes").path(0).path("shopifyVariantId").asString())
				.isEqualTo(Long.toString(shopifyId + 1));
	}

	@Test
	void theDeprecatedShopifyProductsListStillServesTheFrontend() {
		applyShopifyProduct(101, "First", "v", Instant.parse("2026-11-01T10:00:00Z"));
		applyShopifyProduct(102, "Second", "v", Instant.parse("2026-11-01T10:00:00Z"));

		JsonNode page1 = query("{ shopifyProducts(first: 1) { nodes { shopifyId product { title } } pageInfo { hasNextPage endCursor } } }")
				.path("shopifyProducts");
		JsonNode page2 = query("query($after: String) { shopifyProducts(first: 1, after: $after) { nodes { shopifyId } pageInfo { hasNextPage } } }",
				Map.of("after", page1.path("pageInfo").path("endCursor").asString())).path("shopifyProducts");

		assertThat(page1.path("nodes").path(0).path("shopifyId").asString()).isEqualTo("101");
		assertThat(page1.path("nodes").path(0).path("product").path("title").asString()).isEqualTo("First");
		assertThat(page1.path("pageInfo").path("hasNextPage").asBoolean()).isTrue();
		assertThat(page2.path("nodes").path(0).path("shopifyId").asString()).isEqualTo("102");
		assertThat(page2.path("pageInfo").path("hasNextPage").asBoolean()).isFalse();
	}

	@Test
	void aShopifyProductCannotBeDeletedOnlyArchived() {
		applyShopifyProduct(555, "Mirrored", "v", Instant.parse("2026-11-01T10:00:00Z"));
		String id = query("{ products(first: 1) { nodes { id } } }").path("products").path("nodes").path(0).path("id").asString();

		JsonNode refused = mutate("productDelete", "mutation($id: ID!) { productDelete(id: $id) { deletedProductId userErrors { code } } }",
				Map.of("id", id));
		JsonNode archived = mutate("productArchive", "mutation($id: ID!) { productArchive(id: $id) { product { status } userErrors { code } } }",
				Map.of("id", id));

		assertThat(refused.path("deletedProductId").isNull()).isTrue();
		assertThat(refused.path("userErrors").path(0).path("code").asString()).isEqualTo("SHOPIFY_PRODUCT_NOT_EDITABLE_THIS_WAY");
		assertThat(archived.path("product").path("status").asString()).isEqualTo("ARCHIVED");
	}

	@Test
	void anotherShopsProductIsInvisibleAndUntouchable() {
		String id = createProduct("Alice's secret product");
		String bobToken = forShop(uniqueShop("bob")).token();

		var asBob = http.query(bobToken, """
				query($id: ID!) { product(id: $id) { id } node(id: $id) { id } nodes(ids: [$id]) { id }
				                  products(first: 10) { nodes { id } } }""", Map.of("id", id), Map.of());
		var bobUpdates = http.query(bobToken, """
				mutation($id: ID!) { productUpdate(id: $id, input: {title: "pwned"}) { product { id } userErrors { code } } }""",
				Map.of("id", id), Map.of());
		var bobDeletes = http.query(bobToken, """
				mutation($id: ID!) { productDelete(id: $id) { deletedProductId userErrors { code } } }""",
				Map.of("id", id), Map.of());

		assertThat(asBob.data().path("product").isNull()).isTrue();
		assertThat(asBob.data().path("node").isNull()).isTrue();
		assertThat(asBob.data().path("nodes").path(0).isNull()).isTrue();
		assertThat(asBob.data().path("products").path("nodes").isEmpty()).isTrue();
		assertThat(bobUpdates.data().path("productUpdate").path("userErrors").path(0).path("code").asString()).isEqualTo("NOT_FOUND");
		assertThat(bobDeletes.data().path("productDelete").path("userErrors").path(0).path("code").asString()).isEqualTo("NOT_FOUND");
		assertThat(query("query($id: ID!) { product(id: $id) { title } }", Map.of("id", id)).path("product").path("title")
				.asString()).isEqualTo("Alice's secret product");
	}

	@Test
	void pagesMoveForwardAndBackwardWithOpaqueCursors() {
		for (String title : List.of("Cherry", "apple", "Banana", "Date", "Elderberry")) {
			createProduct(title);
		}

		JsonNode first = query("{ products(first: 2, sortKey: TITLE) { nodes { title } pageInfo { hasNextPage hasPreviousPage endCursor } } }")
				.path("products");
		JsonNode second = query("query($after: String) { products(first: 2, sortKey: TITLE, after: $after) { nodes { title } pageInfo { hasNextPage hasPreviousPage startCursor } } }",
				Map.of("after", first.path("pageInfo").path("endCursor").asString())).path("products");
		JsonNode back = query("query($before: String) { products(last: 5, sortKey: TITLE, before: $before) { nodes { title } pageInfo { hasNextPage hasPreviousPage } } }",
				Map.of("before", second.path("pageInfo").path("startCursor").asString())).path("products");

		List<String> all = titles(query("{ products(first: 10, sortKey: TITLE) { nodes { title } } }").path("products"));
		assertThat(titles(first)).isEqualTo(all.subList(0, 2));
		assertThat(titles(second)).isEqualTo(all.subList(2, 4));
		assertThat(second.path("pageInfo").path("hasPreviousPage").asBoolean()).isTrue();
		assertThat(second.path("pageInfo").path("hasNextPage").asBoolean()).isTrue();
		assertThat(titles(back)).isEqualTo(all.subList(0, 2));
		assertThat(back.path("pageInfo").path("hasPreviousPage").asBoolean()).isFalse();
		assertThat(back.path("pageInfo").path("hasNextPage").asBoolean()).isTrue();
		assertThat(titles(query("{ products(first: 10, sortKey: TITLE, reverse: true) { nodes { title } } }").path("products")))
				.isEqualTo(reversed(all));
	}

	@Test
	void impossiblePageArgumentsAreBadUserInput() {
		createProduct("Anything");
		String cursor = query("{ products(first: 1) { pageInfo { endCursor } } }").path("products").path("pageInfo")
				.path("endCursor").asString();

		for (String document : List.of("{ products(first: 1, last: 1) { nodes { id } } }",
				"{ products { nodes { id } } }",
				"{ products(first: 251) { nodes { id } } }",
				"{ products(first: 5, after: \"bm90IGEgY3Vyc29y\") { nodes { id } } }",
				"{ products(first: 5, sortKey: TITLE, after: \"" + cursor + "\") { nodes { id } } }",
				"{ products(first: 5, query: \"color:red\") { nodes { id } } }",
				"{ products(first: 5, query: \"status:sold\") { nodes { id } } }",
				"{ product(id: \"gid://shelf/Shop/1\") { id } }")) {
			var response = http.query(token, document);
			assertThat(response.firstErrorCode()).as(document).isEqualTo("BAD_USER_INPUT");
		}
	}

	@Test
	void variantsPageForwardWithCursorsAndRefuseImpossibleArguments() {
		String id = mutate("productCreate", """
				mutation { productCreate(input: {title: "Socks", variants: [{title: "S", price: "5"}, {title: "M", price: "6"},
				  {title: "L", price: "7"}]}) { product { id } userErrors { code } } }""").path("product").path("id").asString();
		String page = "query($id: ID!, $first: Int, $after: String) { product(id: $id) { variants(first: $first, after: $after) {"
				+ " edges { cursor node { title } } nodes { id title } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }";

		JsonNode first = query(page, Map.of("id", id, "first", 2)).path("product").path("variants");
		JsonNode rest = query(page, Map.of("id", id, "first", 2, "after", first.path("pageInfo").path("endCursor").asString()))
				.path("product").path("variants");
		JsonNode all = query("query($id: ID!) { product(id: $id) { variants { nodes { title } } } }", Map.of("id", id))
				.path("product").path("variants");

		assertThat(titles(first)).containsExactly("S", "M");
		assertThat(first.path("nodes").path(0).path("id").asString()).startsWith("gid://shelf/ProductVariant/");
		assertThat(first.path("pageInfo").path("hasNextPage").asBoolean()).isTrue();
		assertThat(first.path("pageInfo").path("hasPreviousPage").asBoolean()).isFalse();
		assertThat(first.path("pageInfo").path("startCursor").asString()).isEqualTo(first.path("edges").path(0).path("cursor").asString());
		assertThat(first.path("pageInfo").path("endCursor").asString()).isEqualTo(first.path("edges").path(1).path("cursor").asString());
		assertThat(titles(rest)).containsExactly("L");
		assertThat(rest.path("pageInfo").path("hasNextPage").asBoolean()).isFalse();
		assertThat(rest.path("pageInfo").path("hasPreviousPage").asBoolean()).isTrue();
		assertThat(titles(all)).as("first defaults to 250").containsExactly("S", "M", "L");
		for (Map<String, Object> variables : List.<Map<String, Object>>of(Map.of("id", id, "first", 251),
				Map.of("id", id, "first", -1), Map.of("id", id, "first", 2, "after", "bm90IGEgY3Vyc29y"))) {
			assertThat(http.query(token, page, variables, Map.of()).firstErrorCode()).as(variables.toString())
					.isEqualTo("BAD_USER_INPUT");
		}
	}

	private void applyShopifyProduct(long shopifyId, String title, String vendor, Instant updatedAt) {
		catalog.applyShopifyProduct(shops.registerOnFirstSight(shop).id(), new ShopifyProductData(shopifyId, title,
				"<p>" + title + "</p>", vendor, "Shirts", "shopify-" + shopifyId, "active", List.of("synced"), updatedAt,
				List.of(new ShopifyProductData.Variant(shopifyId + 1, "Default", "SKU-" + shopifyId, new BigDecimal("10.00"),
						null, 3, 1)),
				"{\"id\": " + shopifyId + "}"));
	}

	private String createProduct(String title) {
		return mutate("productCreate", "mutation($title: String!) { productCreate(input: {title: $title}) { product { id } userErrors { code } } }",
				Map.of("title", title)).path("product").path("id").asString();
	}

	private static List<String> reversed(List<String> list) {
		List<String> copy = new java.util.ArrayList<>(list);
		java.util.Collections.reverse(copy);
		return copy;
	}

	private static List<String> titles(JsonNode connection) {
		return connection.path("nodes").valueStream().map(node -> node.path("title").asString()).toList();
	}

	private JsonNode query(String document) {
		return query(document, Map.of());
	}

	private JsonNode query(String document, Map<String, Object> variables) {
		var response = http.query(token, document, variables, Map.of());
		assertThat(response.body().has("errors")).as("errors: %s", response.body().path("errors")).isFalse();
		return response.data();
	}

	private JsonNode mutate(String field, String document) {
		return mutate(field, document, Map.of());
	}

	private JsonNode mutate(String field, String document, Map<String, Object> variables) {
		return query(document, variables).path(field);
	}
}
