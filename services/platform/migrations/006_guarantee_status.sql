-- The end of an electronic guarantee as the surety company told it (certificate.expired.v1 /
-- certificate.cancelled.v1): 期間満了 or 解約 with its date, shown on the certificate view and in the
-- 保証確認台帳. Keyed by 保証契約番号 alone and joined when read: the event may arrive before the
-- certificate itself. Paper guarantees never reach the platform: their events are not stored.
CREATE TABLE certificate_endings (
    contract_number  text        PRIMARY KEY,
    status           text        NOT NULL CHECK (status IN ('expired', 'cancelled')),
    ended_on         date        NOT NULL,   -- 期間満了日 (the day after 保証期限) / 解約日
    guarantee_expiry date,                   -- expired: the 保証期限 that ran out
    ended_at         timestamptz NOT NULL,   -- when the surety company recorded it
    event_id         text        NOT NULL,
    received_at      timestamptz NOT NULL DEFAULT now()
);
