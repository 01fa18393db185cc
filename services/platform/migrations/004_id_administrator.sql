-- 利用者ID管理者: each organisation's own ID administrator creates its users, resets passwords (the user
-- must change it at the next login), disables users and lifts a user's lookup throttle; every such action
-- is recorded (who, when, what).
ALTER TABLE users
    ADD COLUMN role                 text NOT NULL DEFAULT 'staff' CHECK (role IN ('staff', 'admin')),
    ADD COLUMN disabled_at          timestamptz,
    ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;

CREATE TABLE admin_actions (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    actor_id        uuid NOT NULL REFERENCES users (id),
    action          text NOT NULL,   -- create_user, reset_password, disable, enable, unlock, change_password
    target_login_id text NOT NULL,
    at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX admin_actions_by_organisation ON admin_actions (organisation_id, at DESC);
