"""送信完了: the ApplicationSubmitted event, built from a valid form and the contractor company on record."""

from datetime import datetime
from uuid import UUID

from shared.events import ApplicationSubmitted, ApplicationSubmittedV1, Contractor
from services.application.domain.validation import ValidForm

SOURCE = "/esurety/application"


def application_submitted(
    *,
    application_id: UUID,
    form: ValidForm,
    contractor: Contractor,
    submitted_at: datetime,
    correlation_id: str,
) -> ApplicationSubmitted:
    data = ApplicationSubmittedV1(
        application_id=application_id,
        submitted_at=submitted_at,
        branch=form.branch,
        contractor=contractor,
        contract=form.contract,
        products=form.products,
        notification=form.notification,
        tender=form.tender,
        paper_delivery=form.paper_delivery,
        contact=form.contact,
        message_to_company=form.message_to_company,
        amendment=form.amendment,
    )
    return ApplicationSubmitted.wrap(data, source=SOURCE, subject=str(application_id), correlation_id=correlation_id)
