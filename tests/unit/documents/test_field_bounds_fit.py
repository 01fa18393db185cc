"""Every text field at its maximum length still prints on one A4 page (the bounds of domain/limits were
chosen so: 工事名 100, 工事場所 100, 発注者名 60, 預託金融機関 40, JV名 60 characters)."""

import subprocess

from services.application.domain.limits import max_length
from shared.events import Party
from tests.unit.documents.conftest import sample_content


def _pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


async def test_a_certificate_with_every_field_at_its_maximum_is_one_page(renderer):
    content = sample_content(
        construction_name="工" * max_length("contract.construction_name"),
        obligee=Party(name="発" * max_length("contract.orderer_name"), address=""),
        depository="預" * max_length("advance_payment.depository"),
        jv_name="Ｊ" * max_length("contract.jv_name"),
    )
    pdf = await renderer.certificate_pdf(content)
    assert _pages(pdf) == 1
