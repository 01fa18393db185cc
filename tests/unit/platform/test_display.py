from datetime import date

from services.platform.domain.display import certificate_display
from tests.unit.platform.samples import certificate


def test_certificate_fields_in_japanese():
    shown = certificate_display(certificate())
    assert shown["title"] == "保証証書（前払金保証）"
    assert shown["product_label"] == "前払金保証"
    assert shown["version_label"] == "新規"
    assert shown["contract_number"] == "35072-00001M"
    assert shown["certificate_date"] == "令和05年04月27日"
    assert shown["guaranteed_amount"] == "20,000,000 円"
    assert shown["contract_amount"] == "50,000,000 円"
    assert shown["guarantee_expiry"] == "令和06年03月29日"
    assert shown["period"] == "令和05年04月28日 ～ 令和06年03月29日"
    assert shown["contract_date"] == "令和05年04月27日"
    assert shown["obligee_name"] == "川崎市長"
    assert shown["contractor_name"] == "○○建設 株式会社"
    assert shown["depository"] == "○○銀行 ××支店"
    assert shown["jv_name"] is None
    assert shown["issuer_branch"] == "神奈川支店"
    assert shown["electronic_note"] == "保証証書（書面）の発行は行わない／電子的な取扱となります"


def test_amendment_and_first_reiwa_year():
    content = certificate(version=2).model_copy(update={"certificate_date": date(2019, 5, 1), "jv_name": "○○・△△JV"})
    shown = certificate_display(content)
    assert shown["version_label"] == "変更-2"
    assert shown["certificate_date"] == "令和元年05月01日"
    assert shown["jv_name"] == "○○・△△JV"


def test_bid_bond_has_no_contract_yet_but_its_bid():
    content = certificate().model_copy(
        update={
            "title": "保証証書（契約保証予約）",
            "product": "bid_bond",
            "contract_amount": None,
            "contract_date": None,
            "depository": None,
            "bid_date": date(2026, 7, 10),
            "bid_amount": 48_000_000,
        }
    )
    shown = certificate_display(content)
    assert shown["product_label"] == "契約保証予約（入札ボンド）"
    assert shown["contract_amount"] is None and shown["contract_date"] is None
    assert shown["bid_date"] == "令和08年07月10日"
    assert shown["bid_amount"] == "48,000,000 円"


def test_intermediate_advance_names_its_advance_payment():
    content = certificate().model_copy(
        update={
            "title": "保証証書（中間前払金保証）",
            "product": "intermediate_advance_payment",
            "advance_payment_contract_number": "35072-00001M",
        }
    )
    shown = certificate_display(content)
    assert shown["product_label"] == "中間前払金保証"
    assert shown["advance_payment_contract_number"] == "35072-00001M"
