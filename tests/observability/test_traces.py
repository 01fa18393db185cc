"""One application's path, from the HTTP submit through the outbox relays and the consumers of issuance,
platform and notifier, is ONE trace (the trace context travels in the CloudEvents, traceparent)."""

import pytest
from opentelemetry.trace import SpanKind

pytestmark = pytest.mark.integration


def _service(span) -> str:
    return span.resource.attributes["service.name"]


async def test_submit_to_email_is_one_trace(flow, span_exporter):
    spans = span_exporter.get_finished_spans()
    submit = [
        s for s in spans
        if s.kind is SpanKind.SERVER and s.name == "POST /applications/{application_id}/submit"
        and _service(s) == "application"
    ]
    assert submit, sorted({s.name for s in spans if s.kind is SpanKind.SERVER})
    trace_id = submit[0].context.trace_id
    in_trace = [s for s in spans if s.context.trace_id == trace_id]

    # Every message of this application (its correlation id on the AMQP message), published or consumed,
    # in whichever service: in the submit's trace.
    messages = [s for s in spans if s.attributes.get("messaging.message.conversation_id") == flow.correlation_id]
    consumed = {(_service(s), s.attributes["messaging.rabbitmq.destination.routing_key"])
                for s in messages if s.kind is SpanKind.CONSUMER}
    assert {
        ("issuance", "jp.esurety.application.submitted.v1"),
        ("platform", "jp.esurety.certificate.issued.v1"),
        ("application", "jp.esurety.certificate.published.v1"),
        ("notifier", "jp.esurety.certificate.published.v1"),
    } <= consumed, consumed
    assert {format(s.context.trace_id, "032x") for s in messages} == {format(trace_id, "032x")}

    # The second submit answered 200 from what the first did; only the first started the work.
    services = {_service(s) for s in in_trace}
    assert services == {"application", "issuance", "platform", "notifier"}
    # The database work of the handlers is in it too (asyncpg): the outbox rows the events came from.
    # (asyncpg is instrumented once per process, so in this one-process system its spans all carry the
    # first service's name; a deployed service has its own process and its own name on them.)
    inserts = [s for s in in_trace if s.kind is SpanKind.CLIENT
               and str(s.attributes.get("db.statement", "")).startswith("INSERT INTO outbox")]
    assert len(inserts) >= 3, [s.attributes.get("db.statement") for s in in_trace if s.kind is SpanKind.CLIENT]
    # Parent links hold: every span of the trace but the submit's has its parent in the trace.
    ids = {s.context.span_id for s in in_trace}
    orphans = [s.name for s in in_trace if s.parent is not None and s.parent.span_id not in ids]
    assert not orphans, orphans
