-- The transactional outbox: an event row commits with the state change that caused it.
CREATE TABLE outbox (
    id            uuid PRIMARY KEY,
    routing_key   text        NOT NULL,
    correlation_id text       NOT NULL,
    body          bytea       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    sent_at       timestamptz,
    lease_token   uuid,
    lease_until   timestamptz,
    attempts      integer     NOT NULL DEFAULT 0,
    last_error    text
);
CREATE INDEX outbox_unsent ON outbox (created_at) WHERE sent_at IS NULL;

-- The idempotent inbox: an event id recorded in the same transaction as its effects.
CREATE TABLE inbox (
    consumer     text        NOT NULL,
    event_id     text        NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
