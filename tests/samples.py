"""Sample events and certificates shared by the test rings (the seeds' 川崎市長 / 河川維持（○○）工事 /
50,000,000 円 example). Every builder takes keyword overrides; a test that depends on a value passes it."""

import uuid
from datetime import date, datetime, timezone

import aio_pika

from shared.bus.broker import CLOUDEVENTS_JSON
from shared.events import (
    ApplicationSubmitted,
    ApplicationSubmittedV1,
    CertificateContent,
    CertificateFormat,
    CertificateIssued,
    CertificateIssuedV1,
    CertificatePublished,
    CertificatePublishedV1,
    CloudEvent,
    ConstructionContract,
    Contractor,
    Issuer,
    IssuerBranch,
    Notification,
    PaperCertificateIssued,
    PaperCertificateIssuedV1,
    Party,
    Product,
    ProductRequest,
    content_digest,
)

CONTRACTOR = "○○建設 株式会社"
CONSTRUCTION = "河川維持（○○）工事"
ORDERER = "川崎市長"
FAKE_KEY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$fake$fake"


def _build(model, defaults: dict, changes: dict):
    defaults.update(changes)
    return model(**defaults)


def version_label(version: int) -> str:
    return "新規" if version == 0 else f"変更-{version}"


# --- ApplicationSubmitted ---------------------------------------------------------------------------


def sample_contract(**changes) -> ConstructionContract:
    return _build(ConstructionContract, dict(
        construction_name=CONSTRUCTION,
        orderer_code="kawasaki-city",
        orderer_name=ORDERER,
        contract_amount=50_000_000,
        period_start=date(2023, 4, 15),
        period_end=date(2024, 3, 15),
        contract_date=date(2023, 4, 10),
    ), changes)


def sample_advance_request(**changes) -> ProductRequest:
    """前払金保証, electronic."""
    return _build(ProductRequest, dict(
        product=Product.ADVANCE_PAYMENT,
        certificate_format=CertificateFormat.ELECTRONIC,
        guaranteed_amount=20_000_000,
        depository="○○銀行　××支店",
        fee_payment_method="一括納付",
        fee_billing_to=CONTRACTOR,
        fee_statement_paper=False,
    ), changes)


def sample_contract_guarantee_request(**changes) -> ProductRequest:
    """契約保証, electronic (no depository)."""
    return sample_advance_request(**{
        "product": Product.CONTRACT_GUARANTEE, "guaranteed_amount": 5_000_000, "depository": None, **changes,
    })


def sample_submitted_data(**changes) -> ApplicationSubmittedV1:
    return _build(ApplicationSubmittedV1, dict(
        application_id=uuid.uuid4(),
        submitted_at=datetime.now(timezone.utc),
        branch="神奈川支店",
        contractor=Contractor(company_id=uuid.uuid4(), name=CONTRACTOR, address="神奈川県横浜市中区尾上町1-6"),
        contract=sample_contract(),
        products=[sample_advance_request()],
        notification=Notification(wanted=True, email="soumu@example.jp"),
    ), changes)


def sample_submitted(data: ApplicationSubmittedV1 | None = None, *, correlation_id: str | None = None) -> ApplicationSubmitted:
    """The data wrapped as the application service publishes it."""
    data = data or sample_submitted_data()
    return ApplicationSubmitted.wrap(
        data,
        source="/esurety/application",
        subject=str(data.application_id),
        correlation_id=correlation_id or str(uuid.uuid4()),
    )


# --- Certificates -----------------------------------------------------------------------------------


def sample_issuer(**changes) -> Issuer:
    return _build(Issuer, dict(
        name="東日本建設業保証株式会社",
        address="東京都中央区八丁堀二丁目",
        president="取締役社長 保証 太郎",
        branch=IssuerBranch(name="神奈川支店", tel="045-000-0000", fax="045-000-0001"),
    ), changes)


def sample_certificate_content(**changes) -> CertificateContent:
    return _build(CertificateContent, dict(
        title="保証証書（前払金保証）",
        product=Product.ADVANCE_PAYMENT,
        contract_number="35072-00001M",
        version=0,
        certificate_date=date(2023, 4, 27),
        contractor=Party(name=CONTRACTOR, address="神奈川県川崎市川崎区宮本町1番地"),
        obligee=Party(name=ORDERER),
        obligee_code="kawasaki-city",
        guaranteed_amount=20_000_000,
        guarantee_expiry=date(2024, 3, 29),
        construction_name=CONSTRUCTION,
        contract_amount=50_000_000,
        period_start=date(2023, 4, 28),
        period_end=date(2024, 3, 29),
        contract_date=date(2023, 4, 27),
        depository="○○銀行 ××支店",
        clause="前払金保証約款",
        issuer=sample_issuer(),
    ), changes)


def _issued_fields(content: CertificateContent) -> dict:
    """What CertificateIssued and PaperCertificateIssued share for one certificate content."""
    return dict(
        application_id=uuid.uuid4(),
        contractor_company_id=uuid.uuid4(),
        contract_number=content.contract_number,
        product=content.product,
        version=content.version,
        version_label=version_label(content.version),
        issued_at=datetime.now(timezone.utc),
        certificate=content,
        content_digest=content_digest(content),
    )


def sample_certificate_issued(
    content: CertificateContent | None = None, *, correlation_id: str | None = None, **changes
) -> CertificateIssued:
    """CertificateIssued for the content as issuance publishes it; `changes` override the data's fields."""
    content = content or sample_certificate_content()
    data = _build(CertificateIssuedV1, _issued_fields(content) | {"auth_key_hash": FAKE_KEY_HASH}, changes)
    return CertificateIssued.wrap(
        data, source="/esurety/issuance", subject=data.contract_number, correlation_id=correlation_id or str(uuid.uuid4())
    )


def sample_certificate_published(*, correlation_id: str | None = None, **changes) -> CertificatePublished:
    """CertificatePublished as the platform publishes it; `changes` override the data's fields."""
    data = _build(CertificatePublishedV1, dict(
        application_id=uuid.uuid4(),
        contract_number="35072-00001M",
        product=Product.ADVANCE_PAYMENT,
        version=0,
        version_label="新規",
        published_at=datetime(2022, 11, 1, 6, 0, tzinfo=timezone.utc),
        content_digest="sha256:" + "0" * 64,
        construction_name=CONSTRUCTION,
        orderer_name=ORDERER,
        contractor_name=CONTRACTOR,
    ), changes)
    return CertificatePublished.wrap(
        data, source="/esurety/platform", subject=data.contract_number, correlation_id=correlation_id or str(uuid.uuid4())
    )


def bus_message(event: CloudEvent) -> aio_pika.Message:
    """The event as an upstream outbox relay puts it on the bus: persistent CloudEvents JSON, ids in the properties."""
    return aio_pika.Message(
        event.model_dump_json().encode(),
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        message_id=event.id,
        correlation_id=event.correlationid,
        content_type=CLOUDEVENTS_JSON,
    )


def sample_paper_certificate_issued(
    content: CertificateContent | None = None, *, correlation_id: str | None = None, **changes
) -> PaperCertificateIssued:
    """PaperCertificateIssued (証書(紙)) as issuance publishes it: the content marked as the paper original,
    no 認証キー; `changes` override the data's fields."""
    content = (content or sample_certificate_content()).model_copy(update={"electronic": False})
    data = _build(PaperCertificateIssuedV1, _issued_fields(content) | {"delivery": None}, changes)
    return PaperCertificateIssued.wrap(
        data, source="/esurety/issuance", subject=data.contract_number, correlation_id=correlation_id or str(uuid.uuid4())
    )


# --- 訂正 / 変更取消 ------------------------------------------------------------------------------------


def sample_certificate_corrected(
    issued: CertificateIssued, *, revision: int = 1, construction_name: str | None = None, **changes
) -> "CertificateCorrected":
    """The 訂正 of an issued version (revision 1 by default): its content with another 工事名."""
    from shared.events import CertificateCorrected, CertificateCorrectedV1

    d = issued.data
    content = d.certificate.model_copy(
        update={"construction_name": construction_name or f"{d.certificate.construction_name}（訂正{revision}）"}
    )
    data = _build(CertificateCorrectedV1, dict(
        application_id=d.application_id,
        contractor_company_id=d.contractor_company_id,
        contract_number=d.contract_number,
        product=d.product,
        version=d.version,
        version_label=d.version_label,
        revision=revision,
        replaces_revision=revision - 1,
        replaces_digest=d.content_digest,
        corrected_at=datetime.now(timezone.utc),
        reason="工事名の誤記",
        certificate=content,
        content_digest=content_digest(content),
        auth_key_hash=d.auth_key_hash,
    ), changes)
    return CertificateCorrected.wrap(
        data, source="/esurety/issuance", subject=data.contract_number, correlation_id=str(uuid.uuid4())
    )


def sample_amendment_withdrawn(issued: CertificateIssued, **changes) -> "AmendmentWithdrawn":
    """変更取消 of the issued 変更-N (the version before it in force again)."""
    from shared.events import AmendmentWithdrawn, AmendmentWithdrawnV1

    d = issued.data
    data = _build(AmendmentWithdrawnV1, dict(
        contract_number=d.contract_number,
        contractor_company_id=d.contractor_company_id,
        product=d.product,
        version=d.version,
        version_label=d.version_label,
        revision=0,
        current_version=d.version - 1,
        withdrawn_at=datetime.now(timezone.utc),
        reason="変更契約が締結されなかったため",
    ), changes)
    return AmendmentWithdrawn.wrap(data, source="/esurety/issuance", subject=data.contract_number, correlation_id=str(uuid.uuid4()))
