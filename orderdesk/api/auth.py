"""Access tokens and scopes, checked the way Shopify checks them.

Every Admin API route declares what it needs with exactly one of these dependencies; the
application refuses to start with a route that declares none (``check_routes``), and the
access tests read the declarations to build their matrix. What a route may reach beyond its
scope (orders older than 60 days, another app's objects, kinds of fulfillment orders) is
decided by the services from the ``Caller`` the dependency returns (see domain/access.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request
from fastapi.routing import APIRoute

from ..domain.access import Caller, needs_scope_message
from ..services import tokens
from .errors import ApiError

INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"

# Kept for the routes' annotations: the caller of an Admin API request.
Principal = Caller


@dataclass(frozen=True)
class Access:
    """What a route declares: every scope in ``all_of``, and one of ``any_of`` if given."""

    all_of: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()


def authenticate(request: Request) -> Caller:
    token = request.headers.get("x-shopify-access-token")
    if not token:
        raise ApiError(401, INVALID_TOKEN)
    caller = tokens.authenticate(request.app.state.services, token)
    if caller is None:
        raise ApiError(401, INVALID_TOKEN)
    request.state.caller = caller
    return caller


def _dependency(access: Access, name: str) -> Callable[[Request], Caller]:
    def dependency(request: Request) -> Caller:
        caller = authenticate(request)
        for scope in access.all_of:
            if not caller.has(scope):
                raise ApiError(403, needs_scope_message(scope))
        if access.any_of and not caller.has_any(access.any_of):
            raise ApiError(403, needs_scope_message(access.any_of[0]))
        return caller

    dependency.__name__ = name
    dependency.access = access  # type: ignore[attr-defined]
    return dependency


def requires(*scopes: str) -> Callable[[Request], Caller]:
    """A route dependency: the authenticated caller, who must hold every one of ``scopes``."""
    return _dependency(Access(all_of=scopes), "requires_" + "_".join(scopes))


def requires_any(*scopes: str) -> Callable[[Request], Caller]:
    """A route dependency: the authenticated caller, who must hold at least one of ``scopes``."""
    return _dependency(Access(any_of=scopes), "requires_any_" + "_".join(scopes))


def authenticated() -> Callable[[Request], Caller]:
    """A route dependency for routes any app may call (what they reach is checked further in)."""
    return _dependency(Access(), "authenticated")


def declared_access(route: APIRoute) -> Access | None:
    """The access a route declared through one of the dependencies above, if exactly one."""
    found = [getattr(d.call, "access", None) for d in route.dependant.dependencies]
    found = [a for a in found if a is not None]
    return found[0] if len(found) == 1 else None


def check_routes(routes: list[tuple[str, APIRoute]]) -> None:
    """Refuse to serve an Admin API route that does not declare its access."""
    missing = [f"{sorted(r.methods or ())} {path}" for path, r in routes if declared_access(r) is None]
    if missing:
        raise RuntimeError("Admin API routes without exactly one access declaration: " + ", ".join(missing))
