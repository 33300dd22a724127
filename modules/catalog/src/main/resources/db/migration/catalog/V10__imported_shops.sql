SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5s';

-- Shops imported from the legacy app (the tenant import's catalog step, dev.shelf.catalog.internal.LegacyShopImport):
-- when. Such a merchant installed the app long ago, so Shelf must never send them a lifecycle mail (welcome,
-- onboarding, trial ending) as if they had just arrived: Shop.receivesLifecycleMails() reads this. NULL for shops
-- that installed Shelf itself. Nullable, no default: adding it rewrites nothing.
ALTER TABLE catalog.shops ADD COLUMN imported_at timestamptz;
