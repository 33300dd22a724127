package dev.shelf.webhooks.internal;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.shelf.catalog.ShopId;
import dev.shelf.catalog.Shops;
import org.springframework.stereotype.Component;

/**
 * The shop id of a delivery's domain, as the acknowledgement needs it: remembered, so a shop's deliveries after the
 * first cost one statement (the insert) instead of two. A domain keeps its id for as long as the shop's row exists;
 * the row goes only at the end of a {@code shop/redact} erasure, which forgets the id here at once, and on other
 * instances within {@link #REMEMBERED_FOR}. A delivery stored there in that window under the old id (Shopify sends
 * nothing for a shop 48 hours after its uninstall but the redact itself) fails its processing and is dead-lettered
 * where operators see it, instead of being lost.
 */
@Component
class KnownShops {

	static final Duration REMEMBERED_FOR = Duration.ofMinutes(10);

	private final Shops shops;
	private final Cache<String, ShopId> idsByDomain = Caffeine.newBuilder()
			.maximumSize(100_000)
			.expireAfterWrite(REMEMBERED_FOR)
			.build();

	KnownShops(Shops shops) {
		this.shops = shops;
	}

	/** Registers the shop on first sight, like {@link Shops#registerOnFirstSight}. */
	ShopId idOf(String myshopifyDomain) {
		return idsByDomain.get(myshopifyDomain, domain -> shops.registerOnFirstSight(domain).id());
	}

	void forget(ShopId erased) {
		idsByDomain.asMap().values().removeIf(erased::equals);
	}
}
