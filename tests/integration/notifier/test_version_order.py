"""変更-2 published before 変更-1, each publication delivered twice (the same event id, and a second id with
the same content), each 変更申込's ApplicationSubmitted before or after its publication, through the
notifier's own handlers on the real PostgreSQL and aiosmtpd (issue 13): one email per version, each
saying its own version and 電子保証発行日時, none with the 認証キー."""

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from services.notifier.adapters.templates import CompletionEmailComposer
from services.notifier.handlers import events
from tests.conftest import eventually
from tests.integration.notifier.conftest import addressed_to, application_submitted, new_contract_number
from tests.samples import sample_certificate_published

pytestmark = pytest.mark.integration

T0 = datetime(2022, 4, 1, 5, 54, tzinfo=timezone.utc)
ARRIVALS = {0: T0, 1: T0 + timedelta(days=17), 2: T0 + timedelta(days=30)}
LABELS = {0: "新規", 1: "変更-1", 2: "変更-2"}


def copy_of(event):
    return event.model_copy(update={"id": str(uuid.uuid4())})


async def test_one_email_per_version_out_of_order_and_twice(start_notifier, smtp_server):
    host, port, received = smtp_server
    ctx = await start_notifier(host, port)
    composer = CompletionEmailComposer(portal_url=ctx.settings.portal_url, message_id_domain=ctx.settings.message_id_domain)
    pool = ctx.pool
    number = new_contract_number()
    to = f"order-{uuid.uuid4().hex[:8]}@example.jp"
    apps = {v: uuid.uuid4() for v in LABELS}  # each version from an application of its own
    submitted = {v: application_submitted(app, email_to=to) for v, app in apps.items()}
    published = {
        v: sample_certificate_published(
            application_id=apps[v], contract_number=number, version=v, version_label=LABELS[v],
            published_at=ARRIVALS[v], correlation_id=f"corr-{apps[v]}",
        )
        for v in LABELS
    }

    async def deliver(handler, event):
        for delivery in (event, event, copy_of(event)):
            await handler(pool, delivery, composer)

    await deliver(events.application_submitted, submitted[0])
    await deliver(events.certificate_published, published[0])
    await deliver(events.certificate_published, published[2])  # before its application, and before 変更-1
    await deliver(events.application_submitted, submitted[2])
    await deliver(events.application_submitted, submitted[1])
    await deliver(events.certificate_published, published[1])

    async def all_sent():
        rows = await pool.fetch(
            "SELECT version, status FROM email_outbox WHERE contract_number = $1 ORDER BY version", number
        )
        return rows if [r["status"] for r in rows] == ["sent"] * len(rows) and len(rows) >= 3 else None

    rows = await eventually(all_sent, timeout=30)
    assert [r["version"] for r in rows] == [0, 1, 2], rows
    messages = addressed_to(received, to)
    assert len(messages) == 3, [m["Subject"] for m in messages]
    by_version = {}
    for message in messages:
        lines = message.get_content().splitlines()
        label = next(line.split("：", 1)[1] for line in lines if line.startswith("　対象"))
        by_version[label] = (message["Subject"], lines)
        assert "Z28YUE4J3Bux" not in message.get_content()
    assert sorted(by_version) == sorted(LABELS.values())
    assert by_version["新規"][0] == "【Net Desk】電子保証（認証キー）発行完了のお知らせ"
    for version in (1, 2):
        subject, lines = by_version[LABELS[version]]
        assert subject == f"【Net Desk】電子保証（認証キー）変更発行完了のお知らせ（{LABELS[version]}）"
    issued_at = {label: next(line for line in lines if line.startswith("　電子保証発行日時"))
                 for label, (_, lines) in by_version.items()}
    assert issued_at == {
        "新規": "　電子保証発行日時：2022/04/01 14:54",
        "変更-1": "　電子保証発行日時：2022/04/18 14:54",
        "変更-2": "　電子保証発行日時：2022/05/01 14:54",
    }
