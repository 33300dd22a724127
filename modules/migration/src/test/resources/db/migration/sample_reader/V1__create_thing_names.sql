SET LOCAL lock_timeout = '5s';
-- Only works if schema `sample` was migrated first: proves the order of module schemas.
CREATE VIEW sample_reader.thing_names AS SELECT name FROM sample.things;
