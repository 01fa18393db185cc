"""The orderer's side of the loop back to the contractor (the acceptance KONEPS has and Japan lacks):
the organisation's first opening of a certificate (発注者閲覧) and its decision on a version it opened
— 確認済（受理） or 差戻し with a reason — each recorded here and told to the contractor as an event
(through the outbox, in the same transaction). Never the 認証キー, never a staff member's name."""

import uuid
from datetime import datetime

import asyncpg
import structlog

from shared import text_policy
from shared.db.outbox import enqueue
from shared.events import (
    CertificateReviewed,
    CertificateReviewedV1,
    CertificateViewed,
    CertificateViewedV1,
    ReviewDecision,
)
from shared.events.review import MAX_REASON
from services.platform.adapters import register_repository
from services.platform.domain import messages
from services.platform.domain.accounts import LookupFailed, OrdererUser

SOURCE = "/esurety/platform"
log = structlog.get_logger()


class InvalidDecision(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _correlation_id() -> str:
    return structlog.contextvars.get_contextvars().get("correlation_id") or str(uuid.uuid4())


async def announce_first_view(
    conn: asyncpg.Connection, user: OrdererUser, contract_number: str, version: int, viewed_at: datetime
) -> None:
    data = CertificateViewedV1(
        contract_number=contract_number,
        version=version,
        organisation_code=user.organisation.code,
        organisation_name=user.organisation.name,
        viewed_at=viewed_at,
    )
    await enqueue(
        conn, CertificateViewed.wrap(data, source=SOURCE, subject=contract_number, correlation_id=_correlation_id())
    )


def checked_reason(decision: str, reason: str) -> tuple[ReviewDecision, str | None]:
    """The decision and its reason as stored; InvalidDecision names the field and the rule."""
    try:
        chosen = ReviewDecision(decision)
    except ValueError:
        raise InvalidDecision("decision", messages.REVIEW_CHOOSE) from None
    text = text_policy.normalise(reason.strip(), multiline=True)
    if chosen is ReviewDecision.RETURNED and not text:
        raise InvalidDecision("reason", messages.REVIEW_REASON_REQUIRED)
    if len(text) > MAX_REASON:
        raise InvalidDecision("reason", messages.REVIEW_REASON_TOO_LONG.format(limit=MAX_REASON))
    # The reason is shown to the contractor and may be printed: the one character policy.
    if refused := text_policy.refused_characters(text, multiline=True):
        raise InvalidDecision("reason", messages.REVIEW_REASON_CHARACTERS.format(chars=text_policy.describe(refused)))
    return chosen, (text or None)


async def record_decision(
    pool: asyncpg.Pool, user: OrdererUser, contract_number: str, version: int, decision: str, reason: str
) -> datetime:
    """確認済 / 差戻し on a version of a certificate in the organisation's register; LookupFailed otherwise."""
    chosen, text = checked_reason(decision, reason)
    async with pool.acquire() as conn, conn.transaction():
        if not await register_repository.holds(conn, user.organisation.id, contract_number):
            raise LookupFailed()
        exists = await conn.fetchval(
            "SELECT 1 FROM certificate_versions WHERE contract_number = $1 AND version = $2", contract_number, version
        )
        if not exists:
            raise LookupFailed()
        decided_at = await register_repository.record_decision(
            conn, user.id, user.organisation.id, contract_number, version, chosen.value, text
        )
        data = CertificateReviewedV1(
            contract_number=contract_number,
            version=version,
            organisation_code=user.organisation.code,
            organisation_name=user.organisation.name,
            decision=chosen,
            reason=text,
            decided_at=decided_at,
        )
        await enqueue(
            conn,
            CertificateReviewed.wrap(data, source=SOURCE, subject=contract_number, correlation_id=_correlation_id()),
        )
    log.info("certificate reviewed", contract_number=contract_number, version=version, decision=chosen.value)
    return decided_at
