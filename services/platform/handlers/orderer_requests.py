"""Requests the orderer starts from a certificate (the beneficiary acts, as NeSL and Guarantee Vault allow):
変更依頼 — it asks for a 変更, saying what should change — and 解除確認 — it confirms that the guarantee may
be released (工事完成 and/or 前払金精算済). Only an organisation that holds the certificate in its 保証確認台帳
(it has opened it with the key) may send one; anything else ends as LookupFailed, like a wrong key.

Each request is stored (who in the organisation, when, on which version, what) and told to the contractor
and the surety company as an event through the outbox, in the same transaction. The event names the
organisation only, never the staff member."""

import uuid
from dataclasses import dataclass
from datetime import datetime

import asyncpg
import structlog

from shared.db.outbox import enqueue
from shared.events import (
    AmendmentRequested,
    AmendmentRequestedV1,
    ReleaseGround,
    ReleaseRequested,
    ReleaseRequestedV1,
)
from services.platform.adapters import certificate_repository, register_repository, request_repository, status_repository
from services.platform.adapters.certificate_repository import StoredVersion
from services.platform.domain.accounts import LookupFailed, OrdererUser
from services.platform.domain import messages
from services.platform.domain.orderer_requests import (
    AMENDMENT_FIELD, GROUNDS_FIELD, InvalidRequest, checked_amendment, checked_release,
)
from services.platform.domain.status import Ending

SOURCE = "/esurety/platform"
log = structlog.get_logger()

__all__ = ["InvalidRequest", "SentRequest", "request_amendment", "request_release", "requests_of"]


@dataclass(frozen=True)
class SentRequest:
    """One request as the organisation's staff see it under the certificate."""

    id: uuid.UUID
    kind: str  # amendment / release
    version: int
    version_label: str
    message: str | None  # 変更依頼: what should change; 解除確認: the note
    grounds: list[ReleaseGround]
    requested_at: datetime
    requested_by: str  # the staff member (shown only inside the organisation)


def _correlation_id() -> str:
    return structlog.contextvars.get_contextvars().get("correlation_id") or str(uuid.uuid4())


async def _held_version(conn: asyncpg.Connection, user: OrdererUser, contract_number: str, version: int) -> StoredVersion:
    """The version of a certificate in the organisation's register and addressed to it; LookupFailed otherwise."""
    if not await register_repository.holds(conn, user.organisation.id, contract_number):
        raise LookupFailed()
    versions = await certificate_repository.versions_of(conn, contract_number)
    if not versions or versions[-1].obligee_code != user.organisation.code:
        raise LookupFailed()
    found = next((v for v in versions if v.version == version), None)
    if found is None:
        raise LookupFailed()
    return found


async def _refuse_if_ended(conn: asyncpg.Connection, contract_number: str, field: str) -> None:
    """A guarantee that has ended (期間満了 / 解約) can be neither changed nor released."""
    row = await status_repository.ending(conn, contract_number)
    if row is not None:
        label = Ending(row["status"], row["ended_on"]).label
        raise InvalidRequest({field: messages.REQUEST_AFTER_ENDING.format(label=label)})


async def request_amendment(
    pool: asyncpg.Pool, user: OrdererUser, contract_number: str, version: int, message: str
) -> uuid.UUID:
    """変更依頼 on a version the organisation holds; InvalidRequest names the field and the rule."""
    text = checked_amendment(message)
    request_id = uuid.uuid4()
    async with pool.acquire() as conn, conn.transaction():
        await _held_version(conn, user, contract_number, version)
        await _refuse_if_ended(conn, contract_number, AMENDMENT_FIELD)
        requested_at = await request_repository.insert(
            conn, request_id=request_id, organisation_id=user.organisation.id, user_id=user.id,
            contract_number=contract_number, version=version, kind="amendment", message=text, grounds=[],
        )
        data = AmendmentRequestedV1(
            request_id=request_id, contract_number=contract_number, version=version,
            organisation_code=user.organisation.code, organisation_name=user.organisation.name,
            message=text, requested_at=requested_at,
        )
        await enqueue(
            conn,
            AmendmentRequested.wrap(data, source=SOURCE, subject=contract_number, correlation_id=_correlation_id()),
        )
    log.info("amendment requested", contract_number=contract_number, version=version, request_id=str(request_id))
    return request_id


async def request_release(
    pool: asyncpg.Pool, user: OrdererUser, contract_number: str, version: int, grounds: list[str], note: str
) -> uuid.UUID:
    """解除確認 on a version the organisation holds; InvalidRequest names the field and the rule."""
    request_id = uuid.uuid4()
    async with pool.acquire() as conn, conn.transaction():
        held = await _held_version(conn, user, contract_number, version)
        await _refuse_if_ended(conn, contract_number, GROUNDS_FIELD)
        chosen, text = checked_release(grounds, note, held.product)  # which grounds apply depends on the product
        requested_at = await request_repository.insert(
            conn, request_id=request_id, organisation_id=user.organisation.id, user_id=user.id,
            contract_number=contract_number, version=version, kind="release", message=text,
            grounds=[g.value for g in chosen],
        )
        data = ReleaseRequestedV1(
            request_id=request_id, contract_number=contract_number, version=version,
            organisation_code=user.organisation.code, organisation_name=user.organisation.name,
            grounds=chosen, note=text, requested_at=requested_at,
        )
        await enqueue(
            conn,
            ReleaseRequested.wrap(data, source=SOURCE, subject=contract_number, correlation_id=_correlation_id()),
        )
    log.info("release confirmed", contract_number=contract_number, version=version, request_id=str(request_id),
             grounds=[g.value for g in chosen])
    return request_id


async def requests_of(pool: asyncpg.Pool, user: OrdererUser, contract_number: str) -> list[SentRequest]:
    """The organisation's requests on one certificate, newest first."""
    async with pool.acquire() as conn:
        rows = await request_repository.of_certificate(conn, user.organisation.id, contract_number)
    return [
        SentRequest(
            id=r["id"], kind=r["kind"], version=r["version"], version_label=r["version_label"], message=r["message"],
            grounds=[ReleaseGround(g) for g in r["grounds"]], requested_at=r["requested_at"],
            requested_by=r["requested_by"],
        )
        for r in rows
    ]
