"""The broker topology: one durable topic exchange for every public event, one quorum queue per
consumer with bounded redelivery, and a dead-letter queue beside each.

Every service declares the whole topology at start, so no event published before its consumer
first started is unroutable (and so dropped).
"""

from dataclasses import dataclass

from faststream.rabbit import ExchangeType, QueueType, RabbitBroker, RabbitExchange, RabbitQueue

from shared.events import (
    AmendmentRequestedV1,
    AmendmentWithdrawnV1,
    CancellationRefusedV1,
    CancellationRequestedV1,
    CertificateCancelledV1,
    CertificateExpiredV1,
    CertificateCorrectedV1,
    ApplicationRejectedV1,
    ApplicationSubmittedV1,
    BidBondLapsedV1,
    CertificateIssuedV1,
    CertificatePublishedV1,
    CertificateReviewedV1,
    CertificateViewedV1,
    PaperCertificateIssuedV1,
    ReleaseRequestedV1,
)
from shared.settings import CommonSettings


@dataclass(frozen=True)
class Consumer:
    """One service's subscription to one event type."""

    service: str
    event_type: str

    def queue_name(self, settings: CommonSettings) -> str:
        short = self.event_type.removeprefix("jp.esurety.").rsplit(".", 1)[0].replace(".", "-")
        return f"{settings.bus_namespace}.{self.service}.{short}"


CONSUMERS: tuple[Consumer, ...] = (
    Consumer("issuance", ApplicationSubmittedV1.event_type),
    Consumer("issuance", BidBondLapsedV1.event_type),
    Consumer("platform", CertificateIssuedV1.event_type),
    Consumer("application", CertificateIssuedV1.event_type),
    Consumer("application", ApplicationRejectedV1.event_type),
    Consumer("application", CertificatePublishedV1.event_type),
    Consumer("application", PaperCertificateIssuedV1.event_type),
    Consumer("application", CertificateViewedV1.event_type),
    Consumer("application", CertificateReviewedV1.event_type),
    Consumer("application", AmendmentRequestedV1.event_type),
    Consumer("application", ReleaseRequestedV1.event_type),
    Consumer("issuance", AmendmentRequestedV1.event_type),
    Consumer("issuance", ReleaseRequestedV1.event_type),
    Consumer("notifier", ApplicationSubmittedV1.event_type),
    Consumer("notifier", CertificatePublishedV1.event_type),
    Consumer("platform", CertificateCorrectedV1.event_type),
    Consumer("platform", AmendmentWithdrawnV1.event_type),
    Consumer("application", CertificateCorrectedV1.event_type),
    Consumer("application", AmendmentWithdrawnV1.event_type),
    # The end of a guarantee (期間満了 / 解約, shared/events/status.py).
    Consumer("issuance", CancellationRequestedV1.event_type),
    Consumer("application", CertificateExpiredV1.event_type),
    Consumer("application", CertificateCancelledV1.event_type),
    Consumer("application", CancellationRefusedV1.event_type),
    Consumer("platform", CertificateExpiredV1.event_type),
    Consumer("platform", CertificateCancelledV1.event_type),
    Consumer("notifier", CertificateExpiredV1.event_type),
    Consumer("notifier", CertificateCancelledV1.event_type),
)


def event_exchange(settings: CommonSettings) -> RabbitExchange:
    return RabbitExchange(f"{settings.bus_namespace}.events", type=ExchangeType.TOPIC, durable=True)


def dead_letter_exchange(settings: CommonSettings) -> RabbitExchange:
    return RabbitExchange(f"{settings.bus_namespace}.dlx", type=ExchangeType.DIRECT, durable=True)


def consumer_queue(consumer: Consumer, settings: CommonSettings) -> RabbitQueue:
    name = consumer.queue_name(settings)
    return RabbitQueue(
        name,
        queue_type=QueueType.QUORUM,
        durable=True,
        routing_key=consumer.event_type,
        arguments={
            "x-delivery-limit": settings.delivery_limit,
            "x-dead-letter-exchange": dead_letter_exchange(settings).name,
            "x-dead-letter-routing-key": name,
        },
    )


def dead_letter_queue(consumer: Consumer, settings: CommonSettings) -> RabbitQueue:
    name = consumer.queue_name(settings)
    return RabbitQueue(f"{name}.dlq", queue_type=QueueType.QUORUM, durable=True, routing_key=name)


def find_consumer(service: str, event_type: str) -> Consumer:
    for consumer in CONSUMERS:
        if consumer.service == service and consumer.event_type == event_type:
            return consumer
    raise LookupError(f"no consumer {service} for {event_type} in the topology")


async def declare_topology(broker: RabbitBroker, settings: CommonSettings) -> None:
    events = await broker.declare_exchange(event_exchange(settings))
    dlx = await broker.declare_exchange(dead_letter_exchange(settings))
    for consumer in CONSUMERS:
        queue = await broker.declare_queue(consumer_queue(consumer, settings))
        await queue.bind(events, routing_key=consumer.event_type)
        dlq = await broker.declare_queue(dead_letter_queue(consumer, settings))
        await dlq.bind(dlx, routing_key=consumer.queue_name(settings))
