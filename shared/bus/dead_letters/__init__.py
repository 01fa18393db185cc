"""Dead letters: list, show, replay and drop the messages in each consumer's DLQ (`<ns>.<consumer>.dlq`).

    python -m shared.bus.dead_letters list [QUEUE] [--json]
    python -m shared.bus.dead_letters show QUEUE MESSAGE_ID [--json]
    python -m shared.bus.dead_letters replay [QUEUE] (--id ID ... | --reason TEXT | --all) [--limit N] [--dry-run] [--json]
    python -m shared.bus.dead_letters drop   [QUEUE] (--id ID ... | --reason TEXT | --all) [--limit N] [--dry-run] [--json]

A message reaches a DLQ two ways: shared.bus.consumer dead-letters an invalid or poison event itself
(headers x-dead-letter-reason, x-original-queue, x-dead-lettered-at), or RabbitMQ does once the quorum
queue's delivery limit is reached (x-death, x-first-death-*). `letters` reads both; `walk` goes through a
DLQ once and replays (published persistent and confirmed to the original queue before the DLQ copy is
acked) or drops what was selected; what was not selected stays. See docs/operations-dead-letters.md.
"""

from shared.bus.dead_letters.letters import DeadLetter, read_letter
from shared.bus.dead_letters.walk import Outcome, Selection, walk

__all__ = ["DeadLetter", "Outcome", "Selection", "read_letter", "walk"]
