"""Settings → Webhooks: per app, what it subscribed to and the secret its webhooks are signed
with (receivers verify X-Shopify-Hmac-Sha256 with it), and a button to rotate that secret."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ..domain.access import Caller
from ..services import apps as app_service
from .auth import requires
from .settings import page, saved, submit

router = APIRouter(include_in_schema=False)
SECTION = "/admin/settings/webhooks"


def webhooks_page(request: Request, *, errors: dict[str, str] | None = None, status_code: int = 200) -> HTMLResponse:
    services = request.app.state.services
    apps = [{"app": a, "subscriptions": app_service.subscriptions_of(services, a["id"])} for a in app_service.list_apps(services)]
    return page(request, "settings/webhooks.html", {"apps": apps, "errors": errors or {}}, section=SECTION, status_code=status_code)


@router.get("/admin/settings/webhooks", response_class=HTMLResponse)
def webhooks(request: Request, caller: Caller = Depends(requires("settings"))) -> Response:
    return webhooks_page(request)


@router.post("/admin/settings/webhooks/{app_id}/rotate")
def rotate(app_id: int, request: Request, caller: Caller = Depends(requires("settings"))) -> Response:
    services = request.app.state.services
    return submit(
        request,
        lambda: app_service.rotate_signing_secret(services, app_id),
        again=lambda errors: webhooks_page(request, errors=errors, status_code=422),
        done=lambda secret: saved(
            f"{SECTION}#app-{app_id}", "Signing secret rotated. Give the new secret to this app's webhook receivers."
        ),
    )
