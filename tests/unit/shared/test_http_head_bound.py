"""Every HTTP edge is served by shared.runtime.http_config: h11 by name, which bounds a request's head.
uvicorn would otherwise take httptools wherever it is installed, and that accepted a 2 MB header."""

import asyncio
from urllib.parse import urlsplit

import httpx
from fastapi import FastAPI

from shared.runtime import http_config
from tests.integration.service_thread import serve_http


def app() -> FastAPI:
    app = FastAPI()

    @app.get("/ping")
    async def ping() -> dict:
        return {"ok": True}

    return app


async def answer_to(port: int, pieces: list[bytes]) -> bytes:
    """What the server sends back to a request written in these pieces ("" if it closed the connection)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for piece in pieces:
            writer.write(piece)
            await writer.drain()
            await asyncio.sleep(0)
        return await asyncio.wait_for(reader.read(200), 10)
    except (ConnectionResetError, BrokenPipeError):
        return b""
    finally:
        writer.close()


def test_the_edges_name_their_parser():
    assert http_config(app(), "127.0.0.1", 8000).http == "h11"


async def test_a_request_head_past_its_bound_is_refused_and_the_server_goes_on():
    async with serve_http(app()) as url:
        port = urlsplit(url).port
        head = b"GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: "
        at_once = await answer_to(port, [head + b"a" * 1_000_000 + b"\r\n\r\n"])
        assert not at_once.startswith(b"HTTP/1.1 200"), at_once
        dripped = await answer_to(port, [head] + [b"a" * 4096] * 64 + [b"\r\n\r\n"])  # 256 KiB in 4 KiB pieces
        assert not dripped.startswith(b"HTTP/1.1 200"), dripped
        async with httpx.AsyncClient() as client:
            assert (await client.get(f"{url}/ping", headers={"X-Small": "a" * 4000})).status_code == 200
