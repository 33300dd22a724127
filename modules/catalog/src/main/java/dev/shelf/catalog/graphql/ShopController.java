package dev.shelf.catalog.graphql;

import dev.shelf.catalog.GlobalId;
import dev.shelf.catalog.Shop;
import dev.shelf.catalog.ShopId;
import dev.shelf.catalog.Shops;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

@Controller
class ShopController {

	private final Shops shops;

	ShopController(Shops shops) {
		this.shops = shops;
	}

	@QueryMapping
	Shop shop(ShopId shop) {
		return shops.find(shop).orElseThrow(() -> new IllegalStateException("Authenticated shop " + shop + " vanished"));
	}

	@SchemaMapping(typeName = "Shop", field = "id")
	String id(Shop shop) {
		return new GlobalId("Shop", shop.id().value()).toString();
	}
}
