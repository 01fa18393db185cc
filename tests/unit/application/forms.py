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
