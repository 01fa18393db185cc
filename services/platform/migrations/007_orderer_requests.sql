-- Requests the orderer starts from a certificate it holds: 変更依頼 (what should change) and 解除確認 (the
-- guarantee may be released: 工事完成 and/or 前払金精算済, with an optional note). Every request as it
-- was sent (who in the organisation, when, on which version); the events name only the organisation.
CREATE TABLE orderer_requests (
    id              uuid PRIMARY KEY,                -- request_id of the event
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    contract_number text NOT NULL,
    version         integer NOT NULL CHECK (version >= 0),
    kind            text NOT NULL CHECK (kind IN ('amendment', 'release')),
    message         text CHECK (char_length(message) <= 500),   -- 変更依頼: required; 解除確認: the note
    grounds         text[] NOT NULL DEFAULT '{}',
    requested_by    uuid NOT NULL REFERENCES users (id),
    requested_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orderer_requests_kind_fields CHECK (
        (kind = 'amendment' AND message IS NOT NULL AND cardinality(grounds) = 0)
        OR (kind = 'release' AND cardinality(grounds) BETWEEN 1 AND 2
            AND grounds <@ ARRAY['construction_completed', 'advance_settled']::text[]))
);
CREATE INDEX orderer_requests_by_certificate ON orderer_requests (organisation_id, contract_number, requested_at DESC);
