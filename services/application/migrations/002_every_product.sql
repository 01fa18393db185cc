-- Issue 4: every product (中間前払金, 契約保証予約) and paper certificates in the read model, the two-person
-- sending (送信パスワード: one prepares, another sends) and who did what on an application.

-- 送信パスワード of the company (Argon2id); NULL = whoever prepares also sends.
ALTER TABLE company ADD COLUMN send_password_hash text;

-- 送信待ち: prepared, waiting for someone holding the send password.
ALTER TABLE applications DROP CONSTRAINT applications_status_check;
ALTER TABLE applications ADD CONSTRAINT applications_status_check
    CHECK (status IN ('draft', 'confirmed', 'awaiting_send', 'submitted', 'issued', 'rejected'));
ALTER TABLE applications
    ADD COLUMN prepared_by           uuid REFERENCES users (id),
    ADD COLUMN prepared_at           timestamptz,
    ADD COLUMN sent_by               uuid REFERENCES users (id),
    ADD COLUMN sent_at               timestamptz,
    ADD COLUMN acknowledged_warnings jsonb NOT NULL DEFAULT '[]';  -- the warnings accepted at 送信

-- A bid bond has no contract amount before the bid.
ALTER TABLE contracts ALTER COLUMN contract_amount DROP NOT NULL;
ALTER TABLE contracts
    ADD COLUMN certificate_format text NOT NULL DEFAULT 'electronic'
        CHECK (certificate_format IN ('electronic', 'paper')),
    ADD COLUMN orderer_code                    text,
    ADD COLUMN period_start                    date,
    ADD COLUMN period_end                      date,
    ADD COLUMN advance_payment_contract_number text,   -- 中間前払金 → its 前払金
    ADD COLUMN bid_bond_contract_number        text,   -- 契約保証 → the bid bond it was converted from
    -- issued; a bid bond becomes converted (won: a new application) or lapsed (lost).
    ADD COLUMN status                          text NOT NULL DEFAULT 'issued'
        CHECK (status IN ('issued', 'converted', 'lapsed')),
    ADD COLUMN converted_application_id        uuid;
