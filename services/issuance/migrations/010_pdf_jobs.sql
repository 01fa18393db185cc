-- PDFs leave the issuing transaction (issue 12, docs/pdf-rendering.md): a certificate (or a 変更-N, or a
-- 訂正's revision) commits with its content and digest and one pdf_jobs row per document; the PDF columns
-- are filled afterwards, once, by the render worker or by the first download, whichever comes first.
ALTER TABLE certificates ALTER COLUMN certificate_pdf DROP NOT NULL;
ALTER TABLE certificate_versions ALTER COLUMN certificate_pdf DROP NOT NULL;

-- An electronic certificate still needs its 認証キー and hash at once; its key notice may come later.
ALTER TABLE certificates DROP CONSTRAINT certificates_key_iff_electronic;
ALTER TABLE certificates ADD CONSTRAINT certificates_key_iff_electronic CHECK (
    CASE certificate_format
        WHEN 'electronic' THEN auth_key IS NOT NULL AND auth_key_hash IS NOT NULL
        ELSE auth_key IS NULL AND auth_key_hash IS NULL AND key_notice_pdf IS NULL
    END
);

-- One row per document of one revision of one version. Claimed like the outbox (state, SKIP LOCKED, a lease
-- token); a failed render comes back after `not_before` (backoff). The primary key makes a second job for
-- the same document impossible (a redelivered event, a retried transaction).
CREATE TABLE pdf_jobs (
    contract_number text        NOT NULL,
    version         integer     NOT NULL,
    revision        integer     NOT NULL,
    document        text        NOT NULL CHECK (document IN ('certificate', 'key_notice')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    not_before      timestamptz NOT NULL DEFAULT now(),
    attempts        integer     NOT NULL DEFAULT 0,
    lease_token     uuid,
    lease_until     timestamptz,
    last_error      text,
    done_at         timestamptz,
    PRIMARY KEY (contract_number, version, revision, document),
    FOREIGN KEY (contract_number, version, revision) REFERENCES certificate_versions (contract_number, version, revision)
);
CREATE INDEX pdf_jobs_due ON pdf_jobs (not_before) WHERE done_at IS NULL;

-- Issued is still issued: a version's content, digest and every PDF already stored never change. The one
-- update allowed fills a PDF that is still missing (NULL → bytes), so the first bytes stored are the bytes.
CREATE OR REPLACE FUNCTION certificate_versions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND (NEW.contract_number, NEW.version, NEW.revision, NEW.application_id, NEW.content, NEW.content_digest, NEW.issued_at)
           IS NOT DISTINCT FROM
           (OLD.contract_number, OLD.version, OLD.revision, OLD.application_id, OLD.content, OLD.content_digest, OLD.issued_at)
       AND (OLD.certificate_pdf IS NULL OR NEW.certificate_pdf IS NOT DISTINCT FROM OLD.certificate_pdf)
       AND (OLD.key_notice_pdf IS NULL OR NEW.key_notice_pdf IS NOT DISTINCT FROM OLD.key_notice_pdf) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'certificate_versions is append-only (% of % version %)', TG_OP, OLD.contract_number, OLD.version;
END;
$$;
