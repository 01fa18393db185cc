-- Certificate versions as they arrived on the platform. arrived_at is the 電子保証発行日時 (UTC),
-- set once by the first delivery; the primary key makes a re-sent copy of a version a no-op.
CREATE TABLE certificate_versions (
    contract_number text        NOT NULL,
    version         integer     NOT NULL,
    version_label   text        NOT NULL,
    product         text        NOT NULL,
    application_id  uuid        NOT NULL,
    content         jsonb       NOT NULL,
    content_digest  text        NOT NULL,
    auth_key_hash   text        NOT NULL,  -- Argon2id hash of the 認証キー; the key itself never reaches us
    obligee_code    text        NOT NULL,
    issued_at       timestamptz NOT NULL,
    arrived_at      timestamptz NOT NULL,
    event_id        text        NOT NULL,
    PRIMARY KEY (contract_number, version)
);
CREATE INDEX certificate_versions_obligee ON certificate_versions (obligee_code);

-- Orderer organisations (発注者), with the code of the orderer registry (e.g. kawasaki-city).
CREATE TABLE organisations (
    id         uuid PRIMARY KEY,
    code       text        NOT NULL UNIQUE,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Orderer staff (利用者ID); passwords as Argon2id hashes.
CREATE TABLE users (
    id              uuid PRIMARY KEY,
    login_id        text        NOT NULL UNIQUE,
    password_hash   text        NOT NULL,
    organisation_id uuid        NOT NULL REFERENCES organisations (id),
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- Bearer tokens: only the SHA-256 of the token is stored.
CREATE TABLE access_tokens (
    token_digest text PRIMARY KEY,
    user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX access_tokens_expiry ON access_tokens (expires_at);

-- Failed number/key checks, per user, for throttling that holds across processes.
CREATE TABLE lookup_failures (
    id              bigserial PRIMARY KEY,
    user_id         uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    failed_at       timestamptz NOT NULL DEFAULT now(),
    contract_number text        NOT NULL
);
CREATE INDEX lookup_failures_recent ON lookup_failures (user_id, failed_at);
