-- 保証期間満了のお知らせ / 解約のお知らせ (certificate.expired.v1 / certificate.cancelled.v1), to the recipient of
-- the guarantee's 新規 application, only where it wanted emails.
--
-- The email outbox gains a kind. The completion emails keep what they had: kind 'completion', one per
-- (contract_number, version) under the same UNIQUE constraint. A status email is about the guarantee, not
-- one version: version is NULL, and it is one per (contract_number, kind).
ALTER TABLE email_outbox
    ADD COLUMN kind text NOT NULL DEFAULT 'completion' CHECK (kind IN ('completion', 'expired', 'cancelled')),
    ALTER COLUMN version DROP NOT NULL,
    ADD CONSTRAINT email_outbox_version_iff_completion CHECK ((kind = 'completion') = (version IS NOT NULL));
CREATE UNIQUE INDEX email_outbox_one_status_email ON email_outbox (contract_number, kind) WHERE kind <> 'completion';

-- The status events as received, joined with recipients by application id (either may arrive first).
CREATE TABLE status_notices (
    contract_number  text        NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('expired', 'cancelled')),
    application_id   uuid        NOT NULL,   -- the 新規 application
    product          text        NOT NULL,
    electronic       boolean     NOT NULL,
    ended_on         date        NOT NULL,   -- 期間満了日 / 解約日
    guarantee_expiry date,                   -- expired: the 保証期限
    correlation_id   text        NOT NULL,
    received_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (contract_number, kind)
);
CREATE INDEX status_notices_by_application ON status_notices (application_id);
