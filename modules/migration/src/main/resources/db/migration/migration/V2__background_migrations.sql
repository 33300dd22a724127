SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5s';

-- The batched background migration engine (dev.shelf.migration). A job is declared in code by the module that owns
-- its tables (a BackgroundMigration bean) and registered here, by that module's Flyway script or at start-up; the
-- runner walks the job's primary key in batches and keeps its whole state in these tables, so any instance can
-- carry on where a killed one stopped. Cross-shop by nature: a job migrates every shop's rows.

CREATE TABLE migration.background_migrations (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                 text        NOT NULL,
    description          text        NOT NULL DEFAULT '',
    status               text        NOT NULL DEFAULT 'PENDING',
    -- The key range of the current pass, [min_key, max_key], captured when the pass starts (max_key grows when
    -- rows are added meanwhile); next_key is the cursor: every key below it is done in this pass.
    min_key              bigint,
    max_key              bigint,
    next_key             bigint,
    pass                 bigint      NOT NULL DEFAULT 1,
    -- Rows per batch, tuned after each batch toward the target batch duration.
    batch_size           bigint      NOT NULL DEFAULT 1000,
    rows_done            bigint      NOT NULL DEFAULT 0,
    rows_total_estimate  bigint,
    batches_done         bigint      NOT NULL DEFAULT 0,
    -- Failed attempts of the batch at the cursor (reset by a success or a split), and of the job since its last
    -- start or retry: beyond a limit the job fails visibly instead of retrying forever.
    consecutive_failures bigint      NOT NULL DEFAULT 0,
    failed_batches       bigint      NOT NULL DEFAULT 0,
    longest_batch_ms     bigint      NOT NULL DEFAULT 0,
    last_error           text,
    throttled_reason     text,
    throttled_at         timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    started_at           timestamptz,
    last_batch_at        timestamptz,
    finished_at          timestamptz,
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT background_migrations_name_key UNIQUE (name),
    CONSTRAINT background_migrations_status_check
        CHECK (status IN ('PENDING', 'RUNNING', 'PAUSED', 'FAILED', 'FINISHED')),
    CONSTRAINT background_migrations_batch_size_check CHECK (batch_size >= 1)
);

-- One row per attempt of a batch: what the job did, how long it held its locks, and why an attempt failed.
-- Bounded by the jobs' sizes (rows / batch size, plus failed attempts), not by traffic.
CREATE TABLE migration.background_migration_batches (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    migration_id bigint      NOT NULL REFERENCES migration.background_migrations (id),
    pass         bigint      NOT NULL,
    from_key     bigint      NOT NULL,
    to_key       bigint      NOT NULL,
    batch_size   bigint      NOT NULL,
    attempt      bigint      NOT NULL,
    status       text        NOT NULL,
    rows         bigint      NOT NULL DEFAULT 0,
    duration_ms  bigint      NOT NULL,
    error        text,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT background_migration_batches_status_check CHECK (status IN ('SUCCEEDED', 'FAILED')),
    CONSTRAINT background_migration_batches_range_check CHECK (from_key < to_key)
);
CREATE INDEX background_migration_batches_recent_idx
    ON migration.background_migration_batches (migration_id, finished_at);

-- Every change of a job's status, by whom and why: the runner, an operator (named), or a Flyway registration.
CREATE TABLE migration.background_migration_transitions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    migration_id bigint      NOT NULL REFERENCES migration.background_migrations (id),
    from_status  text,
    to_status    text        NOT NULL,
    actor        text        NOT NULL,
    reason       text        NOT NULL DEFAULT '',
    at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX background_migration_transitions_migration_idx
    ON migration.background_migration_transitions (migration_id, id);

-- Registers a job from a module's Flyway script, before any instance of the new code runs. The script knows whether
-- its tables hold anything to migrate: a fresh database has nothing, and its job is registered FINISHED, so a later
-- contract script gated on it (require_completed below) runs on a fresh database without waiting for a runner.
-- Registering a job that exists already changes nothing.
CREATE FUNCTION migration.register_background_migration(job text, job_description text, nothing_to_migrate boolean)
    RETURNS void
    LANGUAGE plpgsql
AS $$
DECLARE
    new_id bigint;
    initial_status text := CASE WHEN nothing_to_migrate THEN 'FINISHED' ELSE 'PENDING' END;
BEGIN
    INSERT INTO migration.background_migrations (name, description, status, finished_at)
    VALUES (job, job_description, initial_status, CASE WHEN nothing_to_migrate THEN now() END)
    ON CONFLICT (name) DO NOTHING
    RETURNING id INTO new_id;
    IF new_id IS NOT NULL THEN
        INSERT INTO migration.background_migration_transitions (migration_id, from_status, to_status, actor, reason)
        VALUES (new_id, NULL, initial_status, 'flyway',
                CASE WHEN nothing_to_migrate THEN 'registered with nothing to migrate' ELSE 'registered' END);
    END IF;
END
$$;

-- The finalize gate: a script that contracts the schema (drops what a job migrates away from) calls this first, and
-- fails, with the job's state and what to do, unless the job has finished. Flyway then rolls the script back and
-- the deploy stops before anything is dropped.
CREATE FUNCTION migration.require_completed(job text)
    RETURNS void
    LANGUAGE plpgsql
AS $$
DECLARE
    registered migration.background_migrations%ROWTYPE;
BEGIN
    SELECT * INTO registered FROM migration.background_migrations WHERE name = job;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Background migration "%" is not registered, so this contract script cannot know that its data was migrated', job
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Deploy the release that registers and runs the job first, let it finish, then deploy this script.';
    END IF;
    IF registered.status <> 'FINISHED' THEN
        RAISE EXCEPTION 'Background migration "%" has not finished (status %, % rows done of about %, last error: %): this script contracts the schema it migrates away from',
            job, registered.status, registered.rows_done, coalesce(registered.rows_total_estimate::text, 'unknown'),
            coalesce(registered.last_error, 'none')
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Let the job finish first: "java -jar shelf.jar migrations run --wait" or the backgroundMigrations GraphQL query (operators) show its progress; then deploy again.';
    END IF;
END
$$;
