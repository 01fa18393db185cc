-- The end of a guarantee as the surety company told it (certificate.expired.v1 / certificate.cancelled.v1):
-- 期間満了 or 解約 with its date. Keyed by 保証契約番号 alone, like orderer_reviews: the event may arrive
-- before the contract row; 保証契約一覧 and 電子保証概要 join it when read. One ending per guarantee.
CREATE TABLE contract_endings (
    contract_number  text        PRIMARY KEY,
    status           text        NOT NULL CHECK (status IN ('expired', 'cancelled')),
    ended_on         date        NOT NULL,   -- 期間満了日 (the day after 保証期限) / 解約日
    guarantee_expiry date,                   -- expired: the 保証期限 that ran out
    request_id       uuid,                   -- cancelled: the request approved
    company_id       uuid        NOT NULL,
    ended_at         timestamptz NOT NULL,   -- when the surety company recorded it
    received_at      timestamptz NOT NULL DEFAULT now()
);

-- 解約の申込 sent from Net Desk (cancellation.requested.v1) and what became of it: pending until the
-- surety company approves (certificate.cancelled.v1) or refuses it (cancellation.refused.v1, with the reason
-- the contractor reads). One pending request per guarantee.
CREATE TABLE cancellation_requests (
    request_id       uuid        PRIMARY KEY,
    contract_number  text        NOT NULL,
    company_id       uuid        NOT NULL,
    reason           text        NOT NULL CHECK (reason IN ('contract_terminated', 'not_needed', 'other')),
    reason_text      text,
    requested_by     uuid        NOT NULL,   -- the contractor's user
    requested_by_name text       NOT NULL,
    requested_at     timestamptz NOT NULL DEFAULT now(),
    state            text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'refused')),
    refusal_reason   text,
    decided_at       timestamptz,
    CHECK ((state = 'refused') = (refusal_reason IS NOT NULL))
);
CREATE UNIQUE INDEX cancellation_requests_one_pending ON cancellation_requests (contract_number) WHERE state = 'pending';
CREATE INDEX cancellation_requests_by_contract ON cancellation_requests (contract_number, requested_at DESC);
