"""The merchant's admin: server-rendered pages over the same services the REST API calls."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from . import (
    archiving,
    auth,
    cancellation,
    comments,
    contact,
    details,
    emails,
    fulfillment,
    login,
    notifications,
    orders,
    payments,
    refunds,
    settings,
    staff,
    tokens,
    webhooks,
)
from .templating import render

ROUTERS = (
    login.router,
    orders.router,
    payments.router,
    refunds.router,
    cancellation.router,
    archiving.router,
    fulfillment.router,
    emails.router,
    settings.router,
    notifications.router,
    webhooks.router,
    tokens.router,
    staff.router,
    comments.router,
    details.router,
    contact.router,
)


def install(app: FastAPI) -> None:
    """Mount the admin's pages, its static files and what answers a missing session or permission."""
    routes = [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)]
    auth.check_routes(routes, public=login.PUBLIC)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/admin/static", StaticFiles(packages=[("orderdesk.admin", "static")]), name="admin-static")

    @app.exception_handler(auth.LoginRequired)
    async def _login(request: Request, exc: auth.LoginRequired) -> Response:
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": auth.login_url(request)})
        if request.method not in auth.SAFE_METHODS:
            return render(
                request, "login.html", {"next": "/admin/orders", "email": "", "error": "Log in again to continue."}, status_code=401
            )
        return RedirectResponse(auth.login_url(request), status_code=303)

    @app.exception_handler(auth.PermissionMissing)
    async def _forbidden(request: Request, exc: auth.PermissionMissing) -> Response:
        return render(request, "forbidden.html", {"permission": exc.permission}, status_code=403)

    @app.exception_handler(auth.CsrfRefused)
    async def _csrf(request: Request, exc: auth.CsrfRefused) -> Response:
        return render(request, "forbidden.html", {"permission": None, "csrf_refused": True}, status_code=403)
