SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5s';

-- Each shop's offline access token for the Shopify Admin API, obtained by token exchange from a session token.
-- Encrypted with AES-256-GCM (key: SHELF_ENCRYPTION_KEY); the plaintext binds the token to its shop, so a row
-- copied to another shop does not decrypt. Deleted when the app is uninstalled.
CREATE TABLE billing.access_tokens (
    shop_id         bigint      PRIMARY KEY,
    encrypted_token bytea       NOT NULL,
    scope           text,
    obtained_at     timestamptz NOT NULL DEFAULT now()
);
