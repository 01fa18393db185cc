"""The session cookie of a portal: HttpOnly, SameSite=Lax, Secure when served over https (or when the
operator says the portal is behind https). Only the session's random token is in it; the server keeps
its SHA-256. Never in a URL."""

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response


@dataclass(frozen=True)
class SessionCookie:
    name: str
    path: str = "/"
    always_secure: bool = False

    def read(self, request: Request) -> str | None:
        value = request.cookies.get(self.name)
        return value if value and len(value) <= 128 else None

    def set(self, response: Response, request: Request, token: str) -> None:
        secure = self.always_secure or request.url.scheme == "https"
        response.set_cookie(self.name, token, path=self.path, httponly=True, samesite="lax", secure=secure)

    def clear(self, response: Response) -> None:
        response.delete_cookie(self.name, path=self.path, httponly=True, samesite="lax")
