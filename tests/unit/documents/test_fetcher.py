"""The url_fetcher WeasyPrint gets reads files inside the templates folder and nothing else."""

import pytest

from shared.documents.fetcher import TEMPLATES_DIR, ResourceRefused, TemplateOnlyFetcher
from shared.documents.pdf import html_to_pdf


def test_serves_the_stylesheet():
    response = TemplateOnlyFetcher().fetch((TEMPLATES_DIR / "documents.css").as_uri())
    assert b"IPAexMincho" in response.read()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        (TEMPLATES_DIR / ".." / ".." / "events" / "__init__.py").as_uri(),
        TEMPLATES_DIR.as_uri() + "/../fetcher.py",
        TEMPLATES_DIR.as_uri() + "/%2e%2e/fetcher.py",
        TEMPLATES_DIR.as_uri() + "/missing.css",
        "http://127.0.0.1:1/x.png",
        "https://example.com/x.css",
        "data:text/plain,hello",
        "file://evil.example/etc/passwd",
    ],
)
def test_refuses_everything_else(url):
    with pytest.raises(ResourceRefused):
        TemplateOnlyFetcher().fetch(url)


def test_raw_markup_cannot_read_a_file():
    """Even unescaped markup (never produced by our templates) cannot pull in a file."""
    asked: list[str] = []

    class Spy(TemplateOnlyFetcher):
        def fetch(self, url, headers=None):
            asked.append(url)
            return super().fetch(url, headers)

    pdf = html_to_pdf('<html lang="ja"><body><img src="file:///etc/passwd"><p>本文</p></body></html>', Spy())
    assert pdf.startswith(b"%PDF-")
    assert asked == ["file:///etc/passwd"]  # asked for, refused (the image is simply left out)


def test_the_parsed_stylesheet_was_read_through_the_fetcher(monkeypatch):
    """documents.css is parsed once per worker (shared.documents.pdf.stylesheet), still only through the fetcher."""
    from shared.documents import pdf

    asked: list[str] = []
    original = TemplateOnlyFetcher.fetch
    monkeypatch.setattr(TemplateOnlyFetcher, "fetch", lambda self, url, headers=None: asked.append(url) or original(self, url, headers))
    pdf.stylesheet.cache_clear()
    pdf.stylesheet()
    assert asked == [(TEMPLATES_DIR / "documents.css").as_uri()]
