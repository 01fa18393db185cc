"""The AsyncAPI document of the public events, generated from the event models themselves.

`python -m shared.events.asyncapi > docs/asyncapi.json` rewrites docs/asyncapi.json; a unit test
keeps the committed document equal to what the code generates.
"""

import json
import sys

from faststream.rabbit import RabbitBroker
from faststream.specification import AsyncAPI

from shared.bus.topology import CONSUMERS, event_exchange
from shared.events import CATALOG
from shared.settings import CommonSettings

EMITTERS = {
    "jp.esurety.application.submitted.v1": "application",
    "jp.esurety.application.rejected.v1": "issuance",
    "jp.esurety.certificate.issued.v1": "issuance",
    "jp.esurety.certificate.published.v1": "platform",
    "jp.esurety.certificate.paper_issued.v1": "issuance",
    "jp.esurety.bid_bond.lapsed.v1": "application",
    "jp.esurety.certificate.viewed.v1": "platform",
    "jp.esurety.certificate.reviewed.v1": "platform",
    "jp.esurety.certificate.corrected.v1": "issuance (staff CLI)",
    "jp.esurety.certificate.amendment_withdrawn.v1": "issuance (staff CLI)",
    "jp.esurety.certificate.expired.v1": "issuance (scheduled job, staff CLI run-expiry)",
    "jp.esurety.cancellation.requested.v1": "application",
    "jp.esurety.certificate.cancelled.v1": "issuance (staff CLI approve-cancellation)",
    "jp.esurety.cancellation.refused.v1": "issuance (staff CLI refuse-cancellation, or on receipt)",
    "jp.esurety.amendment.requested.v1": "platform",
    "jp.esurety.release.requested.v1": "platform",
}


def build_specification() -> AsyncAPI:
    settings = CommonSettings(bus_namespace="esurety")
    broker = RabbitBroker(
        "amqp://rabbitmq:5672/",
        description="One durable topic exchange `esurety.events`; routing key = CloudEvents `type`. "
        "Messages are persistent CloudEvents 1.0 in structured JSON mode (content type application/cloudevents+json).",
    )
    exchange = event_exchange(settings)
    for event_type, envelope in CATALOG.items():
        data_model = envelope.model_fields["data"].annotation
        consumers = ", ".join(c.service for c in CONSUMERS if c.event_type == event_type)
        broker.publisher(
            routing_key=event_type,
            exchange=exchange,
            persist=True,
            title=event_type,
            description=f"{(data_model.__doc__ or '').strip()} Emitted by: {EMITTERS[event_type]}. "
            f"Consumed inside the system by: {consumers}.",
            schema=envelope,
            content_type="application/cloudevents+json",
        )
    return AsyncAPI(
        broker,
        title="電子保証 (e-surety) events",
        version="1.0.0",
        description="Events of the electronic surety pipeline: apply → issue → publish on the platform → notify. "
        "See docs/events.md for how to bind a queue.",
    )


def render() -> str:
    return json.dumps(build_specification().to_specification().to_jsonable(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
