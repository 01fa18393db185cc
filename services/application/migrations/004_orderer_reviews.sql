-- What the orderer did with a certificate (events from the platform): first opened it (発注者閲覧) and its
-- latest decision — 確認済（受理） or 差戻し with a reason — shown on 電子保証概要.
CREATE TABLE orderer_reviews (
    contract_number   text PRIMARY KEY,
    organisation_name text NOT NULL,
    first_viewed_at   timestamptz,
    decision          text CHECK (decision IN ('accepted', 'returned')),
    decision_version  integer,
    decision_reason   text,
    decided_at        timestamptz
);
