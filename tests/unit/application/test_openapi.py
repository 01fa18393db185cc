"""The contractor API's OpenAPI page (what a portal developer reads) shows every section of the form."""

from services.application.adapters.issuance_client import IssuanceClient
from services.application.entrypoints.http import create_app
from services.application.settings import Settings


def test_openapi_lists_every_form_section_and_route():
    spec = create_app(None, IssuanceClient("http://issuance.invalid", "token"), Settings()).openapi()
    form = spec["components"]["schemas"]["ApplicationForm"]["properties"]
    assert list(form) == [
        "contract",
        "advance_payment",
        "intermediate_advance_payment",
        "contract_guarantee",
        "bid_bond",
        "tender",
        "information",
        "amendment",
    ]
    assert {
        "/applications/{application_id}/sections/{section}",
        "/contracts/{contract_number}/bid-result",
        "/contracts/{contract_number}/intermediate-application",
        "/contracts/{contract_number}/amendment-application",
    } <= set(spec["paths"])
