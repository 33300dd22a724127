SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5s';

-- A shop's Shopify app subscription as Shelf asked for it: the plan's terms as the merchant approved them (a later
-- change of the plans' configuration leaves existing subscriptions alone), Shopify's ids, and the status Shopify
-- last reported (app_subscriptions/update). No foreign keys between billing's tables: the shop's erasure deletes
-- them per shop in any order.
CREATE TABLE billing.subscriptions (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- catalog.shops(id); no cross-schema foreign key: each module owns its schema.
    shop_id                 bigint        NOT NULL,
    plan_handle             text          NOT NULL,
    -- gid://shopify/AppSubscription/<id>
    shopify_subscription_id text          NOT NULL,
    -- The usage line item's gid: usage records are created on it.
    usage_line_item_id      text          NOT NULL,
    status                  text          NOT NULL DEFAULT 'PENDING',
    recurring_price         numeric(19,4) NOT NULL,
    usage_fee               numeric(19,4) NOT NULL,
    capped_amount           numeric(19,4) NOT NULL,
    currency_code           text          NOT NULL,
    test                    boolean       NOT NULL,
    confirmation_url        text,
    created_at              timestamptz   NOT NULL DEFAULT now(),
    activated_at            timestamptz,
    -- Shopify's updated_at of the status last applied: an older update arriving late is ignored.
    status_changed_at       timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT subscriptions_shopify_subscription_id_key UNIQUE (shop_id, shopify_subscription_id),
    CONSTRAINT subscriptions_status_check
        CHECK (status IN ('PENDING', 'ACTIVE', 'DECLINED', 'EXPIRED', 'FROZEN', 'CANCELLED')),
    CONSTRAINT subscriptions_currency_code_check CHECK (currency_code ~ '^[A-Z]{3}$'),
    CONSTRAINT subscriptions_amounts_check CHECK (recurring_price >= 0 AND usage_fee >= 0 AND capped_amount >= 0)
);
-- At most one active subscription per shop: approving a new one replaces the old (Shopify cancels it).
CREATE UNIQUE INDEX subscriptions_one_active_idx ON billing.subscriptions (shop_id) WHERE status = 'ACTIVE';
