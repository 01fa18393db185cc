"""訂正 and 変更取消 in the platform schema (migration 005): the shown row of a version is replaced or
withdrawn; what stops being shown moves to hidden_versions exactly as it was (its arrival time too)."""

from datetime import datetime

import asyncpg

from shared.events import CertificateCorrectedV1

_COLUMNS = (
    "contract_number, version, revision, version_label, product, application_id, content, content_digest,"
    " auth_key_hash, obligee_code, issued_at, arrived_at, event_id"
)


async def shown_row(conn: asyncpg.Connection, contract_number: str, version: int) -> asyncpg.Record | None:
    """The shown row of a version, locked until the transaction ends."""
    return await conn.fetchrow(
        "SELECT revision, content_digest FROM certificate_versions WHERE contract_number = $1 AND version = $2 FOR UPDATE",
        contract_number,
        version,
    )


async def is_withdrawn(conn: asyncpg.Connection, contract_number: str, version: int) -> bool:
    return bool(
        await conn.fetchval(
            "SELECT 1 FROM withdrawn_versions WHERE contract_number = $1 AND version = $2", contract_number, version
        )
    )


async def hidden_digest(conn: asyncpg.Connection, contract_number: str, version: int, revision: int) -> str | None:
    return await conn.fetchval(
        "SELECT content_digest FROM hidden_versions WHERE contract_number = $1 AND version = $2 AND revision = $3",
        contract_number,
        version,
        revision,
    )


async def hide_shown(conn: asyncpg.Connection, contract_number: str, version: int, *, hidden_as: str, reason: str) -> bool:
    """Move the shown row of a version to hidden_versions, unchanged; False when none is shown."""
    moved = await conn.fetchval(
        f"""
        WITH gone AS (
            DELETE FROM certificate_versions WHERE contract_number = $1 AND version = $2 RETURNING {_COLUMNS}
        )
        INSERT INTO hidden_versions ({_COLUMNS}, hidden_as, reason)
        SELECT {_COLUMNS}, $3, $4 FROM gone
        ON CONFLICT DO NOTHING
        RETURNING 1
        """,
        contract_number,
        version,
        hidden_as,
        reason,
    )
    return bool(moved)


async def insert_hidden(
    conn: asyncpg.Connection,
    *,
    contract_number: str,
    version: int,
    revision: int,
    version_label: str,
    product: str,
    application_id,
    content: dict,
    content_digest: str,
    auth_key_hash: str,
    obligee_code: str,
    issued_at: datetime,
    event_id: str,
    hidden_as: str,
    reason: str,
) -> None:
    """A revision that arrives already replaced or withdrawn (events out of order): kept, never shown."""
    await conn.execute(
        f"INSERT INTO hidden_versions ({_COLUMNS}, hidden_as, reason)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now(), $12, $13, $14) ON CONFLICT DO NOTHING",
        contract_number, version, revision, version_label, product, application_id, content, content_digest,
        auth_key_hash, obligee_code, issued_at, event_id, hidden_as, reason,
    )


async def insert_corrected(conn: asyncpg.Connection, data: CertificateCorrectedV1, *, event_id: str) -> datetime:
    """The corrected revision, shown from now (its arrival is now: its own 電子保証発行日時)."""
    return await conn.fetchval(
        f"INSERT INTO certificate_versions ({_COLUMNS})"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now(), $12) RETURNING arrived_at",
        data.contract_number,
        data.version,
        data.revision,
        data.version_label,
        data.product.value,
        data.application_id,
        data.certificate.model_dump(mode="json"),
        data.content_digest,
        data.auth_key_hash,
        data.certificate.obligee_code,
        data.corrected_at,
        event_id,
    )


async def remember_withdrawal(
    conn: asyncpg.Connection, contract_number: str, version: int, withdrawn_at: datetime, reason: str, event_id: str
) -> bool:
    return bool(
        await conn.fetchval(
            "INSERT INTO withdrawn_versions (contract_number, version, withdrawn_at, reason, event_id)"
            " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING 1",
            contract_number,
            version,
            withdrawn_at,
            reason,
            event_id,
        )
    )


async def withdrawal_reason(conn: asyncpg.Connection, contract_number: str, version: int) -> str | None:
    return await conn.fetchval(
        "SELECT reason FROM withdrawn_versions WHERE contract_number = $1 AND version = $2", contract_number, version
    )
