"""The only way WeasyPrint may load a resource: a file inside the templates folder.

Anything else (another file, http:, data:, a path escaping the folder with ..) raises, so a URL
that ends up in the HTML can never make the renderer read a file or call out.
"""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

TEMPLATES_DIR = (Path(__file__).parent / "templates").resolve()

_CONTENT_TYPES = {".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml"}


class ResourceRefused(ValueError):
    pass


def allowed_path(url: str) -> Path:
    """The file a file: URL names, if it lies inside the templates folder; else ResourceRefused."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise ResourceRefused(f"resource refused (not a template file): {url[:200]}")
    path = Path(unquote(parts.path)).resolve()
    if not path.is_relative_to(TEMPLATES_DIR) or not path.is_file():
        raise ResourceRefused(f"resource refused (outside the templates folder): {url[:200]}")
    return path


class TemplateOnlyFetcher(URLFetcher):
    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        path = allowed_path(url)
        content_type = _CONTENT_TYPES.get(path.suffix, "application/octet-stream")
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})
