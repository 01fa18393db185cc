"""The Jinja2 environment of the pages: the service's own templates first, then the shared layout and
components (shared/web/templates), then the document templates (the certificate's body is one template
that the PDF and both portals' certificate views include). Autoescaped: typed text stays text."""

from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from shared.documents.fetcher import TEMPLATES_DIR as DOCUMENT_TEMPLATES_DIR
from shared.documents.models import PLATFORM_NAME
from shared.events import PRODUCT_LABELS, Product
from shared.japanese import jst_minute, jst_wareki_minute, wareki, yen

WEB_DIR = Path(__file__).parent
SHARED_TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"
# Static files change only with a release: a day in the browser's cache, revalidated after.
STATIC_CACHE = "public, max-age=86400"


def _wareki(value: Any, zero_pad: bool = False) -> str:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = value.date()
    return wareki(value, zero_pad=zero_pad) if isinstance(value, date) else ""


def _yen(value: Any) -> str:
    return yen(value) if isinstance(value, int) and not isinstance(value, bool) else ""


def _jst(value: Any) -> str:
    return jst_minute(value) if isinstance(value, datetime) else ""


def _product_label(value: Any) -> str:
    try:
        return PRODUCT_LABELS[Product(value)]
    except ValueError:
        return str(value)


def page_templates(*service_dirs: Path) -> Jinja2Templates:
    loader = ChoiceLoader(
        [FileSystemLoader([*map(str, service_dirs), str(SHARED_TEMPLATES_DIR)]), FileSystemLoader(str(DOCUMENT_TEMPLATES_DIR))]
    )
    env = Environment(
        loader=loader,
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["wareki"] = _wareki
    # The certificate's dates, zero-padded as on the PDF (令和04年04月27日): the screen reads like the paper.
    env.filters["certificate_wareki"] = lambda value: _wareki(value, zero_pad=True)
    env.filters["yen"] = _yen
    env.filters["jst"] = _jst
    env.filters["wareki_minute"] = lambda v: jst_wareki_minute(v) if isinstance(v, datetime) else ""
    env.filters["product_label"] = _product_label
    env.globals["platform_name"] = PLATFORM_NAME
    return Jinja2Templates(env=env)


class _CachedStaticFiles(StaticFiles):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_cache_header(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"cache-control", STATIC_CACHE.encode())]
            await send(message)

        await super().__call__(scope, receive, with_cache_header)


def static_files() -> StaticFiles:
    """shared/web/static: the pages' CSS and JS (no CDN: closed networks)."""
    return _CachedStaticFiles(directory=STATIC_DIR)
