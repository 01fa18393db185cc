-- お知らせ from the orderer (platform events): 変更依頼 and 解除確認, one row per request. Keyed by
-- 保証契約番号 alone, like orderer_reviews: the event may arrive before the contract row; 全体トップ and
-- 電子保証概要 join it to the company's contracts when read.
CREATE TABLE orderer_requests (
    request_id        uuid PRIMARY KEY,
    contract_number   text NOT NULL,
    version           integer NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('amendment', 'release')),
    organisation_name text NOT NULL,
    message           text,                          -- 変更依頼: what should change; 解除確認: the note
    grounds           text[] NOT NULL DEFAULT '{}',  -- 解除確認: construction_completed, advance_settled
    requested_at      timestamptz NOT NULL,
    received_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orderer_requests_by_contract ON orderer_requests (contract_number, requested_at DESC);
