"""What a dead letter says about itself: why, from which queue, when, and which CloudEvent it carries.

Read from the headers of either way a message is dead-lettered (see the package docstring) and from
the body, which may be anything: an invalid body is exactly what some dead letters are.
"""

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any

# Headers that describe one dead-lettering; a replay removes them so the next one starts clean.
CONSUMER_HEADERS = ("x-dead-letter-reason", "x-original-queue", "x-dead-lettered-at")
BROKER_HEADERS = (
    "x-death", "x-first-death-reason", "x-first-death-queue", "x-first-death-exchange",
    "x-last-death-reason", "x-last-death-queue", "x-last-death-exchange",
    # Counted by the quorum queue per delivery: carried over, it would make the consumer back off at once.
    "x-delivery-count",
)
REPLAY_COUNT = "x-replay-count"


@dataclass(frozen=True)
class DeadLetter:
    queue: str  # the DLQ
    id: str  # message id, else the CloudEvent id, else a digest of the body: what `show`/`--id` take
    message_id: str | None
    reason: str
    dead_lettered_by: str  # "consumer" (shared.bus.consumer) or "broker" (delivery limit, x-death)
    original_queue: str
    dead_lettered_at: datetime | None
    event_id: str | None
    event_type: str | None
    subject: str | None
    correlation_id: str | None
    body_error: str | None  # why the body is not a CloudEvent, or None
    replays: int

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["dead_lettered_at"] = self.dead_lettered_at.isoformat() if self.dead_lettered_at else None
        return data


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    text = _text(value)
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _event(body: bytes) -> tuple[dict[str, Any], str | None]:
    """The CloudEvent attributes of the body, tolerant of anything (what is missing stays None)."""
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        return {}, f"not JSON: {exc}"
    if not isinstance(parsed, dict):
        return {}, f"not a JSON object: {type(parsed).__name__}"
    attributes = {key: parsed.get(key) for key in ("id", "type", "subject", "correlationid")}
    missing = [key for key in ("id", "type", "specversion", "source") if not parsed.get(key)]
    return {k: _text(v) for k, v in attributes.items()}, (f"not a CloudEvent: no {', '.join(missing)}" if missing else None)


def read_letter(
    queue: str,
    *,
    body: bytes,
    headers: dict[str, Any] | None,
    message_id: str | None = None,
    correlation_id: str | None = None,
) -> DeadLetter:
    headers = headers or {}
    event, body_error = _event(body)
    deaths = [d for d in headers.get("x-death") or [] if isinstance(d, dict)]
    latest = deaths[0] if deaths else {}  # RabbitMQ keeps the most recent first
    consumer_reason = _text(headers.get("x-dead-letter-reason"))
    consumer_at = _time(headers.get("x-dead-lettered-at"))
    broker_at = _time(latest.get("time"))
    # Both sets only meet when a message went round twice without a replay cleaning it: the later one tells.
    by_consumer = consumer_reason is not None and not (broker_at and consumer_at and broker_at > consumer_at)
    if by_consumer:
        reason = consumer_reason
        original = _text(headers.get("x-original-queue"))
        at = consumer_at
    else:
        broker_reason = _text(latest.get("reason")) or _text(headers.get("x-first-death-reason"))
        reason = broker_reason or "unknown (no dead-letter headers)"
        if broker_reason == "delivery_limit":
            reason = "delivery_limit: the handler kept failing until the queue's delivery limit (see the service's log)"
        original = _text(latest.get("queue")) or _text(headers.get("x-first-death-queue"))
        at = broker_at
    message_id = _text(message_id)
    handle = message_id or event.get("id") or "sha256-" + hashlib.sha256(body).hexdigest()[:16]
    return DeadLetter(
        queue=queue,
        id=handle,
        message_id=message_id,
        reason=reason,
        dead_lettered_by="consumer" if by_consumer else "broker",
        original_queue=original or queue.removesuffix(".dlq"),
        dead_lettered_at=at,
        event_id=event.get("id"),
        event_type=event.get("type"),
        subject=event.get("subject"),
        correlation_id=_text(correlation_id) or event.get("correlationid"),
        body_error=body_error,
        replays=int(headers.get(REPLAY_COUNT) or 0),
    )


def replay_headers(headers: dict[str, Any] | None, replays: int) -> dict[str, Any]:
    """The headers a replayed message carries: without the last dead-lettering's, with the replay count."""
    kept = {k: v for k, v in (headers or {}).items() if k not in CONSUMER_HEADERS and k not in BROKER_HEADERS}
    kept[REPLAY_COUNT] = replays + 1
    return kept
