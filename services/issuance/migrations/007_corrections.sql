-- 訂正 (correction) and 変更取消 (withdrawal of an amendment), done by surety staff.
--
-- A correction adds a new *revision* of a version (same contract_number and version, revision + 1): the
-- versions table stays append-only, so the revision it replaces keeps its content, digest and PDFs. What
-- is no longer shown is written in version_changes, with who did it, when and why: a revision is shown
-- while no row of version_changes names it. The guarantee's row (certificates) holds the latest shown
-- revision of the latest shown version.
ALTER TABLE certificates DROP CONSTRAINT certificates_latest_version;

ALTER TABLE certificate_versions
    ADD COLUMN revision integer NOT NULL DEFAULT 0 CHECK (revision >= 0);   -- 0 = as issued, N = N-th 訂正
ALTER TABLE certificate_versions DROP CONSTRAINT certificate_versions_pkey;
ALTER TABLE certificate_versions ADD PRIMARY KEY (contract_number, version, revision);
-- One 変更申込 changes one guarantee once; its corrections share its application id.
DROP INDEX certificate_versions_one_per_amendment;
CREATE UNIQUE INDEX certificate_versions_one_per_amendment ON certificate_versions (application_id)
    WHERE version > 0 AND revision = 0;

ALTER TABLE certificates ADD COLUMN revision integer NOT NULL DEFAULT 0;
ALTER TABLE certificates
    ADD CONSTRAINT certificates_latest_version FOREIGN KEY (contract_number, version, revision)
        REFERENCES certificate_versions (contract_number, version, revision) DEFERRABLE INITIALLY DEFERRED;

CREATE TABLE version_changes (
    contract_number text        NOT NULL,
    version         integer     NOT NULL,
    revision        integer     NOT NULL,               -- the revision no longer shown
    action          text        NOT NULL CHECK (action IN ('corrected', 'withdrawn')),
    new_revision    integer,                            -- corrected: the revision shown instead
    done_by         text        NOT NULL,               -- the staff member
    reason          text        NOT NULL,
    done_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (contract_number, version, revision),   -- a revision is replaced or withdrawn once
    FOREIGN KEY (contract_number, version, revision) REFERENCES certificate_versions (contract_number, version, revision),
    CHECK ((action = 'corrected') = (new_revision IS NOT NULL))
);

-- Kept as it is: what was hidden and why is the surety company's record.
CREATE FUNCTION version_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'version_changes is append-only (% of % version %)', TG_OP, OLD.contract_number, OLD.version;
END;
$$;
CREATE TRIGGER version_changes_append_only BEFORE UPDATE OR DELETE ON version_changes
    FOR EACH ROW EXECUTE FUNCTION version_changes_append_only();
