package dev.shelf.catalog.internal;

import java.util.List;

import dev.shelf.migration.BackgroundMigration;
import dev.shelf.migration.PrimaryKey;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Rewrites the Shopify product ids stored inside JSONB to Shelf product ids (V6 registers it; it runs after the
 * backfill, whose ids it needs): a legacy bundle component {@code {"shopify_product_id": <Shopify id>, "quantity":
 * q}} becomes {@code {"product_id": <id of the product of the shop's mirror of that Shopify product>, "quantity": q}}.
 * Bundles are the only JSONB that refers to products: {@code shops.settings} holds no product, a mirror's
 * {@code raw} is Shopify's own document and {@code personalizations.customizations} holds texts.
 * <p>
 * A Shopify id Shelf never mirrored reads today as product 0 (missing); it is written so, keeping the Shopify id for
 * the record as {@code unresolved_shopify_product_id}. A component whose mirror has no product yet (a previous
 * release still writing) is left as it is, for the final check to find and the next pass to rewrite. A malformed
 * id fails its batch, and the engine narrows it down to the bundle and fails the job visibly.
 */
@Component
class BundleComponentRewrite implements BackgroundMigration {

	static final String NAME = "catalog.bundle-components-rewrite";
	static final String DESCRIPTION = "Rewrites legacy bundle components {\"shopify_product_id\": <Shopify id>} to "
			+ "{\"product_id\": <Shelf product id>}.";

	private final JdbcClient jdbc;

	BundleComponentRewrite(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return DESCRIPTION;
	}

	@Override
	public PrimaryKey primaryKey() {
		return PrimaryKey.idOf("catalog.bundles");
	}

	@Override
	public List<String> runsAfter() {
		return List.of(ProductBackfill.NAME);
	}

	@Override
	public long migrateBatch(long fromKey, long toKey) {
		return jdbc.sql("""
				WITH legacy AS (
				    SELECT b.id, b.shop_id, b.components FROM catalog.bundles b
				    WHERE b.id >= :from AND b.id < :to AND jsonb_path_exists(b.components, '$[*].shopify_product_id')
				    FOR UPDATE
				), rewritten AS (
				    SELECT l.id, l.shop_id, jsonb_agg(
				               CASE WHEN c.value -> 'shopify_product_id' IS NULL OR (m.id IS NOT NULL AND m.product_id IS NULL)
				                    THEN c.value
				                    ELSE (c.value - 'shopify_product_id')
				                         || jsonb_build_object('product_id', coalesce(m.product_id, 0))
				                         || CASE WHEN m.id IS NULL
				                                 THEN jsonb_build_object('unresolved_shopify_product_id', c.value -> 'shopify_product_id')
				                                 ELSE '{}'::jsonb END
				               END ORDER BY c.position) AS components
				    FROM legacy l
				    CROSS JOIN LATERAL jsonb_array_elements(l.components) WITH ORDINALITY AS c(value, position)
				    LEFT JOIN LATERAL (SELECT mirror.id, mirror.product_id FROM catalog.shopify_products mirror
				                       WHERE mirror.shop_id = l.shop_id
				                         AND mirror.shopify_id = (c.value ->> 'shopify_product_id')::bigint) m ON true
				    GROUP BY l.id, l.shop_id
				)
				UPDATE catalog.bundles b SET components = r.components, updated_at = now()
				FROM rewritten r
				WHERE b.shop_id = r.shop_id AND b.id = r.id AND b.components IS DISTINCT FROM r.components""")
				.param("from", fromKey).param("to", toKey)
				.update();
	}

	/** Reads the partial index of V5 that holds exactly these rows. */
	@Override
	public long remainingRows() {
		return jdbc.sql("SELECT count(*) FROM catalog.bundles WHERE jsonb_path_exists(components, '$[*].shopify_product_id')")
				.query(Long.class).single();
	}
}
