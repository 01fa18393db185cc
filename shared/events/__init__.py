"""The public contract: versioned event models. Add fields only as optional; a breaking change is a new `.vN` type."""

from shared.events.application import (
    ApplicationRejected,
    ApplicationRejectedV1,
    ApplicationSubmitted,
    ApplicationSubmittedV1,
    CertificateFormat,
    ConstructionContract,
    Contractor,
    Notification,
    Product,
    ProductRequest,
    RejectionReason,
)
from shared.events.certificate import (
    CertificateContent,
    CertificateIssued,
    CertificateIssuedV1,
    CertificatePublished,
    CertificatePublishedV1,
    Issuer,
    IssuerBranch,
    Party,
)
from shared.events.digest import content_digest
from shared.events.envelope import CloudEvent, EventData

# Every event type on the exchange, by routing key.
CATALOG: dict[str, type[CloudEvent]] = {
    ApplicationSubmittedV1.event_type: ApplicationSubmitted,
    ApplicationRejectedV1.event_type: ApplicationRejected,
    CertificateIssuedV1.event_type: CertificateIssued,
    CertificatePublishedV1.event_type: CertificatePublished,
}

PRODUCT_LABELS = {Product.ADVANCE_PAYMENT: "前払金保証", Product.CONTRACT_GUARANTEE: "契約保証"}

__all__ = [
    "CATALOG",
    "PRODUCT_LABELS",
    "ApplicationRejected",
    "ApplicationRejectedV1",
    "ApplicationSubmitted",
    "ApplicationSubmittedV1",
    "CertificateContent",
    "CertificateFormat",
    "CertificateIssued",
    "CertificateIssuedV1",
    "CertificatePublished",
    "CertificatePublishedV1",
    "CloudEvent",
    "ConstructionContract",
    "Contractor",
    "EventData",
    "Issuer",
    "IssuerBranch",
    "Notification",
    "Party",
    "Product",
    "ProductRequest",
    "RejectionReason",
    "content_digest",
]
