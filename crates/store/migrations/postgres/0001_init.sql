-- posbridge schema, version 1 (PostgreSQL). Mirrors the SQLite schema table for table.
-- Decimals are NUMERIC (exact, scale kept; bound and read as text, never as floats).
-- Timestamps are BIGINT unix milliseconds. Documents are the store's JSON encoding of a record.

CREATE TABLE merchants (
    id   BIGINT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE shops (
    id          TEXT PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    name        TEXT NOT NULL
);
CREATE INDEX shops_by_merchant ON shops (merchant_id);

CREATE TABLE customer_units (
    customer_type TEXT NOT NULL,
    customer_id   TEXT NOT NULL,
    name          TEXT NOT NULL,
    rebate_rate   NUMERIC NOT NULL,
    PRIMARY KEY (customer_type, customer_id)
);

CREATE TABLE guides (
    number        TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    customer_type TEXT NOT NULL,
    customer_id   TEXT NOT NULL,
    FOREIGN KEY (customer_type, customer_id) REFERENCES customer_units (customer_type, customer_id)
);

CREATE TABLE products (
    id             BIGINT PRIMARY KEY,
    bar_code       TEXT,
    name           TEXT NOT NULL,
    standard       TEXT,
    unit           TEXT,
    producing_area TEXT,
    quality_level  TEXT,
    sell_type      TEXT
);

CREATE TABLE stock (
    shop_id    TEXT NOT NULL REFERENCES shops (id),
    product_id BIGINT NOT NULL REFERENCES products (id),
    quantity   NUMERIC NOT NULL,
    PRIMARY KEY (shop_id, product_id)
);

CREATE TABLE prices (
    shop_id             TEXT NOT NULL REFERENCES shops (id),
    product_id          BIGINT NOT NULL REFERENCES products (id),
    listing_price       NUMERIC NOT NULL,
    retail_price        NUMERIC NOT NULL,
    lowest_retail_price NUMERIC NOT NULL,
    updated_at          BIGINT NOT NULL,
    PRIMARY KEY (shop_id, product_id)
);

-- Every quote a (shop, product) ever had, so a bill's price snapshot can be explained.
CREATE TABLE price_history (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shop_id             TEXT NOT NULL,
    product_id          BIGINT NOT NULL,
    listing_price       NUMERIC NOT NULL,
    retail_price        NUMERIC NOT NULL,
    lowest_retail_price NUMERIC NOT NULL,
    effective_from      BIGINT NOT NULL
);
CREATE INDEX price_history_by_item ON price_history (shop_id, product_id, effective_from);

CREATE TABLE accounts (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('channel', 'merchant', 'erp')),
    token_sha256    BYTEA UNIQUE,
    shop_id         TEXT REFERENCES shops (id),
    customer_type   TEXT,
    customer_id     TEXT,
    merchant_id     BIGINT REFERENCES merchants (id),
    app_key         TEXT UNIQUE,
    secret          TEXT,
    erp_customer_id TEXT,
    shop_ids        TEXT,            -- JSON array of shop ids (erp)
    callback_url    TEXT,
    callback_secret TEXT
);

-- The next BillNum. A sequence never hands a value out twice, also across processes, and does
-- not serialise the transactions that draw from it (SQLite keeps a counters row instead).
CREATE SEQUENCE bill_num_seq;

CREATE TABLE sell_bills (
    id              BIGSERIAL PRIMARY KEY,
    bill_num        TEXT NOT NULL UNIQUE,
    customer_type   TEXT NOT NULL,
    customer_id     TEXT NOT NULL,
    sender_bill_num TEXT NOT NULL,
    shop_id         TEXT NOT NULL,
    state           TEXT NOT NULL,
    version         BIGINT NOT NULL,
    total_amount    NUMERIC NOT NULL,
    discount_amount NUMERIC NOT NULL,
    paid_amount     NUMERIC NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    document        TEXT NOT NULL,
    -- The idempotency key of AddOrUpdate, kept forever.
    UNIQUE (customer_type, customer_id, sender_bill_num)
);
CREATE INDEX sell_bills_by_customer ON sell_bills (customer_type, customer_id, id);
CREATE INDEX sell_bills_by_created ON sell_bills (created_at);

-- The idempotency key of PayBill, kept forever.
CREATE TABLE bill_payments (
    bill_id BIGINT NOT NULL REFERENCES sell_bills (id),
    pay_num TEXT NOT NULL,
    amount  NUMERIC NOT NULL,
    paid_at BIGINT NOT NULL,
    PRIMARY KEY (bill_id, pay_num)
);

CREATE TABLE settlements (
    id              BIGSERIAL PRIMARY KEY,
    merchant_id     BIGINT NOT NULL,
    bill_num        TEXT NOT NULL,
    shop_id         TEXT NOT NULL,
    customer_type   TEXT NOT NULL,
    customer_id     TEXT NOT NULL,
    cal_user_type   TEXT NOT NULL,
    happen_date     TEXT NOT NULL,   -- yyyyMMdd
    sales_amount    NUMERIC NOT NULL,
    cal_amount      NUMERIC NOT NULL,
    rebate_amount   NUMERIC NOT NULL,
    created_at      BIGINT NOT NULL,
    document        TEXT NOT NULL,
    -- The idempotency key of CalculateBill/Add, kept forever.
    UNIQUE (merchant_id, bill_num)
);
CREATE INDEX settlements_by_date ON settlements (happen_date);

-- The settled-quantity ledger. The checks make the database itself refuse a settlement that
-- would take more than was sold, whatever the writing process believed.
CREATE TABLE settled_quantities (
    bill_num   TEXT NOT NULL REFERENCES sell_bills (bill_num),
    product_id BIGINT NOT NULL,
    sold       NUMERIC NOT NULL,
    settled    NUMERIC NOT NULL,
    PRIMARY KEY (bill_num, product_id),
    CHECK (settled <= sold),
    CHECK (settled >= 0)
);

CREATE TABLE clerks (
    store_code TEXT NOT NULL,
    clerk_code TEXT NOT NULL,
    deleted    BOOLEAN NOT NULL,
    updated_at BIGINT NOT NULL,
    document   TEXT NOT NULL,
    PRIMARY KEY (store_code, clerk_code)
);

CREATE TABLE clerk_history (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    store_code TEXT NOT NULL,
    clerk_code TEXT NOT NULL,
    change     TEXT NOT NULL CHECK (change IN ('insert', 'revive', 'update', 'delete')),
    at         BIGINT NOT NULL,
    document   TEXT NOT NULL
);
CREATE INDEX clerk_history_by_clerk ON clerk_history (store_code, clerk_code, id);

CREATE TABLE outbox (
    id               BIGSERIAL PRIMARY KEY,
    account_id       TEXT NOT NULL,
    subject_kind     TEXT NOT NULL CHECK (subject_kind IN ('bill', 'settlement')),
    subject          TEXT NOT NULL,
    sequence         BIGINT NOT NULL,
    kind             TEXT NOT NULL,
    occurred_at      BIGINT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'failing', 'dead', 'delivered')),
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    last_status_code BIGINT,
    last_error       TEXT,
    document         TEXT NOT NULL,
    UNIQUE (subject_kind, subject, sequence)
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
