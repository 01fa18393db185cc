"""解約の申込 on Net Desk (domain/cancellation.py): the form's rules with their exact Japanese messages, which
guarantees may be cancelled, the labels with the date, and a 変更申込 of an ended guarantee at 申込確認."""

from datetime import date

import pytest

from services.application.domain import amendment, cancellation
from services.application.domain.cancellation import InvalidCancellation, checked_form
from services.application.domain.context import AmendedGuarantee
from services.application.domain.problems import Reader
from shared.events import CancellationReason, CertificateFormat, Product
from tests.samples import sample_certificate_content

NUMBER = "35072-00001M"


def problems(reason, text) -> list[tuple[str, str, str]]:
    with pytest.raises(InvalidCancellation) as caught:
        checked_form(reason, text)
    return [(p["path"], p["rule"], p["message"]) for p in caught.value.problems]


def test_a_reason_and_for_other_its_words():
    assert checked_form("contract_terminated", "") == cancellation.CancellationForm(CancellationReason.CONTRACT_TERMINATED, None)
    assert checked_form("not_needed", " 発注者の指示 ") == cancellation.CancellationForm(CancellationReason.NOT_NEEDED, "発注者の指示")
    assert checked_form("other", "工事を\r\n別の業者が引き継いだ").reason_text == "工事を\n別の業者が引き継いだ"
    assert problems("", None) == [("reason", "required_choice", "解約の理由（reason）を選択してください")]
    assert problems("cancel", None) == [(
        "reason", "choice",
        "解約の理由（reason）は「契約解除（工事の中止）」「保証が不要になった」「その他」のいずれかを選択してください",
    )]
    assert problems("other", "  ") == [(
        "reason_text", "required", "解約の理由（詳細）（reason_text）を入力してください（解約の理由が「その他」の場合は必須です）"
    )]


def test_the_words_are_bounded_and_printable():
    assert checked_form("other", "あ" * 200).reason_text == "あ" * 200
    assert problems("other", "あ" * 201) == [
        ("reason_text", "too_long", "解約の理由（詳細）（reason_text）は200文字以内で入力してください（現在 201文字）")
    ]
    [(path, rule, message)] = problems("not_needed", "理由😀")
    assert (path, rule) == ("reason_text", "characters") and "「😀」" in message
    # Both fields at once: every problem is reported.
    assert [p[0] for p in problems("", "x" * 300)] == ["reason", "reason_text"]


def test_which_guarantees_can_be_cancelled():
    assert cancellation.not_cancellable(NUMBER, "advance_payment", "published", None, False) is None
    assert cancellation.not_cancellable(NUMBER, "contract_guarantee", "issued", None, False) is None  # paper too
    assert cancellation.not_cancellable(NUMBER, "advance_payment", "expired", date(2027, 4, 1), False) == (
        "保証契約 35072-00001M は既に期間満了（令和9年4月1日）となっているため、解約の申込はできません"
    )
    assert "既に解約（令和9年1月15日）" in cancellation.not_cancellable(NUMBER, "advance_payment", "cancelled", date(2027, 1, 15), False)
    assert cancellation.not_cancellable("35072-00001Y", "bid_bond", "issued", None, False) == cancellation.BID_BOND
    assert cancellation.not_cancellable(NUMBER, "advance_payment", "published", None, True) == cancellation.PENDING


def test_labels_and_notes_carry_the_date():
    assert cancellation.ended_label("expired", date(2027, 4, 1)) == "期間満了（令和9年4月1日）"
    assert cancellation.ended_label("cancelled", date(2027, 1, 15)) == "解約（令和9年1月15日）"
    assert cancellation.status_note("expired", date(2027, 4, 1)) == (
        "この保証契約は保証期限（令和9年3月31日）を過ぎたため、令和9年4月1日に期間満了となりました。表示している内容は期間満了前のものです。"
    )
    assert cancellation.status_note("cancelled", date(2027, 1, 15)).startswith("この保証契約は令和9年1月15日に解約されました。")


@pytest.mark.parametrize(
    ("status", "rule", "message"),
    [
        ("expired", "amendment_expired", "変更する保証契約番号（amendment.contract_number）の35072-00001Mは令和9年4月1日に期間満了となったため変更できません"),
        ("cancelled", "amendment_cancelled", "変更する保証契約番号（amendment.contract_number）の35072-00001Mは令和9年4月1日に解約されたため変更できません"),
    ],
)
def test_a_change_of_an_ended_guarantee_is_refused_at_confirmation(status, rule, message):
    amended = AmendedGuarantee(
        contract_number=NUMBER, product=Product.ADVANCE_PAYMENT, certificate_format=CertificateFormat.ELECTRONIC,
        version=0, version_label="新規", status=status, content=sample_certificate_content(), ended_on=date(2027, 4, 1),
    )
    reader = Reader({"amendment": {"contract_number": NUMBER, "base_version": 0}})
    assert amendment.check(reader, amended, {}, []) is None
    assert [(p.path, p.rule, p.message) for p in reader.problems] == [("amendment.contract_number", rule, message)]
    assert cancellation.amendment_refusal(NUMBER, status, date(2027, 4, 1)).startswith(f"保証契約 {NUMBER} は令和9年4月1日に")
