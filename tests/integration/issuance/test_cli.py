"""The operator CLI: register an orderer, list orderers; a new orderer is honoured by the next application."""

import json
import os
import subprocess
import sys
from datetime import date

import pytest

from services.issuance.domain.model import JudgedOn, Orderer
from services.issuance.entrypoints.cli import add_orderer, list_orderers
from tests.conftest import TEST_DATABASE_URL, eventually
from tests.unit.issuance.factories import PAPER_DELIVERY, advance, application, paper, submitted

pytestmark = pytest.mark.integration


async def test_seeded_orderers(issuance):
    orderers = {o.code: o for o in await list_orderers(TEST_DATABASE_URL)}
    seen = {code: (o.name, o.certificate_name, o.e_surety_from, o.judged_on) for code, o in orderers.items()}
    assert seen.items() >= {
        "kawasaki-city": ("川崎市", "川崎市長", date(2023, 4, 1), JudgedOn.CONTRACT_DATE),
        "mishima-city": ("三島市", "三島市長", date(2026, 1, 1), JudgedOn.CONTRACT_DATE),
        "yurihonjo-city": ("由利本荘市", "由利本荘市長", date(2026, 4, 1), JudgedOn.TENDER_NOTICE_DATE),
        "nagano-pref": ("長野県", "長野県知事", date(2022, 5, 9), JudgedOn.CONTRACT_DATE),
        "hitachinaka-city": ("ひたちなか市", "ひたちなか市長", date(2026, 6, 1), JudgedOn.CONTRACT_DATE),
    }.items()


async def test_add_orderer_is_idempotent_and_used(issuance, emitted, publish):
    orderer = Orderer("test-town", "試験町", "試験町長", date(2026, 4, 1), JudgedOn.CONTRACT_DATE, "テスト")
    assert await add_orderer(TEST_DATABASE_URL, orderer) == orderer
    moved = Orderer("test-town", "試験町", "試験町長", date(2026, 5, 1), JudgedOn.CONTRACT_DATE, "テスト")
    assert await add_orderer(TEST_DATABASE_URL, moved) == moved
    assert [o for o in await list_orderers(TEST_DATABASE_URL) if o.code == "test-town"] == [moved]

    early = application(orderer_code="test-town", orderer_name="試験町長", contract_date=date(2026, 4, 30), products=[advance()])
    await publish(submitted(early))
    rejected = await eventually(lambda: emitted.rejected(early.application_id))
    assert rejected[0]["data"]["reasons"][0]["message"] == (
        "試験町は2026年5月1日（令和8年5月1日）以降に締結する契約から電子保証に対応しています。"
    )
    on_time = application(orderer_code="test-town", orderer_name="試験町長", contract_date=date(2026, 5, 1), products=[advance()])
    await publish(submitted(on_time))
    issued = await eventually(lambda: emitted.issued(on_time.application_id))
    assert issued[0]["data"]["certificate"]["obligee"]["name"] == "試験町長"


def test_command_line(issuance):
    env = {**os.environ, "DATABASE_URL": TEST_DATABASE_URL}
    cli = [sys.executable, "-m", "services.issuance.entrypoints.cli"]
    added = subprocess.run(
        [*cli, "add-orderer", "--code", "cli-city", "--name", "試験市", "--certificate-name", "試験市長",
         "--from", "2026-04-01", "--judged-on", "tender_notice_date", "--note", "CLI"],
        env=env, capture_output=True, text=True, check=True,
    )
    assert json.loads(added.stdout) == {
        "code": "cli-city", "name": "試験市", "certificate_name": "試験市長", "e_surety_from": "2026-04-01",
        "judged_on": "tender_notice_date", "note": "CLI", "rounding_unit": 1, "requires_tender_status": False,
        "advance_payment_percent": 40,
    }
    listed = subprocess.run([*cli, "list-orderers"], env=env, capture_output=True, text=True, check=True)
    codes = [json.loads(line)["code"] for line in listed.stdout.splitlines()]
    assert {"kawasaki-city", "cli-city"} <= set(codes)
    bad = subprocess.run([*cli, "add-orderer", "--code", "x", "--name", "x", "--certificate-name", "x",
                          "--from", "2026-04-01", "--judged-on", "award_date"], env=env, capture_output=True, text=True)
    assert bad.returncode == 2


def test_command_line_orderer_rules(issuance):
    env = {**os.environ, "DATABASE_URL": TEST_DATABASE_URL}
    cli = [sys.executable, "-m", "services.issuance.entrypoints.cli"]
    base = ["add-orderer", "--name", "試験村", "--certificate-name", "試験村長"]
    added = subprocess.run(
        [*cli, *base, "--code", "rules-village", "--from", "2026-04-01", "--rounding-unit", "100000", "--requires-tender-status",
         "--advance-payment-percent", "30"],
        env=env, capture_output=True, text=True, check=True,
    )
    assert json.loads(added.stdout) == {
        "code": "rules-village", "name": "試験村", "certificate_name": "試験村長", "e_surety_from": "2026-04-01",
        "judged_on": "contract_date", "note": "", "rounding_unit": 100000, "requires_tender_status": True,
        "advance_payment_percent": 30,
    }
    paper_only = subprocess.run(
        [*cli, *base, "--code", "paper-village", "--no-e-surety", "--rounding-unit", "10000"],
        env=env, capture_output=True, text=True, check=True,
    )
    assert json.loads(paper_only.stdout) == {
        "code": "paper-village", "name": "試験村", "certificate_name": "試験村長", "e_surety_from": None,
        "judged_on": "contract_date", "note": "", "rounding_unit": 10000, "requires_tender_status": False,
        "advance_payment_percent": 40,
    }
    listed = subprocess.run([*cli, "list-orderers"], env=env, capture_output=True, text=True, check=True)
    by_code = {o["code"]: o for o in map(json.loads, listed.stdout.splitlines())}
    assert by_code["paper-village"]["e_surety_from"] is None
    assert (by_code["rules-village"]["rounding_unit"], by_code["rules-village"]["requires_tender_status"]) == (100000, True)
    assert (by_code["nagano-pref"]["rounding_unit"], by_code["nagano-pref"]["requires_tender_status"]) == (100000, True)

    for wrong in (
        ["--code", "x", "--from", "2026-04-01", "--rounding-unit", "1000"],  # not 1 / 10000 / 100000
        ["--code", "x", "--from", "2026-04-01", "--advance-payment-percent", "50"],  # above the legal 40%
        ["--code", "x", "--from", "2026-04-01", "--no-e-surety"],  # both
        ["--code", "x"],  # neither
    ):
        refused = subprocess.run([*cli, *base, *wrong], env=env, capture_output=True, text=True)
        assert refused.returncode == 2, wrong


async def test_seeded_orderer_rules(issuance):
    orderers = {o.code: o for o in await list_orderers(TEST_DATABASE_URL)}
    rules = {code: (o.rounding_unit, o.requires_tender_status) for code, o in orderers.items()}
    assert rules.items() >= {
        "nagano-pref": (100_000, True),
        "kawasaki-city": (10_000, False),
        "mishima-city": (10_000, False),
        "yurihonjo-city": (10_000, False),
        "hitachinaka-city": (1, False),
    }.items()


async def test_orderer_without_e_surety_takes_paper_only(issuance, emitted, publish):
    await add_orderer(TEST_DATABASE_URL, Orderer("paper-town", "紙町", "紙町長", None, JudgedOn.CONTRACT_DATE))
    electronic = application(orderer_code="paper-town", orderer_name="紙町長", products=[advance()])
    await publish(submitted(electronic))
    rejected = await eventually(lambda: emitted.rejected(electronic.application_id))
    assert [(r["field"], r["rule"]) for r in rejected[0]["data"]["reasons"]] == [
        ("products[0].certificate_format", "orderer_no_e_surety")
    ]
    on_paper = application(
        orderer_code="paper-town", orderer_name="紙町長", products=[paper(advance())], paper_delivery=PAPER_DELIVERY
    )
    await publish(submitted(on_paper))
    issued = await eventually(lambda: emitted.paper(on_paper.application_id))
    assert issued[0]["data"]["certificate"]["electronic"] is False
