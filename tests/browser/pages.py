"""What every browser test uses: how Chromium is launched, the per-page watch (console errors, CSP
violations, the page's own HTML as the server sent it), `check_page` (axe-core, strict HTML, ids, forms,
lang and title, screenshots) and filling forms with the keyboard only.

Debian's chromium is driven by Playwright (never `playwright install`: no browser downloads here);
axe-core is the one file deploy/install.sh puts in var/npm.
"""

import itertools
import os
import re
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import html5lib
from html5lib.html5parser import ParseError
from playwright.async_api import Browser, BrowserContext, Locator, Page, Response

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_JS = ROOT / "var" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = "axe.run(document, {runOnly: ['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']})"
KEY_PATTERN = re.compile(r"^[A-HJ-NP-Za-km-z2-9]{12}$")
CONTEXT_OPTIONS: dict[str, Any] = {
    "locale": "ja-JP",
    "timezone_id": "Asia/Tokyo",
    "viewport": {"width": 1280, "height": 900},
    "accept_downloads": True,
}

# 認証キー seen so far: no page's title (nor URL) may carry one.
KNOWN_KEYS: set[str] = set()
_shot_numbers = itertools.count(1)

# Reports each securitypolicyviolation to the test (JS-enabled pages); the console reports it too.
_CSP_REPORTER = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolation({directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile + ':' + e.lineNumber,
                          sample: e.sample});
});
"""


@dataclass
class Watch:
    """What happened on one page since its last check."""

    page: Page
    problems: list[str] = field(default_factory=list)
    document: Response | None = None  # the main frame's last document response

    def take(self) -> list[str]:
        taken, self.problems = self.problems, []
        return taken


_WATCHES: dict[int, Watch] = {}


def watch_of(page: Page) -> Watch:
    return _WATCHES[id(page)]


def _on_console(watch: Watch, message) -> None:
    if message.type == "error":
        location = message.location or {}
        watch.problems.append(f"console error: {message.text} ({location.get('url', '')}:{location.get('lineNumber', '')})")


def _on_response(watch: Watch, response: Response) -> None:
    request = response.request
    if request.resource_type == "document" and request.frame == watch.page.main_frame:
        watch.document = response


def watch_page(page: Page) -> Watch:
    watch = Watch(page)
    _WATCHES[id(page)] = watch
    page.on("console", lambda message: _on_console(watch, message))
    page.on("pageerror", lambda error: watch.problems.append(f"page error: {error}"))
    page.on("response", lambda response: _on_response(watch, response))
    page.on("close", lambda _: _WATCHES.pop(id(page), None))
    return watch


async def prepare_context(context: BrowserContext) -> None:
    """Every page of the context is watched; CSP violations are reported with their directive."""

    def report(source, violation: dict) -> None:
        watch = _WATCHES.get(id(source["page"]))
        if watch is not None:
            watch.problems.append(f"CSP violation: {violation}")

    await context.expose_binding("__cspViolation", report)
    await context.add_init_script(_CSP_REPORTER)
    context.on("page", watch_page)


def _allowed(problem: str, status: int, url: str) -> bool:
    """An error page's own status is reported by Chromium as a failed load of the document itself."""
    return status >= 400 and f"status of {status}" in problem and url in problem


async def page_html(page: Page) -> tuple[int, str]:
    """The status and HTML of the page as the server sent it (even after a POST): the main frame's
    document response, else a GET of its URL with the page's cookies."""
    watch = watch_of(page)
    response = watch.document
    if response is not None and response.url == page.url:
        try:
            return response.status, (await response.body()).decode("utf-8")
        except Exception:  # noqa: BLE001 - the body may be gone (e.g. a download); fetch it again
            pass
    fetched = await page.request.get(page.url)
    return fetched.status, await fetched.text()


def strict_parse(html: str, where: str):
    parser = html5lib.HTMLParser(strict=True, tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
    try:
        return parser.parse(html)
    except ParseError as exc:
        details = []
        lines = html.splitlines()
        for (line, col), code, data in parser.errors:
            source = lines[line - 1] if 0 < line <= len(lines) else ""
            details.append(f"line {line} col {col}: {code} {data or ''}\n    {source.strip()[:200]}")
        raise AssertionError(f"{where}: not well-formed HTML ({exc}):\n" + "\n".join(details)) from None


def structure_problems(document) -> list[str]:
    problems = []
    ids = Counter(el.get("id") for el in document.iter() if isinstance(el.tag, str) and el.get("id") is not None)
    problems += [f"duplicate id {name!r} ({count}×)" for name, count in ids.items() if count > 1]
    problems += [f"empty id attribute ({ids['']}×)" for _ in [0] if ids.get("")]
    for form in document.iter("form"):
        action, method = form.get("action"), (form.get("method") or "").lower()
        if not action or method not in ("get", "post"):
            problems.append(f"<form> without action/method: action={action!r} method={form.get('method')!r}")
    html = document if document.tag == "html" else document.find(".//html")
    if html is None or html.get("lang") != "ja":
        problems.append(f'<html lang="ja"> missing: lang={None if html is None else html.get("lang")!r}')
    title = document.find(".//head/title")
    text = "".join(title.itertext()).strip() if title is not None else ""
    if not text:
        problems.append("empty or missing <title>")
    problems += [f"<title> shows a 認証キー: {text!r}" for key in KNOWN_KEYS if key in text]
    return problems


async def _axe_source() -> str:
    assert AXE_JS.is_file(), f"{AXE_JS} missing: run `bash deploy/install.sh`"
    return AXE_JS.read_text(encoding="utf-8")


async def _run_axe(page: Page) -> list[dict]:
    # add_script_tag would add an inline <script>, which the pages' CSP (rightly) refuses; an evaluation
    # from the test is not subject to the page's CSP.
    if not await page.evaluate("typeof window.axe === 'object'"):
        await page.evaluate("(source) => { (0, eval)(source); }", await _axe_source())
    result = await page.evaluate(AXE_RUN)
    return result["violations"]


async def _axe_on_copy(browser: Browser, page: Page, status: int, html: str, headers: dict) -> list[dict]:
    """axe-core needs scripts: for a page of a JavaScript-disabled context, the same HTML (and the same
    CSS from the server) is opened in a scripting context whose page scripts are emptied and whose
    <noscript> content is shown, so that axe sees the DOM the JavaScript-less user sees."""
    context = await browser.new_context(**{k: v for k, v in CONTEXT_OPTIONS.items() if k != "accept_downloads"})
    try:
        url = page.url
        copy = re.sub(r"</?noscript>", "", html)

        async def document(route):
            await route.fulfill(status=status, headers=headers, body=copy.encode("utf-8"))

        async def no_script(route):
            await route.fulfill(status=200, headers={"content-type": "application/javascript"}, body="")

        await context.route(url, document)
        await context.route(re.compile(r".*\.js(\?.*)?$"), no_script)
        helper = await context.new_page()
        await helper.goto(url)
        return await _run_axe(helper)
    finally:
        await context.close()


# Headers of the sent page that do not fit its copy (another body length; no cookies for the helper).
_NOT_COPIED = {"content-length", "content-encoding", "transfer-encoding", "set-cookie"}


def _describe(violations: list[dict]) -> str:
    out = []
    for v in violations:
        out.append(f"- {v['id']} ({v.get('impact')}): {v['help']} <{v.get('helpUrl', '')}>")
        for node in v["nodes"][:10]:
            out.append(f"    target {node['target']}: {node.get('failureSummary', '').splitlines()[-1:]}")
            out.append(f"      {node.get('html', '')[:200]}")
    return "\n".join(out)


async def screenshot(page: Page, name: str, *, printable: bool = False) -> None:
    directory = os.environ.get("SCREENSHOTS_DIR")
    if not directory:
        return
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    number = next(_shot_numbers)
    await page.screenshot(path=path / f"{number:02d}-{name}.png", full_page=True)
    if printable:
        await page.emulate_media(media="print")
        try:
            await page.screenshot(path=path / f"{number:02d}-{name}-print.png", full_page=True)
        finally:
            await page.emulate_media(media="null")


async def check_page(page: Page, name: str, *, status: int = 200, printable: bool = False) -> str:
    """The page as a whole: no console errors or CSP violations so far, the expected status, strictly
    well-formed HTML (as sent and as live DOM) with unique ids and complete forms, lang="ja" and a
    title without any 認証キー, 0 axe-core violations (WCAG 2.2 AA rule sets); a screenshot when
    SCREENSHOTS_DIR is set. Returns the page's HTML as sent."""
    await page.wait_for_load_state("load")
    where = f"{name} ({page.url})"
    sent_status, html = await page_html(page)
    assert sent_status == status, f"{where}: status {sent_status}, expected {status}"

    document = strict_parse(html, f"{where} as sent")
    problems = structure_problems(document)
    # The live DOM (after the page's scripts) serialized: strictly well-formed too, same rules.
    live = strict_parse(await page.content(), f"{where} as live DOM")
    problems += [f"live DOM: {p}" for p in structure_problems(live)]
    assert not any(key in page.url for key in KNOWN_KEYS), f"{where}: the URL carries a 認証キー"
    assert not problems, f"{where}:\n" + "\n".join(problems)

    js_enabled = await _scripts_run(page)
    if js_enabled:
        violations = await _run_axe(page)
    else:
        sent = watch_of(page).document
        headers = {k: v for k, v in (sent.headers if sent else {}).items() if k not in _NOT_COPIED}
        headers.setdefault("content-type", "text/html; charset=utf-8")
        violations = await _axe_on_copy(page.context.browser, page, sent_status, html, headers)
    assert not violations, f"{where}: {len(violations)} axe-core violation(s):\n{_describe(violations)}"

    await screenshot(page, name, printable=printable)
    reported = [p for p in watch_of(page).take() if not _allowed(p, status, page.url)]
    assert not reported, f"{where}: console errors / CSP violations:\n" + "\n".join(reported)
    return html


# Contexts made with java_script_enabled=False (the test can still evaluate there, but the page's timers
# never fire, so axe-core cannot run in them).
SCRIPTLESS: set[int] = set()


async def _scripts_run(page: Page) -> bool:
    return id(page.context) not in SCRIPTLESS


def assert_no_problems(page: Page) -> None:
    reported = watch_of(page).take() if id(page) in _WATCHES else []
    assert not reported, f"{page.url}: console errors / CSP violations:\n" + "\n".join(reported)


# ---------------------------------------------------------------------------------------------------
# The keyboard: Tab / Shift+Tab to a control, type, Space, arrows, Enter. No clicks, no fill().


async def _is_focused(page: Page, handle) -> bool:
    return await page.evaluate("(el) => document.activeElement === el", handle)


async def tab_to(page: Page, selector: "str | Locator", *, max_presses: int = 400) -> None:
    """Moves the focus with Tab (or Shift+Tab when the control lies before the focus) until `selector`
    (or one of its matches) has it; fails when the keyboard cannot reach it (not focusable, or hidden)."""
    locator = page.locator(selector) if isinstance(selector, str) else selector
    count = await locator.count()
    assert count >= 1, f"{selector} not on the page {page.url}"
    handles = [await locator.nth(i).element_handle() for i in range(count)]
    for _ in range(max_presses):
        for handle in handles:
            if await _is_focused(page, handle):
                return
        backwards = await page.evaluate(
            "(el) => !!document.activeElement && document.activeElement !== document.body &&"
            " !!(el.compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING)",
            handles[0],
        )
        await page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"the keyboard never reached {selector} on {page.url}")


async def key_type(page: Page, selector: str, value: str) -> None:
    await tab_to(page, selector)
    await page.keyboard.press("Control+A")
    await page.keyboard.press("Delete")
    if value:
        await page.keyboard.type(value)


async def key_check(page: Page, selector: str, checked: bool = True) -> None:
    await tab_to(page, selector)
    if await page.locator(selector).is_checked() != checked:
        await page.keyboard.press("Space")
    assert await page.locator(selector).is_checked() == checked, f"Space did not toggle {selector}"


async def key_radio(page: Page, name: str, value: str) -> None:
    """Tab into the group (it lands on the checked radio or the first one), arrows to the value, Space."""
    group = f'input[type="radio"][name="{name}"]'
    target = f'{group}[value="{value}"]'
    assert await page.locator(target).count() == 1, f"no radio {name}={value} on {page.url}"
    await tab_to(page, group)
    handle = await page.locator(target).element_handle()
    for _ in range(await page.locator(group).count()):
        if await _is_focused(page, handle):
            break
        await page.keyboard.press("ArrowDown")
    assert await _is_focused(page, handle), f"the arrows never reached {target}"
    await page.keyboard.press("Space")
    assert await page.locator(target).is_checked(), f"Space did not check {target}"


async def key_select(page: Page, selector: str, value: str) -> None:
    await tab_to(page, selector)
    locator = page.locator(selector)
    values = await locator.evaluate("(el) => Array.from(el.options).map((o) => o.value)")
    assert value in values, f"{selector} has no option {value!r}: {values}"
    for _ in range(len(values) + 1):
        current = await locator.input_value()
        if current == value:
            return
        key = "ArrowDown" if values.index(current) < values.index(value) else "ArrowUp"
        await page.keyboard.press(key)
    assert await locator.input_value() == value, f"the arrows never selected {value!r} in {selector}"


async def key_press_button(page: Page, selector: "str | Locator") -> None:
    await tab_to(page, selector)
    async with page.expect_navigation():
        await page.keyboard.press("Enter")


# ---------------------------------------------------------------------------------------------------
# The application form: the JSON API's form, field by field (name = its path, id = dots as dashes).


def field_id(name: str) -> str:
    return name.replace(".", "-")


def flatten(form: dict, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in form.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, f"{path}."))
        else:
            out[path] = value
    return out


def as_text(value: Any) -> str:
    return "" if value is None else str(value)


async def _kind(page: Page, name: str) -> str:
    locator = page.locator(f'[name="{name}"]')
    count = await locator.count()
    assert count >= 1, f"no control named {name!r} on {page.url}"
    tag = await locator.first.evaluate("(el) => el.tagName.toLowerCase()")
    if tag == "select":
        return "select"
    if tag == "textarea":
        return "text"
    kind = (await locator.first.get_attribute("type") or "text").lower()
    return kind if kind in ("radio", "checkbox", "date") else "text"


async def fill_form(page: Page, values: dict[str, Any], *, keyboard: bool = False) -> None:
    """Fills the form controls named by `values` (flattened form paths), with the keyboard only when
    `keyboard`, else with Playwright's fill/check/select (as a mouse user would)."""
    for name, value in values.items():
        kind = await _kind(page, name)
        selector = f'[name="{name}"]'
        if kind == "checkbox":
            selector = f'input[type="checkbox"][name="{name}"]'
            if keyboard:
                await key_check(page, selector, bool(value))
            else:
                await page.locator(selector).set_checked(bool(value))
        elif kind == "radio":
            if keyboard:
                await key_radio(page, name, as_text(value))
            else:
                await page.locator(f'input[type="radio"][name="{name}"][value="{as_text(value)}"]').check()
        elif kind == "select":
            if keyboard:
                await key_select(page, selector, as_text(value))
            else:
                await page.locator(selector).select_option(as_text(value))
        elif kind == "date":
            text = as_text(value)
            iso = f"{text[:4]}-{text[4:6]}-{text[6:8]}" if re.fullmatch(r"\d{8}", text) else text
            if keyboard:
                await tab_to(page, selector)
                await page.keyboard.type(iso.replace("-", ""))
            else:
                await page.locator(selector).fill(iso)
        else:
            if keyboard:
                await key_type(page, selector, as_text(value))
            else:
                await page.locator(selector).fill(as_text(value))


async def submit_with(page: Page, button: "str | Locator", *, keyboard: bool = False) -> None:
    """Presses a submit button (a selector or locator) and waits for the next page."""
    if keyboard:
        await key_press_button(page, button)
    else:
        async with page.expect_navigation():
            await (page.locator(button) if isinstance(button, str) else button).click()


def pdf_text(pdf: bytes, path: Path) -> str:
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)
