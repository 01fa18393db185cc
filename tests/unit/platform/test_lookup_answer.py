"""The lookup's JSON answer, with the certificate serialised once per content, says exactly what the
validated CertificateResponse said (the splice, the cache, and the per-answer fields)."""

import json
from dataclasses import asdict
from datetime import date, datetime, timezone
from uuid import uuid4

from shared.events import PRODUCT_LABELS, content_digest
from services.platform.adapters.certificate_repository import StoredVersion
from services.platform.domain.display import certificate_display
from services.platform.domain.versions import history, version_label
from services.platform.entrypoints.lookup_answer import lookup_answer
from services.platform.entrypoints.schemas import CertificateResponse, CertificateStatus, VersionEntry
from services.platform.handlers.lookup import CertificateView
from tests.unit.platform.samples import certificate


def view_of(number: str, versions: int, selected: int) -> CertificateView:
    arrived = [datetime(2026, 11, 1 + v, 6, 0, 30, tzinfo=timezone.utc) for v in range(versions)]
    stored = [
        StoredVersion(number, v, version_label(v), "advance_payment", uuid4(), (c := certificate(number, version=v)),
                      content_digest(c), "hmac-sha256$v1$…", "kawasaki-city", arrived[v])
        for v in range(versions)
    ]
    return CertificateView(stored[selected], history([(s.version, s.version_label, s.arrived_at) for s in stored]))


def validated(view: CertificateView, status: CertificateStatus | None) -> dict:
    """What the route answered before: the model built with validation, dumped in JSON mode."""
    selected, content = view.selected, view.selected.content
    return CertificateResponse(
        contract_number=selected.contract_number, product=content.product, product_label=PRODUCT_LABELS[content.product],
        title=content.title, version=selected.version, version_label=selected.version_label,
        content_digest=selected.content_digest, certificate=content, display=certificate_display(content),
        versions=[VersionEntry(**asdict(e)) for e in view.history], status=status,
    ).model_dump(mode="json")


def test_the_answer_is_the_validated_response():
    view = view_of("35072-00011M", versions=3, selected=1)
    assert json.loads(lookup_answer(view, None)) == validated(view, None)


def test_a_cached_certificate_keeps_each_answers_own_fields():
    ended = CertificateStatus(status="expired", label="期間満了（令和8年4月1日）", ended_on=date(2026, 4, 1))
    first = view_of("35072-00012M", versions=2, selected=1)
    again = view_of("35072-00012M", versions=3, selected=1)  # same content, another version since, now ended
    lookup_answer(first, None)
    answer = json.loads(lookup_answer(again, ended))
    assert answer == validated(again, ended)
    assert [v["label"] for v in answer["versions"]] == ["新規", "変更-1", "変更-2"]
    assert answer["status"]["ended_on"] == "2026-04-01"


def test_japanese_is_written_as_utf8_not_escaped():
    raw = lookup_answer(view_of("35072-00013M", versions=1, selected=0), None)
    assert "保証証書".encode() in raw and b"\\u" not in raw
