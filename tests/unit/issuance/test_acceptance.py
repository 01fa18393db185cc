from datetime import date, timedelta

import pytest

from services.issuance.domain.acceptance import review
from services.issuance.domain.model import Branch, JudgedOn, Orderer
from shared.events import CertificateFormat, RejectionReason
from tests.unit.issuance.factories import advance, application, contract_guarantee

BRANCH = Branch(code="350", name="神奈川支店", tel="045-662-8203", fax="045-662-8210")

# The seeded registry (services/issuance/migrations/001_registry.sql), as the domain sees it.
ORDERERS = {
    "kawasaki-city": Orderer("kawasaki-city", "川崎市", "川崎市長", date(2023, 4, 1), JudgedOn.CONTRACT_DATE),
    "mishima-city": Orderer("mishima-city", "三島市", "三島市長", date(2026, 1, 1), JudgedOn.CONTRACT_DATE),
    "yurihonjo-city": Orderer("yurihonjo-city", "由利本荘市", "由利本荘市長", date(2026, 4, 1), JudgedOn.TENDER_NOTICE_DATE),
    "nagano-pref": Orderer("nagano-pref", "長野県", "長野県知事", date(2022, 5, 9), JudgedOn.CONTRACT_DATE),
    "hitachinaka-city": Orderer("hitachinaka-city", "ひたちなか市", "ひたちなか市長", date(2026, 6, 1), JudgedOn.CONTRACT_DATE),
}

NOT_YET = {
    "kawasaki-city": "川崎市は2023年4月1日（令和5年4月1日）以降に締結する契約から電子保証に対応しています。",
    "mishima-city": "三島市は2026年1月1日（令和8年1月1日）以降に締結する契約から電子保証に対応しています。",
    "nagano-pref": "長野県は2022年5月9日（令和4年5月9日）以降に締結する契約から電子保証に対応しています。",
    "hitachinaka-city": "ひたちなか市は2026年6月1日（令和8年6月1日）以降に締結する契約から電子保証に対応しています。",
}


@pytest.mark.parametrize("code", sorted(NOT_YET))
def test_contract_date_boundary(code):
    orderer = ORDERERS[code]
    start = orderer.e_surety_from
    assert review(application(orderer_code=code, contract_date=start), orderer, BRANCH) == []
    assert review(application(orderer_code=code, contract_date=start + timedelta(days=400)), orderer, BRANCH) == []
    reasons = review(application(orderer_code=code, contract_date=start - timedelta(days=1)), orderer, BRANCH)
    assert reasons == [RejectionReason(field="contract.contract_date", rule="orderer_not_yet_e_surety", message=NOT_YET[code])]


def test_tender_notice_date_decides_for_yurihonjo():
    orderer = ORDERERS["yurihonjo-city"]
    # The contract date does not matter, the 入札公告日 does.
    ok = application(orderer_code="yurihonjo-city", tender_notice_date=date(2026, 4, 1), contract_date=date(2026, 3, 1))
    assert review(ok, orderer, BRANCH) == []
    early = application(orderer_code="yurihonjo-city", tender_notice_date=date(2026, 3, 31), contract_date=date(2026, 6, 1))
    assert review(early, orderer, BRANCH) == [
        RejectionReason(
            field="contract.tender_notice_date",
            rule="orderer_not_yet_e_surety",
            message="由利本荘市は2026年4月1日（令和8年4月1日）以降に入札公告等をする工事・業務委託から電子保証に対応しています。",
        )
    ]


def test_missing_tender_notice_date_is_asked_for():
    reasons = review(application(orderer_code="yurihonjo-city", tender_notice_date=None), ORDERERS["yurihonjo-city"], BRANCH)
    assert reasons == [
        RejectionReason(
            field="contract.tender_notice_date",
            rule="tender_notice_date_required",
            message="由利本荘市の電子保証は入札公告日で判定します。入札公告日を入力してください。",
        )
    ]


def test_unknown_orderer_and_branch():
    reasons = review(application(orderer_code="atlantis", orderer_name="アトランティス市長", branch="月面支店"), None, None)
    assert reasons == [
        RejectionReason(
            field="branch",
            rule="branch_unknown",
            message="申込送信先「月面支店」は当社の営業部・支店にありません。営業部・支店名を選択してください。",
        ),
        RejectionReason(
            field="contract.orderer_code",
            rule="orderer_not_registered",
            message="発注者「アトランティス市長」（atlantis）は当社の発注者として登録されていません。発注者を選択してください。",
        ),
    ]


def test_product_rules():
    orderer = ORDERERS["kawasaki-city"]
    assert [r.rule for r in review(application(products=[]), orderer, BRANCH)] == ["no_products"]
    paper = application(products=[advance(certificate_format=CertificateFormat.PAPER)])
    assert review(paper, orderer, BRANCH) == []  # paper is accepted (issue 4)
    twice = application(products=[contract_guarantee(), contract_guarantee()])
    assert [(r.field, r.message) for r in review(twice, orderer, BRANCH)] == [
        ("products[1].product", "契約保証が重複して申し込まれています。")
    ]
    no_bank = application(products=[advance(depository="  ")])
    assert [(r.field, r.rule, r.message) for r in review(no_bank, orderer, BRANCH)] == [
        ("products[0].depository", "depository_required", "前払金保証には預託金融機関（products[0].depository）の入力が必要です。")
    ]
