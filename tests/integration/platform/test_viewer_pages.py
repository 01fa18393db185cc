"""The orderer's web pages (/viewer) at the HTTP level on the real database: forgiving input, one answer
for every failure, throttling across accounts, the 保証確認台帳 and its CSV, the printed viewing record."""

import csv
import io
import re
import uuid

import httpx
import pytest

from services.platform.entrypoints.web.lookup_pages import normalised_key, normalised_number
from services.platform.handlers.accounts import create_organisation, create_user
from tests.integration.platform.conftest import PASSWORD, new_contract_number
from tests.integration.platform.test_http import KEY, issue
from tests.unit.platform.samples import certificate

pytestmark = pytest.mark.integration

TOKEN = re.compile(r'name="csrftoken" value="([^"]+)"')
FAILED = "保証契約番号または認証キーが正しくありません。"


def wide(number: str) -> str:
    """37071-00000M as a clerk may paste it: full-width, a katakana ー for the hyphen, spaces around."""
    return "　" + number.translate(str.maketrans("0123456789-MK", "０１２３４５６７８９ーＭＫ")) + " "


class Staff:
    """One orderer staff member in a browser-like client (cookies kept, CSRF token read from pages)."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.token = ""

    async def get(self, path: str, **kwargs) -> httpx.Response:
        response = await self.client.get(path, **kwargs)
        if found := TOKEN.search(response.text):
            self.token = found.group(1)
        return response

    async def lookup(self, number: str, key: str) -> httpx.Response:
        if not self.token:
            await self.get("/viewer/")
        return await self.client.post(
            "/viewer/lookup", data={"csrftoken": self.token, "contract_number": number, "auth_key": key}
        )


@pytest.fixture
def staff(platform):
    """staff(organisation_code, name) -> a logged-in Staff of a new user of that organisation."""

    async def make(code: str = "kawasaki-city", name: str = "川崎市", display: str = "契約課 山田") -> Staff:
        await create_organisation(platform.pool, code, name)
        login_id = f"web-{uuid.uuid4().hex[:8]}"
        await create_user(platform.pool, code, login_id, PASSWORD, display_name=display)
        person = Staff(httpx.AsyncClient(transport=httpx.ASGITransport(app=platform.http_app), base_url="http://viewer"))
        await person.get("/viewer/login")
        response = await person.client.post(
            "/viewer/login", data={"csrftoken": person.token, "login_id": login_id, "password": PASSWORD}
        )
        assert response.status_code == 303, response.text
        return person

    return make


def test_number_and_key_are_normalised_only_where_nothing_is_ambiguous():
    assert normalised_number("　３５０２６－０００１２Ｍ ") == "35026-00012M"
    for hyphen in "‐−ー－":
        assert normalised_number(f"35026{hyphen}00012m") == "35026-00012M"
    assert normalised_number("35026 - 00012 M") == "35026-00012M"
    assert normalised_key(" Z28YUE4J3Bux ") == "Z28YUE4J3Bux"  # case is kept: it matters
    assert normalised_key("Ｚ２８ＹＵＥ４Ｊ３Ｂｕｘ") == "Z28YUE4J3Bux"


async def test_open_print_and_register(platform, staff):
    kawasaki = await staff(display="契約課 山田")
    content = certificate(new_contract_number())
    await issue(platform, content)
    failed = await kawasaki.lookup(content.contract_number, "WRONGKEY2345")
    assert failed.status_code == 422 and FAILED in failed.text and 'id="auth_key-error"' in failed.text
    opened = await kawasaki.lookup(wide(content.contract_number), KEY + " ")
    assert opened.status_code == 303
    assert opened.headers["location"] == f"/viewer/certificates/{content.contract_number}?version=0"
    view = await kawasaki.get(opened.headers["location"])
    assert view.status_code == 200 and content.construction_name in view.text
    assert "閲覧者：川崎市　契約課 山田" in view.text and "本紙は電子証書の閲覧記録です（原本ではありません）" in view.text
    assert re.search(r"閲覧記録：令和\d+年\d+月\d+日 \d{2}:\d{2}", view.text)
    assert KEY not in view.text and KEY not in opened.headers["location"]
    pdf = await kawasaki.get(f"/viewer/certificates/{content.contract_number}/pdf?version=0")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    register = await kawasaki.get("/viewer/register")
    assert f'<a href="/viewer/certificates/{content.contract_number}">' in register.text
    download = await kawasaki.get("/viewer/register.csv")
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert download.content.startswith(b"\xef\xbb\xbf") and rows[0][:2] == ["保証契約番号", "工事名"]
    mine = [r for r in rows[1:] if r[0] == content.contract_number]
    assert len(mine) == 1 and mine[0][1] == content.construction_name and mine[0][11] == "契約課 山田"

    # A colleague re-opens it from the register without the key; another organisation cannot.
    colleague = await staff(display="工事課 佐藤")
    assert (await colleague.get(f"/viewer/certificates/{content.contract_number}")).status_code == 200
    other = await staff("mishima-city", "三島市")
    answers = [
        await other.get(path)
        for path in (f"/viewer/certificates/{content.contract_number}", "/viewer/certificates/99999-99999M",
                     "/viewer/certificates/garbage", f"/viewer/certificates/{content.contract_number}/pdf")
    ]
    assert {a.status_code for a in answers} == {404}
    assert len({re.search(r"<main.*</main>", a.text, re.S).group(0) for a in answers}) == 1


async def test_a_newer_version_marks_the_register_changed(platform, staff):
    kawasaki = await staff()
    content = certificate(new_contract_number())
    await issue(platform, content)
    assert (await kawasaki.lookup(content.contract_number, KEY)).status_code == 303
    before = await kawasaki.get("/viewer/register", params={"status": "changed"})
    assert content.contract_number not in before.text
    await issue(platform, certificate(content.contract_number, version=1).model_copy(update={"guaranteed_amount": 25_000_000}))
    after = await kawasaki.get("/viewer/register", params={"status": "changed"})
    assert content.contract_number in after.text and "変更あり" in after.text
    view = await kawasaki.get(f"/viewer/certificates/{content.contract_number}")
    assert view.text.index("変更-1") < view.text.index("新規")  # newest first
    assert "25,000,000" in view.text
    seen = await kawasaki.get("/viewer/register", params={"status": "changed"})
    assert content.contract_number not in seen.text  # viewed now: no longer 変更あり


async def test_many_accounts_cannot_together_guess_one_key(platform, staff, platform_settings):
    content = certificate(new_contract_number())
    await issue(platform, content)
    guessers = [await staff(code, name) for code, name in (("mishima-city", "三島市"), ("yokohama-city", "横浜市"),
                                                               ("kawasaki-city", "川崎市")) for _ in range(2)]
    answers = []
    for i in range(30):
        answers.append(await guessers[i % 6].lookup(content.contract_number, f"WRONGKEY{i:04d}"))
    assert [a.status_code for a in answers[:10]] == [422] * 10
    assert {a.status_code for a in answers[10:]} == {429}  # per number: 10 failures in the window
    assert "認証に続けて失敗したため、この操作はしばらくできません。" in answers[-1].text
    assert int(answers[-1].headers["retry-after"]) > 0
    rightful = await staff()
    blocked = await rightful.lookup(content.contract_number, KEY)
    assert blocked.status_code == 429
    await platform.pool.execute(
        "UPDATE lookup_failures SET failed_at = failed_at - interval '16 minutes' WHERE contract_number = $1",
        content.contract_number,
    )
    assert (await rightful.lookup(content.contract_number, KEY)).status_code == 303


async def test_an_organisation_is_throttled_as_a_whole(platform, staff):
    code = f"org-{uuid.uuid4().hex[:6]}"
    members = [await staff(code, "試験市") for _ in range(5)]
    for i in range(20):  # 4 each: no single user reaches 5, no number is tried twice
        answer = await members[i % 5].lookup(new_contract_number(), "WRONGKEY2345")
        assert answer.status_code == 422
    refused = await members[0].lookup(new_contract_number(), "WRONGKEY2345")
    assert refused.status_code == 429
    elsewhere = await staff()
    content = certificate(new_contract_number())
    await issue(platform, content)
    assert (await elsewhere.lookup(content.contract_number, KEY)).status_code == 303


async def test_blank_and_malformed_input_name_the_field(staff):
    kawasaki = await staff()
    blank = await kawasaki.lookup("", "")
    assert blank.status_code == 422
    assert "保証契約番号を入力してください。" in blank.text and "認証キーを入力してください。" in blank.text
    bad = await kawasaki.lookup("37071-0000M", KEY)
    assert "保証契約番号は「37071-00000M」の形式" in bad.text
    too_long = await kawasaki.lookup("3" * 65, KEY)
    assert too_long.status_code == 400
    no_token = await kawasaki.client.post("/viewer/lookup", data={"contract_number": "x", "auth_key": "y"})
    assert no_token.status_code == 403
    date = await kawasaki.get("/viewer/register", params={"expiry_until": "2027/13/45"})
    assert date.status_code == 422 and "保証期限（まで）は日付" in date.text
