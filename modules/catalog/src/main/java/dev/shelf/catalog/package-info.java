/**
 * Catalog: the shops Shelf serves (its tenants) and, next, their products and variants.
 * <p>
 * Owns the {@code catalog} PostgreSQL schema. Exposes {@link dev.shelf.catalog.Shops} (a shop is registered the
 * first time Shelf sees it), the {@link dev.shelf.catalog.ShopId} every tenant-scoped call takes, and
 * {@link dev.shelf.catalog.GlobalId}, the {@code gid://shelf/<Type>/<id>} ids of the GraphQL API. Its GraphQL
 * controllers live in {@code graphql}; entities, repositories and SQL in {@code internal}, hidden from other modules.
 * <p>
 * Implements the migration module's SPI for its own tables: the background migrations that move the legacy mirror
 * model (V1) to the generic one ({@code internal.ProductBackfill}, {@code internal.BundleComponentRewrite},
 * registered by V6). And the tenant import's: the legacy app's shops are its tenants ({@code internal.LegacyShops}),
 * and its step {@code catalog.shop-settings} ({@code internal.LegacyShopImport}, {@code internal.LegacySettings})
 * creates each as a Shelf shop marked imported ({@code imported_at}; {@link dev.shelf.catalog.Shop#receivesLifecycleMails()}
 * is false for it — any mailer must ask it) with every legacy setting under Shelf's names. Erasing an imported shop
 * makes the import forget its domain.
 * <p>
 * How data flows through here: a verified session token names a shop → {@code Shops} returns its id, registering it
 * on first sight → every query and command is then scoped by that {@code ShopId}.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = "migration")
package dev.shelf.catalog;
