"""The life of an application (保証申込): 作成中 -> 確認済 -> (送信待ち ->) 送信済 -> 発行済 / お引き受けできません."""

from enum import StrEnum

from services.application.domain.sections.products import applied_names


class Status(StrEnum):
    DRAFT = "draft"  # 申込作成
    CONFIRMED = "confirmed"  # 申込確認 passed
    AWAITING_SEND = "awaiting_send"  # 送信待ち: prepared; someone holding the 送信パスワード sends it
    SUBMITTED = "submitted"  # 送信完了
    ISSUED = "issued"  # every applied product has its certificate
    REJECTED = "rejected"  # ApplicationRejected


EDITABLE = frozenset({Status.DRAFT, Status.CONFIRMED})
SENT = frozenset({Status.SUBMITTED, Status.ISSUED, Status.REJECTED})


def applied_products(form: dict) -> list[str]:
    """The products ticked in the form (前払金保証 / 中間前払金保証 / 契約保証 / 契約保証予約), in form order."""
    return applied_names(form)
