"""インフォメーション: 申込送信先, the completion notice, how a paper certificate is received, 連絡先."""

from typing import Any

from shared.events import ReceiptMethod
from services.application.domain import choices, values
from services.application.domain.problems import Reader

CONTACT_FIELDS = ("department", "title", "name", "phone")
ADDRESSEE_FIELDS = ("name", "postal_code", "address")


def _email(value: Any) -> str:
    return values.email(values.text(value))


def read_information(reader: Reader, *, paper: bool) -> dict[str, Any]:
    """`paper`: some product is on paper (証書(紙)), so 受取方法 and its details are required."""
    reader.section("information")
    i: dict[str, Any] = {
        "branch": reader.text("information.branch", required=True),
        "wanted": reader.read(
            "information.notification_wanted", choices.wanted, required=True, missing="required_choice"
        ),
    }
    i["email"] = reader.read("information.email", _email, required=bool(i["wanted"]), missing="email_required")
    method = reader.read(
        "information.receipt_method", choices.receipt_method, required=paper, missing="receipt_method_required"
    )
    by_mail = paper and method is ReceiptMethod.MAIL
    at_counter = paper and method is ReceiptMethod.COUNTER
    i["receipt_method"] = method
    i["receipt_desired_date"] = reader.read(
        "information.receipt_desired_date", values.a_date, required=by_mail, missing="required_for_mail"
    )
    i["visit_at"] = reader.read(
        "information.visit_at", values.a_datetime, required=at_counter, missing="required_for_counter"
    )
    i["addressee"] = None
    if reader.section("information.addressee"):
        addressee = {
            "name": reader.text("information.addressee.name", required=by_mail, missing="required_for_mail"),
            "postal_code": reader.read(
                "information.addressee.postal_code", values.postal_code, required=by_mail, missing="required_for_mail"
            ),
            "address": reader.text("information.addressee.address", required=by_mail, missing="required_for_mail"),
        }
        if addressee["postal_code"]:
            reader.rewrite("information.addressee.postal_code", addressee["postal_code"])
        i["addressee"] = addressee if all(addressee.values()) else None
    i["contact"] = None
    if reader.section("information.contact"):
        contact = {key: reader.text(f"information.contact.{key}") for key in CONTACT_FIELDS}
        i["contact"] = contact if any(contact.values()) else None
    i["message_to_company"] = reader.text("information.message_to_company")
    return i
