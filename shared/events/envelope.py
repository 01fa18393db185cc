"""The CloudEvents 1.0 envelope (structured JSON mode) every event on the bus travels in.

Typed per event so that the AsyncAPI document shows each payload; the JSON is plain CloudEvents
(the `cloudevents` SDK reads it, see tests/unit/test_events.py). `correlationid` is a CloudEvents
extension attribute that follows one application through all four services. `traceparent`/`tracestate`
are the CloudEvents Distributed Tracing extension (W3C Trace Context): optional, absent from the JSON
when unset, so events without them stay valid both ways (shared/tracing.py).
"""

import uuid
from datetime import datetime, timezone
from typing import ClassVar, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_serializer

EVENT_TYPE_PREFIX = "jp.esurety."


class EventData(BaseModel):
    """Base of every payload: `event_type` is the CloudEvents `type` and the AMQP routing key."""

    model_config = ConfigDict(frozen=True)
    event_type: ClassVar[str]


D = TypeVar("D", bound=EventData)


def _now() -> datetime:
    return datetime.now(timezone.utc)


class CloudEvent(BaseModel, Generic[D]):
    model_config = ConfigDict(frozen=True)

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(default_factory=lambda: str(uuid.uuid4()), description="Unique per event; consumers deduplicate on it.")
    source: str = Field(description="The emitting service, e.g. /esurety/issuance.")
    type: str = Field(description="Versioned event type, equal to the AMQP routing key.")
    time: datetime = Field(default_factory=_now)
    subject: str = Field(description="保証契約番号 for certificate events, the application id otherwise.")
    datacontenttype: Literal["application/json"] = "application/json"
    correlationid: str = Field(description="Follows one application through every service (extension attribute).")
    traceparent: str | None = Field(
        None,
        pattern=r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$",
        description="W3C Trace Context of the work that emitted the event (Distributed Tracing extension, optional).",
    )
    tracestate: str | None = Field(
        None, max_length=512, description="W3C tracestate beside traceparent (Distributed Tracing extension, optional)."
    )
    data: D

    @model_serializer(mode="wrap")
    def _omit_unset_trace(self, handler):
        # An unset extension attribute is absent, not null: the JSON of an untraced event is what it was.
        out = handler(self)
        for name in ("traceparent", "tracestate"):
            if name in out and out[name] is None:
                del out[name]
        return out

    @classmethod
    def wrap(cls, data: D, *, source: str, subject: str, correlation_id: str) -> "CloudEvent[D]":
        return cls(source=source, type=data.event_type, subject=subject, correlationid=correlation_id, data=data)
