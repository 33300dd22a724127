package dev.shelf.billing.graphql;

import java.util.List;

import dev.shelf.billing.Billing;
import dev.shelf.billing.LegacyOrdersImport;
import dev.shelf.catalog.Shop;
import dev.shelf.catalog.Shops;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.stereotype.Controller;

/**
 * The operators' mutation that fetches an imported shop's older legacy orders on demand
 * ({@code graphql/billing/legacy-orders.graphqls}, {@code @operatorOnly}).
 */
@Controller
class LegacyOrdersController {

	private final Billing billing;
	private final Shops shops;

	LegacyOrdersController(Billing billing, Shops shops) {
		this.billing = billing;
		this.shops = shops;
	}

	record UserError(List<String> field, String message, String code) {
	}

	record Payload(Integer importedOrders, Long olderOrdersLeft, List<String> problems, List<UserError> userErrors) {

		static Payload refused(String field, String message, String code) {
			return new Payload(null, null, List.of(), List.of(new UserError(List.of(field), message, code)));
		}
	}

	@MutationMapping
	Payload legacyOrdersImportOlder(@Argument String shopDomain, @Argument int first) {
		if (first < 1 || first > 1000) {
			return Payload.refused("first", "first is 1 to 1000", "INVALID");
		}
		Shop shop = shops.findByDomain(shopDomain).orElse(null);
		if (shop == null) {
			return Payload.refused("shopDomain", "No shop " + shopDomain + " in Shelf", "NOT_FOUND");
		}
		try {
			LegacyOrdersImport page = billing.importOlderLegacyOrders(shop.id(), first);
			return new Payload(page.importedOrders(), page.olderOrdersLeft(), page.problems(), List.of());
		}
		catch (IllegalArgumentException e) {
			return Payload.refused("shopDomain", e.getMessage(), "NOT_IMPORTED");
		}
		catch (IllegalStateException e) {
			return Payload.refused("shopDomain", e.getMessage(), "NO_LEGACY_DATABASE");
		}
	}
}
