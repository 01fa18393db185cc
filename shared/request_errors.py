"""Malformed HTTP requests answered in Japanese: each problem names the field (label and path) and the rule.

FastAPI's own 422 body and its 400/404/405 details are English and meant for programmers; staff of
contractors and orderers read ours. Used by both HTTP edges with their own field labels
(`install_json_errors`); their web pages have their own error pages (shared.web.pages).
"""

from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

DETAIL = "入力内容に誤りがあります。"
BODY_LABEL = "リクエストの本文"
# The largest body either API takes is an application form (a few KB even at every field's maximum).
MAX_BODY_BYTES = 256 * 1024

# pydantic error type → the rule in Japanese; {label} and the error's ctx values are filled in.
_RULES = {
    "missing": "{label}は必須です。",
    "string_type": "{label}は文字列で入力してください。",
    "string_too_long": "{label}は{max_length}文字以内で入力してください。",
    "string_too_short": "{label}は{min_length}文字以上で入力してください。",
    "int_type": "{label}は整数で入力してください。",
    "int_parsing": "{label}は整数で入力してください。",
    "greater_than_equal": "{label}は{ge}以上にしてください。",
    "enum": "{label}は{expected}のいずれかを指定してください。",
    "literal_error": "{label}は{expected}のいずれかを指定してください。",
    "json_invalid": "リクエストの本文がJSONとして読めません。",
    "model_attributes_type": "{label}の形式が正しくありません。",
    "dict_type": "{label}の形式が正しくありません。",
    "uuid_parsing": "{label}の形式が正しくありません。",
    "date_from_datetime_parsing": "{label}は日付（例: 2023-03-20）で入力してください。",
    "date_parsing": "{label}は日付（例: 2023-03-20）で入力してください。",
    "date_type": "{label}は日付（例: 2023-03-20）で入力してください。",
    "date_format": "{label}は日付（例: 2023-03-20 または 20230320）で入力してください。",
    "date_value": "{label}は実在する日付で入力してください。",
    "text_nul": "{label}に使えない文字（NUL などの制御文字）が含まれています。",
    "text_characters": "{label}に使えない文字が含まれています: {chars}。",
    "greater_than": "{label}は{gt}より大きくしてください。",
    "less_than_equal": "{label}は{le}以下にしてください。",
    "int_from_float": "{label}は整数で入力してください。",
    "finite_number": "{label}は有限の数値で入力してください（大きすぎる数や NaN は使えません）。",
    "bool_type": "{label}は true または false で指定してください。",
    "bool_parsing": "{label}は true または false で指定してください。",
    "too_long": "{label}は{max_length}文字以内で入力してください。",
    # A paged list's cursor that the API did not give (edited, truncated).
    "cursor_invalid": "{label}が正しくありません。前の応答の X-Next-Cursor の値をそのまま指定してください。",
}
# The body itself is not a JSON object (an array, text/plain, nothing).
_BODY_SHAPE = "リクエストの本文は JSON のオブジェクト（{{…}}）にし、Content-Type: application/json で送ってください。"
_FALLBACK = "{label}の形式が正しくありません。"


def problems_in_japanese(exc: RequestValidationError, labels: Mapping[str, str]) -> list[dict[str, Any]]:
    problems = []
    for error in exc.errors():
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
        path = ".".join(location) or "body"
        label = labels.get(path) or labels.get(location[-1] if location else "", path)
        template = _RULES.get(error.get("type", ""), _FALLBACK)
        if path == "body":
            label = BODY_LABEL
            if error.get("type") != "json_invalid":
                template = _BODY_SHAPE
        context = dict(error.get("ctx") or {})
        if isinstance(context.get("expected"), str):  # pydantic says "'a', 'b' or 'c'"
            context["expected"] = context["expected"].replace(" or ", "、").replace(", ", "、")
        try:
            message = template.format(label=label, **context)
        except (KeyError, IndexError):
            message = _FALLBACK.format(label=label)
        problems.append({"path": path, "label": label, "rule": error.get("type", "invalid"), "message": message})
    return problems


def japanese_validation_handler(labels: Mapping[str, str]):
    """An exception handler for RequestValidationError: 422 {detail, problems:[{path, label, rule, message}]}."""

    async def handle(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": DETAIL, "problems": problems_in_japanese(exc, labels)})

    return handle


class Problem(BaseModel):
    path: str = Field(description="項目のパス（例 contract.construction_name）; 本文全体は body")
    label: str = Field(description="項目名")
    rule: str = Field(description="破った規則（例 missing, too_long, text_characters）")
    message: str = Field(description="日本語のメッセージ")
    severity: str = Field(default="error", description="error（送信できない）/ warning（確認のうえ送信できる）")


class ErrorOut(BaseModel):
    """Every error answer of both APIs: a Japanese detail."""

    detail: str = Field(description="日本語の説明")


class ValidationErrorOut(ErrorOut):
    """422: what is wrong, field by field."""

    problems: list[Problem] = Field(default_factory=list)


# What FastAPI/Starlette would say in English → what we say.
_PARSE_ERROR = "There was an error parsing the body"
_HTTP_DETAILS = {
    400: "リクエストを読み取れませんでした。本文は UTF-8 の JSON で、Content-Type: application/json として送ってください。",
    401: "ログインしてください。",
    404: "指定された URL はありません。URL を確認してください（API の一覧は /docs）。",
    405: "この URL では {method} は使えません（使えるメソッド: {allow}）。",
    413: f"リクエストの本文が大きすぎます（上限 {MAX_BODY_BYTES // 1024} KB）。",
    415: "Content-Type が正しくありません。application/json で送ってください。",
}
_HTTP_OTHER = "リクエストを処理できませんでした（HTTP {status}）。"


def _english(exc: StarletteHTTPException) -> bool:
    try:
        phrase = HTTPStatus(exc.status_code).phrase
    except ValueError:
        phrase = ""
    return exc.detail in (phrase, _PARSE_ERROR) or not isinstance(exc.detail, str)


async def japanese_http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    """An HTTPException answered as {detail} in Japanese: ours pass through, the framework's are translated."""
    headers = dict(exc.headers or {})
    detail = exc.detail
    if _english(exc):
        allow = headers.get("Allow", "")
        template = _HTTP_DETAILS.get(exc.status_code, _HTTP_OTHER)
        detail = template.format(method=request.method, allow=allow or "なし", status=exc.status_code)
    return JSONResponse(status_code=exc.status_code, content={"detail": detail}, headers=headers or None)


def error_responses(*codes: int, descriptions: Mapping[int, str] | None = None) -> dict[int, dict[str, Any]]:
    """OpenAPI `responses` for the error answers a route really sends (422 with problems, others {detail})."""
    described = {**_DEFAULT_DESCRIPTIONS, **(descriptions or {})}
    return {
        code: {"model": ValidationErrorOut if code == 422 else ErrorOut, "description": described.get(code, "")}
        for code in codes
    }


_DEFAULT_DESCRIPTIONS = {
    400: "リクエストを読み取れない（JSON でない・UTF-8 でない）",
    401: "ログインしていない / 有効期限切れ",
    404: "見つからない",
    413: "本文が大きすぎる",
    422: "入力内容に誤りがある（problems に項目ごとの理由）",
    429: "続けて失敗したため一時的に受け付けない（Retry-After 秒後に再試行）",
    503: "ただいま混み合っているか保守中（Retry-After 秒後に再試行）",
}


class BodyLimit:
    """Refuses a request body over `max_bytes` with 413 before it is read (declared by Content-Length, or as
    a chunked body arrives). Paths under `skip` (the web pages) have their own limit and error page."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES, skip: Iterable[str] = ()) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.skip = tuple(skip)

    async def _refuse(self, send: Send) -> None:
        body = JSONResponse(status_code=413, content={"detail": _HTTP_DETAILS[413]}).body
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.skip):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send)
            return
        received = 0
        started = False

        async def bounded_receive():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise _TooLarge()
            return message

        async def tracking_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, bounded_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send)


class _TooLarge(Exception):
    pass


def install_json_errors(app: FastAPI, labels: Mapping[str, str], *, pages_at: Iterable[str] = ()) -> None:
    """Japanese answers for a JSON API: 422 with problems, 400/404/405/413 translated, the body bounded."""
    app.add_exception_handler(RequestValidationError, japanese_validation_handler(labels))
    app.add_exception_handler(StarletteHTTPException, japanese_http_error)
    app.add_middleware(BodyLimit, skip=tuple(pages_at))
