"""One pass through a DLQ: read every message once, replay or drop the selected ones, leave the rest.

Messages are taken with basic.get and held unacknowledged until the end of the pass, so none is read
twice (RabbitMQ does not hand out a message that is unacknowledged on our channel) and the pass stops
after the count the passive declare reported: a queue that fills meanwhile cannot keep it going. What
was not replayed or dropped is handed back (reject with requeue) when the pass ends, or by RabbitMQ if
the tool dies.

A replay publishes persistent and confirmed (mandatory, on the default exchange with the queue's name as
routing key) to the consumer's own queue, and only then acks the DLQ copy: a failure in between leaves
both copies, never none, and the consumer's inbox drops the second.
"""

from dataclasses import dataclass, field
from typing import Any, Literal

import aio_pika
from aio_pika.abc import AbstractConnection, AbstractIncomingMessage

from shared.bus.dead_letters.letters import DeadLetter, read_letter, replay_headers

Action = Literal["list", "replay", "drop"]


class QueueMissing(LookupError):
    """The DLQ is not declared (no service of this namespace has started yet)."""


@dataclass(frozen=True)
class Selection:
    """Which letters a replay or drop acts on: by id (message or event id), by reason substring, or all."""

    ids: frozenset[str] = frozenset()
    reason: str | None = None
    everything: bool = False
    limit: int | None = None

    def matches(self, letter: DeadLetter) -> bool:
        if self.everything:
            return True
        if self.ids:
            return bool({letter.id, letter.message_id, letter.event_id} & self.ids)
        if self.reason:
            return self.reason.casefold() in letter.reason.casefold()
        return False


@dataclass
class Outcome:
    letter: DeadLetter
    # listed / kept (not selected) / replayed / dropped / would-replay / would-drop / failed
    result: str
    error: str | None = None
    headers: dict[str, Any] = field(default_factory=dict)
    body: bytes = b""
    properties: dict[str, Any] = field(default_factory=dict)


def _properties(message: AbstractIncomingMessage) -> dict[str, Any]:
    return {
        "content_type": message.content_type,
        "content_encoding": message.content_encoding,
        "message_id": message.message_id,
        "correlation_id": message.correlation_id,
        "type": message.type,
        "timestamp": message.timestamp,
        "app_id": message.app_id,
        "delivery_mode": int(message.delivery_mode) if message.delivery_mode else None,
    }


def _replay_message(message: AbstractIncomingMessage, letter: DeadLetter) -> aio_pika.Message:
    # No expiration and no user_id: a replay must not expire, and RabbitMQ checks user_id against our login.
    return aio_pika.Message(
        message.body,
        headers=replay_headers(dict(message.headers or {}), letter.replays),
        content_type=message.content_type,
        content_encoding=message.content_encoding,
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        priority=message.priority,
        correlation_id=message.correlation_id,
        message_id=message.message_id,
        timestamp=message.timestamp,
        type=message.type,
        app_id=message.app_id,
        reply_to=message.reply_to,
    )


async def walk(
    connection: AbstractConnection,
    dlq: str,
    *,
    action: Action = "list",
    selection: Selection | None = None,
    dry_run: bool = False,
) -> list[Outcome]:
    """Go once through `dlq`; returns one outcome per message read, in queue order."""
    selection = selection or Selection()
    target = dlq.removesuffix(".dlq")  # the topology binds each DLQ to its own consumer queue only
    channel = await connection.channel()
    publisher = await connection.channel(publisher_confirms=True, on_return_raises=True)
    held: list[AbstractIncomingMessage] = []
    outcomes: list[Outcome] = []
    acted = 0
    try:
        try:
            queue = await channel.declare_queue(dlq, passive=True)
        except aio_pika.exceptions.ChannelNotFoundEntity:
            raise QueueMissing(dlq) from None
        for _ in range(queue.declaration_result.message_count or 0):
            message = await queue.get(no_ack=False, fail=False)
            if message is None:
                break
            letter = read_letter(
                dlq, body=message.body, headers=dict(message.headers or {}),
                message_id=message.message_id, correlation_id=message.correlation_id,
            )
            outcome = Outcome(letter, "listed", headers=dict(message.headers or {}), body=message.body,
                              properties=_properties(message))
            outcomes.append(outcome)
            chosen = action != "list" and selection.matches(letter)
            if chosen and selection.limit is not None and acted >= selection.limit:
                chosen = False
            if not chosen:
                outcome.result = "listed" if action == "list" else "kept"
                held.append(message)
                continue
            acted += 1
            if dry_run:
                outcome.result = f"would-{action}"
                held.append(message)
                continue
            if action == "replay":
                if letter.original_queue != target:
                    outcome.result, outcome.error = "failed", f"its original queue {letter.original_queue} is not {target}"
                    held.append(message)
                    continue
                try:
                    await publisher.default_exchange.publish(
                        _replay_message(message, letter), routing_key=target, mandatory=True
                    )
                except Exception as exc:  # noqa: BLE001 - unroutable, nacked, connection lost: keep the DLQ copy
                    outcome.result, outcome.error = "failed", repr(exc)
                    held.append(message)
                    continue
                await message.ack()  # only now: the copy in its queue is confirmed
                outcome.result = "replayed"
            else:
                await message.ack()
                outcome.result = "dropped"
    finally:
        for message in held:
            if not channel.is_closed:
                await message.reject(requeue=True)
        for opened in (publisher, channel):
            if not opened.is_closed:
                await opened.close()
    return outcomes
