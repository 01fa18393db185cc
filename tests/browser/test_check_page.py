"""check_page itself: a checker that passes everything would make every page test worthless. Pages
served by the browser's router (no system needed), each with one fault, with and without JavaScript."""

import re

import pytest

from tests.browser import pages
from tests.browser.pages import check_page

pytestmark = pytest.mark.integration

CSP = "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'"
URL = "http://portal.test/page"


def document(body: str, *, head: str = "<title>テスト｜Net Desk</title>", lang: str = ' lang="ja"') -> str:
    return f'<!DOCTYPE html>\n<html{lang}>\n<head>\n<meta charset="utf-8">\n{head}\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n'


GOOD = document('<h1>見出し</h1>\n<form action="/x" method="post"><label for="a">名前</label><input id="a" name="a"><button>送信</button></form>')

# fault -> (page, what check_page's message says)
FAULTS = {
    "duplicate id": (document('<h1 id="x">見出し</h1><p id="x">本文</p>'), "duplicate id 'x'"),
    "form without action": (
        document('<h1>見出し</h1><form method="post"><label for="a">名前</label><input id="a" name="a"></form>'),
        "<form> without action",
    ),
    "not well-formed": (document("<h1>見出し</h1><p>本文</div>"), "not well-formed HTML"),
    "no lang": (document("<h1>見出し</h1>", lang=""), '<html lang="ja"> missing'),
    "empty title": (document("<h1>見出し</h1>", head="<title></title>"), "empty or missing <title>"),
    "axe: image without alt": (document('<h1>見出し</h1><img src="/logo.png">'), "image-alt"),
    "CSP: inline style": (document('<h1 style="color: red">見出し</h1>'), "Content Security Policy"),
    "key in title": (document("<h1>見出し</h1>", head="<title>認証キー q4mSZFhRYzBd</title>"), "<title> shows a 認証キー"),
}


async def serve(page, html: str) -> None:
    async def fulfil(route):
        await route.fulfill(status=200, headers={"content-type": "text/html; charset=utf-8", "content-security-policy": CSP},
                            body=html.encode("utf-8"))

    async def image(route):
        await route.fulfill(status=200, headers={"content-type": "image/svg+xml"},
                            body=b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')

    await page.route(URL, fulfil)
    await page.route("http://portal.test/logo.png", image)
    await page.goto(URL)


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
async def test_a_good_page_passes(open_page, js):
    page = await open_page(js=js)
    await serve(page, GOOD)
    await check_page(page, "selftest-good")


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("fault", list(FAULTS))
async def test_each_fault_fails(open_page, fault, js, monkeypatch):
    monkeypatch.delenv("SCREENSHOTS_DIR", raising=False)
    monkeypatch.setattr(pages, "KNOWN_KEYS", {"q4mSZFhRYzBd"})
    page = await open_page(js=js)
    html, message = FAULTS[fault]
    await serve(page, html)
    with pytest.raises(AssertionError, match=re.escape(message)):
        await check_page(page, "selftest-fault")
    pages.watch_of(page).take()  # what the fault left on the console is expected here
