-- Issue 9 (first part): the orderer's web pages. Web sessions end after inactivity or at logout; the
-- user's name as it is printed on a viewing record; login failures for throttling; lookup failures also
-- counted per 保証契約番号 and per organisation (many accounts cannot together guess one key); the
-- organisation's 保証確認台帳 (every certificate it has opened, so it can re-open one without the key)
-- and its 閲覧履歴 (who opened what, when, success or not).

ALTER TABLE access_tokens
    ADD COLUMN idle_timeout_seconds integer,          -- NULL: an API bearer token
    ADD COLUMN last_seen_at         timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN revoked_at           timestamptz;

ALTER TABLE users ADD COLUMN display_name text;      -- e.g. 契約課 山田 (printed on the viewing record)

CREATE TABLE login_failures (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login_id  text NOT NULL,
    source    text NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_by_login ON login_failures (login_id, failed_at DESC);
CREATE INDEX login_failures_by_source ON login_failures (source, failed_at DESC);

ALTER TABLE lookup_failures ADD COLUMN organisation_id uuid REFERENCES organisations (id);
CREATE INDEX lookup_failures_by_number ON lookup_failures (contract_number, failed_at);
CREATE INDEX lookup_failures_by_organisation ON lookup_failures (organisation_id, failed_at);

-- 保証確認台帳: one row per certificate an organisation has opened with its number and key.
CREATE TABLE register_entries (
    organisation_id     uuid NOT NULL REFERENCES organisations (id),
    contract_number     text NOT NULL,
    first_viewed_at     timestamptz NOT NULL,
    first_viewed_by     uuid NOT NULL REFERENCES users (id),
    last_viewed_at      timestamptz NOT NULL,
    last_viewed_by      uuid NOT NULL REFERENCES users (id),
    last_viewed_version integer NOT NULL,            -- 変更あり when a newer version has arrived since
    PRIMARY KEY (organisation_id, contract_number)
);

-- 閲覧履歴: every opening, successful or not (never the key).
CREATE TABLE viewing_log (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    user_id         uuid NOT NULL REFERENCES users (id),
    contract_number text NOT NULL,
    version         integer,
    succeeded       boolean NOT NULL,
    viewed_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX viewing_log_by_organisation ON viewing_log (organisation_id, viewed_at DESC);
