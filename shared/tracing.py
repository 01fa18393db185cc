"""OpenTelemetry traces: one trace from an application's HTTP submit to its completion email.

Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set: then no provider, no instrumentation, no span is made,
and what remains on the hot path is a check of the current (invalid) span. On, each service has its
own TracerProvider (resource service.name = OTEL_SERVICE_NAME or the service's name; the SDK honours
OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG) exporting by OTLP/HTTP in batches.

Events go through the transactional outbox, so the AMQP headers a publish sets would start from the
relay, not from the request that wrote the event. Hence the trace context also travels in the event
itself (CloudEvents Distributed Tracing extension, `traceparent`/`tracestate`): `enqueue` records the
current one, the relay publishes under it, and a consumer continues from it (docs/operations-traces.md).
"""

import contextlib
import json
from collections.abc import Iterator

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from shared.settings import CommonSettings

_PROPAGATOR = TraceContextTextMapPropagator()

# In-process span processors added to every provider (the e2e trace test adds an in-memory exporter);
# a provider is made when this is non-empty even without an OTLP endpoint.
extra_span_processors: list = []

_enabled = False
_asyncpg_instrumented = False


def enabled() -> bool:
    return _enabled


def tracer_provider_for(service: str, settings: CommonSettings):
    """The service's TracerProvider, or None when tracing is off (no endpoint, no extra processor)."""
    global _enabled, _asyncpg_instrumented
    endpoint = settings.otel_exporter_otlp_endpoint
    if not endpoint and not extra_span_processors:
        return None
    # Imported only when on: the SDK and the exporter cost nothing in a process that does not trace.
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(
        resource=Resource.create({"service.name": settings.otel_service_name or service}), sampler=_sampler()
    )
    if endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{endpoint.rstrip('/')}/v1/traces")))
    for processor in extra_span_processors:
        provider.add_span_processor(processor)
    # The global provider is set once per process (one service per process outside the tests).
    trace.set_tracer_provider(provider)
    if not _asyncpg_instrumented:
        from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor

        # Query parameters are never recorded (capture_parameters=False): they carry 認証キー hashes and passwords.
        AsyncPGInstrumentor(capture_parameters=False).instrument(tracer_provider=provider)
        _asyncpg_instrumented = True
    _enabled = True
    return provider


def _sampler():
    """The sampler OTEL_TRACES_SAMPLER names (default parentbased_always_on), except that a query with no
    parent is dropped: the outbox relays and the email sender poll every second or so, and each poll would
    otherwise be a trace of its own. Queries inside a request or a message are kept."""
    from opentelemetry.sdk.trace import sampling

    class NoLoneQueries(sampling.Sampler):
        def __init__(self, delegate: sampling.Sampler) -> None:
            self._delegate = delegate

        def should_sample(self, parent_context, trace_id, name, kind=None, attributes=None, links=None, trace_state=None):
            if (
                kind is trace.SpanKind.CLIENT
                and attributes
                and ("db.system" in attributes or "db.system.name" in attributes)
                and not trace.get_current_span(parent_context).get_span_context().is_valid
            ):
                return sampling.SamplingResult(sampling.Decision.DROP)
            return self._delegate.should_sample(parent_context, trace_id, name, kind, attributes, links, trace_state)

        def get_description(self) -> str:
            return f"NoLoneQueries{{{self._delegate.get_description()}}}"

    return NoLoneQueries(sampling._get_from_env_or_default())


def reset() -> None:
    """Back to off, for a test process that traced one system and goes on to others."""
    global _enabled, _asyncpg_instrumented
    if _asyncpg_instrumented:
        from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor

        AsyncPGInstrumentor().uninstrument()
        _asyncpg_instrumented = False
    _enabled = False


def instrument_http(app, provider) -> None:
    """A server span per request of the service's FastAPI app (health and metrics scrapes left out)."""
    if provider is None:
        return
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(
        app, tracer_provider=provider, excluded_urls="/healthz,/readyz,/metrics", exclude_spans=["receive", "send"]
    )


def current_trace_fields() -> dict[str, str]:
    """{'traceparent': …, 'tracestate': …} of the current span, or {} when there is none (tracing off)."""
    if not trace.get_current_span().get_span_context().is_valid:
        return {}
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier


async def inject_headers(request) -> None:
    """httpx request hook: the current trace context on an outgoing call (application → issuance)."""
    for name, value in current_trace_fields().items():
        request.headers[name] = value


def _context_of(traceparent: str | None, tracestate: str | None):
    if not traceparent:
        return None
    carrier = {"traceparent": traceparent, **({"tracestate": tracestate} if tracestate else {})}
    parent = _PROPAGATOR.extract(carrier)
    return parent if trace.get_current_span(parent).get_span_context().is_valid else None


@contextlib.contextmanager
def _attached(parent) -> Iterator[None]:
    token = otel_context.attach(parent)
    try:
        yield
    finally:
        otel_context.detach(token)


@contextlib.contextmanager
def continued(event) -> Iterator[None]:
    """Handle `event` inside the trace its `traceparent` names. Normally the AMQP headers (the relay
    published under the same context) already put the consumer span in that trace, and nothing changes;
    if they did not (no headers, a message replayed from elsewhere), the event's context becomes the parent."""
    parent = _context_of(getattr(event, "traceparent", None), getattr(event, "tracestate", None))
    if parent is None:
        yield
        return
    current = trace.get_current_span().get_span_context()
    if current.is_valid and current.trace_id == trace.get_current_span(parent).get_span_context().trace_id:
        yield
        return
    with _attached(parent):
        yield


@contextlib.contextmanager
def publishing(body: bytes) -> Iterator[None]:
    """The outbox relay publishes an event under the trace context recorded in its body, so the publish
    span and the AMQP headers continue the request's trace instead of starting one per relay batch."""
    if not _enabled:
        yield
        return
    try:
        fields = json.loads(body)
        parent = _context_of(fields.get("traceparent"), fields.get("tracestate"))
    except (ValueError, AttributeError):
        parent = None
    if parent is None:
        yield
        return
    with _attached(parent):
        yield
