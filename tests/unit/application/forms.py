"""A valid application form (the seeds' sample: 川崎市長 / 河川維持（○○）工事), to vary per test."""

import copy


def valid_form() -> dict:
    return copy.deepcopy(
        {
            "contract": {
                "construction_name": "河川維持（○○）工事",
                "orderer_code": "kawasaki-city",
                "orderer_name": "川崎市長",
                "contract_amount": 50_000_000,
                "period_start": "20230401",
                "period_end": "2024-03-29",
                "contract_date": "20230320",
            },
            "advance_payment": {
                "apply": True,
                "certificate_format": "electronic",
                "guaranteed_amount": 20_000_000,
                "depository": "〇〇銀行　××支店",
                "redeposit": "利用しない",
                "fee_payment_method": "一括納付",
                "fee_billing_to": "本社",
                "fee_statement_paper": "希望しない",
            },
            "contract_guarantee": {
                "apply": True,
                "certificate_format": "electronic",
                "guaranteed_amount": 5_000_000,
                "fee_payment_method": "一括納付",
                "fee_billing_to": "本社",
                "fee_statement_paper": "希望する",
            },
            "information": {
                "branch": "川崎支店",
                "notification_wanted": "希望する",
                "email": "soumu@example.jp",
                "contact": {"department": "総務部", "name": "山田 太郎", "phone": "044-000-0000"},
            },
        }
    )


def intermediate_form() -> dict:
    """A 中間前払金保証 alone, against the 前払金保証 35072-00001M of the same works (see `context`)."""
    form = valid_form()
    del form["advance_payment"], form["contract_guarantee"]
    form["intermediate_advance_payment"] = {
        "apply": True,
        "certificate_format": "electronic",
        "advance_payment_contract_number": "35072-00001M",
        "guaranteed_amount": 10_000_000,
        "depository": "〇〇銀行　××支店",
        "redeposit": "利用しない",
        "fee_payment_method": "一括納付",
        "fee_billing_to": "本社",
        "fee_statement_paper": "希望しない",
    }
    return form


def bid_bond_form() -> dict:
    """A 契約保証予約 alone, before the bid: no 請負金額 nor 請負契約日 yet."""
    form = valid_form()
    del form["advance_payment"], form["contract_guarantee"]
    del form["contract"]["contract_amount"], form["contract"]["contract_date"]
    form["bid_bond"] = {
        "apply": True,
        "certificate_format": "electronic",
        "bid_date": "20230301",
        "bid_amount": 48_500_000,
        "guaranteed_amount": 4_850_000,
        "fee_payment_method": "一括納付",
        "fee_billing_to": "本社",
        "fee_statement_paper": "希望しない",
    }
    return form


def paper(form: dict, section: str = "advance_payment") -> dict:
    """The product on paper, received by mail."""
    form[section]["certificate_format"] = "証書(紙)"
    form["information"] |= {
        "receipt_method": "送付",
        "receipt_desired_date": "20230405",
        "addressee": {"name": "○○建設 株式会社 総務部", "postal_code": "210-0001", "address": "神奈川県川崎市川崎区1-1"},
    }
    return form
