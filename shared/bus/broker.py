"""The RabbitMQ broker every service uses, and the one way an event is put on the exchange."""

import logging

from faststream.rabbit import Channel, RabbitBroker
from faststream.rabbit.opentelemetry import RabbitTelemetryMiddleware
from faststream.rabbit.prometheus import RabbitPrometheusMiddleware

from shared.bus.topology import event_exchange
from shared.metrics import ServiceMetrics
from shared.settings import CommonSettings

CLOUDEVENTS_JSON = "application/cloudevents+json"


def make_broker(
    settings: CommonSettings, *, metrics: ServiceMetrics | None = None, tracer_provider=None
) -> RabbitBroker:
    # FastStream's own counts of every message consumed and published (faststream_*), in the service's
    # registry (docs/operations-metrics.md).
    middlewares = (
        [RabbitPrometheusMiddleware(registry=metrics.registry, app_name=metrics.service)] if metrics is not None else []
    )
    # A span per publish and per message consumed, its context in the AMQP headers (shared/tracing.py);
    # only when tracing is on, so that off costs nothing per message.
    if tracer_provider is not None:
        middlewares.append(RabbitTelemetryMiddleware(tracer_provider=tracer_provider))
    # Publisher confirms plus on_return_raises: an unroutable or unconfirmed publish raises,
    # so the outbox relay never marks as sent what RabbitMQ did not take.
    return RabbitBroker(
        settings.amqp_url,
        default_channel=Channel(publisher_confirms=True, on_return_raises=True),
        fail_fast=True,
        # How long broker.stop() lets in-flight handlers finish (shared.runtime bounds the whole shutdown too).
        graceful_timeout=settings.shutdown_timeout_seconds,
        # FastStream's per-message access lines cost 25-35% of throughput and are not JSON.
        log_level=logging.DEBUG,
        middlewares=middlewares,
    )


async def publish_event(
    broker: RabbitBroker,
    settings: CommonSettings,
    *,
    routing_key: str,
    body: bytes,
    message_id: str,
    correlation_id: str,
) -> None:
    await broker.publish(
        body,
        exchange=event_exchange(settings),
        routing_key=routing_key,
        persist=True,
        mandatory=True,
        message_id=message_id,
        correlation_id=correlation_id,
        content_type=CLOUDEVENTS_JSON,
        message_type=routing_key,
    )
