SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '30s';

-- The buckets are written by every GraphQL request and are worth nothing after a crash: a bucket that is missing is
-- a full bucket, which is what a shop would have had a few seconds later anyway. Unlogged, their updates write no
-- WAL and a request's commit waits for no disk flush (BENCHMARKS.md §8). After a crash PostgreSQL empties the table;
-- it is not replicated, so after a fail-over every bucket starts full as well.
ALTER TABLE billing.api_buckets SET UNLOGGED;
