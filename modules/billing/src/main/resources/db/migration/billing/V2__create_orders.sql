SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5s';

-- Orders the shops received (from orders/create), once each: the basis of usage charges.
CREATE TABLE billing.orders (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shop_id          bigint        NOT NULL,
    shopify_order_id bigint        NOT NULL,
    total_price      numeric(19,4) NOT NULL,
    currency_code    text          NOT NULL,
    placed_at        timestamptz   NOT NULL,
    customer_id      bigint,
    recorded_at      timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT orders_shopify_order_id_key UNIQUE (shop_id, shopify_order_id),
    CONSTRAINT orders_currency_code_check CHECK (currency_code ~ '^[A-Z]{3}$')
);
CREATE INDEX orders_shop_customer_idx ON billing.orders (shop_id, customer_id);
