"""The life of an application (保証申込): 作成中 -> 確認済 -> 送信済 -> 発行済 / お引き受けできません."""

from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"  # 申込作成
    CONFIRMED = "confirmed"  # 申込確認 passed
    SUBMITTED = "submitted"  # 送信完了
    ISSUED = "issued"  # every applied product has its certificate
    REJECTED = "rejected"  # ApplicationRejected


EDITABLE = frozenset({Status.DRAFT, Status.CONFIRMED})
SENT = frozenset({Status.SUBMITTED, Status.ISSUED, Status.REJECTED})


def applied_products(form: dict) -> list[str]:
    """The products ticked in the form (前払金保証 / 契約保証), in form order."""
    return [name for name in ("advance_payment", "contract_guarantee") if (form.get(name) or {}).get("apply") is True]
