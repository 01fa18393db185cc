-- Who wants the completion email, learnt from ApplicationSubmitted (電子保証発行完了のお知らせ).
CREATE TABLE recipients (
    application_id    uuid PRIMARY KEY,
    wanted            boolean     NOT NULL,
    email             text,
    contractor_name   text        NOT NULL,
    construction_name text        NOT NULL,
    branch            text        NOT NULL,
    correlation_id    text        NOT NULL,
    received_at       timestamptz NOT NULL DEFAULT now()
);

-- What arrived on the platform, learnt from CertificatePublished; one row per certificate version.
CREATE TABLE publications (
    contract_number   text        NOT NULL,
    version           integer     NOT NULL,
    version_label     text        NOT NULL,
    product           text        NOT NULL,
    published_at      timestamptz NOT NULL,
    construction_name text        NOT NULL,
    orderer_name      text        NOT NULL,
    contractor_name   text        NOT NULL,
    application_id    uuid        NOT NULL,
    correlation_id    text        NOT NULL,
    received_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (contract_number, version)
);
CREATE INDEX publications_by_application ON publications (application_id);

-- One decision per publication: an email to send (pending -> sent | failed) or a skip (no email).
-- The email is rendered once with its Message-ID, so a re-send after a crash is the same message.
CREATE TABLE email_outbox (
    id              uuid PRIMARY KEY,
    contract_number text        NOT NULL,
    version         integer     NOT NULL,
    application_id  uuid        NOT NULL,
    correlation_id  text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
    skip_reason     text,
    recipient       text,
    subject         text,
    body            text,
    message_id      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    attempts        integer     NOT NULL DEFAULT 0,
    lease_token     uuid,
    lease_until     timestamptz,
    sent_at         timestamptz,
    smtp_response   text,
    last_error      text,
    UNIQUE (contract_number, version),
    CHECK (status = 'skipped' OR (recipient IS NOT NULL AND subject IS NOT NULL AND body IS NOT NULL AND message_id IS NOT NULL))
);
CREATE INDEX email_outbox_due ON email_outbox (next_attempt_at) WHERE status = 'pending';
