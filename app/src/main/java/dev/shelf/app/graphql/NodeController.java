package dev.shelf.app.graphql;

import java.util.List;

import dev.shelf.catalog.GlobalId;
import dev.shelf.catalog.ShopId;
import dev.shelf.catalog.Shops;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

/**
 * {@code Query.node} and {@code Query.nodes}: any object by its global id, within the current shop only. An id
 * of another shop's object answers {@code null}, exactly like an id that does not exist, so ids leak nothing.
 */
@Controller
class NodeController {

	static final int MAX_IDS = 250;

	private final Shops shops;

	NodeController(Shops shops) {
		this.shops = shops;
	}

	@QueryMapping
	Object node(@Argument String id, ShopId shop) {
		GlobalId globalId = GlobalId.parse(id).orElseThrow(() -> new BadUserInputException(
				"Invalid global id '" + id + "': expected gid://shelf/<Type>/<number>"));
		return switch (globalId.type()) {
			case "Shop" -> globalId.id() == shop.value() ? shops.find(shop).orElse(null) : null;
			default -> null;
		};
	}

	@QueryMapping
	List<Object> nodes(@Argument List<String> ids, ShopId shop) {
		if (ids.size() > MAX_IDS) {
			throw new BadUserInputException("At most " + MAX_IDS + " ids per request, got " + ids.size());
		}
		return ids.stream().map(id -> node(id, shop)).toList();
	}
}
