"""Staff commands for 訂正 and 変更取消 (part of services.issuance.entrypoints.cli).

    python -m services.issuance.entrypoints.cli correct --contract-number 37071-00000M --version 1 \
        --set construction_name=市道○○線道路改良工事 --set period_end=2027-03-31 --by "業務部 佐藤" --reason "工事名の誤記"
    python -m services.issuance.entrypoints.cli withdraw-amendment --contract-number 37071-00000M --version 2 \
        --by "業務部 佐藤" --reason "変更契約が締結されなかったため"
    python -m services.issuance.entrypoints.cli versions --contract-number 37071-00000M

The issuance service must be running (or start later): the event waits in its outbox and is published by
it, and a corrected revision's PDFs wait in pdf_jobs and are rendered by it. A refusal prints the reason in Japanese on stderr and exits 1.
"""

import argparse
import json
import sys
from datetime import datetime, timezone

from services.issuance.adapters import versions
from services.issuance.domain.content import version_label
from services.issuance.domain.corrections import CORRECTABLE, CorrectionRefused, parse_changes
from services.issuance.handlers import corrections

COMMANDS = ("correct", "withdraw-amendment", "versions")


def add_parsers(commands) -> None:
    correct = commands.add_parser("correct", help="訂正: correct an error in a shown version (no new 変更 number)")
    correct.add_argument("--contract-number", required=True)
    correct.add_argument("--version", type=int, required=True, help="0 = 新規, N = 変更-N")
    correct.add_argument(
        "--set", dest="changes", action="append", default=[], metavar="FIELD=VALUE",
        help="a field to correct (repeatable): " + ", ".join(CORRECTABLE),
    )
    correct.add_argument("--by", required=True, help="the staff member (kept with the correction)")
    correct.add_argument("--reason", required=True, help="why (kept, and sent to the platform and Net Desk)")
    withdraw = commands.add_parser("withdraw-amendment", help="変更取消: withdraw the latest 変更-N")
    withdraw.add_argument("--contract-number", required=True)
    withdraw.add_argument("--version", type=int, required=True, help="the 変更-N to withdraw (the latest)")
    withdraw.add_argument("--by", required=True)
    withdraw.add_argument("--reason", required=True)
    listing = commands.add_parser("versions", help="every version and revision of a guarantee, hidden ones with who/when/why")
    listing.add_argument("--contract-number", required=True)


async def run(args: argparse.Namespace, pool) -> int:
    now = datetime.now(timezone.utc)
    try:
        if args.command == "correct":
            changes = parse_changes(args.changes)
            # The new revision's PDFs are rendered by the running issuance service (its PDF worker).
            done = await corrections.correct_version(
                pool, contract_number=args.contract_number, version=args.version, changes=changes,
                by=args.by, reason=args.reason, now=now,
            )
        elif args.command == "withdraw-amendment":
            done = await corrections.withdraw_amendment(
                pool, contract_number=args.contract_number, version=args.version, by=args.by, reason=args.reason, now=now
            )
        else:
            await _print_versions(pool, args.contract_number)
            return 0
    except CorrectionRefused as exc:
        print(f"エラー: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(done.__dict__, ensure_ascii=False))
    return 0


async def _print_versions(pool, contract_number: str) -> None:
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT version, revision, content_digest, issued_at FROM certificate_versions"
            " WHERE contract_number = $1 ORDER BY version, revision",
            contract_number,
        )
        changes = {(c["version"], c["revision"]): c for c in await versions.changes_of(conn, contract_number)}
    for r in rows:
        change = changes.get((r["version"], r["revision"]))
        print(
            json.dumps(
                {
                    "version": r["version"],
                    "label": version_label(r["version"]),
                    "revision": r["revision"],
                    "content_digest": r["content_digest"],
                    "issued_at": r["issued_at"].isoformat(),
                    "shown": change is None,
                    **(
                        {"hidden_by": change["action"], "done_by": change["done_by"], "reason": change["reason"],
                         "done_at": change["done_at"].isoformat()}
                        if change else {}
                    ),
                },
                ensure_ascii=False,
            )
        )
