"""A change (変更-N) of a guarantee is a publication of its own application: its own email, whose subject
says 変更 and which version, and still no 認証キー."""

import uuid

import pytest

from tests.conftest import eventually
from tests.integration.notifier.conftest import (
    addressed_to,
    application_submitted,
    new_contract_number,
    publish,
)
from tests.samples import sample_certificate_published

pytestmark = pytest.mark.integration


async def test_new_then_change_one_email_each(start_notifier, smtp_server):
    host, port, received = smtp_server
    ctx = await start_notifier(host, port)
    number = new_contract_number()
    to = f"henkou-{uuid.uuid4().hex[:8]}@example.jp"
    subjects = {}
    for version in (0, 1):
        app_id = uuid.uuid4()  # a 変更申込 is an application of its own
        label = "新規" if version == 0 else f"変更-{version}"
        await publish(ctx.settings, application_submitted(app_id, email_to=to))
        await publish(ctx.settings, sample_certificate_published(
            application_id=app_id, contract_number=number, version=version, version_label=label,
            correlation_id=f"corr-{app_id}",
        ))
        messages = await eventually(lambda: len(addressed_to(received, to)) == version + 1 and addressed_to(received, to))
        subjects[label] = messages[-1]["Subject"]
        lines = messages[-1].get_content().splitlines()
        assert f"　対象　　　　　　：{label}" in lines and f"　保証契約番号　　：{number}" in lines
        assert "Z28YUE4J3Bux" not in messages[-1].get_content()
    assert subjects == {
        "新規": "【Net Desk】電子保証（認証キー）発行完了のお知らせ",
        "変更-1": "【Net Desk】電子保証（認証キー）変更発行完了のお知らせ（変更-1）",
    }
    rows = await ctx.pool.fetch("SELECT version, status FROM email_outbox WHERE contract_number = $1 ORDER BY version", number)
    assert [(r["version"], r["status"]) for r in rows] == [(0, "sent"), (1, "sent")]
