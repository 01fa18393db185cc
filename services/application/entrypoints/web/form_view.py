"""What the application pages show: each field with its value as entered, its error (the message of
申込確認, without the path clerks do not need), the 和暦 of a date and the ratio of an amount; the
error summary's links; the read-only summary of 申込確認; and rows of the application lists."""

from dataclasses import dataclass
from typing import Any

from shared.events import PRODUCT_LABELS, Product
from shared.japanese import wareki, yen
from services.application.domain import values
from services.application.domain.context import OrdererRules
from services.application.domain.sections.products import applied_names
from services.application.entrypoints.web.form_layout import Field, Section
from services.application.entrypoints.web.form_parsing import shown_value


def for_person(problem: dict[str, Any]) -> dict[str, Any]:
    """The problem's message as a person reads it: 「工事名を入力してください」 (no form path)."""
    return problem | {"message": problem["message"].replace(f"（{problem['path']}）", "")}


@dataclass(frozen=True)
class FieldView:
    field: Field
    value: Any
    error: str | None
    wareki: str = ""
    ratio: str | None = None  # 40.0%
    ratio_against: str | None = None  # 請負金額


def _wareki_of(value: Any) -> str:
    try:
        return wareki(values.a_date(value))
    except (values.Invalid, ValueError, OverflowError):
        return ""


def _anchor(path: str, sections: tuple[Section, ...]) -> str:
    """The element a problem's link goes to: its field, else the first field under it, else its section."""
    names = [f.name for s in sections for f in s.all_fields]
    if path in names:
        return path.replace(".", "-")
    under = next((n for n in names if n.startswith(path + ".")), None)
    if under:
        return under.replace(".", "-")
    return path.split(".")[0]


def form_page(sections, form, problems, ratios, extra_errors) -> dict[str, Any]:
    shown = [for_person(p) for p in problems]
    field_names = {f.name for s in sections for f in s.all_fields}
    errors: dict[str, str] = dict(extra_errors)
    for p in shown:
        if p["path"] in field_names:
            errors.setdefault(p["path"], p["message"])
    section_errors: dict[str, list[str]] = {}
    for p in shown:
        if p["path"] not in field_names:
            section_errors.setdefault(p["path"].split(".")[0], []).append(p["message"])

    def view(field: Field) -> FieldView:
        value = shown_value(form, field.name)
        ratio = ratios.get(field.ratio) if field.ratio else None
        return FieldView(
            field,
            value,
            errors.get(field.name),
            wareki=_wareki_of(value) if field.kind == "date" and value else "",
            ratio=ratio["percent"] if ratio else None,
            ratio_against=ratio["against_label"] if ratio else None,
        )

    return {
        "error_summary": [{"href": f"#{_anchor(p['path'], sections)}", "message": p["message"]} for p in shown]
        + [{"href": f"#{name.replace('.', '-')}", "message": m} for name, m in extra_errors.items()],
        "products_errors": section_errors.pop("products", []),
        "sections": [
            {
                "section": s,
                "errors": section_errors.get(s.key, []),
                "fields": [view(f) for f in s.fields],
                "groups": [(title, [view(f) for f in fields]) for title, fields in s.groups],
            }
            for s in sections
        ],
    }


def orderer_options(orderers: dict[str, OrdererRules] | None) -> list[dict[str, str]] | None:
    """The registered orderers for the 発注者 select; None when the registry could not be read."""
    if orderers is None:
        return None
    return [
        {"code": o.code, "name": o.name, "certificate_name": o.certificate_name}
        for o in sorted(orderers.values(), key=lambda o: o.code)
    ]


def _display(field: Field, value: Any, ratios: dict) -> str:
    if field.kind == "checkbox":
        return "はい" if value is True else "いいえ"
    if field.kind == "amount" and value != "":
        try:
            shown = yen(values.amount(value))
        except values.Invalid:
            return str(value)
        if field.suffix == "千円":
            shown = shown.replace(" 円", " 千円")
        ratio = ratios.get(field.ratio) if field.ratio else None
        return f"{shown}（{ratio['against_label']}の{ratio['percent']}）" if ratio else shown
    if field.kind == "date" and value != "":
        return _wareki_of(value) or str(value)
    if field.kind == "radio":
        return dict(field.options).get(str(value), str(value))
    if field.suffix and value != "":
        return f"{value} {field.suffix}"
    return str(value)


def summary(sections: tuple[Section, ...], form: dict, ratios: dict) -> list[dict[str, Any]]:
    """申込確認's read-only summary: every entered field per section; a product only when applied."""
    out = []
    for s in sections:
        if s.product and shown_value(form, f"{s.key}.apply") is not True:
            continue
        rows = [
            (f.label, _display(f, value, ratios))
            for f in s.all_fields
            if f.kind != "checkbox" or not s.product or f.name != f"{s.key}.apply"
            if (value := shown_value(form, f.name)) != "" and not (f.kind == "checkbox" and value is False)
        ]
        if rows:
            out.append({"key": s.key, "title": s.title, "rows": rows})
    return out


def applied_labels(form: dict) -> list[str]:
    return [PRODUCT_LABELS[Product(name)] for name in applied_names(form)]


def list_row(app: dict[str, Any]) -> dict[str, Any]:
    contract = app["form"].get("contract") if isinstance(app["form"].get("contract"), dict) else {}
    return {
        "id": app["id"],
        "status": app["status"],
        "status_label": app["status_label"],
        "construction_name": (contract or {}).get("construction_name") or "（工事名未入力）",
        "orderer_name": (contract or {}).get("orderer_name") or "",
        "products": "、".join(applied_labels(app["form"])) or "（未選択）",
        "updated_at": app["updated_at"],
        "certificates": app["certificates"],
    }
