"""Renders the completion email from the Jinja2 templates in services/notifier/templates/.

The email is text/plain: autoescape is off for *.txt.j2 (HTML escaping would turn 「&」 into &amp;),
on for anything else. StrictUndefined: a missing field is an error, never an empty line.
"""

from email.utils import make_msgid
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from services.notifier.domain.model import ComposedEmail, Publication, Recipient
from shared.events import PRODUCT_LABELS, Product
from shared.japanese import jst_minute

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html", "htm", "xml"), default_for_string=False, default=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


class CompletionEmailComposer:
    """電子保証（認証キー）発行完了のお知らせ: subject, body and a Message-ID made once, at composition."""

    def __init__(self, *, portal_url: str, message_id_domain: str) -> None:
        self._env = _environment()
        self._portal_url = portal_url
        self._domain = message_id_domain

    def fields(self, recipient: Recipient, publication: Publication) -> dict[str, str]:
        return {
            "contractor_name": recipient.contractor_name,
            "construction_name": publication.construction_name,
            "orderer_name": publication.orderer_name,
            "product_label": PRODUCT_LABELS[Product(publication.product)],
            "contract_number": publication.contract_number,
            "published_at": jst_minute(publication.published_at),
            "version_label": publication.version_label,
            "branch": recipient.branch,
            "portal_url": self._portal_url,
            # The contract's own page on Net Desk (after login the contractor lands on it).
            "contract_url": f"{self._portal_url.rstrip('/')}/contracts/{publication.contract_number}",
        }

    def compose(self, recipient: Recipient, publication: Publication) -> ComposedEmail:
        if not recipient.email:
            raise ValueError("no address to compose an email for")
        values = self.fields(recipient, publication)
        subject = self._env.get_template("completion_subject.txt.j2").render(values).strip()
        body = self._env.get_template("completion_body.txt.j2").render(values)
        return ComposedEmail(
            recipient=recipient.email,
            subject=subject,
            body=body,
            message_id=make_msgid(domain=self._domain),
        )
