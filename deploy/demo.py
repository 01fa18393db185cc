"""Files the seeds' sample application through the public contractor API of the RUNNING system
(`make run`), waits for the completion email, opens the certificate as the orderer, and prints one
JSON line with what a contractor would have in hand.

Then the second example: the 中間前払金 of the same contract, filed later against its 前払金
(20% of 請負金額, so 前払金 + 中間前払金 = 60%), pre-filled from the 前払金 by the portal.

    python -m deploy.demo          (make demo)

Users and the orderer organisation are created idempotently through the command-line tools.
"""

import asyncio
import json
import os
import sys
import time
from datetime import date, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import httpx

from services.application.entrypoints import cli as application_cli
from services.platform.entrypoints import cli as platform_cli
from shared.japanese import JST

APPLICATION_URL = os.environ.get("APPLICATION_URL", "http://127.0.0.1:8001")
PLATFORM_URL = os.environ.get("PLATFORM_URL", "http://127.0.0.1:8002")
MAIL_DIR = Path(os.environ.get("MAIL_SINK_DIR", "var/mail"))
OUT_DIR = Path(os.environ.get("DEMO_OUT_DIR", "var/demo"))
COMPANY = ("○○建設 株式会社", "神奈川県横浜市中区尾上町1-6 ICON関内ビル2階")
CONTRACTOR_LOGIN = ("demo-contractor", "demo-contractor-password")
ORDERER = ("kawasaki-city", "川崎市")
ORDERER_LOGIN = ("demo-kawasaki", "demo-kawasaki-password")


def sample_form(today: date) -> dict:
    """The seeds' 川崎市 example; dates move with today so that 川崎市's start date (2023-04-01) is met."""
    return {
        "contract": {
            "construction_name": "河川維持（○○）工事",
            "orderer_code": ORDERER[0],
            "orderer_name": "川崎市長",
            "contract_amount": 50_000_000,
            "period_start": (today + timedelta(days=7)).strftime("%Y%m%d"),
            "period_end": (today + timedelta(days=300)).strftime("%Y%m%d"),
            "contract_date": today.strftime("%Y%m%d"),
        },
        "advance_payment": {
            "apply": True,
            "certificate_format": "electronic",
            "guaranteed_amount": 20_000_000,
            "depository": "○○銀行　××支店",
            "redeposit": "利用しない",
            "fee_payment_method": "一括納付",
            "fee_billing_to": COMPANY[0],
            "fee_statement_paper": "希望しない",
        },
        "contract_guarantee": {
            "apply": True,
            "certificate_format": "electronic",
            "guaranteed_amount": 5_000_000,
            "fee_payment_method": "一括納付",
            "fee_billing_to": COMPANY[0],
            "fee_statement_paper": "希望しない",
        },
        "information": {
            "branch": "神奈川支店",
            "notification_wanted": "希望する",
            "email": "soumu@example.jp",
        },
    }


def intermediate_form_additions() -> dict:
    """What the contractor adds to the pre-filled 中間前払金 draft: its amount and the fee fields."""
    return {
        "guaranteed_amount": 10_000_000,  # 20% of 請負金額 50,000,000
        "redeposit": "利用しない",
        "fee_payment_method": "一括納付",
        "fee_billing_to": COMPANY[0],
        "fee_statement_paper": "希望しない",
    }


async def ensure_accounts() -> None:
    await application_cli.create_company(*COMPANY)
    await application_cli.create_user(COMPANY[0], *CONTRACTOR_LOGIN, name="総務 太郎")
    await platform_cli.run(["create-organisation", "--code", ORDERER[0], "--name", ORDERER[1]])
    await platform_cli.run(
        ["create-user", "--organisation-code", ORDERER[0], "--login-id", ORDERER_LOGIN[0], "--password", ORDERER_LOGIN[1],
         "--name", "契約課 山田", "--admin"]
    )


async def login(client: httpx.AsyncClient, login_id: str, password: str) -> None:
    response = await client.post("/auth/login", json={"login_id": login_id, "password": password})
    response.raise_for_status()
    client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"


async def poll(fetch, done, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while True:
        value = await fetch()
        if done(value):
            return value
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}: {value}")
        await asyncio.sleep(0.3)


def find_email(numbers: list[str], since: float) -> dict | None:
    for path in sorted(MAIL_DIR.glob("*.eml")):
        if path.stat().st_mtime < since:
            continue
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        body = message.get_body(preferencelist=("plain",)).get_content()
        if numbers[0] in body:
            return {"to": message["To"], "subject": message["Subject"], "file": str(path)}
    return None


def _issued(app: dict) -> bool:
    if app["status"] == "rejected":
        raise SystemExit(f"rejected: {json.dumps(app['rejection_reasons'], ensure_ascii=False)}")
    return app["status"] == "issued" and all(c.get("published_at") for c in app["certificates"])


async def send(net_desk: httpx.AsyncClient, app_id: str) -> list[dict]:
    """申込確認 then 送信 (warnings acknowledged, as the contractor would after reading them);
    waits until every product is on the platform and fetches number, key and both PDFs."""
    confirmed = (await net_desk.post(f"/applications/{app_id}/confirm")).json()
    if not confirmed["ok"]:
        raise SystemExit(f"申込確認で問題があります: {json.dumps(confirmed['problems'], ensure_ascii=False)}")
    warnings = [p["message"] for p in confirmed["problems"] if p.get("severity") == "warning"]
    response = await net_desk.post(f"/applications/{app_id}/submit", json={"acknowledge_warnings": bool(warnings)})
    response.raise_for_status()
    app = await poll(lambda: _json(net_desk.get(f"/applications/{app_id}")), _issued, timeout=60, what="issue")
    products = []
    for certificate in app["certificates"]:
        number = certificate["contract_number"]
        detail = (await net_desk.get(f"/contracts/{number}")).json()
        files = {}
        for document in ("certificate", "key-notice"):
            response = await net_desk.get(f"/contracts/{number}/{document}.pdf")
            response.raise_for_status()
            path = OUT_DIR / f"{number}-{document}.pdf"
            path.write_bytes(response.content)
            files[document] = str(path)
        products.append(
            {
                "product": certificate["product"],
                "contract_number": number,
                "auth_key": detail["auth_key"],
                "published_at_jst": detail["history"][0]["published_at_jst"],
                "content_digest": detail["content_digest"],
                "warnings_acknowledged": warnings,
                "pdfs": files,
            }
        )
    return products


async def main() -> dict:
    await ensure_accounts()
    started = time.time()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    async with httpx.AsyncClient(base_url=APPLICATION_URL, timeout=30) as net_desk:
        await login(net_desk, *CONTRACTOR_LOGIN)
        draft = (await net_desk.post("/applications", json=sample_form(date.today()))).json()
        app_id = draft["id"]
        products = await send(net_desk, app_id)

        # The second example: the 中間前払金 of the same contract, against its 前払金.
        advance = next(p for p in products if p["product"] == "advance_payment")
        response = await net_desk.post(f"/contracts/{advance['contract_number']}/intermediate-application")
        response.raise_for_status()
        intermediate = response.json()
        form = intermediate["form"]
        form["intermediate_advance_payment"].update(intermediate_form_additions())
        (await net_desk.put(f"/applications/{intermediate['id']}", json=form)).raise_for_status()
        intermediate_products = await send(net_desk, intermediate["id"])

    async with httpx.AsyncClient(base_url=PLATFORM_URL, timeout=30) as platform:
        await login(platform, *ORDERER_LOGIN)
        for product in products + intermediate_products:
            seen = (
                await platform.post(
                    "/certificates/lookup",
                    json={"contract_number": product["contract_number"], "auth_key": product["auth_key"]},
                )
            ).json()
            product["orderer_sees_same_digest"] = seen["content_digest"] == product["content_digest"]
            product["orderer_sees_title"] = seen["title"]

    numbers = [p["contract_number"] for p in products]
    email = None
    if not os.environ.get("SMTP_HOST"):
        email = await poll(lambda: _async(find_email(numbers, started - 1)), bool, timeout=60, what="the email")
    return {
        "application_id": app_id,
        "products": products,
        "intermediate_application_id": intermediate["id"],
        "intermediate": intermediate_products,
        "email": email,
    }


async def _json(request) -> dict:
    response = await request
    response.raise_for_status()
    return response.json()


async def _async(value):
    return value


if __name__ == "__main__":
    try:
        result = asyncio.run(main())
    except httpx.ConnectError as exc:
        sys.exit(f"the system is not running ({exc}); start it with `make run`")
    print(json.dumps(result, ensure_ascii=False))
