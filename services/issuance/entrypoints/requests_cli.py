"""Staff command for the orderers' requests (part of services.issuance.entrypoints.cli):

    python -m services.issuance.entrypoints.cli list-orderer-requests [--contract-number 35026-00001M]

One JSON line per 変更依頼 / 解除確認, newest first: the guarantee (番号, 版, 工事名, 受注者), the orderer
organisation, what it asked or confirmed, when.
"""

import argparse
import json
import re

from services.issuance.handlers.orderer_requests import list_orderer_requests

COMMANDS = ("list-orderer-requests",)
_NUMBER = re.compile(r"[0-9]{5}-[0-9]{5}[A-Z]")


def _contract_number(text: str) -> str:
    if not _NUMBER.fullmatch(text):
        raise argparse.ArgumentTypeError("保証契約番号は「37071-00000M」の形式で指定してください")
    return text


def add_parsers(commands) -> None:
    listing = commands.add_parser("list-orderer-requests", help="変更依頼・解除確認 from the orderers (newest first)")
    listing.add_argument("--contract-number", type=_contract_number, help="only this guarantee's")


async def run(args: argparse.Namespace, pool) -> int:
    for item in await list_orderer_requests(pool, args.contract_number):
        print(json.dumps(item, ensure_ascii=False))
    return 0
