-- 確認 (acceptance): the organisation's latest decision on a certificate it opened — 確認済（受理） or
-- 差戻し with a reason — and every decision as it was recorded (who, when, what).
ALTER TABLE register_entries
    ADD COLUMN decision         text CHECK (decision IN ('accepted', 'returned')),
    ADD COLUMN decision_version integer,
    ADD COLUMN decision_reason  text,
    ADD COLUMN decided_at       timestamptz,
    ADD COLUMN decided_by       uuid REFERENCES users (id);

CREATE TABLE review_log (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    contract_number text NOT NULL,
    version         integer NOT NULL,
    decision        text NOT NULL CHECK (decision IN ('accepted', 'returned')),
    reason          text,
    decided_by      uuid NOT NULL REFERENCES users (id),
    decided_at      timestamptz NOT NULL DEFAULT now()
);
