"""Malformed HTTP requests answered in Japanese: each problem names the field (label and path) and the rule.

FastAPI's own 422 body is English and meant for programmers; staff of contractors and orderers read ours.
Used by both HTTP edges with their own field labels.
"""

from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

DETAIL = "入力内容に誤りがあります。"

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
}
_FALLBACK = "{label}の形式が正しくありません。"


def problems_in_japanese(exc: RequestValidationError, labels: Mapping[str, str]) -> list[dict[str, Any]]:
    problems = []
    for error in exc.errors():
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
        path = ".".join(location) or "body"
        label = labels.get(path) or labels.get(location[-1] if location else "", path)
        template = _RULES.get(error.get("type", ""), _FALLBACK)
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
