"""Every line the services log is JSON with its service, and one written while a request or an event is
handled carries the correlation id; no line holds a 認証キー, a password, a bearer token, the
INTERNAL_API_TOKEN, a session cookie or a CSRF token (the flow of conftest.py used each of them)."""

import json

import pytest

from tests.observability.conftest import TEST_CLIENT

pytestmark = pytest.mark.integration


def _forms(secret: str) -> set[str]:
    # A 12-character 認証キー also as people write it (4-4-4), and any secret JSON-escaped.
    forms = {secret, json.dumps(secret)[1:-1]}
    if len(secret) == 12 and secret.isalnum():
        forms.add(f"{secret[:4]}-{secret[4:8]}-{secret[8:]}")
    return forms


async def test_logs_are_json_and_hold_no_secret(flow, log_lines):
    _, buffer = log_lines
    lines = buffer.getvalue().splitlines()
    assert len(lines) > 20, lines  # the flow logged: the check below is not vacuous
    records, service_lines = [], []
    for line in lines:
        record = json.loads(line)  # every line is one JSON object
        if record.get("logger") == "mail.log" or record.get("service") == TEST_CLIENT:
            continue  # the test's own SMTP server (aiosmtpd, a thread) and HTTP clients, not a service
        assert isinstance(record, dict) and record.get("service") in {"application", "issuance", "platform", "notifier"}, line
        records.append(record)
        service_lines.append(line)
    # Inside a request or a message there is a span (trace_id) or a consumed event (event_id).
    handling = [r for r in records if "trace_id" in r or "event_id" in r]
    assert handling, "no line was written while handling a request or an event"
    missing = [r for r in handling if not r.get("correlation_id")]
    assert not missing, missing[:5]
    assert any(r.get("correlation_id") == flow.correlation_id for r in records)

    text = "\n".join(service_lines)
    assert len(flow.secrets) >= 8, flow.secrets.keys()
    leaks = {what for what, secret in flow.secrets.items() if any(form in text for form in _forms(secret))}
    assert not leaks, f"logged: {sorted(leaks)}"
