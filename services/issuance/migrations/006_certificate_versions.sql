-- Amendments (変更-N): a guarantee keeps its 保証契約番号 and its 認証キー; each change is a new version with
-- its own content, content digest and PDFs. Every version ever issued is kept here, append-only, so the
-- digest and the PDFs of an older version never change and the contractor can still download them.
--
-- `certificates` stays the guarantee's row (what conversions, lapses and links refer to). Its
-- contract_number, application_id (the 新規 application), contractor, product, format, links, 認証キー and
-- issued_at (when the guarantee was first issued) describe the guarantee; version, content,
-- content_digest, certificate_pdf and key_notice_pdf are those of its LATEST version (a copy of the
-- matching row below, updated by each amendment).
CREATE TABLE certificate_versions (
    contract_number text NOT NULL REFERENCES certificates (contract_number),
    version         integer NOT NULL CHECK (version >= 0),          -- 0 = 新規, N = 変更-N
    application_id  uuid NOT NULL,                                  -- the application this version answers
    content         jsonb NOT NULL,
    content_digest  text NOT NULL,
    certificate_pdf bytea NOT NULL,
    key_notice_pdf  bytea,                                          -- NULL on paper (証書(紙)), like certificates
    issued_at       timestamptz NOT NULL,
    PRIMARY KEY (contract_number, version)
);
-- One 変更申込 changes one guarantee once (a 新規 application may hold several products, hence version > 0).
CREATE UNIQUE INDEX certificate_versions_one_per_amendment ON certificate_versions (application_id) WHERE version > 0;
CREATE INDEX certificate_versions_application ON certificate_versions (application_id);

-- Every certificate issued so far is its guarantee's version (all of them 新規 today).
INSERT INTO certificate_versions (contract_number, version, application_id, content, content_digest,
                                  certificate_pdf, key_notice_pdf, issued_at)
SELECT contract_number, version, application_id, content, content_digest, certificate_pdf, key_notice_pdf, issued_at
  FROM certificates;

-- The guarantee's latest version is always one of its versions (checked at commit: the guarantee row and
-- its version 0 are inserted in the same transaction).
ALTER TABLE certificates
    ADD CONSTRAINT certificates_latest_version FOREIGN KEY (contract_number, version)
        REFERENCES certificate_versions (contract_number, version) DEFERRABLE INITIALLY DEFERRED;

-- Issued is issued: a version is never changed nor removed.
CREATE FUNCTION certificate_versions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'certificate_versions is append-only (% of % version %)', TG_OP, OLD.contract_number, OLD.version;
END;
$$;
CREATE TRIGGER certificate_versions_append_only BEFORE UPDATE OR DELETE ON certificate_versions
    FOR EACH ROW EXECUTE FUNCTION certificate_versions_append_only();
