"""A posted 申込作成 page → the form dict the handlers take (the JSON API's shape), and back.

A draft keeps whatever was typed: values stay strings as typed (the validation reads 20,000,000,
full-width digits and 2023/03/20); blanks are left out; an unticked checkbox is false. Sections the page
did not show are kept from the stored draft, so saving a page never loses what it did not display; so
are a 変更申込's fixed fields (発注者, 証書の形式), whatever was posted for them.
"""

from typing import Any

from starlette.datastructures import FormData

from services.application.entrypoints.web.form_layout import BOOLEAN_KINDS, Section


def _put(target: dict[str, Any], path: str, value: Any) -> None:
    *parents, key = path.split(".")
    for part in parents:
        target = target.setdefault(part, {})
    target[key] = value


def parse_form(posted: FormData, sections: tuple[Section, ...], stored: dict[str, Any]) -> dict[str, Any]:
    shown = {s.key for s in sections}
    form: dict[str, Any] = {k: v for k, v in (stored or {}).items() if k not in shown}
    for section in sections:
        for field in section.all_fields:
            if field.fixed:
                kept = _stored(stored or {}, field.name)
                if kept is not None:
                    _put(form, field.name, kept)
                continue
            raw = posted.getlist(field.name)
            if field.kind in BOOLEAN_KINDS:
                _put(form, field.name, "true" in raw)
                continue
            value = raw[-1] if raw else ""
            if not isinstance(value, str) or not value.strip():
                continue
            _put(form, field.name, value)
    return form


def _stored(form: dict[str, Any], path: str) -> Any:
    value: Any = form
    for key in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def shown_value(form: dict[str, Any], path: str) -> Any:
    """The stored value of a field for its input (as entered), or ''."""
    value = _stored(form, path)
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    return str(value)
