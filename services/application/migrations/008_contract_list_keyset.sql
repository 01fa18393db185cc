-- 保証契約一覧 paginated by key (issued_at DESC, contract_number), never by OFFSET, so that a page costs the
-- same at the millionth row as at the first; and the form checks read a 中間前払金's 前払金 and its siblings
-- instead of every contract of the company (issue 12).

-- The list's order, with the tie-breaker, for the first page, the period filters and every next page.
DROP INDEX IF EXISTS contracts_by_company;
CREATE INDEX contracts_by_company ON contracts (company_id, issued_at DESC, contract_number);
-- 保証種類 (product) and the tab 契約保証予約（入札ボンド）.
DROP INDEX IF EXISTS contracts_by_company_product;
CREATE INDEX contracts_by_company_product ON contracts (company_id, product, issued_at DESC, contract_number);
-- The tab 電子保証（認証キー）.
CREATE INDEX contracts_by_company_format ON contracts (company_id, certificate_format, issued_at DESC, contract_number);
-- The tab 保証申込 (the portal's default): everything but bid bonds, which may be most of a company's rows.
CREATE INDEX contracts_by_company_applied ON contracts (company_id, issued_at DESC, contract_number)
    WHERE product <> 'bid_bond';
-- 申込確認 of a 中間前払金: the other 中間前払金保証 of the same 前払金保証 (at most one may be in force).
CREATE INDEX contracts_by_advance_payment ON contracts (advance_payment_contract_number)
    WHERE advance_payment_contract_number IS NOT NULL;

-- 工事名（部分一致）: a trigram index answers LIKE '%…%' (three characters or more; Japanese included, the
-- database's ctype being UTF-8). pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may
-- create it. It may already be installed in another schema of the database, so the operator class is
-- named with the schema it is in.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
DO $$
DECLARE
    trgm_schema text := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                         WHERE e.extname = 'pg_trgm');
BEGIN
    EXECUTE format('CREATE INDEX contracts_by_construction_name ON contracts USING gin (construction_name %I.gin_trgm_ops)',
                   trgm_schema);
END $$;

-- 最近のお手続き on the top page (newest change first, LIMIT n): without it every contract is sorted.
CREATE INDEX contracts_by_company_updated ON contracts (company_id, updated_at DESC);
