"""What both portals' pages share (Net Desk for contractors, the platform's viewer for orderers): the
Jinja2 environment with the base layout and component macros, the static files (CSS, JS) served with
cache headers, the security headers (a CSP without inline script), CSRF protection for every form, and
the session cookie's attributes.

A service's web entrypoint builds its pages with `page_templates(its_own_templates_dir)` and wraps its
Starlette/FastAPI app with `protect(app, ...)`.
"""

from shared.web.csrf import csrf_token, protect
from shared.web.session_cookie import SessionCookie
from shared.web.templating import STATIC_DIR, page_templates, static_files

__all__ = ["STATIC_DIR", "SessionCookie", "csrf_token", "page_templates", "protect", "static_files"]
