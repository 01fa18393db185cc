"""Malformed requests are answered in Japanese, naming each field and the rule."""

import httpx
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field

from shared.request_errors import japanese_validation_handler


class Lookup(BaseModel):
    contract_number: str = Field(max_length=12)
    auth_key: str
    version: int | None = Field(default=None, ge=0)


def app() -> FastAPI:
    api = FastAPI()
    api.add_exception_handler(
        RequestValidationError, japanese_validation_handler({"contract_number": "保証契約番号", "auth_key": "認証キー", "version": "版"})
    )

    @api.post("/lookup")
    async def lookup(body: Lookup) -> dict:
        return {}

    return api


async def post(body) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app()), base_url="http://t") as client:
        return await client.post("/lookup", json=body)


async def test_every_problem_names_field_and_rule_in_japanese():
    response = await post({"contract_number": "35072-00001M-TOO-LONG", "version": -1})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "入力内容に誤りがあります。"
    by_path = {p["path"]: p for p in body["problems"]}
    assert by_path["auth_key"]["message"] == "認証キーは必須です。"
    assert by_path["auth_key"]["rule"] == "missing"
    assert by_path["contract_number"]["message"] == "保証契約番号は12文字以内で入力してください。"
    assert by_path["version"]["message"] == "版は0以上にしてください。"


async def test_unreadable_body():
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app()), base_url="http://t") as client:
        response = await client.post("/lookup", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["problems"][0]["message"] == "リクエストの本文がJSONとして読めません。"
