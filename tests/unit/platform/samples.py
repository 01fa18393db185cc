"""Sample certificates for the platform's tests (the seeds' 川崎市 example)."""

from shared.auth import hash_auth_key
from shared.events import CertificateContent, CertificateIssued, content_digest
from tests.samples import sample_certificate_content, sample_certificate_issued


def certificate(
    contract_number: str = "35072-00001M", *, version: int = 0, obligee_code: str = "kawasaki-city"
) -> CertificateContent:
    return sample_certificate_content(contract_number=contract_number, version=version, obligee_code=obligee_code)


def issued_event(
    content: CertificateContent,
    auth_key: str,
    *,
    digest: str | None = None,
    correlation_id: str | None = None,
    key_hash: str | None = None,
) -> CertificateIssued:
    return sample_certificate_issued(
        content,
        correlation_id=correlation_id,
        content_digest=digest or content_digest(content),
        auth_key_hash=key_hash or hash_auth_key(auth_key),
    )
