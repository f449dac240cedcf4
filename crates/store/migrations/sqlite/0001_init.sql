-- posbridge schema, version 1 (SQLite). Decimals are TEXT in canonical form (exact; never REAL).
-- Timestamps are INTEGER unix milliseconds. Documents are the store's JSON encoding of a record.

CREATE TABLE merchants (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE shops (
    id          TEXT PRIMARY KEY,
    merchant_id INTEGER NOT NULL REFERENCES merchants (id),
    name        TEXT NOT NULL
);
CREATE INDEX shops_by_merchant ON shops (merchant_id);

CREATE TABLE customer_units (
    customer_type TEXT NOT NULL,
    customer_id   TEXT NOT NULL,
    name          TEXT NOT NULL,
    rebate_rate   TEXT NOT NULL,
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
    id             INTEGER PRIMARY KEY,
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
    product_id INTEGER NOT NULL REFERENCES products (id),
    quantity   TEXT NOT NULL,
    PRIMARY KEY (shop_id, product_id)
);

CREATE TABLE prices (
    shop_id             TEXT NOT NULL REFERENCES shops (id),
    product_id          INTEGER NOT NULL REFERENCES products (id),
    listing_price       TEXT NOT NULL,
    retail_price        TEXT NOT NULL,
    lowest_retail_price TEXT NOT NULL,
    updated_at          INTEGER NOT NULL,
    PRIMARY KEY (shop_id, product_id)
);

-- Every quote a (shop, product) ever had, so a bill's price snapshot can be explained.
CREATE TABLE price_history (
    id                  INTEGER PRIMARY KEY,
    shop_id             TEXT NOT NULL,
    product_id          INTEGER NOT NULL,
    listing_price       TEXT NOT NULL,
    retail_price        TEXT NOT NULL,
    lowest_retail_price TEXT NOT NULL,
    effective_from      INTEGER NOT NULL
);
CREATE INDEX price_history_by_item ON price_history (shop_id, product_id, effective_from);

CREATE TABLE accounts (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('channel', 'merchant', 'erp')),
    token_sha256    BLOB UNIQUE,
    shop_id         TEXT REFERENCES shops (id),
    customer_type   TEXT,
    customer_id     TEXT,
    merchant_id     INTEGER REFERENCES merchants (id),
    app_key         TEXT UNIQUE,
    secret          TEXT,
    erp_customer_id TEXT,
    shop_ids        TEXT,            -- JSON array of shop ids (erp)
    callback_url    TEXT,
    callback_secret TEXT
);

-- Monotonic counters (the next BillNum); PostgreSQL uses a sequence.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('bill_num', 0);

CREATE TABLE sell_bills (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    bill_num        TEXT NOT NULL UNIQUE,
    customer_type   TEXT NOT NULL,
    customer_id     TEXT NOT NULL,
    sender_bill_num TEXT NOT NULL,
    shop_id         TEXT NOT NULL,
    state           TEXT NOT NULL,
    version         INTEGER NOT NULL,
    total_amount    TEXT NOT NULL,
    discount_amount TEXT NOT NULL,
    paid_amount     TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    document        TEXT NOT NULL,
    -- The idempotency key of AddOrUpdate, kept forever.
    UNIQUE (customer_type, customer_id, sender_bill_num)
);
CREATE INDEX sell_bills_by_customer ON sell_bills (customer_type, customer_id, id);
CREATE INDEX sell_bills_by_created ON sell_bills (created_at);

-- The idempotency key of PayBill, kept forever.
CREATE TABLE bill_payments (
    bill_id INTEGER NOT NULL REFERENCES sell_bills (id),
    pay_num TEXT NOT NULL,
    amount  TEXT NOT NULL,
    paid_at INTEGER NOT NULL,
    PRIMARY KEY (bill_id, pay_num)
);

CREATE TABLE settlements (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    merchant_id     INTEGER NOT NULL,
    bill_num        TEXT NOT NULL,
    shop_id         TEXT NOT NULL,
    customer_type   TEXT NOT NULL,
    customer_id     TEXT NOT NULL,
    cal_user_type   TEXT NOT NULL,
    happen_date     TEXT NOT NULL,   -- yyyyMMdd
    sales_amount    TEXT NOT NULL,
    cal_amount      TEXT NOT NULL,
    rebate_amount   TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    document        TEXT NOT NULL,
    -- The idempotency key of CalculateBill/Add, kept forever.
    UNIQUE (merchant_id, bill_num)
);
CREATE INDEX settlements_by_date ON settlements (happen_date);

-- The settled-quantity ledger: settled never exceeds sold (checked in the writing transaction).
CREATE TABLE settled_quantities (
    bill_num   TEXT NOT NULL REFERENCES sell_bills (bill_num),
    product_id INTEGER NOT NULL,
    sold       TEXT NOT NULL,
    settled    TEXT NOT NULL,
    PRIMARY KEY (bill_num, product_id)
);

CREATE TABLE clerks (
    store_code TEXT NOT NULL,
    clerk_code TEXT NOT NULL,
    deleted    INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    document   TEXT NOT NULL,
    PRIMARY KEY (store_code, clerk_code)
);

CREATE TABLE clerk_history (
    id         INTEGER PRIMARY KEY,
    store_code TEXT NOT NULL,
    clerk_code TEXT NOT NULL,
    change     TEXT NOT NULL,        -- insert | revive | update | delete
    at         INTEGER NOT NULL,
    document   TEXT NOT NULL
);
CREATE INDEX clerk_history_by_clerk ON clerk_history (store_code, clerk_code, id);

CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id       TEXT NOT NULL,
    subject_kind     TEXT NOT NULL CHECK (subject_kind IN ('bill', 'settlement')),
    subject          TEXT NOT NULL,
    sequence         INTEGER NOT NULL,
    kind             TEXT NOT NULL,
    occurred_at      INTEGER NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'failing', 'dead', 'delivered')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    last_status_code INTEGER,
    last_error       TEXT,
    document         TEXT NOT NULL,
    UNIQUE (subject_kind, subject, sequence)
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
