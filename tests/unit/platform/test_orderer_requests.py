"""変更依頼 / 解除確認 as the orderer types them: each rule with a pass and a fail and its exact Japanese
message naming the field; and the two event models' own bounds."""

import uuid
from datetime import datetime, timezone

import pytest
from pydantic import ValidationError

from shared.events import AmendmentRequestedV1, ReleaseGround, ReleaseRequestedV1
from services.platform.domain.orderer_requests import InvalidRequest, checked_amendment, checked_release, grounds_for

ADVANCE, INTERMEDIATE, GUARANTEE, BID_BOND = "advance_payment", "intermediate_advance_payment", "contract_guarantee", "bid_bond"
COMPLETED, SETTLED = "construction_completed", "advance_settled"


def errors_of(call, *args) -> dict[str, str]:
    with pytest.raises(InvalidRequest) as refused:
        call(*args)
    return refused.value.errors


def test_amendment_message_is_required_trimmed_and_line_breaks_kept():
    assert checked_amendment("  工期の延長に合わせて\r\n保証期限を変更してください ") == "工期の延長に合わせて\n保証期限を変更してください"
    for blank in ("", "   ", "\r\n\u3000"):
        assert errors_of(checked_amendment, blank) == {"amendment_message": "変更してほしい内容を入力してください。"}


def test_amendment_message_at_most_500_characters():
    assert checked_amendment("あ" * 500) == "あ" * 500
    assert errors_of(checked_amendment, "あ" * 501) == {
        "amendment_message": "変更してほしい内容は500文字以内で入力してください（現在 501文字）。"
    }
    # Counted after NFC: a kana typed as base + combining mark is one character.
    assert checked_amendment("か\u3099" * 500) == "が" * 500


def test_amendment_message_in_the_character_policy():
    assert errors_of(checked_amendment, "変更\u202eしてください") == {
        "amendment_message": "変更してほしい内容に使えない文字が含まれています: 書式制御文字（U+202E）。"
    }
    assert errors_of(checked_amendment, "変更😀") == {
        "amendment_message": "変更してほしい内容に使えない文字が含まれています: 「😀」（U+1F600）。"
    }
    assert checked_amendment("①㈱髙﨑 〜 −") == "①㈱髙﨑 〜 −"


def test_release_grounds_depend_on_the_product():
    assert grounds_for(ADVANCE) == grounds_for(INTERMEDIATE) == [ReleaseGround.CONSTRUCTION_COMPLETED,
                                                                ReleaseGround.ADVANCE_SETTLED]
    assert grounds_for(GUARANTEE) == grounds_for(BID_BOND) == [ReleaseGround.CONSTRUCTION_COMPLETED]
    # Both, in the usual order whatever order they came in, each once.
    assert checked_release([SETTLED, COMPLETED, SETTLED], "", ADVANCE) == (
        [ReleaseGround.CONSTRUCTION_COMPLETED, ReleaseGround.ADVANCE_SETTLED], None)
    assert checked_release([SETTLED], "", INTERMEDIATE) == ([ReleaseGround.ADVANCE_SETTLED], None)
    assert checked_release([COMPLETED], "", GUARANTEE) == ([ReleaseGround.CONSTRUCTION_COMPLETED], None)
    assert errors_of(checked_release, [SETTLED], "", GUARANTEE) == {
        "release_grounds": "前払金精算済は前払金保証・中間前払金保証の場合だけ選択できます。"
    }


def test_release_needs_a_known_ground():
    assert errors_of(checked_release, [], "", ADVANCE) == {
        "release_grounds": "解除確認の内容（工事完成・前払金精算済）を1つ以上選択してください。"
    }
    assert errors_of(checked_release, [], "", GUARANTEE) == {
        "release_grounds": "解除確認の内容（工事完成）を選択してください。"
    }
    assert errors_of(checked_release, ["released"], "", ADVANCE) == {
        "release_grounds": "解除確認の内容は「工事完成」「前払金精算済」から選択してください。"
    }


def test_release_note_is_optional_bounded_and_every_problem_comes_at_once():
    assert checked_release([COMPLETED], "  完成検査済み\n（令和7年12月10日） ", ADVANCE)[1] == "完成検査済み\n（令和7年12月10日）"
    assert checked_release([COMPLETED], "い" * 500, ADVANCE)[1] == "い" * 500
    assert errors_of(checked_release, [], "い" * 501, ADVANCE) == {
        "release_grounds": "解除確認の内容（工事完成・前払金精算済）を1つ以上選択してください。",
        "release_note": "解除確認の備考は500文字以内で入力してください（現在 501文字）。",
    }
    assert errors_of(checked_release, [COMPLETED], "\x1b", ADVANCE) == {
        "release_note": "解除確認の備考に使えない文字が含まれています: ESC（U+001B）。"
    }


def _common() -> dict:
    return dict(request_id=uuid.uuid4(), contract_number="35072-00001M", version=0, organisation_code="kawasaki-city",
                organisation_name="川崎市", requested_at=datetime(2026, 1, 5, 1, 0, tzinfo=timezone.utc))


def test_event_models_refuse_what_no_page_sends():
    AmendmentRequestedV1(**_common(), message="変更してください")
    for message in ("", "あ" * 501):
        with pytest.raises(ValidationError):
            AmendmentRequestedV1(**_common(), message=message)
    ReleaseRequestedV1(**_common(), grounds=[ReleaseGround.CONSTRUCTION_COMPLETED])
    for grounds in ([], [COMPLETED, COMPLETED], [COMPLETED, SETTLED, COMPLETED], ["released"]):
        with pytest.raises(ValidationError):
            ReleaseRequestedV1(**_common(), grounds=grounds)
    with pytest.raises(ValidationError):
        ReleaseRequestedV1(**_common(), grounds=[SETTLED], note="あ" * 501)
    assert AmendmentRequestedV1.event_type == "jp.esurety.amendment.requested.v1"
    assert ReleaseRequestedV1.event_type == "jp.esurety.release.requested.v1"
    # The organisation, never a person: no field for a staff member's name.
    for model in (AmendmentRequestedV1, ReleaseRequestedV1):
        assert not {"requested_by", "user", "login_id", "display_name"} & set(model.model_fields)
