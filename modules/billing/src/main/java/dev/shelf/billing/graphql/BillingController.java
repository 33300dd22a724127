package dev.shelf.billing.graphql;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.shelf.billing.AppSubscription;
import dev.shelf.billing.Billing;
import dev.shelf.billing.BillingUserError;
import dev.shelf.billing.ChargeTransition;
import dev.shelf.billing.Plan;
import dev.shelf.billing.ShopifySessionToken;
import dev.shelf.billing.SubscriptionCreation;
import dev.shelf.billing.UsageCharge;
import dev.shelf.billing.UsageChargePage;
import dev.shelf.billing.UsagePeriod;
import dev.shelf.catalog.BadUserInputException;
import dev.shelf.catalog.GlobalId;
import dev.shelf.catalog.Money;
import dev.shelf.catalog.ShopId;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

/**
 * Billing's GraphQL API: plans, the current subscription, the usage charges (keyset-paginated) and
 * {@code subscriptionCreate}. The tenant is the {@link ShopId} parameter; the session token is handed in by the
 * application for the token exchange.
 */
@Controller
class BillingController {

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private final Billing billing;

	BillingController(Billing billing) {
		this.billing = billing;
	}

	/** {@code BillingPlan}: the plan's amounts as {@code Money}. */
	record BillingPlan(String handle, String name, Money recurringPrice, Money usageFee, Money cappedAmount,
			String usageTerms) {

		static BillingPlan of(Plan plan) {
			return new BillingPlan(plan.handle(), plan.name(), new Money(plan.recurringPrice(), plan.currencyCode()),
					new Money(plan.usageFee(), plan.currencyCode()), new Money(plan.cappedAmount(), plan.currencyCode()),
					plan.usageTerms());
		}
	}

	record SubscriptionCreatePayload(String confirmationUrl, AppSubscription appSubscription,
			List<BillingUserError> userErrors) {
	}

	/** A Relay connection of usage charges ({@code UsageChargeConnection}). */
	record UsageChargeConnection(List<Edge> edges, List<UsageCharge> nodes, PageInfo pageInfo) {

		record Edge(String cursor, UsageCharge node) {
		}

		record PageInfo(boolean hasNextPage, boolean hasPreviousPage, String startCursor, String endCursor) {
		}

		static UsageChargeConnection of(UsageChargePage page, Function<UsageCharge, String> cursor) {
			List<Edge> edges = page.charges().stream().map(c -> new Edge(cursor.apply(c), c)).toList();
			return new UsageChargeConnection(edges, page.charges(), new PageInfo(page.hasNextPage(),
					page.hasPreviousPage(), edges.isEmpty() ? null : edges.get(0).cursor(),
					edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor()));
		}
	}

	@QueryMapping
	List<BillingPlan> billingPlans() {
		return billing.plans().stream().map(BillingPlan::of).toList();
	}

	@QueryMapping
	AppSubscription currentSubscription(ShopId shop) {
		return billing.currentSubscription(shop).orElse(null);
	}

	@QueryMapping
	UsageChargeConnection usageCharges(@Argument Integer first, @Argument String after, @Argument Integer last,
			@Argument String before, ShopId shop) {
		if ((first == null) == (last == null)) {
			throw new BadUserInputException("Pass either first or last (not both, not neither)");
		}
		int size = first != null ? first : last;
		if (size < 0 || size > Billing.MAX_PAGE_SIZE) {
			throw new BadUserInputException((first != null ? "first" : "last") + " must be between 0 and "
					+ Billing.MAX_PAGE_SIZE + ", got " + size);
		}
		return UsageChargeConnection.of(billing.usageCharges(shop, after == null ? null : position(after),
				before == null ? null : position(before), size, first != null), BillingController::cursor);
	}

	@MutationMapping
	SubscriptionCreatePayload subscriptionCreate(@Argument String planHandle, ShopId shop,
			ShopifySessionToken sessionToken) {
		SubscriptionCreation created = billing.createSubscription(shop, planHandle, sessionToken);
		return new SubscriptionCreatePayload(created.confirmationUrl(), created.subscription(), created.userErrors());
	}

	@SchemaMapping(typeName = "AppSubscription")
	String id(AppSubscription subscription) {
		return GlobalId.of("AppSubscription", subscription.id());
	}

	@SchemaMapping(typeName = "AppSubscription")
	Money recurringPrice(AppSubscription subscription) {
		return new Money(subscription.recurringPrice(), subscription.currencyCode());
	}

	@SchemaMapping(typeName = "AppSubscription")
	Money usageFee(AppSubscription subscription) {
		return new Money(subscription.usageFee(), subscription.currencyCode());
	}

	@SchemaMapping(typeName = "AppSubscription")
	Money cappedAmount(AppSubscription subscription) {
		return new Money(subscription.cappedAmount(), subscription.currencyCode());
	}

	@SchemaMapping(typeName = "AppSubscription")
	UsagePeriod currentPeriod(AppSubscription subscription) {
		return billing.currentPeriod(subscription);
	}

	@SchemaMapping(typeName = "UsagePeriod")
	Money cappedAmount(UsagePeriod period) {
		return new Money(period.cappedAmount(), period.currencyCode());
	}

	@SchemaMapping(typeName = "UsagePeriod")
	Money usedAmount(UsagePeriod period) {
		return new Money(period.usedAmount(), period.currencyCode());
	}

	@SchemaMapping(typeName = "UsagePeriod")
	Money remainingAmount(UsagePeriod period) {
		return new Money(period.remainingAmount(), period.currencyCode());
	}

	@SchemaMapping(typeName = "UsageCharge")
	String id(UsageCharge charge) {
		return GlobalId.of("UsageCharge", charge.id());
	}

	@SchemaMapping(typeName = "UsageCharge")
	long orderId(UsageCharge charge) {
		return charge.shopifyOrderId();
	}

	@SchemaMapping(typeName = "UsageCharge")
	Money amount(UsageCharge charge) {
		return new Money(charge.amount(), charge.currencyCode());
	}

	@SchemaMapping(typeName = "UsageCharge")
	String status(UsageCharge charge) {
		return charge.state().name();
	}

	@SchemaMapping(typeName = "UsageCharge")
	String statusReason(UsageCharge charge) {
		return charge.stateReason();
	}

	@SchemaMapping(typeName = "UsageCharge")
	String shopifyUsageRecordId(UsageCharge charge) {
		return charge.providerRecordId();
	}

	/**
	 * The transitions of a whole page of charges in one statement. The charges were read within the request's shop,
	 * so their shop is the tenant.
	 */
	@BatchMapping(typeName = "UsageCharge")
	Map<UsageCharge, List<ChargeTransition>> transitions(List<UsageCharge> charges) {
		Map<Long, List<ChargeTransition>> byId = billing.transitions(charges.get(0).shop(),
				charges.stream().map(UsageCharge::id).toList());
		return charges.stream().collect(java.util.stream.Collectors.toMap(Function.identity(),
				c -> byId.getOrDefault(c.id(), List.of()), (a, b) -> a, java.util.LinkedHashMap::new));
	}

	private static String cursor(UsageCharge charge) {
		return ENCODER.encodeToString(("uc:" + charge.id()).getBytes(StandardCharsets.UTF_8));
	}

	private static long position(String cursor) {
		try {
			String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			if (!text.startsWith("uc:")) {
				throw new IllegalArgumentException("not a usage charge cursor");
			}
			return Long.parseLong(text.substring(3));
		}
		catch (IllegalArgumentException e) {
			throw new BadUserInputException("Invalid cursor '" + cursor + "': use a cursor from this connection's "
					+ "pageInfo or edges");
		}
	}
}
