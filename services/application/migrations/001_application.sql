-- Contractor companies and their users (Net Desk), sessions (only token digests), applications,
-- and the read model of issued contracts (保証契約一覧) with their publication history.
CREATE TABLE company (
    id          uuid PRIMARY KEY,
    name        text NOT NULL UNIQUE,          -- e.g. ○○建設 株式会社
    address     text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    login_id      text NOT NULL UNIQUE,
    password_hash text NOT NULL,               -- Argon2id
    company_id    uuid NOT NULL REFERENCES company (id),
    display_name  text,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
    token_digest text PRIMARY KEY,             -- SHA-256 of the bearer token, never the token
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at   timestamptz NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE applications (
    id                uuid PRIMARY KEY,
    company_id        uuid NOT NULL REFERENCES company (id),
    created_by        uuid REFERENCES users (id),
    status            text NOT NULL CHECK (status IN ('draft', 'confirmed', 'submitted', 'issued', 'rejected')),
    form              jsonb NOT NULL DEFAULT '{}',
    problems          jsonb,                   -- of the last 申込確認; NULL after an edit
    applied_products  text[] NOT NULL DEFAULT '{}',  -- fixed at 送信完了
    rejection_reasons jsonb NOT NULL DEFAULT '[]',
    correlation_id    text,
    submitted_at      timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX applications_by_company ON applications (company_id, created_at DESC);

-- One row per 保証契約番号, the latest version issued (CertificateIssued).
CREATE TABLE contracts (
    contract_number   text PRIMARY KEY,
    product           text NOT NULL,
    application_id    uuid NOT NULL,
    company_id        uuid NOT NULL,
    contractor_name   text NOT NULL,
    jv_name           text,
    construction_name text NOT NULL,
    orderer_name      text NOT NULL,
    contract_amount   bigint NOT NULL,
    guaranteed_amount bigint NOT NULL,
    depository        text,
    content_digest    text NOT NULL,
    version           integer NOT NULL,
    version_label     text NOT NULL,
    issued_at         timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contracts_by_company ON contracts (company_id, issued_at DESC);
CREATE INDEX contracts_by_application ON contracts (application_id);

-- 電子保証情報（履歴情報）: one row per published version (CertificatePublished). Keyed by number
-- only, so it may arrive before the contract row; the two are joined when read.
CREATE TABLE certificate_history (
    contract_number text NOT NULL,
    version         integer NOT NULL,
    version_label   text NOT NULL,
    published_at    timestamptz NOT NULL,      -- 電子保証発行日時 (UTC)
    content_digest  text NOT NULL,
    application_id  uuid NOT NULL,
    product         text NOT NULL,
    PRIMARY KEY (contract_number, version)
);
