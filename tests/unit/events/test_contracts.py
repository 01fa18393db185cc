"""The public event contract: CloudEvents conformance, digest stability, AsyncAPI kept current."""

import hashlib
import json
from datetime import date, datetime, timezone
from pathlib import Path

from cloudevents.core.formats.json import JSONFormat

from shared.events import CATALOG, ApplicationSubmitted, content_digest
from shared.events.asyncapi import render
from tests.samples import sample_certificate_content, sample_submitted, sample_submitted_data

ROOT = Path(__file__).resolve().parents[3]


def submitted() -> ApplicationSubmitted:
    return sample_submitted(sample_submitted_data(submitted_at=datetime(2023, 4, 10, 1, 0, tzinfo=timezone.utc)), correlation_id="c-1")


def test_events_are_cloudevents_the_sdk_reads():
    event = submitted()
    parsed = JSONFormat().read(None, event.model_dump_json().encode())
    assert parsed.get_type() == "jp.esurety.application.submitted.v1"
    assert parsed.get_id() == event.id
    assert parsed.get_source() == "/esurety/application"
    assert parsed.get_subject() == event.subject
    assert parsed.get_extension("correlationid") == "c-1"
    assert parsed.get_data()["contract"]["orderer_name"] == "川崎市長"


def test_type_carries_a_version_and_is_the_routing_key():
    for routing_key, envelope in CATALOG.items():
        assert routing_key.startswith("jp.esurety.") and routing_key.rsplit(".", 1)[1] == "v1"
        assert envelope.model_fields["data"].annotation.event_type == routing_key


def test_older_payload_without_optional_fields_still_parses():
    """Backwards compatibility: fields added later are optional (tender_notice_date came after v1's first cut)."""
    raw = json.loads(submitted().model_dump_json())
    del raw["data"]["contract"]["tender_notice_date"]
    del raw["data"]["contract"]["site"]
    assert ApplicationSubmitted.model_validate(raw).data.contract.tender_notice_date is None


def test_content_digest_is_stable_and_sensitive():
    a, b = sample_certificate_content(), sample_certificate_content()
    assert content_digest(a) == content_digest(b)
    assert content_digest(a).startswith("sha256:") and len(content_digest(a)) == 7 + 64
    assert content_digest(sample_certificate_content(guaranteed_amount=20_000_001)) != content_digest(a)


def test_digest_of_a_certificate_issued_before_the_added_fields_is_unchanged():
    """A v1 certificate as first published (no bid/parent fields) keeps the digest it was issued with."""
    content = sample_certificate_content()
    first_release = {k: v for k, v in content.model_dump(mode="json").items() if k not in content.ADDED_OPTIONAL}
    canonical = json.dumps(first_release, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert content_digest(content) == "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()
    linked = sample_certificate_content(advance_payment_contract_number="35026-00001M")
    assert content_digest(linked) != content_digest(content)


def test_committed_asyncapi_document_matches_the_code():
    committed = (ROOT / "docs" / "asyncapi.json").read_text(encoding="utf-8")
    assert committed == render(), "regenerate: python -m shared.events.asyncapi > docs/asyncapi.json"


def test_japanese_formatting():
    from shared.japanese import jst_minute, percent, wareki, yen

    assert wareki(date(2019, 10, 1)) == "令和元年10月1日"
    assert wareki(date(2019, 5, 1), zero_pad=True) == "令和元年05月01日"
    assert wareki(date(2019, 4, 30)) == "平成31年4月30日"
    assert wareki(date(2022, 4, 27), zero_pad=True) == "令和04年04月27日"
    assert wareki(date(2023, 3, 20)) == "令和5年3月20日"
    assert yen(20_000_000) == "20,000,000 円"
    assert jst_minute(datetime(2022, 11, 1, 6, 0, tzinfo=timezone.utc)) == "2022/11/01 15:00"
    assert jst_minute(datetime(2022, 10, 31, 15, 30, tzinfo=timezone.utc)) == "2022/11/01 00:30"
    assert percent(20_000_000, 50_000_000) == "40.0%"
    assert percent(1, 3) == "33.3%"
