-- 訂正 and 変更取消 in Net Desk's read model (certificate.corrected.v1, certificate.amendment_withdrawn.v1).
--
-- certificate_versions and certificate_history hold what is shown: one row per version at its latest
-- revision (0 = as issued, N = its N-th 訂正); contracts shows the latest shown version. A row that stops
-- being shown moves to hidden_versions with why (the content and 電子保証発行日時 it had, unchanged); a
-- withdrawal is remembered in withdrawn_versions so that a late copy of the version never shows.
ALTER TABLE certificate_versions ADD COLUMN revision integer NOT NULL DEFAULT 0 CHECK (revision >= 0);
ALTER TABLE certificate_history ADD COLUMN revision integer NOT NULL DEFAULT 0 CHECK (revision >= 0);
ALTER TABLE contracts ADD COLUMN revision integer NOT NULL DEFAULT 0;

CREATE TABLE hidden_versions (
    contract_number text        NOT NULL,
    version         integer     NOT NULL,
    revision        integer     NOT NULL,
    version_label   text        NOT NULL,
    content         jsonb,                  -- NULL: only its publication was here
    content_digest  text        NOT NULL,
    issued_at       timestamptz,
    published_at    timestamptz,            -- its 電子保証発行日時, as it was
    hidden_as       text        NOT NULL CHECK (hidden_as IN ('corrected', 'withdrawn')),
    hidden_at       timestamptz NOT NULL DEFAULT now(),
    reason          text        NOT NULL,
    PRIMARY KEY (contract_number, version, revision)
);

CREATE TABLE withdrawn_versions (
    contract_number text        NOT NULL,
    version         integer     NOT NULL,
    withdrawn_at    timestamptz NOT NULL,
    reason          text        NOT NULL,
    PRIMARY KEY (contract_number, version)
);
