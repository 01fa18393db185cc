"""Synchronous HTML → PDF rendering (runs inside the renderer's worker processes).

Jinja2 with autoescape: whatever a user typed ends up as text, never as markup.
"""

from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from shared.documents import font_arrays
from shared.documents.fetcher import TEMPLATES_DIR, TemplateOnlyFetcher
from shared.documents.models import PLATFORM_NAME, KeyNotice
from shared.events import PRODUCT_LABELS, CertificateContent
from shared.japanese import wareki, yen


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["wareki"] = lambda d: wareki(d, zero_pad=True)
    env.filters["certificate_wareki"] = env.filters["wareki"]  # certificate_body.html: the same on screen
    env.filters["yen"] = yen
    env.filters["product_label"] = lambda p: PRODUCT_LABELS[p]
    env.globals["platform_name"] = PLATFORM_NAME
    return env


def certificate_html(content: CertificateContent) -> str:
    return environment().get_template("certificate.html").render(c=content)


def key_notice_html(notice: KeyNotice) -> str:
    return environment().get_template("key_notice.html").render(n=notice)


@lru_cache(maxsize=1)
def font_configuration():
    """One FontConfiguration per worker process. WeasyPrint makes a new one for every document when none is
    given, and each stays in memory (about 0.2 MiB per PDF, issue 12); a shared one stays flat and saves
    the font set-up of every render."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@lru_cache(maxsize=1)
def stylesheet():
    """documents.css, parsed once per worker (issue 12): read through a <link> it was fetched, tokenized and
    validated again for every document. The templates therefore link no stylesheet; html_to_pdf adds it."""
    from weasyprint import CSS

    return CSS(
        url=(TEMPLATES_DIR / "documents.css").as_uri(), url_fetcher=TemplateOnlyFetcher(),
        font_config=font_configuration(),
    )


def html_to_pdf(html: str, fetcher: Any = None, *, styled: bool = True) -> bytes:
    """`styled`: with documents.css (both documents); False for a page without it (the benchmark's bare page)."""
    from weasyprint import HTML  # imported here: the parent process never needs it

    document = HTML(string=html, base_url=TEMPLATES_DIR.as_uri() + "/", url_fetcher=fetcher or TemplateOnlyFetcher())
    return document.write_pdf(stylesheets=[stylesheet()] if styled else None, font_config=font_configuration())


def render_certificate(content: CertificateContent) -> bytes:
    return html_to_pdf(certificate_html(content))


def render_key_notice(notice: KeyNotice) -> bytes:
    return html_to_pdf(key_notice_html(notice))


def warm_up() -> None:
    """Process-pool initializer: import WeasyPrint and load the templates once per worker."""
    import weasyprint  # noqa: F401

    font_arrays.install()
    font_configuration()
    stylesheet()
    environment().get_template("certificate.html")
    environment().get_template("key_notice.html")
