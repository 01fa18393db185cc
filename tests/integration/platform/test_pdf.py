"""POST /certificates/pdf: the certificate rendered by shared.documents, checked with pdftotext."""

import subprocess

import pytest

from services.platform.handlers.certificates import record_arrival
from tests.integration.platform.conftest import new_contract_number
from tests.unit.platform.samples import certificate, issued_event

pytestmark = pytest.mark.integration

KEY = "Z28YUE4J3Bux"


async def test_pdf_of_the_certificate(platform, http, login_as, tmp_path):
    headers = await login_as()
    content = certificate(new_contract_number())
    await record_arrival(platform.pool, issued_event(content, KEY))

    response = await http.post(
        "/certificates/pdf", json={"contract_number": content.contract_number, "auth_key": KEY}, headers=headers
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == f'inline; filename="{content.contract_number}-0.pdf"'
    assert response.content.startswith(b"%PDF")
    path = tmp_path / "certificate.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert content.contract_number in text
    assert "20,000,000" in text
    assert "河川維持（○○）工事" in text

    wrong = await http.post(
        "/certificates/pdf", json={"contract_number": content.contract_number, "auth_key": "WRONGKEY2345"}, headers=headers
    )
    assert wrong.status_code == 404
    assert wrong.json() == {"detail": "保証契約番号または認証キーが正しくありません。"}
