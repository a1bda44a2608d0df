"""Security headers for the pages a browser shows: the shopper's status page and the admin.

Each page family gets a Content-Security-Policy that allows only this server's own files
(no inline script or style, no other origin), refuses to be framed (``frame-ancestors`` for
current browsers, ``X-Frame-Options`` for old ones), forbids MIME sniffing and keeps its
address from other sites. The Admin API under /admin/api answers JSON to programs and is left
alone. /docs and /redoc get only the framing and sniffing headers: Swagger UI runs an inline
script and loads its assets from a CDN until they are served from here.

A header a route sets itself is kept, so a page may tighten its own policy.
"""

from __future__ import annotations

from typing import Any

# The shopper's page has no script and no form; it links out only to carriers' tracking pages.
STATUS_PAGE_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
# The admin loads its scripts (htmx), styles and partial pages from this server only.
ADMIN_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_POLICY = "frame-ancestors 'none'"


def _headers(policy: str, referrer: str) -> list[tuple[bytes, bytes]]:
    return [
        (b"Content-Security-Policy", policy.encode()),
        (b"X-Content-Type-Options", b"nosniff"),
        (b"X-Frame-Options", b"DENY"),
        # The status page's address is its key: never pass it on. Admin addresses name orders and
        # searches: keep them to this site.
        (b"Referrer-Policy", referrer.encode()),
    ]


STATUS_PAGE = _headers(STATUS_PAGE_POLICY, "no-referrer")
ADMIN = _headers(ADMIN_POLICY, "same-origin")
DOCS = _headers(DOCS_POLICY, "same-origin")


def headers_for(path: str) -> list[tuple[bytes, bytes]]:
    """The headers a response to ``path`` gets; none for the Admin API."""
    if path == "/admin/api" or path.startswith("/admin/api/"):
        return []
    if path.startswith("/status/"):
        return STATUS_PAGE
    if path in ("/docs", "/redoc", "/openapi.json") or path.startswith(("/docs/", "/redoc/")):
        return DOCS
    # The admin, the redirect at / and anything unknown: the strict admin policy.
    return ADMIN


class SecurityHeaders:
    """ASGI middleware adding ``headers_for(path)`` to every HTTP response that lacks them."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        extra = headers_for(scope["path"]) if scope["type"] == "http" else []
        if not extra:
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in extra if name.lower() not in present]
                message = dict(message, headers=headers)
            await send(message)

        await self.app(scope, receive, send_with_headers)
