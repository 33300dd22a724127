SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5s';

COMMENT ON SCHEMA billing IS 'Owned by the billing module: plans, subscriptions, usage charges, idempotency keys.';
