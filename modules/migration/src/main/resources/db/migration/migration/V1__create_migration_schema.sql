SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5s';

COMMENT ON SCHEMA migration IS
    'Owned by the migration module: background migration jobs, batch runs and tenant imports.';
