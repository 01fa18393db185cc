-- Issued certificates. One row per 保証契約番号 (amendments, 変更-N, are a later issue).
CREATE TABLE certificates (
    contract_number       text PRIMARY KEY CHECK (contract_number ~ '^[0-9]{5}-[0-9]{5}[MCKY]$'),
    application_id        uuid NOT NULL,
    contractor_company_id uuid NOT NULL,
    product               text NOT NULL,
    version               integer NOT NULL DEFAULT 0,
    content               jsonb NOT NULL,
    content_digest        text NOT NULL,
    -- The 認証キー in plain text ON PURPOSE: the surety company must show it to the contractor again
    -- (Net Desk 電子保証概要 and the key notice PDF). Only its hash leaves this service; the platform
    -- stores only the hash.
    auth_key              text NOT NULL,
    auth_key_hash         text NOT NULL,
    certificate_pdf       bytea NOT NULL,
    key_notice_pdf        bytea NOT NULL,
    issued_at             timestamptz NOT NULL DEFAULT now(),
    UNIQUE (application_id, product)
);
CREATE INDEX certificates_company ON certificates (contractor_company_id);

-- Applications the company could not accept, with the reasons sent back.
CREATE TABLE rejections (
    application_id uuid PRIMARY KEY,
    reasons        jsonb NOT NULL,
    rejected_at    timestamptz NOT NULL DEFAULT now()
);
