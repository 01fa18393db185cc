"""What the application pages show: each field with its value as entered, its error (the message of
申込確認, without the path clerks do not need), the 和暦 of a date and the ratio of an amount; the
error summary's links; the read-only summary of 申込確認; and rows of the application lists."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from shared.events import PRODUCT_LABELS, CertificateContent, Product
from shared.japanese import wareki, yen
from services.application.domain import amendment, values
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
    fixed_text: str = ""  # a 変更申込's fixed field as shown (the option's label, not its value)


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
        if field.kind == "amount" and _prefilled(form, field.name):
            value = f"{int(value):,}"  # a pre-filled amount (a number, never typed) reads 20,000,000
        ratio = ratios.get(field.ratio) if field.ratio else None
        return FieldView(
            field,
            value,
            errors.get(field.name),
            wareki=_wareki_of(value) if field.kind == "date" and value else "",
            ratio=ratio["percent"] if ratio else None,
            ratio_against=ratio["against_label"] if ratio else None,
            fixed_text=_display(field, value, {}) if field.fixed else "",
        )

    return {
        "error_summary": [{"href": f"#{_anchor(p['path'], sections)}", "message": p["message"]} for p in shown]
        + [{"href": f"#{name.replace('.', '-')}", "message": m} for name, m in extra_errors.items()],
        "products_errors": section_errors.pop("products", []),
        "amendment_errors": section_errors.pop(amendment.PATH, []),
        "sections": [
            {
                "section": s,
                "errors": section_errors.get(s.key, []),
                "fields": [view(f) for f in s.fields if f.displayed],
                "groups": [(title, [view(f) for f in fields if f.displayed]) for title, fields in s.groups],
            }
            for s in sections
        ],
    }


def _prefilled(form: dict, path: str) -> bool:
    """The stored value is a number, as a pre-filled draft carries it (what is typed is kept as text)."""
    value: Any = form
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return isinstance(value, int) and not isinstance(value, bool)


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


def version_label(version: Any) -> str:
    """新規 (version 0) or 変更-N, as the certificate's history says."""
    return "新規" if version == 0 else f"変更-{version}" if isinstance(version, int) else ""


def amendment_of(form: dict) -> dict[str, Any] | None:
    """What a 変更申込 changes — {contract_number, base_version, base_label, product_label} — or None for a
    new application."""
    if not amendment.is_amendment(form):
        return None
    base = form[amendment.PATH].get("base_version")
    products = [s for s in (p.value for p in Product) if s != Product.BID_BOND.value and isinstance(form.get(s), dict)]
    return {
        "contract_number": amendment.amended_number(form) or "",
        "base_version": base,
        "base_label": version_label(base),
        "product_label": "、".join(PRODUCT_LABELS[Product(s)] for s in products),
    }


def _read(reader, value: Any) -> Any:
    """The value as the rules read it (for comparing), or the text as typed when it is not one."""
    if value in ("", None):
        return None
    try:
        return reader(value)
    except (values.Invalid, ValueError, OverflowError):
        return str(value)


def _shown(value: Any) -> str:
    if value is None:
        return "―"
    if isinstance(value, int) and not isinstance(value, bool):
        return yen(value)
    if isinstance(value, tuple):
        return "〜".join(_shown(v) for v in value)
    if isinstance(value, date):
        return wareki(value)
    return str(value)


def comparison(before: CertificateContent, form: dict) -> list[dict[str, Any]]:
    """申込確認 of a 変更申込: the figures of the certificate as changed, beside those of the version it
    was prepared from, each marked when it changes. A blank 保証期限 is left to the rules (工期の終了日)."""
    s = before.product.value
    contract = form.get("contract") if isinstance(form.get("contract"), dict) else {}
    section = form.get(s) if isinstance(form.get(s), dict) else {}

    expiry = _read(values.a_date, section.get("guarantee_expiry"))
    period_end = _read(values.a_date, contract.get("period_end"))
    rows = [
        ("工事名", before.construction_name, _read(values.text, contract.get("construction_name"))),
        ("請負金額", before.contract_amount, _read(values.amount, contract.get("contract_amount"))),
        ("工期", (before.period_start, before.period_end),
         (_read(values.a_date, contract.get("period_start")), period_end)),
        ("請負契約日", before.contract_date, _read(values.a_date, contract.get("contract_date"))),
        ("保証金額", before.guaranteed_amount, _read(values.amount, section.get("guaranteed_amount"))),
        ("保証期限", before.guarantee_expiry, expiry if expiry is not None else period_end),
    ]
    if before.depository is not None or section.get("depository"):
        rows.append(("預託金融機関", before.depository, _read(values.full_width, section.get("depository"))))
    return [
        {"label": label, "before": _shown(old), "after": _shown(new), "changed": old != new}
        for label, old, new in rows
    ]


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
        "amendment": amendment_of(app["form"]),
    }
