"""Reading a dead letter from either way it was dead-lettered, and the headers a replay carries."""

import json
from datetime import datetime, timezone

from shared.bus.dead_letters.letters import read_letter, replay_headers

DLQ = "ns.issuance.application-submitted.dlq"
EVENT = json.dumps({"specversion": "1.0", "id": "e-1", "type": "jp.esurety.application.submitted.v1",
                    "source": "/esurety/application", "subject": "app-1", "correlationid": "c-1"}).encode()
AT = datetime(2026, 4, 1, 3, 0, tzinfo=timezone.utc)


def test_dead_lettered_by_the_consumer():
    letter = read_letter(DLQ, body=EVENT, message_id="m-1", headers={
        "x-dead-letter-reason": "poison: digest mismatch", "x-original-queue": "ns.issuance.application-submitted",
        "x-dead-lettered-at": AT.isoformat(),
    })
    assert (letter.id, letter.reason, letter.dead_lettered_by) == ("m-1", "poison: digest mismatch", "consumer")
    assert letter.dead_lettered_at == AT and letter.original_queue == "ns.issuance.application-submitted"
    assert (letter.event_id, letter.event_type, letter.subject, letter.correlation_id) == (
        "e-1", "jp.esurety.application.submitted.v1", "app-1", "c-1")


def test_dead_lettered_by_the_delivery_limit():
    letter = read_letter(DLQ, body=EVENT, headers={
        "x-death": [{"count": 1, "reason": "delivery_limit", "queue": "ns.issuance.application-submitted", "time": AT}],
        "x-first-death-reason": "delivery_limit", "x-first-death-queue": "ns.issuance.application-submitted",
    })
    assert letter.dead_lettered_by == "broker" and letter.reason.startswith("delivery_limit")
    assert letter.dead_lettered_at == AT and letter.id == "e-1"  # no message id: the event id


def test_the_later_of_both_tells():
    later = datetime(2026, 4, 2, tzinfo=timezone.utc)
    letter = read_letter(DLQ, body=EVENT, headers={
        "x-dead-letter-reason": "poison: old", "x-dead-lettered-at": AT.isoformat(),
        "x-death": [{"reason": "delivery_limit", "queue": "ns.issuance.application-submitted", "time": later}],
    })
    assert letter.dead_lettered_by == "broker" and letter.dead_lettered_at == later


def test_invalid_bodies_and_no_headers():
    garbage = read_letter(DLQ, body=b"\xff\x00", headers=None)
    assert garbage.body_error.startswith("not JSON") and garbage.event_id is None
    assert garbage.id.startswith("sha256-") and garbage.original_queue == "ns.issuance.application-submitted"
    assert garbage.reason.startswith("unknown") and garbage.dead_lettered_at is None
    assert read_letter(DLQ, body=b"[1]", headers={}).body_error == "not a JSON object: list"
    assert read_letter(DLQ, body=b'{"id": "x"}', headers={}).body_error.startswith("not a CloudEvent")


def test_a_replay_forgets_the_last_dead_lettering_and_counts_itself():
    headers = {"x-dead-letter-reason": "r", "x-original-queue": "q", "x-dead-lettered-at": "t", "x-death": [],
               "x-first-death-reason": "delivery_limit", "x-delivery-count": 3, "traceparent": "00-abc", "x-replay-count": 1}
    assert replay_headers(headers, 1) == {"traceparent": "00-abc", "x-replay-count": 2}
