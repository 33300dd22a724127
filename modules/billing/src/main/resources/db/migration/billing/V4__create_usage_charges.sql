SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5s';

-- The usage budget of one 30-day period of a subscription (periods start at midnight in the shop's time zone). A
-- charge reserves its amount with one conditional UPDATE of this row (reserved_amount + amount <= capped_amount),
-- so concurrent charges of a shop queue on the row's lock and the cap cannot be exceeded; a failed charge gives its
-- amount back. The CHECK says the same again, so not even a bug can exceed the cap.
CREATE TABLE billing.usage_periods (
    shop_id         bigint        NOT NULL,
    subscription_id bigint        NOT NULL,
    starts_at       timestamptz   NOT NULL,
    ends_at         timestamptz   NOT NULL,
    capped_amount   numeric(19,4) NOT NULL,
    reserved_amount numeric(19,4) NOT NULL DEFAULT 0,
    currency_code   text          NOT NULL,
    CONSTRAINT usage_periods_pkey PRIMARY KEY (shop_id, subscription_id, starts_at),
    CONSTRAINT usage_periods_cap_check CHECK (reserved_amount >= 0 AND reserved_amount <= capped_amount),
    CONSTRAINT usage_periods_currency_code_check CHECK (currency_code ~ '^[A-Z]{3}$')
);

-- One usage charge per order of a shop, whatever the number of deliveries of orders/create: the unique
-- (shop_id, shopify_order_id) decides (INSERT ... ON CONFLICT DO NOTHING). State machine and who moved it:
-- billing.charge_transitions.
CREATE TABLE billing.usage_charges (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shop_id            bigint        NOT NULL,
    shopify_order_id   bigint        NOT NULL,
    -- NULL when the shop had no active subscription (the charge is FAILED at once).
    subscription_id    bigint,
    period_starts_at   timestamptz,
    amount             numeric(19,4) NOT NULL,
    currency_code      text          NOT NULL,
    description        text          NOT NULL,
    -- Sent with every attempt (appUsageRecordCreate(idempotencyKey:)): a resend never creates a second record.
    idempotency_key    text          NOT NULL,
    state              text          NOT NULL,
    state_reason       text,
    provider_record_id text,
    -- Claims by the submitting worker and the reconciler; bounded by the retry limit.
    -- squawk-ignore prefer-bigint-over-int
    attempts           integer       NOT NULL DEFAULT 0,
    -- PENDING: when it may be sent; SUBMITTED: when its sender's lease ends; UNKNOWN: when to reconcile it.
    next_attempt_at    timestamptz   NOT NULL DEFAULT now(),
    created_at         timestamptz   NOT NULL DEFAULT now(),
    updated_at         timestamptz   NOT NULL DEFAULT now(),
    settled_at         timestamptz,
    CONSTRAINT usage_charges_shopify_order_id_key UNIQUE (shop_id, shopify_order_id),
    CONSTRAINT usage_charges_idempotency_key_key UNIQUE (shop_id, idempotency_key),
    CONSTRAINT usage_charges_state_check CHECK (state IN ('PENDING', 'SUBMITTED', 'SUCCEEDED', 'FAILED', 'UNKNOWN')),
    CONSTRAINT usage_charges_currency_code_check CHECK (currency_code ~ '^[A-Z]{3}$'),
    CONSTRAINT usage_charges_amount_check CHECK (amount >= 0)
);
-- The shop's charges in creation order (GraphQL usageCharges, keyset on id).
CREATE INDEX usage_charges_shop_id_idx ON billing.usage_charges (shop_id, id);
-- The submitting workers' and the reconciler's queue spans shops; partial, so it is as small as what is unsettled.
CREATE INDEX usage_charges_unsettled_idx ON billing.usage_charges (next_attempt_at, id)
    WHERE state IN ('PENDING', 'SUBMITTED', 'UNKNOWN');

-- Every change of a charge's state: from, to, who (webhook, worker, reconciler) and why. An audit trail of money:
-- kept as long as its charge, and erased with the shop's data (shop/redact) — see the billing section of README.md.
CREATE TABLE billing.charge_transitions (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shop_id    bigint      NOT NULL,
    charge_id  bigint      NOT NULL,
    -- NULL for the charge's first state.
    from_state text,
    to_state   text        NOT NULL,
    actor      text        NOT NULL,
    reason     text        NOT NULL,
    at         timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX charge_transitions_charge_idx ON billing.charge_transitions (shop_id, charge_id, id);
