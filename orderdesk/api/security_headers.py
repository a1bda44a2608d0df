"""Security headers for the pages a browser shows: the shopper's status page and the admin.

Each page family gets a Content-Security-Policy that allows only this server's own files
(no inline script or style, no other origin), refuses to be framed (``frame-ancestors`` for
current browsers, ``X-Frame-Options`` for old ones), forbids MIME sniffing and keeps its
address from other sites. The Admin API under /admin/api answers JSON to programs and is left
alone. /docs and /redoc load their assets from this server (api/docs.py) and may run only the
one inline block each page carries, allowed by its hash.

A header a route sets itself is kept, so a page may tighten its own policy.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# The shopper's page has no script and no form; it links out only to carriers' tracking pages.
STATUS_PAGE_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
# The admin loads its scripts (htmx), styles and partial pages from this server only.
ADMIN_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def docs_policy(*, scripts: Iterable[str] = (), styles: Iterable[str] = (), inline_styles: bool = False) -> str:
    """The API documentation's policy: this server's files, plus the inline blocks named by hash.

    Swagger UI and ReDoc draw icons as data: images, and ReDoc searches in a worker it starts from
    a blob: URL. ReDoc also styles its components at run time (styled-components and bundled CSS
    written into <style> elements), which no hash can name: ``inline_styles`` allows inline styles
    for that page (a hash in the same directive would switch 'unsafe-inline' off). Scripts stay
    this server's own files and hashed blocks everywhere.
    """
    script_src = " ".join(["'self'", *scripts])
    style_src = "'self' 'unsafe-inline'" if inline_styles else " ".join(["'self'", *styles])
    return (
        f"default-src 'self'; script-src {script_src}; style-src {style_src}; "
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


# /openapi.json and the documentation's assets; the pages set their own, with their hashes.
DOCS_POLICY = docs_policy()


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
