"""The lookup benchmark's anchor (tests/bench/lookup.py): a bare FastAPI app whose POST route reads one
certificate row by number from the platform's table through its own asyncpg pool of 10, served by the same
uvicorn configuration as the services (shared.runtime.http_config), in a process of its own.

    DATABASE_URL=… python -m tests.bench.lookup_bare PORT
"""

import asyncio
import os
import sys
from contextlib import asynccontextmanager

import asyncpg
import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel

from shared.db.pool import create_pool
from shared.runtime import http_config


class Lookup(BaseModel):
    contract_number: str
    auth_key: str


def bare_app(database_url: str) -> FastAPI:
    pool: asyncpg.Pool | None = None

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        nonlocal pool
        pool = await create_pool(database_url, "platform", max_size=10)
        yield
        await pool.close()

    app = FastAPI(lifespan=lifespan)

    @app.get("/readyz")
    async def ready() -> dict:
        return {"status": "ok"}

    @app.post("/certificates/lookup")
    async def lookup(body: Lookup) -> dict:
        row = await pool.fetchrow(
            "SELECT contract_number, version, obligee_code FROM certificate_versions"
            " WHERE contract_number = $1 ORDER BY version DESC LIMIT 1",
            body.contract_number,
        )
        return dict(row)

    return app


async def serve(port: int) -> None:
    app = bare_app(os.environ["DATABASE_URL"])
    server = uvicorn.Server(http_config(app, "127.0.0.1", port))
    await server.serve()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1])))
