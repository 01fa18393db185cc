"""Operator CLI for the reference data.

    python -m services.issuance.entrypoints.cli add-orderer --code kawasaki-city --name 川崎市 \
        --certificate-name 川崎市長 --from 2023-04-01 --judged-on contract_date [--note ...]
    python -m services.issuance.entrypoints.cli list-orderers
    python -m services.issuance.entrypoints.cli list-branches

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
from services.issuance.settings import Settings
from shared.db.migrate import ensure_database, migrate
from shared.db.pool import create_pool

# Not imported from bootstrap: that would load WeasyPrint for a one-line command.
NAME = "issuance"
MIGRATIONS = Path(__file__).parents[1] / "migrations"


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


def _json(item) -> str:
    return json.dumps(asdict(item), ensure_ascii=False, default=str)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.issuance.entrypoints.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add-orderer", help="register or update an orderer that accepts e-surety")
    add.add_argument("--code", required=True)
    add.add_argument("--name", required=True, help="発注者名, e.g. 川崎市")
    add.add_argument("--certificate-name", required=True, help="被保証者 on the certificate, e.g. 川崎市長")
    add.add_argument("--from", dest="e_surety_from", required=True, type=date.fromisoformat, help="YYYY-MM-DD")
    add.add_argument("--judged-on", required=True, choices=[j.value for j in JudgedOn])
    add.add_argument("--note", default="")
    commands.add_parser("list-orderers")
    commands.add_parser("list-branches")
    args = parser.parse_args(argv)
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(sys.stderr))  # stdout carries the JSON lines
    database_url = Settings().database_url

    if args.command == "add-orderer":
        orderer = Orderer(
            code=args.code,
            name=args.name,
            certificate_name=args.certificate_name,
            e_surety_from=args.e_surety_from,
            judged_on=JudgedOn(args.judged_on),
            note=args.note,
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
