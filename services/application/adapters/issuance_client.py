"""Client of the issuance service's internal HTTP API: the 認証キー and the two PDFs of a contract, and
the orderer registry (発注者) that 申込確認 checks against.

The caller checks ownership in its own read model first; this client only passes the company id on
(X-Company-Id) so issuance can check it again. The key is returned to the caller, never stored.
"""

from urllib.parse import quote
from uuid import UUID

import httpx

from shared.tracing import inject_headers

DOCUMENTS = {"certificate": "certificate.pdf", "key-notice": "key-notice.pdf"}


class IssuanceNotFound(LookupError):
    pass


class IssuanceUnavailable(RuntimeError):
    pass


class DocumentNotReady(RuntimeError):
    """Issuance has not rendered this PDF yet (it renders after the certificate is issued: docs/pdf-rendering.md)
    and could not within its wait: ask again after `retry_after` seconds."""

    def __init__(self, document: str, retry_after: int) -> None:
        super().__init__(f"{document} PDF not rendered yet; retry after {retry_after} s")
        self.document = document  # "certificate" or "key-notice"
        self.retry_after = retry_after


class IssuanceClient:
    def __init__(
        self, base_url: str, token: str, *, timeout: float = 10.0, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
            transport=transport,
            event_hooks={"request": [inject_headers]},  # the caller's trace continues in issuance
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    def _path(self, contract_number: str, rest: str) -> str:
        return f"/internal/certificates/{quote(contract_number, safe='')}/{rest}"

    async def auth_key(self, contract_number: str, company_id: UUID) -> str:
        try:
            response = await self._client.get(
                self._path(contract_number, "auth-key"), headers={"X-Company-Id": str(company_id)}
            )
        except httpx.HTTPError as exc:
            raise IssuanceUnavailable(repr(exc)) from exc
        self._check(response)
        try:
            return response.json()["auth_key"]
        except (ValueError, KeyError, TypeError) as exc:
            raise IssuanceUnavailable(f"unexpected auth-key answer: {response.text[:200]!r}") from exc

    async def open_document(
        self, contract_number: str, company_id: UUID, document: str, version: int | None = None
    ) -> httpx.Response:
        """A streaming response (the caller closes it) for 'certificate' or 'key-notice', of the latest
        version or of `version`."""
        request = self._client.build_request(
            "GET",
            self._path(contract_number, f"documents/{DOCUMENTS[document]}"),
            headers={"X-Company-Id": str(company_id)},
            params={"version": version} if version is not None else None,
        )
        try:
            response = await self._client.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise IssuanceUnavailable(repr(exc)) from exc
        if response.status_code != 200:
            await response.aread()
            await response.aclose()
            if response.status_code == 503 and "Retry-After" in response.headers:
                raise DocumentNotReady(document, _seconds(response.headers["Retry-After"]))
        self._check(response)
        return response

    async def orderers(self) -> list[dict]:
        """The orderer registry as issuance keeps it: [{code, name, e_surety_from, ...}]."""
        try:
            response = await self._client.get("/internal/orderers")
        except httpx.HTTPError as exc:
            raise IssuanceUnavailable(repr(exc)) from exc
        self._check(response)
        try:
            body = response.json()
        except ValueError as exc:
            raise IssuanceUnavailable(f"unexpected orderers answer: {response.text[:200]!r}") from exc
        if not isinstance(body, list):
            raise IssuanceUnavailable(f"unexpected orderers answer: {response.text[:200]!r}")
        return body

    @staticmethod
    def _check(response: httpx.Response) -> None:
        if response.status_code == 404:
            raise IssuanceNotFound(str(response.url))
        if response.status_code != 200:
            raise IssuanceUnavailable(f"issuance answered {response.status_code} for {response.url}")


def _seconds(retry_after: str) -> int:
    try:
        return max(1, min(int(retry_after), 3600))
    except ValueError:
        return 30
