"""What an orderer may send from a certificate it holds (no I/O here): a 変更依頼 needs what should change
(≤ 500 characters); a 解除確認 needs at least one ground — 工事完成, and 前払金精算済 where there is a
前払金 (前払金保証・中間前払金保証) — and may carry a note (≤ 500). Both texts are shown to the contractor
and may be printed: the one character policy (shared/text_policy), line breaks allowed."""

from shared import text_policy
from shared.events import Product, ReleaseGround
from shared.events.requests import MAX_REQUEST_TEXT
from services.platform.domain import messages

# The form's field names (and so the ids an error summary links to).
AMENDMENT_FIELD = "amendment_message"
GROUNDS_FIELD = "release_grounds"
NOTE_FIELD = "release_note"
ADVANCE_PRODUCTS = frozenset({Product.ADVANCE_PAYMENT.value, Product.INTERMEDIATE_ADVANCE_PAYMENT.value})


class InvalidRequest(ValueError):
    """Every problem of one form at once: field name → the Japanese message naming the field and the rule."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def grounds_for(product: str) -> list[ReleaseGround]:
    """The grounds a 解除確認 of this product may give (前払金精算済 only where there is a 前払金)."""
    if product in ADVANCE_PRODUCTS:
        return [ReleaseGround.CONSTRUCTION_COMPLETED, ReleaseGround.ADVANCE_SETTLED]
    return [ReleaseGround.CONSTRUCTION_COMPLETED]


def _text(field: str, typed: str, errors: dict[str, str], *, required: bool) -> str | None:
    label = messages.PAGE_LABELS[field]
    text = text_policy.normalise(typed.strip(), multiline=True)
    if not text:
        if required:
            errors[field] = messages.AMENDMENT_MESSAGE_REQUIRED
        return None
    if len(text) > MAX_REQUEST_TEXT:
        errors[field] = messages.REQUEST_TEXT_TOO_LONG.format(label=label, limit=MAX_REQUEST_TEXT, count=len(text))
    elif refused := text_policy.refused_characters(text, multiline=True):
        errors[field] = messages.REQUEST_TEXT_CHARACTERS.format(label=label, chars=text_policy.describe(refused))
    return text


def checked_amendment(message: str) -> str:
    """変更依頼: what should change, as stored and sent; InvalidRequest otherwise."""
    errors: dict[str, str] = {}
    text = _text(AMENDMENT_FIELD, message, errors, required=True)
    if errors:
        raise InvalidRequest(errors)
    return text or ""


def checked_release(grounds: list[str], note: str, product: str) -> tuple[list[ReleaseGround], str | None]:
    """解除確認: its grounds (each once, in the usual order) and its note; InvalidRequest otherwise."""
    errors: dict[str, str] = {}
    chosen: list[ReleaseGround] = []
    for typed in grounds:
        try:
            chosen.append(ReleaseGround(typed))
        except ValueError:
            errors[GROUNDS_FIELD] = messages.RELEASE_GROUND_UNKNOWN
    if GROUNDS_FIELD not in errors:
        if not chosen:
            several = len(grounds_for(product)) > 1
            errors[GROUNDS_FIELD] = messages.RELEASE_GROUNDS_REQUIRED if several else messages.RELEASE_GROUND_REQUIRED
        elif any(g not in grounds_for(product) for g in chosen):
            errors[GROUNDS_FIELD] = messages.RELEASE_GROUND_NOT_ADVANCE
    text = _text(NOTE_FIELD, note, errors, required=False)
    if errors:
        raise InvalidRequest(errors)
    return [g for g in ReleaseGround if g in chosen], text
