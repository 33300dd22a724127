SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5s';

COMMENT ON SCHEMA webhooks IS 'Owned by the webhooks module: the inbox of Shopify deliveries and their outcomes.';
