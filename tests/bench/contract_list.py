"""Benchmark: 保証契約一覧 and 申込確認 of a company with a million contracts (issue 12).

    python -m tests.bench.contract_list [--contracts 1000000] [--requests 200] [--keep]

Seeds its own database (esurety_list_bench, dropped at the end unless --keep) with one company whose read
model holds `--contracts` contracts, written with COPY; then times, over real HTTP (uvicorn on 127.0.0.1,
the client in the same process), GET /contracts: the first page, each filter, the pinpoint search, the next
page and a page deep in the list, and POST /applications/{id}/confirm of a 中間前払金 whose 前払金保証 is one
of the million. The anchor, in the same run and the same way: a bare FastAPI endpoint doing one asyncpg
query (SELECT 1). Prints p50/p99 (ms) per case and its ratio to the anchor as JSON lines.
"""

import argparse
import asyncio
import json
import random
import statistics
import time
import uuid
from datetime import date, datetime, timedelta, timezone

import asyncpg
import httpx
from fastapi import FastAPI

from shared.db.migrate import ensure_database, migrate
from shared.db.pool import create_pool
from services.application.adapters.issuance_client import IssuanceClient
from services.application.bootstrap import MIGRATIONS
from services.application.domain.context import OrdererRules
from services.application.entrypoints.cli import create_company, create_user
from services.application.entrypoints.http import create_app
from services.application.settings import Settings
from tests.integration.application.contract_rows import COLUMNS
from tests.integration.service_thread import serve_http
from tests.unit.application.forms import intermediate_form

BENCH_DB = "esurety_list_bench"
SERVER = "postgresql://postgres@127.0.0.1:5432"
PRODUCTS = ["advance_payment"] * 4 + ["intermediate_advance_payment", "contract_guarantee", "contract_guarantee",
                                       "contract_guarantee", "bid_bond", "bid_bond"]
PLACES = ["国道１号", "県道", "市道", "河川", "港湾", "砂防", "下水道", "上水道", "公園", "学校"]
WORKS = ["維持工事", "改良工事", "補修工事", "舗装工事", "橋梁工事", "整備工事", "災害復旧工事", "耐震補強工事"]
RARE = "黒部第四"  # in one construction name of 10,000: a selective 部分一致
START = datetime(2016, 4, 1, tzinfo=timezone.utc)


class Registry:
    """The orderer registry as issuance would answer it (川崎市), without issuance."""

    async def orderers(self):
        return {"kawasaki-city": OrdererRules("kawasaki-city", "川崎市", "川崎市長", date(2022, 4, 1), "contract_date")}

    def invalidate(self) -> None:
        pass


def number(i: int) -> str:
    return f"{10000 + i // 90000:05d}-{i % 90000:05d}{'MCKKY'[min(4, i % 5)]}"


def rows(company_id: uuid.UUID, count: int, application_id: uuid.UUID):
    rnd = random.Random(12)
    step = (datetime(2026, 11, 30, tzinfo=timezone.utc) - START) / count
    for i in range(count):
        product = PRODUCTS[i % len(PRODUCTS)]
        name = f"{PLACES[rnd.randrange(10)]}{WORKS[rnd.randrange(8)]}（第{i % 97}工区）"
        if i % 10_000 == 7:
            name = f"{RARE}ダム{name}"
        issued = START + step * i + timedelta(microseconds=rnd.randrange(1000))
        yield (
            number(i), product, application_id, company_id,
            "○○建設 株式会社", name, "川崎市", None if product == "bid_bond" else 100_000_000, 20_000_000, "0" * 64, 0,
            "新規", issued, "paper" if i % 7 == 0 else "electronic", "kawasaki-city",
            None,
        )


async def seed(url: str, count: int) -> tuple[uuid.UUID, str, float]:
    await ensure_database(url)
    await migrate(url, "application", MIGRATIONS)
    company_id = await create_company("百万建設 株式会社", "東京都千代田区", database_url=url)
    await create_user("百万建設 株式会社", "million", "pass-million", "大量 太郎", database_url=url)
    conn = await asyncpg.connect(url, server_settings={"search_path": "application"})
    started = time.perf_counter()
    try:
        parent = number(count // 2 - count // 2 % len(PRODUCTS))  # a 前払金保証 half-way down the list
        await conn.copy_records_to_table("contracts", records=rows(company_id, count, uuid.uuid4()), columns=COLUMNS)
        await conn.execute("VACUUM ANALYZE contracts")
    finally:
        await conn.close()
    return company_id, parent, time.perf_counter() - started


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2)}


async def timed(client: httpx.AsyncClient, method: str, path: str, requests: int, **kwargs) -> dict[str, float]:
    for _ in range(5):  # warm-up
        assert (await client.request(method, path, **kwargs)).status_code == 200
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = await client.request(method, path, **kwargs)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, response.text
    return percentiles(samples) | {"bytes": len(response.content)}


def anchor_app(pool: asyncpg.Pool) -> FastAPI:
    app = FastAPI()

    @app.get("/anchor")
    async def anchor() -> dict:
        async with pool.acquire() as conn:
            return {"one": await conn.fetchval("SELECT 1")}

    return app


async def main(count: int, requests: int, keep: bool) -> None:
    url = f"{SERVER}/{BENCH_DB}"
    try:
        company_id, parent, seconds = await seed(url, count)
        print(json.dumps({"seeded_contracts": count, "copy_and_analyze_s": round(seconds, 1)}))
        pool = await create_pool(url, "application", min_size=2, max_size=10)
        settings = Settings(database_url=url, amqp_url="amqp://guest:guest@127.0.0.1:5672/",
                            internal_api_token="bench", issuance_internal_url="http://127.0.0.1:9")
        issuance = IssuanceClient(settings.issuance_internal_url, "bench", timeout=1)
        app = create_app(pool, issuance, settings, Registry())
        async with serve_http(app) as base, serve_http(anchor_app(pool)) as anchor_base, \
                httpx.AsyncClient(base_url=base, timeout=30) as client, \
                httpx.AsyncClient(base_url=anchor_base, timeout=30) as anchor:
            token = (await client.post("/auth/login", json={"login_id": "million", "password": "pass-million"})).json()
            client.headers["Authorization"] = f"Bearer {token['access_token']}"
            first = await client.get("/contracts")
            assert len(first.json()) == 50
            middle = await client.get("/contracts", params={"limit": 1, "contract_number": parent})
            deep_key = middle.json()[0]
            from services.application.domain import list_cursor
            deep = list_cursor.encode(list_cursor.Cursor(datetime.fromisoformat(deep_key["issued_at"]),
                                                         deep_key["contract_number"]))
            form = intermediate_form()
            form["intermediate_advance_payment"]["advance_payment_contract_number"] = parent
            form["contract"]["construction_name"] = middle.json()[0]["construction_name"]
            draft = (await client.post("/applications", json=form)).json()["id"]

            cases = {
                "first_page": {},
                "product": {"product": "contract_guarantee"},
                "period_one_month": {"period_from": "2021-06-01", "period_to": "2021-06-30"},
                "construction_name_common": {"construction_name": "橋梁工事"},
                "construction_name_rare": {"construction_name": RARE},
                "construction_name_none": {"construction_name": "存在しない工事名"},
                "combined": {"product": "advance_payment", "construction_name": "県道維持", "period_from": "2020-01-01"},
                "pinpoint": {"contract_number": parent},
                "next_page": {"cursor": first.headers["x-next-cursor"]},
                "deep_page_500k": {"cursor": deep},
                "limit_200": {"limit": 200},
            }
            results = {"anchor_select_1": await timed(anchor, "GET", "/anchor", requests)}
            for name, params in cases.items():
                results[name] = await timed(client, "GET", "/contracts", requests, params=params)
            results["confirm_intermediate"] = await timed(client, "POST", f"/applications/{draft}/confirm", requests)
            results["anchor_select_1_again"] = await timed(anchor, "GET", "/anchor", requests)
        anchor_p50 = statistics.mean([results["anchor_select_1"]["p50_ms"], results["anchor_select_1_again"]["p50_ms"]])
        for name, r in results.items():
            print(json.dumps({"case": name, **r, "p50_vs_anchor": round(r["p50_ms"] / anchor_p50, 1)}, ensure_ascii=False))
        await issuance.aclose()
        await pool.close()
    finally:
        if not keep:
            admin = await asyncpg.connect(f"{SERVER}/postgres")
            try:
                await admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
            finally:
                await admin.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--contracts", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the bench database (default: dropped)")
    args = parser.parse_args()
    asyncio.run(main(args.contracts, args.requests, args.keep))
