"""期間満了: the scheduled job that ends every guarantee whose 保証期限 has passed, and its timer.

`run_expiry(pool, today=…)` works in batches, one transaction each: the guarantees due are locked with
FOR UPDATE SKIP LOCKED (so replicas running at the same moment share the work), each is ended with an
INSERT that does nothing when it has ended already (a run twice, a late replica, an approval that came
first), and only a guarantee this run ended gets its certificate.expired.v1, through the outbox in the
same transaction. The clock is injected: the job and the staff CLI (`run-expiry --today`) pass JST's today.

ExpiryJob runs it when the issuance service starts and every EXPIRY_CHECK_SECONDS (3600) after.
"""

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone

import asyncpg
import structlog

from services.issuance.adapters import status_repository as repo
from services.issuance.domain.status import AUTOMATIC, Ending, expired_on, jst_today, request_refusal
from services.issuance.handlers.cancellations import announce_refusal
from services.issuance.handlers.outcomes import SOURCE
from shared.db.outbox import enqueue
from shared.events import CertificateExpired, CertificateExpiredV1, Product

log = structlog.get_logger()

BATCH_SIZE = 100
MAX_BATCHES = 10_000  # a bound on one run (a million guarantees); the next run goes on


@dataclass(frozen=True)
class Expired:
    contract_number: str
    expired_on: date
    event_id: str


async def run_expiry(
    pool: asyncpg.Pool, *, today: date, now: datetime | None = None, batch_size: int = BATCH_SIZE
) -> list[Expired]:
    """Ends every guarantee in force whose latest 保証期限 is before `today` (JST); what this run ended."""
    done: list[Expired] = []
    for _ in range(MAX_BATCHES):
        async with pool.acquire() as conn, conn.transaction():
            due = await repo.due_for_expiry(conn, today, batch_size)
            for guarantee in due:
                ended = await _expire(conn, guarantee, now or datetime.now(timezone.utc))
                if ended:
                    done.append(ended)
        if not due:
            break
    if done:
        log.info("guarantees expired", count=len(done), today=today.isoformat())
    return done


async def _expire(conn: asyncpg.Connection, guarantee: asyncpg.Record, now: datetime) -> Expired | None:
    number = guarantee["contract_number"]
    day = expired_on(guarantee["guarantee_expiry"])
    data = CertificateExpiredV1(
        contract_number=number,
        product=Product(guarantee["product"]),
        application_id=guarantee["application_id"],
        contractor_company_id=guarantee["contractor_company_id"],
        electronic=guarantee["certificate_format"] == "electronic",
        guarantee_expiry=guarantee["guarantee_expiry"],
        expired_on=day,
        expired_at=now,
    )
    event = CertificateExpired.wrap(data, source=SOURCE, subject=number, correlation_id=f"expiry-{number}")
    if not await repo.insert_ending(conn, guarantee, status="expired", ended_on=day, event_id=event.id):
        return None  # ended meanwhile (another replica, or an approved 解約): nothing more to say
    await enqueue(conn, event)
    # A 解約の申込 still pending is moot now: answered, so the contractor does not wait for it.
    pending = await repo.pending_request(conn, number)
    if pending is not None:
        reason = request_refusal(number, Product(guarantee["product"]), Ending("expired", day), False)
        await repo.refuse_request(conn, pending["request_id"], by=AUTOMATIC, reason=reason)
        await announce_refusal(conn, pending["request_id"], number, guarantee["contractor_company_id"], reason=reason,
                               correlation_id=f"cancellation-{pending['request_id']}")
    log.info("guarantee expired", contract_number=number, expired_on=day.isoformat())
    return Expired(number, day, event.id)


def japan_today() -> date:
    return jst_today(datetime.now(timezone.utc))


class ExpiryJob:
    """The timer: a run at start, then one every `interval` seconds; a failed run is logged, the next retries."""

    def __init__(self, pool: asyncpg.Pool, *, interval: float, clock: Callable[[], date] = japan_today) -> None:
        self._pool = pool
        self._interval = interval
        self._clock = clock
        self._task: asyncio.Task | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="expiry-job")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            try:
                await run_expiry(self._pool, today=self._clock())
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the database may be away for a while; try again later
                log.exception("expiry run failed; the next run retries")
            await asyncio.sleep(self._interval)
