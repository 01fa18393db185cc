"""申込確認: every problem of a guarantee application form at once, the ratios shown beside the amounts,
and, when there is no problem, the typed content that is sent (送信完了).

Pure: a JSON-like dict in, a Validation out. The form keeps whatever was entered; only 預託金融機関 is
rewritten (to full-width) in `normalized`.
"""

import copy
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shared.events import CertificateFormat, ConstructionContract, Notification, Product, ProductRequest
from services.application.domain import ratios, values
from services.application.domain.context import FormContext
from services.application.domain.messages import label, message
from services.application.domain.values import Invalid

CERTIFICATE_FORMATS = {
    "electronic": CertificateFormat.ELECTRONIC,
    "電子保証": CertificateFormat.ELECTRONIC,
    "電子保証(認証キーを含む)": CertificateFormat.ELECTRONIC,
    "paper": CertificateFormat.PAPER,
    "証書(紙)": CertificateFormat.PAPER,
}
REDEPOSIT = {"利用しない": False, "利用する": True}
WANTED = {"希望する": True, "希望しない": False}
PRODUCT_SECTIONS = (Product.ADVANCE_PAYMENT, Product.CONTRACT_GUARANTEE)


ERROR = "error"  # blocks 送信
WARNING = "warning"  # shown; the contractor acknowledges it to send


@dataclass(frozen=True)
class Problem:
    path: str
    label: str
    rule: str
    message: str
    severity: str = ERROR

    def as_dict(self) -> dict[str, str]:
        return {
            "path": self.path,
            "label": self.label,
            "rule": self.rule,
            "message": self.message,
            "severity": self.severity,
        }


@dataclass(frozen=True)
class ValidForm:
    """What 送信完了 sends: the contract, each applied product, the branch and the notification wish."""

    contract: ConstructionContract
    products: list[ProductRequest]
    branch: str
    notification: Notification


@dataclass
class Validation:
    problems: list[Problem]
    ratios: dict[str, dict[str, Any]]
    normalized: dict[str, Any]
    valid: ValidForm | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        """No error (warnings may remain: they are acknowledged at 送信)."""
        return not self.errors


def _lookup(form: dict[str, Any], path: str) -> Any:
    value: Any = form
    for key in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


@dataclass
class _Reader:
    form: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)

    def add(self, path: str, rule: str, **fill: str) -> None:
        self.problems.append(Problem(path, label(path), rule, message(rule, path, **fill)))

    def section(self, path: str) -> bool:
        """False (with a problem) when the section is there but is not an object."""
        value = _lookup(self.form, path)
        if value is None or isinstance(value, dict):
            return True
        self.add(path, "section")
        return False

    def read(self, path: str, parse, *, required: bool, missing: str = "required") -> Any:
        value = _lookup(self.form, path)
        if values.is_blank(value):
            if required:
                self.add(path, missing)
            return None
        try:
            return parse(value)
        except Invalid as exc:
            self.add(path, exc.rule, **exc.values)
            return None


def _format(value: Any) -> CertificateFormat:
    return values.choice(value, CERTIFICATE_FORMATS, "certificate_format")


def _wanted(value: Any) -> bool:
    return values.choice(value, WANTED, "wanted", booleans=True)


def _redeposit(value: Any) -> bool:
    return values.choice(value, REDEPOSIT, "redeposit")


def _optional_text(reader: _Reader, path: str) -> str | None:
    return reader.read(path, values.text, required=False) or None


def _contract(reader: _Reader) -> dict[str, Any]:
    reader.section("contract")
    c = {
        "construction_name": reader.read("contract.construction_name", values.text, required=True),
        "orderer_code": reader.read("contract.orderer_code", values.text, required=True),
        "orderer_name": reader.read("contract.orderer_name", values.text, required=True),
        "contract_amount": reader.read("contract.contract_amount", values.amount, required=True),
        "period_start": reader.read("contract.period_start", values.a_date, required=True),
        "period_end": reader.read("contract.period_end", values.a_date, required=True),
        "contract_date": reader.read("contract.contract_date", values.a_date, required=True),
        "tender_notice_date": reader.read("contract.tender_notice_date", values.a_date, required=False),
        "site": _optional_text(reader, "contract.site"),
        "jv_name": _optional_text(reader, "contract.jv_name"),
    }
    start: date | None = c["period_start"]
    end: date | None = c["period_end"]
    if start and end and end < start:
        reader.add("contract.period_end", "period_order")
    return c


def _product(reader: _Reader, product: Product) -> dict[str, Any] | None:
    """The applied product's values, or None when it is not applied."""
    s = product.value
    if not reader.section(s):
        return None
    applied = reader.read(f"{s}.apply", values.flag, required=False)
    if not applied:
        return None
    fmt = reader.read(f"{s}.certificate_format", _format, required=True, missing="required_choice")
    if fmt is CertificateFormat.PAPER:
        reader.add(f"{s}.certificate_format", "paper_not_supported")
    p: dict[str, Any] = {"product": product, "certificate_format": fmt}
    if product is Product.ADVANCE_PAYMENT:
        p["fiscal_year_target_amount"] = reader.read(f"{s}.fiscal_year_target_amount", values.amount, required=False)
    p["guaranteed_amount"] = reader.read(f"{s}.guaranteed_amount", values.amount, required=True)
    if product is Product.ADVANCE_PAYMENT:
        p["depository"] = reader.read(f"{s}.depository", lambda v: values.full_width(values.text(v)), required=True)
        p["redeposit"] = reader.read(f"{s}.redeposit", _redeposit, required=True, missing="required_choice")
    p["fee_payment_method"] = reader.read(f"{s}.fee_payment_method", values.text, required=True)
    p["fee_billing_to"] = reader.read(f"{s}.fee_billing_to", values.text, required=True)
    p["fee_statement_paper"] = reader.read(
        f"{s}.fee_statement_paper", _wanted, required=True, missing="required_choice"
    )
    return p


def _amount_rules(reader: _Reader, p: dict[str, Any], contract_amount: int | None) -> dict[str, Any] | None:
    if p["product"] is Product.ADVANCE_PAYMENT:
        ratio, breaches = ratios.advance_payment(
            p["guaranteed_amount"], contract_amount, p["fiscal_year_target_amount"]
        )
    else:
        ratio, breaches = ratios.contract_guarantee(p["guaranteed_amount"], contract_amount)
    for path, rule, fill in breaches:
        reader.add(path, rule, **fill)
    return ratio


def _information(reader: _Reader) -> dict[str, Any]:
    reader.section("information")
    branch = reader.read("information.branch", values.text, required=True)
    wanted = reader.read("information.notification_wanted", _wanted, required=True, missing="required_choice")
    email = reader.read(
        "information.email",
        lambda v: values.email(values.text(v)),
        required=bool(wanted),
        missing="email_required",
    )
    if reader.section("information.contact"):
        for key in ("department", "title", "name", "phone"):
            _optional_text(reader, f"information.contact.{key}")
    _optional_text(reader, "information.message_to_company")
    return {"branch": branch, "wanted": wanted, "email": email}


def validate_form(form: dict[str, Any], context: FormContext | None = None) -> Validation:
    reader = _Reader(form if isinstance(form, dict) else {})
    contract = _contract(reader)
    applied: list[dict[str, Any]] = []
    shown_ratios: dict[str, dict[str, Any]] = {}
    apply_flags_readable = True
    for product in PRODUCT_SECTIONS:
        before = len(reader.problems)
        p = _product(reader, product)
        if p is None:
            apply_flags_readable &= not any(pr.path.endswith(".apply") for pr in reader.problems[before:])
            continue
        applied.append(p)
        ratio = _amount_rules(reader, p, contract["contract_amount"])
        if ratio:
            shown_ratios[product.value] = ratio
    if not applied and apply_flags_readable:
        reader.add("products", "at_least_one_product")
    info = _information(reader)

    normalized = copy.deepcopy(form) if isinstance(form, dict) else {}
    for p in applied:
        if p.get("depository"):
            normalized[p["product"].value]["depository"] = p["depository"]

    validation = Validation(problems=reader.problems, ratios=shown_ratios, normalized=normalized)
    if validation.ok:
        validation.valid = ValidForm(
            contract=ConstructionContract(**contract),
            products=[
                ProductRequest(
                    product=p["product"],
                    certificate_format=p["certificate_format"],
                    guaranteed_amount=p["guaranteed_amount"],
                    fiscal_year_target_amount=p.get("fiscal_year_target_amount"),
                    depository=p.get("depository"),
                    fee_payment_method=p["fee_payment_method"],
                    fee_billing_to=p["fee_billing_to"],
                    fee_statement_paper=p["fee_statement_paper"],
                )
                for p in applied
            ],
            branch=info["branch"],
            notification=Notification(wanted=info["wanted"], email=info["email"]),
        )
    return validation
