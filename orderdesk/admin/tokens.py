"""Settings → API tokens: make one for an app with the scopes it needs (its secret is shown
once, only its hash is kept), see which exist, and revoke one (refused from the next request
on, in every process)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from ..domain.access import Caller
from ..services import tokens as token_service
from .auth import requires
from .settings import page, saved, submit

router = APIRouter(include_in_schema=False)
SECTION = "/admin/settings/tokens"
FIELDS = ("name", "scopes")


def _scope_groups() -> list[tuple[str, list[str]]]:
    """Scopes grouped by resource (read before write), as a merchant picks them."""
    groups: dict[str, list[str]] = {}
    for scope in sorted(token_service.KNOWN_SCOPES, key=lambda s: (s.split("_", 1)[1], s)):
        verb, _, resource = scope.partition("_")
        groups.setdefault(resource, []).append(scope)
    return sorted(groups.items())


def tokens_page(
    request: Request,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    new_token: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    services = request.app.state.services
    context: dict[str, Any] = {
        "tokens": list(reversed(token_service.list_tokens(services))),
        "scope_groups": _scope_groups(),
        "errors": errors or {},
        "values": values or {"name": "", "scopes": []},
        "new_token": new_token,
    }
    return page(request, "settings/tokens.html", context, section=SECTION, status_code=status_code)


@router.get("/admin/settings/tokens", response_class=HTMLResponse)
def tokens(request: Request, caller: Caller = Depends(requires("tokens"))) -> Response:
    return tokens_page(request)


@router.post("/admin/settings/tokens")
def create(request: Request, name: str = Form(""), scopes: list[str] = Form([]), caller: Caller = Depends(requires("tokens"))) -> Response:
    services = request.app.state.services
    values: dict[str, Any] = {"name": name, "scopes": scopes}
    # The token is shown on this answer only: it is not in a redirect, a cookie or a log.
    return submit(
        request,
        lambda: token_service.create_token(services, name, scopes),
        again=lambda errors: tokens_page(request, errors=errors, values=values, status_code=422),
        done=lambda token: tokens_page(request, new_token=token, values={"name": "", "scopes": []}),
        fields=FIELDS,
    )


@router.post("/admin/settings/tokens/{token_id}/revoke")
def revoke(token_id: int, request: Request, caller: Caller = Depends(requires("tokens"))) -> Response:
    services = request.app.state.services
    return submit(
        request,
        lambda: token_service.revoke_token(services, token_id),
        again=lambda errors: tokens_page(request, errors=errors, status_code=422),
        done=lambda _: saved(SECTION, "Token revoked. Requests with it are refused from now on."),
    )
