"""Operator CLI for the reference data.

    python -m services.issuance.entrypoints.cli add-orderer --code kawasaki-city --name 川崎市 \
        --certificate-name 川崎市長 --from 2023-04-01 --judged-on contract_date [--note ...] \
        [--rounding-unit 10000] [--requires-tender-status]
    python -m services.issuance.entrypoints.cli add-orderer --code ... --no-e-surety ...   # paper only
    python -m services.issuance.entrypoints.cli list-orderers
    python -m services.issuance.entrypoints.cli list-branches
    python -m services.issuance.entrypoints.cli correct | withdraw-amendment | versions ...   # 訂正 / 変更取消 (corrections_cli)
    python -m services.issuance.entrypoints.cli run-expiry | list-cancellations | approve-cancellation |
        refuse-cancellation ...   # 期間満了 / 解約 (status_cli)
    python -m services.issuance.entrypoints.cli list-orderer-requests [--contract-number N]   # 変更依頼 / 解除確認 (requests_cli)

add-orderer is idempotent (insert or update by code). The async functions are importable for tests.
"""

import argparse
import asyncio
import json
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path

import structlog

from services.issuance.adapters import registry
from services.issuance.domain.model import JudgedOn, Orderer
from services.issuance.entrypoints import corrections_cli, requests_cli, status_cli
from services.issuance.settings import Settings
from shared.db.migrate import ensure_database, migrate
from shared.db.pool import create_pool

# Not imported from bootstrap: that would load WeasyPrint for a one-line command.
NAME = "issuance"
MIGRATIONS = Path(__file__).parents[1] / "migrations"
ROUNDING_UNITS = (1, 10_000, 100_000)  # the orderers table's CHECK


async def _pool(database_url: str):
    await ensure_database(database_url)
    await migrate(database_url, NAME, MIGRATIONS)
    return await create_pool(database_url, NAME, max_size=2)


async def add_orderer(database_url: str, orderer: Orderer) -> Orderer:
    pool = await _pool(database_url)
    try:
        await registry.save_orderer(pool, orderer)
        return await registry.find_orderer(pool, orderer.code)
    finally:
        await pool.close()


async def list_orderers(database_url: str) -> list[Orderer]:
    pool = await _pool(database_url)
    try:
        return await registry.all_orderers(pool)
    finally:
        await pool.close()


async def list_branches(database_url: str) -> list:
    pool = await _pool(database_url)
    try:
        return await registry.all_branches(pool)
    finally:
        await pool.close()


async def _with_pool(database_url: str, work):
    pool = await _pool(database_url)
    try:
        return await work(pool)
    finally:
        await pool.close()


def _json(item) -> str:
    return json.dumps(asdict(item), ensure_ascii=False, default=str)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.issuance.entrypoints.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add-orderer", help="register or update an orderer (発注者)")
    add.add_argument("--code", required=True)
    add.add_argument("--name", required=True, help="発注者名, e.g. 川崎市")
    add.add_argument("--certificate-name", required=True, help="被保証者 on the certificate, e.g. 川崎市長")
    e_surety = add.add_mutually_exclusive_group(required=True)
    e_surety.add_argument("--from", dest="e_surety_from", type=date.fromisoformat, help="電子保証 from YYYY-MM-DD")
    e_surety.add_argument("--no-e-surety", action="store_true", help="does not accept 電子保証 (paper only)")
    add.add_argument(
        "--judged-on", default=JudgedOn.CONTRACT_DATE.value, choices=[j.value for j in JudgedOn],
        help="the date compared with --from (default contract_date)",
    )
    add.add_argument(
        "--rounding-unit", type=int, default=1, choices=ROUNDING_UNITS,
        help="前払金・中間前払金の保証金額 must be a multiple of it (yen; default 1)",
    )
    add.add_argument("--requires-tender-status", action="store_true", help="入札の状況 must be filled in")
    add.add_argument(
        "--advance-payment-percent", type=int, default=40, choices=range(1, 41), metavar="1..40",
        help="the 前払金 ratio the orderer usually pays; above it Net Desk warns (default 40: no warning)",
    )
    add.add_argument("--note", default="")
    commands.add_parser("list-orderers")
    commands.add_parser("list-branches")
    corrections_cli.add_parsers(commands)
    status_cli.add_parsers(commands)
    requests_cli.add_parsers(commands)
    args = parser.parse_args(argv)
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(sys.stderr))  # stdout carries the JSON lines
    database_url = Settings().database_url

    if args.command in corrections_cli.COMMANDS:
        return asyncio.run(_with_pool(database_url, lambda pool: corrections_cli.run(args, pool)))
    if args.command in status_cli.COMMANDS:  # 期間満了 / 解約
        return asyncio.run(_with_pool(database_url, lambda pool: status_cli.run(args, pool)))
    if args.command in requests_cli.COMMANDS:  # 変更依頼 / 解除確認 from the orderers
        return asyncio.run(_with_pool(database_url, lambda pool: requests_cli.run(args, pool)))

    if args.command == "add-orderer":
        orderer = Orderer(
            code=args.code,
            name=args.name,
            certificate_name=args.certificate_name,
            e_surety_from=args.e_surety_from,
            judged_on=JudgedOn(args.judged_on),
            note=args.note,
            rounding_unit=args.rounding_unit,
            requires_tender_status=args.requires_tender_status,
            advance_payment_percent=args.advance_payment_percent,
        )
        print(_json(asyncio.run(add_orderer(database_url, orderer))))
    elif args.command == "list-orderers":
        for orderer in asyncio.run(list_orderers(database_url)):
            print(_json(orderer))
    else:
        for branch in asyncio.run(list_branches(database_url)):
            print(_json(branch))
    return 0


if __name__ == "__main__":
    sys.exit(main())
