-- The end of a guarantee: 期間満了 (the scheduled job) and 解約 (the contractor's request, approved by staff).
--
-- A guarantee ends once: guarantee_endings has at most one row per 保証契約番号 (the primary key), so the
-- expiry job on two replicas, a job run twice, and an approval racing the job cannot end it twice — the
-- second INSERT … ON CONFLICT DO NOTHING finds the first and emits nothing. Kept as written (append-only).
CREATE TABLE guarantee_endings (
    contract_number  text        PRIMARY KEY REFERENCES certificates (contract_number),
    status           text        NOT NULL CHECK (status IN ('expired', 'cancelled')),
    ended_on         date        NOT NULL,   -- 期間満了: the day after 保証期限 (JST); 解約: the 解約日 staff set
    guarantee_expiry date        NOT NULL,   -- the 保証期限 of the latest version when it ended
    request_id       uuid,                   -- 解約: the approved request (cancellation_requests)
    done_by          text,                   -- 解約: the staff member who approved; 期間満了: NULL (the job)
    ended_at         timestamptz NOT NULL DEFAULT now(),
    event_id         text        NOT NULL,   -- the certificate.expired / certificate.cancelled event sent
    CHECK ((status = 'cancelled') = (request_id IS NOT NULL AND done_by IS NOT NULL))
);

CREATE FUNCTION guarantee_endings_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'guarantee_endings is append-only (% of %)', TG_OP, OLD.contract_number;
END;
$$;
CREATE TRIGGER guarantee_endings_append_only BEFORE UPDATE OR DELETE ON guarantee_endings
    FOR EACH ROW EXECUTE FUNCTION guarantee_endings_append_only();

-- What the job scans: the latest content's 保証期限 (ISO text: its order is the dates' order).
CREATE INDEX certificates_guarantee_expiry ON certificates ((content ->> 'guarantee_expiry'));

-- 解約の申込 from Net Desk (cancellation.requested.v1), and what staff decided. One pending request per
-- guarantee; a decided one is kept as it was decided.
CREATE TABLE cancellation_requests (
    request_id            uuid        PRIMARY KEY,
    contract_number       text        NOT NULL REFERENCES certificates (contract_number),
    contractor_company_id uuid        NOT NULL,
    reason                text        NOT NULL CHECK (reason IN ('contract_terminated', 'not_needed', 'other')),
    reason_text           text,
    requested_by          text        NOT NULL,   -- the contractor's user (name or login id)
    requested_at          timestamptz NOT NULL,
    received_at           timestamptz NOT NULL DEFAULT now(),
    state                 text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'refused')),
    decided_by            text,                   -- the staff member, or 自動判定 (refused on receipt)
    decided_at            timestamptz,
    cancelled_on          date,                   -- approved: the 解約日
    refusal_reason        text,                   -- refused: shown to the contractor
    CHECK ((state = 'pending') = (decided_at IS NULL AND decided_by IS NULL)),
    CHECK ((state = 'approved') = (cancelled_on IS NOT NULL)),
    CHECK ((state = 'refused') = (refusal_reason IS NOT NULL))
);
CREATE UNIQUE INDEX cancellation_requests_one_pending ON cancellation_requests (contract_number) WHERE state = 'pending';
CREATE INDEX cancellation_requests_by_time ON cancellation_requests (requested_at DESC);
