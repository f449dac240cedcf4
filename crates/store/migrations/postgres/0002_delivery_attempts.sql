-- Version 2: the delivery log of callback attempts (CONTRACT §9).
CREATE TABLE delivery_attempts (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id    BIGINT NOT NULL REFERENCES outbox (id),
    at          BIGINT NOT NULL,
    status_code BIGINT,
    error       TEXT,
    latency_ms  BIGINT NOT NULL
);
CREATE INDEX delivery_attempts_by_event ON delivery_attempts (event_id, id);
