"""structlog as JSON lines, Japanese kept readable, correlation id bound through contextvars, and the
trace id / span id of the current OpenTelemetry span when there is one (shared/tracing.py).

Standard-library loggers (uvicorn, FastStream, asyncio) go through the same JSON renderer, so a
service's output is one JSON object per line whoever wrote it.
"""

import logging
import sys

import structlog
from opentelemetry import trace


def add_trace_ids(logger, method_name, event_dict):
    """trace_id and span_id (hex, as trace backends show them) of the current span, if it is a real one."""
    span_context = trace.get_current_span().get_span_context()
    if span_context.is_valid:
        event_dict.setdefault("trace_id", format(span_context.trace_id, "032x"))
        event_dict.setdefault("span_id", format(span_context.span_id, "016x"))
    return event_dict


_SHARED = [
    structlog.contextvars.merge_contextvars,
    add_trace_ids,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def configure_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=_SHARED,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                structlog.processors.JSONRenderer(ensure_ascii=False),
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # FastStream logs every message at INFO; that costs ~30% throughput (FIELD-NOTES).
    # httpcore at DEBUG prints whole response headers (Set-Cookie included) of every outgoing call.
    for noisy in ("faststream", "aiormq", "aio_pika", "fontTools", "uvicorn.access", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    structlog.configure(
        processors=[*_SHARED, structlog.processors.StackInfoRenderer(), structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=False,
    )
    structlog.contextvars.bind_contextvars(service=service)
