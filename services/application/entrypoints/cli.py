"""Operator commands (idempotent):

    python -m services.application.entrypoints.cli create-company --name "○○建設 株式会社" --address "東京都…"
    python -m services.application.entrypoints.cli create-user --company-name "○○建設 株式会社" \\
        --login-id marumaru [--name "山田 太郎"]                       # asks for the password twice
    python -m services.application.entrypoints.cli set-send-password --company "○○建設 株式会社"
    python -m services.application.entrypoints.cli set-send-password --company "○○建設 株式会社" --clear

The password: asked on the terminal, or one line from standard input with --password-stdin (scripts:
`printf '%s\\n' "$PW" | … --password-stdin`); --password '…' still works but lands in the shell history.

Each prints the id (of the company for set-send-password). `create_company` / `create_user` /
`set_send_password` below are what tests and the demo call.
"""

import argparse
import asyncio
import sys
from uuid import UUID

import structlog

from shared.db.migrate import ensure_database, migrate
from shared.db.pool import create_pool
from shared.password_input import add_password_arguments, read_password
from services.application.bootstrap import MIGRATIONS, NAME
from services.application.handlers import accounts
from services.application.settings import Settings


async def _pool(database_url: str):
    await ensure_database(database_url)
    await migrate(database_url, NAME, MIGRATIONS)
    return await create_pool(database_url, NAME, max_size=2)


async def create_company(name: str, address: str, *, database_url: str | None = None) -> UUID:
    pool = await _pool(database_url or Settings().database_url)
    try:
        return await accounts.create_company(pool, name=name, address=address)
    finally:
        await pool.close()


async def create_user(
    company_name: str, login_id: str, password: str, name: str | None = None, *, database_url: str | None = None
) -> UUID:
    pool = await _pool(database_url or Settings().database_url)
    try:
        return await accounts.create_user(
            pool, company_name=company_name, login_id=login_id, password=password, name=name
        )
    finally:
        await pool.close()


async def set_send_password(company_name: str, password: str | None, *, database_url: str | None = None) -> UUID:
    """送信パスワード: with it set, a submit without it only parks the application (送信待ち)."""
    pool = await _pool(database_url or Settings().database_url)
    try:
        return await accounts.set_send_password(pool, company_name=company_name, password=password)
    finally:
        await pool.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.application.entrypoints.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    company = commands.add_parser("create-company", help="受注者（会社）を登録する; 同名があればその id")
    company.add_argument("--name", required=True)
    company.add_argument("--address", required=True)
    user = commands.add_parser("create-user", help="受注者の利用者を登録する; 同じ login_id があればその id")
    user.add_argument("--company-name", required=True)
    user.add_argument("--login-id", required=True)
    add_password_arguments(user)
    user.add_argument("--name")
    send = commands.add_parser(
        "set-send-password", help="会社の送信パスワードを設定する（作成者と送信者を分ける）; --clear で解除"
    )
    send.add_argument("--company", required=True)
    secret = add_password_arguments(send, label="送信パスワード")
    secret.add_argument("--clear", action="store_true", help="送信パスワードを解除する")
    args = parser.parse_args(argv)
    needs_password = args.command == "create-user" or (args.command == "set-send-password" and not args.clear)
    password = read_password(args) if needs_password else None  # asked before the migration logs begin
    # Only the id goes to stdout (scripts capture it); migration logs go to stderr.
    structlog.configure(logger_factory=lambda *_: structlog.PrintLogger(sys.stderr))
    try:
        if args.command == "create-company":
            print(asyncio.run(create_company(args.name, args.address)))
        elif args.command == "create-user":
            print(asyncio.run(create_user(args.company_name, args.login_id, password, args.name)))
        else:
            if password is not None and not password:
                print("送信パスワードを入力してください（解除は --clear）", file=sys.stderr)
                return 1
            print(asyncio.run(set_send_password(args.company, password)))
    except accounts.UnknownCompany as exc:
        print(f"会社が登録されていません: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
