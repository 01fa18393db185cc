-- Issue 8: the Net Desk web portal. Web sessions end after a period of inactivity; login failures are
-- counted (per login id and per source address) to throttle guessing; the previous login time gives the
-- top page its 最近のお手続き; each issued version's content is kept so the portal can show the
-- certificate itself (④), identical to what the orderer sees.

-- NULL: an API bearer token (absolute expiry only). Set: a web session, ended after this many idle seconds.
ALTER TABLE sessions
    ADD COLUMN idle_timeout_seconds integer,
    ADD COLUMN last_seen_at         timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN revoked_at           timestamptz;

ALTER TABLE users
    ADD COLUMN last_login_at     timestamptz,
    ADD COLUMN previous_login_at timestamptz;  -- the login before the current one: 最近のお手続き since then

-- One row per failed login; old rows are deleted as new ones are written.
CREATE TABLE login_failures (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login_id   text NOT NULL,
    source     text NOT NULL,            -- the client address
    failed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_by_login ON login_failures (login_id, failed_at DESC);
CREATE INDEX login_failures_by_source ON login_failures (source, failed_at DESC);

-- Every issued version's certificate content (CertificateIssued / PaperCertificateIssued), as issued.
CREATE TABLE certificate_versions (
    contract_number text NOT NULL,
    version         integer NOT NULL,
    version_label   text NOT NULL,
    content         jsonb NOT NULL,      -- shared.events.CertificateContent
    content_digest  text NOT NULL,
    issued_at       timestamptz NOT NULL,
    PRIMARY KEY (contract_number, version)
);

-- 保証契約一覧 pages by company, newest first, and its tabs by product/format.
CREATE INDEX contracts_by_company_product ON contracts (company_id, product, issued_at DESC);
