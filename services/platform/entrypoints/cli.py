"""Operators' tool: orderer organisations and their users (idempotent).

    python -m services.platform.entrypoints.cli create-organisation --code kawasaki-city --name 川崎市
    python -m services.platform.entrypoints.cli create-user --organisation-code kawasaki-city --login-id k-user

The password is asked twice on the terminal, or read as one line from standard input with
--password-stdin; --password ... still works (scripts) but lands in the shell history.

Tests and the demo call `create_organisation` / `create_user` (pool-based, from handlers.accounts) or
`run(argv, settings)` directly.
"""

import argparse
import asyncio
import json
import sys

from shared.text_policy import TextRefused
from shared.db.migrate import ensure_database, migrate
from shared.db.pool import create_pool
from shared.password_input import add_password_arguments, read_password
from services.platform.bootstrap import MIGRATIONS, SERVICE
from services.platform.handlers.accounts import (
    UnknownOrganisation,
    UserBelongsElsewhere,
    create_organisation,
    create_user,
)
from services.platform.settings import Settings

__all__ = ["create_organisation", "create_user", "main", "run"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m services.platform.entrypoints.cli", description="保証確認サービス: 発注者と利用者")
    commands = parser.add_subparsers(dest="command", required=True)
    org = commands.add_parser("create-organisation", help="発注者（組織）を登録する")
    org.add_argument("--code", required=True, help="orderer registry code, e.g. kawasaki-city")
    org.add_argument("--name", required=True, help="e.g. 川崎市")
    user = commands.add_parser("create-user", help="利用者IDを登録する")
    user.add_argument("--organisation-code", required=True)
    user.add_argument("--login-id", required=True)
    add_password_arguments(user)
    user.add_argument("--name", default=None, help="閲覧記録に印字する所属と氏名, e.g. 契約課 山田")
    user.add_argument("--admin", action="store_true", help="利用者ID管理者 (manages the organisation's users)")
    return parser


async def run(argv: list[str], settings: Settings | None = None) -> dict:
    """Apply migrations, run one command, return what it printed as JSON."""
    args = _parser().parse_args(argv)
    password = read_password(args) if args.command == "create-user" else None
    settings = settings or Settings()
    await ensure_database(settings.database_url)
    await migrate(settings.database_url, SERVICE, MIGRATIONS)
    pool = await create_pool(settings.database_url, SERVICE, max_size=2)
    try:
        if args.command == "create-organisation":
            organisation, created = await create_organisation(pool, args.code, args.name)
            return {"organisation_id": str(organisation.id), "code": organisation.code, "name": organisation.name, "created": created}
        user, created = await create_user(
            pool, args.organisation_code, args.login_id, password, display_name=args.name,
            role="admin" if args.admin else "staff",
        )
        return {
            "user_id": str(user.id),
            "login_id": user.login_id,
            "organisation_code": user.organisation.code,
            "created": created,
        }
    finally:
        await pool.close()


def main(argv: list[str] | None = None) -> int:
    try:
        result = asyncio.run(run(sys.argv[1:] if argv is None else argv))
    except (UnknownOrganisation, UserBelongsElsewhere, TextRefused) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
