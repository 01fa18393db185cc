-- What the orderers asked of the guarantees this company issued (platform events): 変更依頼 and 解除確認,
-- one row per request, for the staff (CLI list-orderer-requests; the back office later).
CREATE TABLE orderer_requests (
    request_id        uuid PRIMARY KEY,
    contract_number   text NOT NULL REFERENCES certificates (contract_number),
    version           integer NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('amendment', 'release')),
    organisation_code text NOT NULL,
    organisation_name text NOT NULL,
    message           text,                          -- 変更依頼: what should change; 解除確認: the note
    grounds           text[] NOT NULL DEFAULT '{}',  -- 解除確認: construction_completed, advance_settled
    requested_at      timestamptz NOT NULL,
    received_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orderer_requests_by_contract ON orderer_requests (contract_number, requested_at DESC);
CREATE INDEX orderer_requests_by_time ON orderer_requests (requested_at DESC);
