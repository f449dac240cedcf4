-- Version 2: the delivery log of callback attempts (CONTRACT §9).
CREATE TABLE delivery_attempts (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES outbox (id),
    at          INTEGER NOT NULL,
    status_code INTEGER,
    error       TEXT,
    latency_ms  INTEGER NOT NULL
);
CREATE INDEX delivery_attempts_by_event ON delivery_attempts (event_id, id);
