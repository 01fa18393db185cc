"""訂正 and 変更取消 in Net Desk's read model (migration 005).

certificate_versions and certificate_history hold the shown revision of each version; what stops being
shown moves to hidden_versions as it was (content, digest, its 電子保証発行日時), with why."""

from datetime import datetime

import asyncpg


async def is_withdrawn(conn: asyncpg.Connection, contract_number: str, version: int) -> bool:
    return bool(
        await conn.fetchval(
            "SELECT 1 FROM withdrawn_versions WHERE contract_number = $1 AND version = $2", contract_number, version
        )
    )


async def withdrawal_reason(conn: asyncpg.Connection, contract_number: str, version: int) -> str:
    return (
        await conn.fetchval(
            "SELECT reason FROM withdrawn_versions WHERE contract_number = $1 AND version = $2", contract_number, version
        )
        or ""
    )


async def remember_withdrawal(
    conn: asyncpg.Connection, contract_number: str, version: int, withdrawn_at: datetime, reason: str
) -> None:
    await conn.execute(
        "INSERT INTO withdrawn_versions (contract_number, version, withdrawn_at, reason) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT DO NOTHING",
        contract_number,
        version,
        withdrawn_at,
        reason,
    )


async def shown_revision(conn: asyncpg.Connection, table: str, contract_number: str, version: int) -> int | None:
    """The revision of a version shown in certificate_versions or certificate_history, row locked."""
    if table not in ("certificate_versions", "certificate_history"):
        raise ValueError(table)
    return await conn.fetchval(
        f"SELECT revision FROM {table} WHERE contract_number = $1 AND version = $2 FOR UPDATE", contract_number, version
    )


async def keep_content(
    conn: asyncpg.Connection, *, contract_number: str, version: int, revision: int, version_label: str,
    content: dict, content_digest: str, issued_at: datetime, hidden_as: str, reason: str,
) -> None:
    """A revision's content that is not (or no longer) shown."""
    await conn.execute(
        """
        INSERT INTO hidden_versions (contract_number, version, revision, version_label, content, content_digest,
            issued_at, hidden_as, reason)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        ON CONFLICT (contract_number, version, revision) DO UPDATE SET
            content = coalesce(hidden_versions.content, EXCLUDED.content),
            issued_at = coalesce(hidden_versions.issued_at, EXCLUDED.issued_at)
        """,
        contract_number, version, revision, version_label, content, content_digest, issued_at, hidden_as, reason,
    )


async def keep_publication(
    conn: asyncpg.Connection, *, contract_number: str, version: int, revision: int, version_label: str,
    content_digest: str, published_at: datetime, hidden_as: str, reason: str,
) -> None:
    """A revision's arrival on the platform (its 電子保証発行日時) that is not (or no longer) shown."""
    await conn.execute(
        """
        INSERT INTO hidden_versions (contract_number, version, revision, version_label, content_digest,
            published_at, hidden_as, reason)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (contract_number, version, revision) DO UPDATE SET
            published_at = coalesce(hidden_versions.published_at, EXCLUDED.published_at)
        """,
        contract_number, version, revision, version_label, content_digest, published_at, hidden_as, reason,
    )


async def hide_content(conn: asyncpg.Connection, contract_number: str, version: int, *, hidden_as: str, reason: str) -> None:
    row = await conn.fetchrow(
        "DELETE FROM certificate_versions WHERE contract_number = $1 AND version = $2 RETURNING *", contract_number, version
    )
    if row is not None:
        await keep_content(
            conn, contract_number=contract_number, version=version, revision=row["revision"],
            version_label=row["version_label"], content=row["content"], content_digest=row["content_digest"],
            issued_at=row["issued_at"], hidden_as=hidden_as, reason=reason,
        )


async def hide_publication(
    conn: asyncpg.Connection, contract_number: str, version: int, *, hidden_as: str, reason: str
) -> None:
    row = await conn.fetchrow(
        "DELETE FROM certificate_history WHERE contract_number = $1 AND version = $2 RETURNING *", contract_number, version
    )
    if row is not None:
        await keep_publication(
            conn, contract_number=contract_number, version=version, revision=row["revision"],
            version_label=row["version_label"], content_digest=row["content_digest"],
            published_at=row["published_at"], hidden_as=hidden_as, reason=reason,
        )


async def insert_content(
    conn: asyncpg.Connection, *, contract_number: str, version: int, revision: int, version_label: str,
    content: dict, content_digest: str, issued_at: datetime,
) -> None:
    await conn.execute(
        "INSERT INTO certificate_versions (contract_number, version, revision, version_label, content, content_digest,"
        " issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        contract_number, version, revision, version_label, content, content_digest, issued_at,
    )


async def insert_publication(
    conn: asyncpg.Connection, *, contract_number: str, version: int, revision: int, version_label: str,
    published_at: datetime, content_digest: str, application_id, product: str,
) -> None:
    await conn.execute(
        "INSERT INTO certificate_history (contract_number, version, revision, version_label, published_at,"
        " content_digest, application_id, product) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        contract_number, version, revision, version_label, published_at, content_digest, application_id, product,
    )


async def show_version(conn: asyncpg.Connection, contract_number: str, version: int) -> bool:
    """The contract's row shows this version again (after the later one was withdrawn), from the content
    kept of it; False when its content is not here (issued before this service kept contents)."""
    status = await conn.execute(
        """
        UPDATE contracts c SET
            version = v.version, revision = v.revision, version_label = v.version_label, issued_at = v.issued_at,
            content_digest = v.content_digest,
            contractor_name = v.content -> 'contractor' ->> 'name', jv_name = v.content ->> 'jv_name',
            construction_name = v.content ->> 'construction_name', orderer_name = v.content -> 'obligee' ->> 'name',
            contract_amount = (v.content ->> 'contract_amount')::bigint,
            guaranteed_amount = (v.content ->> 'guaranteed_amount')::bigint,
            depository = v.content ->> 'depository',
            period_start = (v.content ->> 'period_start')::date, period_end = (v.content ->> 'period_end')::date,
            updated_at = now()
          FROM certificate_versions v
         WHERE c.contract_number = $1 AND v.contract_number = $1 AND v.version = $2
        """,
        contract_number,
        version,
    )
    return status == "UPDATE 1"
