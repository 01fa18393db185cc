-- The 前払金 ratio an orderer usually pays. The law allows up to 40% of 請負金額 for works; some orderers
-- pay less (e.g. 30%) unless they decide otherwise for a contract, so Net Desk only warns above it.
-- (ours) The seeds give no ratios: every seeded orderer keeps 40 (no warning) until its rules are checked.
ALTER TABLE orderers
    ADD COLUMN advance_payment_percent smallint NOT NULL DEFAULT 40 CHECK (advance_payment_percent BETWEEN 1 AND 40);
