-- 訂正 and 変更取消 (certificate.corrected.v1, certificate.amendment_withdrawn.v1).
--
-- certificate_versions holds what is shown: one row per version, at its latest revision (0 = as issued,
-- N = its N-th 訂正). A row that stops being shown — replaced by a correction, or withdrawn — moves to
-- hidden_versions unchanged: its content, digest and arrival time (its 電子保証発行日時) are kept as they
-- were, with why it is hidden. Events may arrive in any order: a withdrawal is remembered in
-- withdrawn_versions, so the version it names never shows even when it arrives after it.
ALTER TABLE certificate_versions ADD COLUMN revision integer NOT NULL DEFAULT 0 CHECK (revision >= 0);

CREATE TABLE hidden_versions (
    contract_number text        NOT NULL,
    version         integer     NOT NULL,
    revision        integer     NOT NULL,
    version_label   text        NOT NULL,
    product         text        NOT NULL,
    application_id  uuid        NOT NULL,
    content         jsonb       NOT NULL,
    content_digest  text        NOT NULL,
    auth_key_hash   text        NOT NULL,
    obligee_code    text        NOT NULL,
    issued_at       timestamptz NOT NULL,
    arrived_at      timestamptz NOT NULL,   -- as it arrived: never changed
    event_id        text        NOT NULL,
    hidden_as       text        NOT NULL CHECK (hidden_as IN ('corrected', 'withdrawn')),
    hidden_at       timestamptz NOT NULL DEFAULT now(),
    reason          text        NOT NULL,
    PRIMARY KEY (contract_number, version, revision)
);

CREATE TABLE withdrawn_versions (
    contract_number text        NOT NULL,
    version         integer     NOT NULL,
    withdrawn_at    timestamptz NOT NULL,   -- when the surety company withdrew it
    reason          text        NOT NULL,
    event_id        text        NOT NULL,
    PRIMARY KEY (contract_number, version)
);
