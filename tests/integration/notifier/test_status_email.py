"""保証期間満了のお知らせ / 解約のお知らせ through the running notifier and a real SMTP server: to the recipient of
the guarantee's 新規 application, once however often the event comes, also when it comes before
ApplicationSubmitted; none where the company wanted no email; the completion emails unchanged beside them."""

import asyncio
import uuid
from datetime import date, datetime, timezone

import pytest

from shared.events import (
    CancellationReason,
    CertificateCancelled,
    CertificateCancelledV1,
    CertificateExpired,
    CertificateExpiredV1,
    Product,
)
from tests.conftest import eventually
from tests.integration.notifier.conftest import addressed_to, application_submitted, new_contract_number, publish
from tests.samples import sample_certificate_published

pytestmark = pytest.mark.integration


def expired(number: str, app_id: uuid.UUID) -> CertificateExpired:
    data = CertificateExpiredV1(
        contract_number=number, product=Product.ADVANCE_PAYMENT, application_id=app_id,
        contractor_company_id=uuid.uuid4(), electronic=True, guarantee_expiry=date(2027, 3, 31),
        expired_on=date(2027, 4, 1), expired_at=datetime.now(timezone.utc),
    )
    return CertificateExpired.wrap(data, source="/esurety/issuance", subject=number, correlation_id=f"expiry-{number}")


def cancelled(number: str, app_id: uuid.UUID) -> CertificateCancelled:
    data = CertificateCancelledV1(
        contract_number=number, product=Product.CONTRACT_GUARANTEE, application_id=app_id,
        contractor_company_id=uuid.uuid4(), electronic=False, request_id=uuid.uuid4(), cancelled_on=date(2027, 1, 15),
        cancelled_at=datetime.now(timezone.utc), reason=CancellationReason.CONTRACT_TERMINATED,
    )
    return CertificateCancelled.wrap(data, source="/esurety/issuance", subject=number, correlation_id="c")


def copy_of(event):
    return event.model_copy(update={"id": str(uuid.uuid4())})


async def test_one_expiry_email_beside_the_completion_email(start_notifier, smtp_server):
    host, port, received = smtp_server
    ctx = await start_notifier(host, port)
    app_id, number = uuid.uuid4(), new_contract_number()
    to = f"manryou-{uuid.uuid4().hex[:8]}@example.jp"
    await publish(ctx.settings, application_submitted(app_id, email_to=to))
    await publish(ctx.settings, sample_certificate_published(application_id=app_id, contract_number=number,
                                                             correlation_id=f"corr-{app_id}"))
    await eventually(lambda: len(addressed_to(received, to)) == 1)
    event = expired(number, app_id)
    for e in (event, event, copy_of(event)):  # redelivered, and copied under another id
        await publish(ctx.settings, e)
    messages = await eventually(lambda: len(addressed_to(received, to)) == 2 and addressed_to(received, to))
    await asyncio.sleep(1.5)
    assert len(addressed_to(received, to)) == 2
    subjects = [m["Subject"] for m in messages]
    assert subjects == ["【Net Desk】電子保証（認証キー）発行完了のお知らせ", f"【Net Desk】保証期間満了のお知らせ（{number}）"]
    body = messages[1].get_content()
    assert "期間満了日　　　：令和9年4月1日" in body and "Z28YUE4J3Bux" not in body
    rows = await ctx.pool.fetch("SELECT kind, version, status FROM email_outbox WHERE contract_number = $1 ORDER BY kind", number)
    assert [(r["kind"], r["version"], r["status"]) for r in rows] == [("completion", 0, "sent"), ("expired", None, "sent")]


async def test_the_status_first_then_the_application_and_not_wanted(start_notifier, smtp_server):
    host, port, received = smtp_server
    ctx = await start_notifier(host, port)
    # The cancellation arrives before ApplicationSubmitted: joined when the recipient comes.
    app_id, number = uuid.uuid4(), new_contract_number("K")
    to = f"kaiyaku-{uuid.uuid4().hex[:8]}@example.jp"
    await publish(ctx.settings, cancelled(number, app_id))
    await eventually(lambda: ctx.pool.fetchval("SELECT 1 FROM status_notices WHERE contract_number = $1", number))
    await publish(ctx.settings, application_submitted(app_id, email_to=to))
    [message] = await eventually(lambda: addressed_to(received, to))
    assert message["Subject"] == f"【Net Desk】解約のお知らせ（{number}）"
    assert "解約日　　　　　：令和9年1月15日" in message.get_content() and "（証書(紙)）" in message.get_content()

    # 希望しない: no email, a skip row.
    quiet, quiet_number = uuid.uuid4(), new_contract_number()
    await publish(ctx.settings, application_submitted(quiet, wanted=False))
    await publish(ctx.settings, expired(quiet_number, quiet))
    row = await eventually(lambda: ctx.pool.fetchrow(
        "SELECT status, skip_reason FROM email_outbox WHERE contract_number = $1 AND kind = 'expired'", quiet_number))
    assert (row["status"], row["skip_reason"]) == ("skipped", "not_wanted")
