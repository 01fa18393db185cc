-- A 契約保証予約 (入札ボンド) whose bid was lost lapses (BidBondLapsed from the contractor's portal): it can
-- no longer be converted into a 契約保証. A bond is either converted or lapsed, never both.
ALTER TABLE certificates
    ADD COLUMN lapsed_at timestamptz,
    ADD CONSTRAINT certificates_lapsed_bid_bond_only CHECK (lapsed_at IS NULL OR product = 'bid_bond'),
    ADD CONSTRAINT certificates_converted_or_lapsed CHECK (converted_to IS NULL OR lapsed_at IS NULL);
