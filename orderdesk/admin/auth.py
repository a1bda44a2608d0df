"""Who is using the admin: the session cookie, permissions per page and action, and CSRF.

Every admin route declares the permission it needs with ``requires(permission)`` (``None``
for pages any logged-in member may open); the application refuses to start with an admin
route that declares nothing (``check_routes``). Without a session a page redirects to the
login form; a member without the permission gets a 403 page. Every request that changes
something must carry the session's CSRF token (a form field, or the ``X-CSRF-Token`` header
htmx sends) and come from this site (``Origin``/``Referer``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote, urlsplit

from fastapi import Request
from fastapi.routing import APIRoute

from ..domain.access import Caller
from ..services import sessions

COOKIE = "orderdesk_session"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class LoginRequired(Exception):
    """No live session: pages redirect to the login form, htmx and form posts get 401."""


class PermissionMissing(Exception):
    def __init__(self, permission: str) -> None:
        super().__init__(permission)
        self.permission = permission


class CsrfRefused(Exception):
    """A change without this session's CSRF token, or from another site."""


def session_secret(request: Request) -> str | None:
    return request.cookies.get(COOKIE)


def current_caller(request: Request) -> Caller | None:
    return sessions.authenticate(request.app.state.services, session_secret(request))


def login_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/admin/login?next=" + quote(target, safe="")


async def _check_csrf(request: Request) -> None:
    if request.method in SAFE_METHODS:
        return
    origin = request.headers.get("origin") or request.headers.get("referer")
    if origin:
        here = urlsplit(str(request.base_url))
        there = urlsplit(origin)
        if (there.scheme, there.netloc) != (here.scheme, here.netloc):
            raise CsrfRefused()
    token = request.headers.get("x-csrf-token")
    if token is None:
        form = await request.form()
        value = form.get("csrf_token")
        token = value if isinstance(value, str) else None
    if not sessions.csrf_ok(request.app.state.services, session_secret(request), token):
        raise CsrfRefused()


def requires(permission: str | None) -> Callable[[Request], Awaitable[Caller]]:
    """A route dependency: the logged-in member, who must have ``permission`` (None: any member)."""

    async def dependency(request: Request) -> Caller:
        caller = current_caller(request)
        if caller is None:
            raise LoginRequired()
        await _check_csrf(request)
        if permission is not None and not caller.may(permission):
            raise PermissionMissing(permission)
        request.state.caller = caller
        return caller

    dependency.__name__ = f"requires_{permission or 'login'}"
    dependency.permission = permission  # type: ignore[attr-defined]
    dependency.declares_access = True  # type: ignore[attr-defined]
    return dependency


def declared(route: APIRoute) -> bool:
    return any(getattr(d.call, "declares_access", False) for d in route.dependant.dependencies)


def check_routes(routes: list[APIRoute], public: set[str]) -> None:
    """Refuse to serve an admin route that neither declares a permission nor is public."""
    missing = [f"{sorted(r.methods or ())} {r.path}" for r in routes if r.path not in public and not declared(r)]
    if missing:
        raise RuntimeError("Admin routes without a permission declaration: " + ", ".join(missing))
