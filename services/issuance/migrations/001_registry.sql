-- Reference data of the surety company, kept as data (not code): the issuer, its branches
-- (営業部・支店, the 申込送信先 of an application and the 取扱箇所 on a certificate) and the
-- orderers (発注者) that accept electronic certificates, each from a date judged on a given date.

CREATE TABLE issuer (
    id        smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),   -- one issuing company per deployment
    name      text NOT NULL,
    address   text NOT NULL,
    president text NOT NULL                                    -- 取締役社長
);

CREATE TABLE branches (
    code  text PRIMARY KEY CHECK (code ~ '^[0-9]{3}$'),      -- first three digits of 保証契約番号
    name  text NOT NULL UNIQUE,
    tel   text NOT NULL,
    fax   text NOT NULL,
    email text
);

CREATE TABLE orderers (
    code             text PRIMARY KEY,
    name             text NOT NULL,                           -- 川崎市
    certificate_name text NOT NULL,                           -- 被保証者 as printed: 川崎市長
    e_surety_from    date NOT NULL,                           -- first day e-surety is accepted
    judged_on        text NOT NULL CHECK (judged_on IN ('contract_date', 'tender_notice_date')),
    note             text NOT NULL DEFAULT ''
);

INSERT INTO issuer (name, address, president)
VALUES ('東日本建設業保証株式会社', '東京都中央区八丁堀２丁目２７番１０号', '原田　保夫');

-- Branch codes are ours: 370 (長野) and 350 (神奈川) follow the first digits of the seeds' sample
-- numbers 37071-00000M (長野) and 35072-00000M (川崎); the others are invented.
-- TEL from the seeds: 営業部, 長野支店 (also FAX), 神奈川支店, 茨城支店, 秋田支店; 営業部 FAX from the seeds.
-- Invented (the seeds give none): the FAX of 神奈川・茨城・秋田支店 and the TEL and FAX of 静岡支店.
INSERT INTO branches (code, name, tel, fax, email) VALUES
    ('100', '営業部',     '03-3551-9511', '0120-027-036', NULL),
    ('370', '長野支店',   '026-226-7520', '0120-027-376', 'ng.mlad1@ejcs.co.jp'),
    ('350', '神奈川支店', '045-662-8203', '045-662-8210', 'ka.mlal1@ejcs.co.jp'),   -- FAX invented
    ('310', '茨城支店',   '029-221-3800', '029-221-3810', NULL),                    -- FAX invented
    ('150', '秋田支店',   '018-863-1000', '018-863-1010', 'ak.mlad1@ejcs.co.jp'),   -- FAX invented
    ('380', '静岡支店',   '054-255-1000', '054-255-1010', NULL);                    -- TEL and FAX invented

INSERT INTO orderers (code, name, certificate_name, e_surety_from, judged_on, note) VALUES
    ('kawasaki-city', '川崎市', '川崎市長', '2023-04-01', 'contract_date',
     '令和5年4月1日以降契約締結分'),
    ('mishima-city', '三島市', '三島市長', '2026-01-01', 'contract_date',
     '令和8年1月以降に三島市と契約の締結を行う案件'),
    ('yurihonjo-city', '由利本荘市', '由利本荘市長', '2026-04-01', 'tender_notice_date',
     '由利本荘市が2026年4月1日以降に入札公告等をする建設工事・業務委託'),
    -- From the start of EJCS e-surety (2022-05-09); the prefecture decides per contract. The certificate
    -- usually names an office (長野県△△建設事務所長): the application's orderer_name is printed when given.
    ('nagano-pref', '長野県', '長野県知事', '2022-05-09', 'contract_date',
     '長野県が電子保証の利用を認めた工事・業務委託であること（契約ごとに県が判断）'),
    -- The seed is a briefing dated 令和8年5月20日 without a start date: 2026-06-01 is OUR assumption.
    ('hitachinaka-city', 'ひたちなか市', 'ひたちなか市長', '2026-06-01', 'contract_date',
     '開始日は当社の想定（説明会 令和8年5月20日）。市の正式な開始日を確認のこと');
