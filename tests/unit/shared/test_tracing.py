"""The trace context in the CloudEvent (Distributed Tracing extension), continuing it in a consumer, and
the trace id on log lines; with a real SDK provider of the test's own (nothing exported)."""

import json
import logging

import pytest
from cloudevents.core.formats.json import JSONFormat
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from pydantic import ValidationError

from shared import tracing
from shared.events import ApplicationSubmitted
from shared.logging import add_trace_ids
from shared.settings import CommonSettings
from tests.samples import sample_submitted

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
tracer = TracerProvider().get_tracer("test")


def test_an_untraced_event_has_no_trace_attributes_in_its_json():
    body = json.loads(sample_submitted().model_dump_json())
    assert "traceparent" not in body and "tracestate" not in body


def test_old_events_without_the_extension_still_parse_and_the_sdk_reads_a_traced_one():
    old = json.loads(sample_submitted().model_dump_json())
    assert ApplicationSubmitted.model_validate(old).traceparent is None
    traced = ApplicationSubmitted.model_validate({**old, "traceparent": TRACEPARENT, "tracestate": "k=v"})
    parsed = JSONFormat().read(None, traced.model_dump_json().encode())
    assert parsed.get_extension("traceparent") == TRACEPARENT and parsed.get_extension("tracestate") == "k=v"


def test_a_malformed_traceparent_is_refused():
    old = json.loads(sample_submitted().model_dump_json())
    with pytest.raises(ValidationError):
        ApplicationSubmitted.model_validate({**old, "traceparent": "not-a-trace"})


def test_current_trace_fields_name_the_current_span():
    assert tracing.current_trace_fields() == {}  # no span: nothing to record
    with tracer.start_as_current_span("handler") as span:
        fields = tracing.current_trace_fields()
    ctx = span.get_span_context()
    assert fields["traceparent"].startswith(f"00-{ctx.trace_id:032x}-{ctx.span_id:016x}-")


def test_a_consumer_continues_the_events_trace_when_the_headers_did_not_carry_it():
    event = sample_submitted().model_copy(update={"traceparent": TRACEPARENT})
    with tracer.start_as_current_span("consume, new trace"), tracing.continued(event):
        with tracer.start_as_current_span("handler work") as work:
            pass
    assert f"{work.get_span_context().trace_id:032x}" == TRACEPARENT.split("-")[1]
    assert f"{work.parent.span_id:016x}" == TRACEPARENT.split("-")[2]


def test_a_consumer_already_in_the_events_trace_keeps_its_own_span_as_parent():
    with tracer.start_as_current_span("handler") as writer:
        event = sample_submitted().model_copy(update=tracing.current_trace_fields())
    parent = trace.set_span_in_context(writer)
    with tracer.start_as_current_span("consume", context=parent) as consume, tracing.continued(event):
        with tracer.start_as_current_span("handler work") as work:
            pass
    assert work.parent.span_id == consume.get_span_context().span_id


def test_log_lines_carry_the_trace_and_span_id_inside_a_span_only():
    assert add_trace_ids(None, "info", {"event": "x"}) == {"event": "x"}
    with tracer.start_as_current_span("request") as span:
        line = add_trace_ids(None, "info", {"event": "x"})
    ctx = span.get_span_context()
    assert line["trace_id"] == f"{ctx.trace_id:032x}" and line["span_id"] == f"{ctx.span_id:016x}"


def test_tracing_is_off_without_an_endpoint_and_blank_means_unset(monkeypatch):
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "")
    settings = CommonSettings()
    assert settings.otel_exporter_otlp_endpoint is None
    assert tracing.tracer_provider_for("issuance", settings) is None and not tracing.enabled()
    with pytest.raises(ValidationError):
        CommonSettings(otel_exporter_otlp_endpoint="collector:4318")  # a scheme is required


def test_the_json_log_line_has_the_trace_id(capsys):
    from shared.logging import configure_logging
    import structlog

    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    try:
        configure_logging("issuance")
        with tracer.start_as_current_span("request") as span:
            structlog.get_logger().info("inside")
        line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
        structlog.reset_defaults()
        structlog.contextvars.clear_contextvars()
    assert line["service"] == "issuance" and line["trace_id"] == f"{span.get_span_context().trace_id:032x}"
