package dev.shelf.catalog.internal;

import dev.shelf.migration.BackgroundMigration;
import dev.shelf.migration.PrimaryKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The backfill of the generic model from the legacy one (V6 registers it): every Shopify mirror without a product
 * gets one with <b>the mirror's id</b>, built as {@link ShopifyMirror} builds a legacy mirror's product when a
 * webhook touches it first — Shopify's fields, the merchant's personalization ({@code title}, {@code description})
 * as merchant edits, archived if Shopify deleted it — and its variants are re-pointed to it. A batch is one
 * statement: the mirrors of the key range are locked (a webhook for one of them waits, then finds it linked), the
 * products inserted, the mirrors and variants linked.
 * <p>
 * Handles: the mirror's handle made a valid product handle (lower case, no white space); when another product of the
 * shop has it, or two mirrors of the batch want it, {@code <handle>-<mirror id>}. A product the insert could not
 * place (a concurrent merchant took the handle in between) is left for the final check, which walks the keys again.
 * <p>
 * When done, the products id sequence moves to the highest product or mirror id plus
 * {@code shelf.catalog.backfill.id-headroom} (default 50,000), never backwards: a mirror still written by a previous
 * release during the switch takes an id in that headroom, and its product can take the same id later.
 */
@Component
class ProductBackfill implements BackgroundMigration {

	static final String NAME = "catalog.products-backfill";
	static final String DESCRIPTION = "Gives every legacy Shopify mirror its product (same id as the mirror, the "
			+ "merchant's personalization as edits) and re-points its variants; then moves the products id sequence "
			+ "past the highest id plus headroom.";

	private static final Logger log = LoggerFactory.getLogger(ProductBackfill.class);

	private final JdbcClient jdbc;
	private final long idHeadroom;

	ProductBackfill(JdbcClient jdbc, @Value("${shelf.catalog.backfill.id-headroom:50000}") long idHeadroom) {
		if (idHeadroom < 0) {
			throw new IllegalArgumentException("shelf.catalog.backfill.id-headroom must not be negative");
		}
		this.jdbc = jdbc;
		this.idHeadroom = idHeadroom;
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
		return PrimaryKey.idOf("catalog.shopify_products");
	}

	@Override
	public long migrateBatch(long fromKey, long toKey) {
		return jdbc.sql("""
				WITH legacy AS (
				    SELECT m.id, m.shop_id, m.title, m.body_html, m.vendor, m.product_type, m.handle, m.status, m.tags,
				           m.deleted_at, m.created_at, m.updated_at, p.customizations
				    FROM catalog.shopify_products m
				    -- LATERAL … LIMIT 1: one probe of a unique index per row, never a hash of the whole other table
				    -- (which the planner prefers while that table is small, and which grows with every batch).
				    LEFT JOIN LATERAL (SELECT z.customizations FROM catalog.personalizations z
				                       WHERE z.shop_id = m.shop_id AND z.shopify_product_id = m.id LIMIT 1) p ON true
				    WHERE m.id >= :from AND m.id < :to AND m.product_id IS NULL
				    FOR UPDATE OF m
				), shaped AS (
				    SELECT l.*,
				           left(coalesce(nullif(btrim(l.customizations ->> 'title'), ''), nullif(btrim(l.title), ''),
				                         'Untitled product'), 255) AS product_title,
				           coalesce(l.customizations ->> 'description', l.body_html) AS description,
				           left(nullif(lower(regexp_replace(btrim(l.handle), '[[:space:]]+', '-', 'g')), ''), 200) AS wanted,
				           array_remove(ARRAY[
				               CASE WHEN l.customizations ->> 'description' IS NOT NULL THEN 'DESCRIPTION_HTML' END,
				               CASE WHEN l.customizations ->> 'title' IS NOT NULL THEN 'TITLE' END], NULL) AS edited
				    FROM legacy l
				), handled AS (
				    SELECT s.*,
				           CASE WHEN s.wanted IS NULL
				                  OR row_number() OVER (PARTITION BY s.shop_id, s.wanted ORDER BY s.id) > 1
				                  OR o.taken
				                THEN coalesce(s.wanted, 'product') || '-' || s.id
				                ELSE s.wanted END AS product_handle
				    FROM shaped s
				    LEFT JOIN LATERAL (SELECT true AS taken FROM catalog.products o
				                       WHERE o.shop_id = s.shop_id AND o.handle = s.wanted LIMIT 1) o ON true
				), made AS (
				    INSERT INTO catalog.products (id, shop_id, kind, title, description_html, handle, vendor, product_type,
				                                  status, tags, merchant_edited_fields, created_at, updated_at)
				    SELECT h.id, h.shop_id, 'SHOPIFY', h.product_title, h.description, h.product_handle, h.vendor,
				           h.product_type, CASE WHEN h.deleted_at IS NOT NULL THEN 'ARCHIVED' ELSE upper(h.status) END,
				           h.tags, h.edited, h.created_at, h.updated_at
				    FROM handled h
				    ON CONFLICT DO NOTHING
				    RETURNING id, shop_id
				), linked AS (
				    -- Range conditions first, so both updates are index range scans of this batch's keys whatever the
				    -- planner thinks of the join (at 100,000 mirrors it hash-joined a scan of the whole table).
				    UPDATE catalog.shopify_products m SET product_id = m.id
				    WHERE m.id >= :from AND m.id < :to AND m.product_id IS NULL AND m.id IN (SELECT id FROM made)
				    RETURNING m.id
				), variants AS (
				    UPDATE catalog.product_variants v SET product_id = v.shopify_product_id
				    WHERE v.shopify_product_id >= :from AND v.shopify_product_id < :to AND v.product_id IS NULL
				      AND v.shopify_product_id IN (SELECT id FROM made)
				    RETURNING v.id
				)
				SELECT (SELECT count(*) FROM linked) AS products, (SELECT count(*) FROM variants) AS variants""")
				.param("from", fromKey).param("to", toKey)
				.query((row, n) -> row.getLong("products"))
				.single();
	}

	/** Reads the partial index of V5 that holds exactly these rows. */
	@Override
	public long remainingRows() {
		return jdbc.sql("SELECT count(*) FROM catalog.shopify_products WHERE product_id IS NULL")
				.query(Long.class).single();
	}

	@Override
	public void finish() {
		long next = jdbc.sql("""
				SELECT setval(pg_get_serial_sequence('catalog.products', 'id'), greatest(
				    coalesce(pg_sequence_last_value(pg_get_serial_sequence('catalog.products', 'id')::regclass), 0),
				    (SELECT coalesce(max(id), 0) FROM catalog.products) + :headroom,
				    (SELECT coalesce(max(id), 0) FROM catalog.shopify_products) + :headroom))""")
				.param("headroom", idHeadroom)
				.query(Long.class).single();
		log.info("Products id sequence moved to {} (highest product or mirror id + {} headroom)", next, idHeadroom);
	}
}
