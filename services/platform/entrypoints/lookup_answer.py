"""The JSON answer of POST /certificates/lookup (CertificateResponse), with the certificate serialised once.

The certificate and its Japanese display are the bulk of the answer (和暦 dates, amounts) and never change
for a content_digest (the SHA-256 of the content, checked on arrival), so their JSON is kept by digest and
spliced into the rest, which is serialised per answer by the same model (field names, formats as before)."""

import json

from pydantic import TypeAdapter

from shared.events import PRODUCT_LABELS, CertificateContent
from services.platform.domain.display import certificate_display
from services.platform.entrypoints.schemas import CertificateResponse, CertificateStatus, VersionEntry
from services.platform.handlers.lookup import CertificateView

_CONTENT = TypeAdapter(CertificateContent)
_SERIALISED: dict[str, bytes] = {}
_SERIALISED_MAX = 4096


def _certificate_part(digest: str, content: CertificateContent) -> bytes:
    """`"certificate":{…},"display":{…}` of one content (oldest out first past the bound)."""
    if (found := _SERIALISED.get(digest)) is None:
        display = json.dumps(certificate_display(content), ensure_ascii=False, separators=(",", ":"))
        found = b'"certificate":' + _CONTENT.dump_json(content) + b',"display":' + display.encode()
        _SERIALISED[digest] = found
        if len(_SERIALISED) > _SERIALISED_MAX:
            del _SERIALISED[next(iter(_SERIALISED))]
    return found


def lookup_answer(view: CertificateView, status: CertificateStatus | None) -> bytes:
    selected = view.selected
    content = selected.content
    # Built from typed, already validated values: constructed, not validated again.
    rest = CertificateResponse.model_construct(
        contract_number=selected.contract_number,
        product=content.product,
        product_label=PRODUCT_LABELS[content.product],
        title=content.title,
        version=selected.version,
        version_label=selected.version_label,
        content_digest=selected.content_digest,
        versions=[VersionEntry.model_construct(**vars(entry)) for entry in view.history],
        status=status,
    ).model_dump_json(exclude={"certificate", "display"}).encode()
    return rest[:-1] + b"," + _certificate_part(selected.content_digest, content) + b"}"
