"""The orderer registry (発注者) as 申込確認 needs it, fetched from issuance and kept for a minute in the
process: the registry changes rarely, and every 申込確認 and application view reads it.

When issuance cannot be reached the answer is None (the rules are then not checked here; issuance
checks them again on receipt), and that failure is remembered briefly so that a down issuance does
not make every request wait for its timeout.
"""

import asyncio
import time
from collections.abc import Callable
from datetime import date

import structlog

from services.application.adapters.issuance_client import IssuanceClient, IssuanceNotFound, IssuanceUnavailable
from services.application.domain.context import OrdererRules

log = structlog.get_logger()

TTL_SECONDS = 60.0
FAILURE_TTL_SECONDS = 10.0


def _rules(item: dict) -> OrdererRules:
    e_surety_from = item.get("e_surety_from")
    return OrdererRules(
        code=item["code"],
        name=item["name"],
        certificate_name=item.get("certificate_name") or item["name"],
        e_surety_from=date.fromisoformat(e_surety_from) if e_surety_from else None,
        judged_on=item.get("judged_on") or "contract_date",
        rounding_unit=int(item.get("rounding_unit") or 1),
        requires_tender_status=bool(item.get("requires_tender_status")),
        advance_payment_percent=int(item.get("advance_payment_percent") or 40),
        note=item.get("note") or "",
    )


class OrdererRegistry:
    def __init__(self, issuance: IssuanceClient, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._issuance = issuance
        self._clock = clock
        self._value: dict[str, OrdererRules] | None = None
        self._until = 0.0
        self._lock = asyncio.Lock()  # one fetch at a time; the others then read what it fetched

    def invalidate(self) -> None:
        self._until = 0.0

    async def orderers(self) -> dict[str, OrdererRules] | None:
        if self._clock() < self._until:
            return self._value
        async with self._lock:
            if self._clock() < self._until:
                return self._value
            return await self._fetch()

    async def _fetch(self) -> dict[str, OrdererRules] | None:
        try:
            value = {o.code: o for o in map(_rules, await self._issuance.orderers())}
            ttl = TTL_SECONDS
        except (IssuanceUnavailable, IssuanceNotFound, KeyError, TypeError, ValueError) as exc:
            log.warning("orderer registry unavailable; orderer rules not checked here", error=str(exc))
            value, ttl = None, FAILURE_TTL_SECONDS
        self._value, self._until = value, self._clock() + ttl
        return value
