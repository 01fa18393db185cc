"""An orderer's PDF whose render runs over its time limit: a 503 with Retry-After and the Japanese message
on the JSON API and on the viewer, and the log line naming the renderer — not a bare 500."""

import pytest

from services.platform.adapters.pdf import CertificatePdf
from shared.documents import RenderTimeout
from shared.unavailable import MESSAGE
from tests.integration.platform.conftest import new_contract_number
from tests.integration.platform.test_http import KEY, issue
from tests.integration.platform.test_viewer_pages import staff  # noqa: F401 (the fixture)
from tests.samples import sample_certificate_content

pytestmark = pytest.mark.integration


async def test_a_render_over_its_limit_is_a_503(platform, http, login_as, staff, monkeypatch):  # noqa: F811
    content = sample_certificate_content(contract_number=new_contract_number())
    await issue(platform, content)
    headers = await login_as()
    kawasaki = await staff(display="契約課 佐藤")
    assert (await kawasaki.lookup(content.contract_number, KEY)).status_code == 303

    async def too_slow(self, _content):
        raise RenderTimeout("certificate", 20)

    monkeypatch.setattr(CertificatePdf, "render", too_slow)
    api = await http.post("/certificates/pdf", json={"contract_number": content.contract_number, "auth_key": KEY},
                          headers=headers)
    assert api.status_code == 503 and api.headers["Retry-After"] == "30"
    assert api.json()["detail"] == MESSAGE
    page = await kawasaki.get(f"/viewer/certificates/{content.contract_number}/pdf", params={"version": 0})
    assert page.status_code == 503 and page.headers["Retry-After"] == "30" and MESSAGE in page.text
