"""A PDF issuance has not rendered yet (it renders after the certificate is issued, docs/pdf-rendering.md):
issuance's 503 with Retry-After reaches the contractor as a Japanese 503 with Retry-After, not a 500."""

import uuid

import httpx
import pytest

from services.application.adapters.issuance_client import DocumentNotReady, IssuanceClient, IssuanceUnavailable


def issuance_answering(status: int, headers: dict[str, str]) -> IssuanceClient:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, headers=headers, json={"detail": "…", "document": "certificate"})

    return IssuanceClient("http://issuance", "token", transport=httpx.MockTransport(answer))


async def test_a_503_with_retry_after_is_a_document_not_ready():
    client = issuance_answering(503, {"Retry-After": "7"})
    with pytest.raises(DocumentNotReady) as caught:
        await client.open_document("35026-00001M", uuid.uuid4(), "certificate")
    assert (caught.value.document, caught.value.retry_after) == ("certificate", 7)
    await client.aclose()


async def test_any_other_failure_is_still_unavailable():
    client = issuance_answering(503, {})
    with pytest.raises(IssuanceUnavailable):
        await client.open_document("35026-00001M", uuid.uuid4(), "key-notice")
    await client.aclose()


def test_the_message_the_contractor_reads():
    from services.application.domain import messages

    assert messages.PDF_NOT_READY["certificate"] == "保証証書PDFを作成中です。しばらくしてから再度お試しください。"
    assert set(messages.PDF_NOT_READY) == {"certificate", "key-notice"}
