SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5s';

-- The legacy-tenant import (dev.shelf.migration.TenantImports). The steps are declared in code by the modules that own
-- the data (TenantImportStep beans); the engine keeps each tenant's state here, so a run killed at any moment is
-- resumed by the next one: a step's writes and its name in steps_done commit in one transaction. Not tenant tables in
-- DESIGN.md's sense: a tenant is known here by its legacy key (a shop domain), before and apart from any shop_id.

-- One row per real run (a dry run records nothing): who started it, how it went.
CREATE TABLE migration.tenant_import_runs (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status           text        NOT NULL DEFAULT 'RUNNING',
    concurrency      bigint      NOT NULL,
    actor            text        NOT NULL,
    legacy_url       text        NOT NULL,
    tenants_total    bigint      NOT NULL DEFAULT 0,
    already_settled  bigint      NOT NULL DEFAULT 0,
    imported         bigint      NOT NULL DEFAULT 0,
    skipped          bigint      NOT NULL DEFAULT 0,
    failed           bigint      NOT NULL DEFAULT 0,
    problems         bigint      NOT NULL DEFAULT 0,
    last_error       text,
    started_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    CONSTRAINT tenant_import_runs_status_check CHECK (status IN ('RUNNING', 'FINISHED', 'FAILED', 'STOPPED'))
);

-- One row per legacy tenant a real run has listed: where its import stands, and its report (mapping problems and
-- counts, per step: {"<step>": {"problems": [{"field": …, "message": …}], "problemsNotKept": n, "counts": {…}}}).
CREATE TABLE migration.tenant_imports (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The tenant's identity: SHA-256 (hex) of its key in lower case. Its key itself (a shop domain, personal data
    -- under GDPR) is only for people to read, and is forgotten (NULL) when the shop is erased; the hash stays, so no
    -- later run imports an erased shop again.
    tenant_hash text        NOT NULL,
    tenant      text,
    legacy_id   bigint      NOT NULL,
    status      text        NOT NULL DEFAULT 'PENDING',
    steps_done  text[]      NOT NULL DEFAULT '{}',
    attempts    bigint      NOT NULL DEFAULT 0,
    reason      text,
    last_error  text,
    report      jsonb       NOT NULL DEFAULT '{}',
    run_id      bigint      REFERENCES migration.tenant_import_runs (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    started_at  timestamptz,
    finished_at timestamptz,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tenant_imports_tenant_hash_key UNIQUE (tenant_hash),
    CONSTRAINT tenant_imports_tenant_check CHECK (length(tenant) BETWEEN 1 AND 255),
    CONSTRAINT tenant_imports_status_check
        CHECK (status IN ('PENDING', 'RUNNING', 'IMPORTED', 'SKIPPED', 'FAILED'))
);
-- The report's pages, by status or not, in legacy id order (keyset).
CREATE INDEX tenant_imports_legacy_idx ON migration.tenant_imports (legacy_id);
CREATE INDEX tenant_imports_status_idx ON migration.tenant_imports (status, legacy_id);
CREATE INDEX tenant_imports_run_idx ON migration.tenant_imports (run_id);
