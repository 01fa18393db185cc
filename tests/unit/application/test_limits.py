"""What a draft cannot keep (refused before it is stored) and the bounds' single source."""

from services.application.domain import limits
from services.application.entrypoints.web.form_layout import GUARANTEE_FORM


def test_storage_problems_name_each_field():
    form = {
        "contract": {"construction_name": "工" * 101, "site": "a\u0000", "contract_amount": float("inf"), "jv_name": [1]},
        "information": {"contact": {"name": "山田", "phone": 10**20}, "message_to_company": "あ" * 1000},
    }
    found = {path: rule for path, rule, _ in limits.storage_problems(form)}
    assert found == {
        "contract.construction_name": "too_long",
        "contract.site": "not_storable",
        "contract.contract_amount": "number_too_large",
        "contract.jv_name": "scalar",
        "information.contact.phone": "number_too_large",
    }


def test_what_was_typed_within_bounds_is_kept_even_when_invalid():
    form = {"contract": {"construction_name": "河川\u202e工事", "contract_amount": "abc", "period_start": "昨日"}}
    assert limits.storage_problems(form) == []


def test_the_web_form_stops_typing_at_the_same_bounds():
    fields = {f.name: f for s in GUARANTEE_FORM for f in s.all_fields}
    assert fields["contract.construction_name"].maxlength == 100
    assert fields["information.message_to_company"].maxlength == 1000
    assert fields["advance_payment.fee_billing_to"].maxlength == 40
