SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5s';

-- An admission may take more than the request's cost: a lease of points the instance then spends on the shop's next
-- requests without a statement, and gives back when it expires (dev.shelf.billing.internal.ApiBuckets). `leased` is
-- what the last admission granted, so that the one admission statement can report it, as `admitted` reports the
-- decision. Metadata only: a constant default does not rewrite the table.
ALTER TABLE billing.api_buckets ADD COLUMN leased numeric(12,3) NOT NULL DEFAULT 0;

-- The lease granted along with a request of `cost` points from a bucket holding `available`: a tenth of the bucket,
-- but never more than half of what the request leaves, so that one instance's lease does not starve the others.
CREATE FUNCTION billing.lease(available numeric, cost numeric, size numeric)
    RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN available >= cost THEN least(size / 10, (available - cost) / 2) ELSE 0 END;
