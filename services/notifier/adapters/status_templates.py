"""Renders 保証期間満了のお知らせ and 解約のお知らせ (templates/status_<kind>_*.txt.j2), text/plain like the
completion email. Never the 認証キー: the notifier never has it."""

from email.utils import make_msgid

from services.notifier.adapters.templates import _environment
from services.notifier.domain.model import ComposedEmail, Recipient
from services.notifier.domain.status import KINDS, StatusNotice
from shared.events import PRODUCT_LABELS, Product
from shared.japanese import wareki


class StatusEmailComposer:
    def __init__(self, *, portal_url: str, message_id_domain: str) -> None:
        self._env = _environment()
        self._portal_url = portal_url
        self._domain = message_id_domain

    def fields(self, recipient: Recipient, notice: StatusNotice) -> dict[str, object]:
        return {
            "contractor_name": recipient.contractor_name,
            "construction_name": recipient.construction_name,
            "product_label": PRODUCT_LABELS[Product(notice.product)],
            "format_label": "電子保証" if notice.electronic else "証書(紙)",
            "electronic": notice.electronic,
            "contract_number": notice.contract_number,
            "ended_on": wareki(notice.ended_on),
            "guarantee_expiry": wareki(notice.guarantee_expiry) if notice.guarantee_expiry else "",
            "branch": recipient.branch,
            "portal_url": self._portal_url,
            "contract_url": f"{self._portal_url.rstrip('/')}/contracts/{notice.contract_number}",
        }

    def compose(self, recipient: Recipient, notice: StatusNotice) -> ComposedEmail:
        if not recipient.email:
            raise ValueError("no address to compose an email for")
        if notice.kind not in KINDS:
            raise ValueError(notice.kind)
        values = self.fields(recipient, notice)
        subject = self._env.get_template(f"status_{notice.kind}_subject.txt.j2").render(values).strip()
        body = self._env.get_template(f"status_{notice.kind}_body.txt.j2").render(values)
        return ComposedEmail(recipient=recipient.email, subject=subject, body=body, message_id=make_msgid(domain=self._domain))
