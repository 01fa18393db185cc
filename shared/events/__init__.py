"""The public contract: versioned event models. Add fields only as optional; a breaking change is a new `.vN` type."""

from shared.events.application import (
    Addressee,
    ApplicationRejected,
    ApplicationRejectedV1,
    ApplicationSubmitted,
    ApplicationSubmittedV1,
    BidBondLapsed,
    BidBondLapsedV1,
    CertificateFormat,
    ConstructionContract,
    Contact,
    Contractor,
    Notification,
    OrderType,
    PaperDelivery,
    Product,
    ProductRequest,
    ReceiptMethod,
    RejectionReason,
    TenderStatus,
)
from shared.events.certificate import (
    CertificateContent,
    CertificateIssued,
    CertificateIssuedV1,
    CertificatePublished,
    CertificatePublishedV1,
    Issuer,
    IssuerBranch,
    PaperCertificateIssued,
    PaperCertificateIssuedV1,
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
    PaperCertificateIssuedV1.event_type: PaperCertificateIssued,
    BidBondLapsedV1.event_type: BidBondLapsed,
}

PRODUCT_LABELS = {
    Product.ADVANCE_PAYMENT: "前払金保証",
    Product.INTERMEDIATE_ADVANCE_PAYMENT: "中間前払金保証",
    Product.CONTRACT_GUARANTEE: "契約保証",
    Product.BID_BOND: "契約保証予約（入札ボンド）",
}

__all__ = [
    "CATALOG",
    "Addressee",
    "BidBondLapsed",
    "BidBondLapsedV1",
    "Contact",
    "OrderType",
    "PaperCertificateIssued",
    "PaperCertificateIssuedV1",
    "PaperDelivery",
    "ReceiptMethod",
    "TenderStatus",
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
