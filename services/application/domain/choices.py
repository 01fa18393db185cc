"""The form's choices, by every spelling it accepts: 証書の形式, 再預託利用区分, 希望する/希望しない,
あり/なし, 受注区分, 受取方法."""

from typing import Any

from shared.events import CertificateFormat, OrderType, ReceiptMethod
from services.application.domain import values

CERTIFICATE_FORMATS = {
    "electronic": CertificateFormat.ELECTRONIC,
    "電子保証": CertificateFormat.ELECTRONIC,
    "電子保証(認証キーを含む)": CertificateFormat.ELECTRONIC,
    "paper": CertificateFormat.PAPER,
    "証書(紙)": CertificateFormat.PAPER,
}
REDEPOSIT = {"利用しない": False, "利用する": True}
WANTED = {"希望する": True, "希望しない": False}
PRESENCE = {"あり": True, "なし": False}
ORDER_TYPES = {t.value: t for t in OrderType}
RECEIPT_METHODS = {m.value: m for m in ReceiptMethod}


def certificate_format(value: Any) -> CertificateFormat:
    return values.choice(value, CERTIFICATE_FORMATS, "certificate_format")


def wanted(value: Any) -> bool:
    return values.choice(value, WANTED, "wanted", booleans=True)


def redeposit(value: Any) -> bool:
    return values.choice(value, REDEPOSIT, "redeposit")


def presence(value: Any) -> bool:
    """当該工事の中間前払金の有無 / 中間前払金の請求予定: あり / なし."""
    return values.choice(value, PRESENCE, "presence", booleans=True)


def order_type(value: Any) -> OrderType:
    return values.choice(value, ORDER_TYPES, "order_type")


def receipt_method(value: Any) -> ReceiptMethod:
    return values.choice(value, RECEIPT_METHODS, "receipt_method")
