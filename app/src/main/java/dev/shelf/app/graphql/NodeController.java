package dev.shelf.app.graphql;

import java.util.List;
import java.util.Map;

import dev.shelf.billing.Billing;
import dev.shelf.catalog.BadUserInputException;
import dev.shelf.catalog.Catalog;
import dev.shelf.catalog.GlobalId;
import dev.shelf.catalog.Product;
import dev.shelf.catalog.ShopId;
import dev.shelf.catalog.Shops;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

/**
 * {@code Query.node} and {@code Query.nodes}: any object by its global id, within the current shop only. An id
 * of another shop's object answers {@code null}, exactly like an id that does not exist, so ids leak nothing.
 * The GraphQL type of the answer follows the Java class name ({@code Product} → {@code Product}).
 */
@Controller
class NodeController {

	static final int MAX_IDS = 250;

	private final Shops shops;
	private final Catalog catalog;
	private final Billing billing;

	NodeController(Shops shops, Catalog catalog, Billing billing) {
		this.shops = shops;
		this.catalog = catalog;
		this.billing = billing;
	}

	@QueryMapping
	Object node(@Argument String id, ShopId shop) {
		return find(parse(id), shop);
	}

	/** Products, the common case, are read in one statement; other types one by one. */
	@QueryMapping
	List<Object> nodes(@Argument List<String> ids, ShopId shop) {
		if (ids.size() > MAX_IDS) {
			throw new BadUserInputException("At most " + MAX_IDS + " ids per request, got " + ids.size());
		}
		List<GlobalId> globalIds = ids.stream().map(NodeController::parse).toList();
		Map<Long, Product> products = catalog.findProducts(shop, globalIds.stream()
				.filter(id -> id.type().equals("Product")).map(GlobalId::id).toList());
		return globalIds.stream()
				.map(id -> id.type().equals("Product") ? products.get(id.id()) : find(id, shop))
				.toList();
	}

	private Object find(GlobalId globalId, ShopId shop) {
		return switch (globalId.type()) {
			case "Shop" -> globalId.id() == shop.value() ? shops.find(shop).orElse(null) : null;
			case "Product" -> catalog.findProduct(shop, globalId.id()).orElse(null);
			case "ProductVariant" -> catalog.findVariant(shop, globalId.id()).orElse(null);
			case "ShopifyProduct" -> catalog.findShopifyProduct(shop, globalId.id()).orElse(null);
			case "UsageCharge" -> billing.findCharge(shop, globalId.id()).orElse(null);
			case "AppSubscription" -> billing.findSubscription(shop, globalId.id()).orElse(null);
			default -> null;
		};
	}

	private static GlobalId parse(String id) {
		return GlobalId.parse(id).orElseThrow(() -> new BadUserInputException(
				"Invalid global id '" + id + "': expected gid://shelf/<Type>/<number>"));
	}
}
