"""申込確認 / 送信 / 作成 validate against what the form's rules look at, not every contract of the company
(issue 12): a 中間前払金 reads its 前払金保証 and the 中間前払金保証 already filed on it; anything else reads none."""

from datetime import datetime, timedelta, timezone

import pytest

from services.application.handlers.context import form_context
from tests.integration.application.contract_rows import copy_contracts, record
from tests.integration.application.test_contract_list_paging import a_prefix, new_company, numbers_of
from tests.unit.application.forms import intermediate_form

pytestmark = pytest.mark.integration

T0 = datetime(2024, 4, 1, tzinfo=timezone.utc)


async def test_the_context_holds_the_parent_and_its_intermediates_only(api, service):
    company_id, _ = await new_company(api, "文脈株式会社")
    other_company, _ = await new_company(api, "他社株式会社")
    prefix = a_prefix()
    history = numbers_of(prefix, 300)  # the company's other contracts, which no rule of this form reads
    parent, sibling, lapsed = f"{prefix + 1}-00001M", f"{prefix + 1}-00002C", f"{prefix + 1}-00003C"
    elsewhere = f"{prefix + 1}-00004C"  # another company's, naming the same number: never read
    rows = [record(company_id, n, T0 + timedelta(minutes=i)) for i, n in enumerate(history)]
    rows += [
        record(company_id, parent, T0),
        record(company_id, sibling, T0, product="intermediate_advance_payment", advance_payment_contract_number=parent),
        record(company_id, lapsed, T0, product="intermediate_advance_payment", advance_payment_contract_number=parent),
        record(other_company, elsewhere, T0, product="intermediate_advance_payment",
               advance_payment_contract_number=parent),
    ]
    async with service.pool.acquire() as conn:
        await copy_contracts(conn, rows)
        # Written as a person may type it (full width, lower case): read as validation reads it.
        typed = parent.translate(str.maketrans("0123456789-M", "０１２３４５６７８９－ｍ"))
        form = {"intermediate_advance_payment": {"apply": True, "advance_payment_contract_number": typed}}
        context = await form_context(conn, None, company_id, form)
        assert set(context.contracts) == {parent, sibling, lapsed}
        assert context.contracts[sibling].advance_payment_contract_number == parent

        # A form naming no 前払金保証 (or a number that is not one) reads no contract at all.
        for other in ({}, {"intermediate_advance_payment": {"advance_payment_contract_number": "abc"}},
                      {"advance_payment": {"apply": True}}, None):
            assert (await form_context(conn, None, company_id, other)).contracts == {}
        # The other company's context: its own contract naming that number, never this company's 前払金保証.
        assert set((await form_context(conn, None, other_company, form)).contracts) == {elsewhere}


async def test_an_intermediate_is_still_checked_against_its_parent_among_many(api, service):
    """The rules are unchanged: the parent is found among the company's many contracts (its total ratio shown
    on the draft as before), and once a 中間前払金保証 is filed on it a second one is refused."""
    company_id, headers = await new_company(api, "中間株式会社")
    prefix = a_prefix()
    parent = f"{prefix}-99999M"
    rows = [record(company_id, n, T0 + timedelta(minutes=i)) for i, n in enumerate(numbers_of(prefix, 100))]
    rows.append(record(company_id, parent, T0))
    async with service.pool.acquire() as conn:
        await copy_contracts(conn, rows)
    form = intermediate_form()
    form["intermediate_advance_payment"]["advance_payment_contract_number"] = parent
    created = await api.post("/applications", json=form, headers=headers)
    assert created.status_code == 201, created.text
    assert "intermediate_advance_payment_total" in created.json()["ratios"]
    url = f"/applications/{created.json()['id']}/confirm"

    def parent_rules(answer) -> set[str]:
        return {p["rule"] for p in answer["problems"] if p["path"].endswith("advance_payment_contract_number")}

    assert parent_rules((await api.post(url, headers=headers)).json()) == set()
    async with service.pool.acquire() as conn:
        await copy_contracts(conn, [record(company_id, f"{prefix}-99998C", T0, product="intermediate_advance_payment",
                                           advance_payment_contract_number=parent)])
    assert parent_rules((await api.post(url, headers=headers)).json()) == {"intermediate_exists"}
