"""Access tokens and scopes, checked the way Shopify checks them."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from .errors import ApiError

INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"


@dataclass(frozen=True)
class Principal:
    token_id: int
    name: str
    scopes: frozenset[str]

    def has(self, scope: str) -> bool:
        """A write scope implies the matching read scope."""
        if scope in self.scopes:
            return True
        if scope.startswith("read_"):
            return "write_" + scope[len("read_") :] in self.scopes
        return False

    @property
    def can_read_all_orders(self) -> bool:
        return "read_all_orders" in self.scopes


def authenticate(request: Request) -> Principal:
    token = request.headers.get("x-shopify-access-token")
    if not token:
        raise ApiError(401, INVALID_TOKEN)
    row = request.app.state.services.token(token)
    if row is None:
        raise ApiError(401, INVALID_TOKEN)
    return Principal(row["id"], row["name"], frozenset(s.strip() for s in row["scopes"].split(",") if s.strip()))


def require(principal: Principal, scope: str) -> None:
    if not principal.has(scope):
        raise ApiError(403, f"[API] This action requires merchant approval for {scope} scope.")


def requires(scope: str):
    """A route dependency: the authenticated caller, who must hold ``scope``."""

    def dependency(request: Request) -> Principal:
        principal = authenticate(request)
        require(principal, scope)
        return principal

    dependency.__name__ = f"requires_{scope}"
    return dependency
