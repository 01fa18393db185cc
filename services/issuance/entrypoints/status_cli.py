"""Staff commands for the end of a guarantee (part of services.issuance.entrypoints.cli):

    python -m services.issuance.entrypoints.cli run-expiry [--today 2027-04-01]     # 期間満了 now (JST today)
    python -m services.issuance.entrypoints.cli list-cancellations [--state pending|approved|refused|all]
    python -m services.issuance.entrypoints.cli approve-cancellation --contract-number 35026-00001M \
        --by "業務部 佐藤" [--on 2027-01-15]
    python -m services.issuance.entrypoints.cli refuse-cancellation --contract-number 35026-00001M \
        --by "業務部 佐藤" --reason "保証料の精算が済んでいないため"

`run-expiry` is what the issuance service's scheduled job does (safe to run beside it, and twice). The events
wait in the outbox and are published by the running issuance service. A refusal prints the reason in Japanese
on stderr and exits 1. JSON lines on stdout.
"""

import argparse
import json
import sys
from dataclasses import asdict
from datetime import date, datetime, timezone

from services.issuance.domain.status import StatusRefused
from services.issuance.handlers import cancellations
from services.issuance.handlers.expiry import japan_today, run_expiry
from shared.events.status import CANCELLATION_REASON_LABELS, CancellationReason

COMMANDS = ("run-expiry", "list-cancellations", "approve-cancellation", "refuse-cancellation")
STATES = ("pending", "approved", "refused", "all")


def add_parsers(commands) -> None:
    expiry = commands.add_parser("run-expiry", help="期間満了: end every guarantee whose 保証期限 is before today (JST)")
    expiry.add_argument("--today", type=date.fromisoformat, help="YYYY-MM-DD instead of today in Japan")
    listing = commands.add_parser("list-cancellations", help="解約の申込 (newest first)")
    listing.add_argument("--state", choices=STATES, default="pending")
    approve = commands.add_parser("approve-cancellation", help="解約: approve the pending request of a guarantee")
    approve.add_argument("--contract-number", required=True)
    approve.add_argument("--by", required=True, help="the staff member (kept with the decision)")
    approve.add_argument("--on", dest="cancelled_on", type=date.fromisoformat, help="解約日 YYYY-MM-DD (default today)")
    refuse = commands.add_parser("refuse-cancellation", help="refuse the pending request (the contractor reads why)")
    refuse.add_argument("--contract-number", required=True)
    refuse.add_argument("--by", required=True)
    refuse.add_argument("--reason", required=True, help="shown to the contractor on Net Desk")


def _print(item: dict) -> None:
    print(json.dumps(item, ensure_ascii=False, default=str))


async def run(args: argparse.Namespace, pool) -> int:
    now = datetime.now(timezone.utc)
    try:
        if args.command == "run-expiry":
            for expired in await run_expiry(pool, today=args.today or japan_today(), now=now):
                _print(asdict(expired))
        elif args.command == "list-cancellations":
            for r in await cancellations.list_cancellations(pool, state=None if args.state == "all" else args.state):
                _print({
                    "contract_number": r["contract_number"], "request_id": r["request_id"], "state": r["state"],
                    "product": r["product"], "construction_name": r["construction_name"], "reason": r["reason"],
                    "reason_label": CANCELLATION_REASON_LABELS[CancellationReason(r["reason"])],
                    "reason_text": r["reason_text"], "requested_by": r["requested_by"],
                    "requested_at": r["requested_at"].isoformat(), "decided_by": r["decided_by"],
                    "decided_at": r["decided_at"].isoformat() if r["decided_at"] else None,
                    "cancelled_on": r["cancelled_on"], "refusal_reason": r["refusal_reason"],
                })
        elif args.command == "approve-cancellation":
            _print(asdict(await cancellations.approve_cancellation(
                pool, contract_number=args.contract_number, by=args.by, now=now, cancelled_on=args.cancelled_on,
            )))
        else:
            _print(asdict(await cancellations.refuse_cancellation(
                pool, contract_number=args.contract_number, by=args.by, reason=args.reason,
            )))
    except StatusRefused as exc:
        print(f"エラー: {exc}", file=sys.stderr)
        return 1
    return 0
