"""Logging in to the admin and out of it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..domain.access import Caller
from ..services import sessions
from . import auth
from .templating import render

router = APIRouter(include_in_schema=False)
PUBLIC = {"/admin/login"}


def _safe_next(target: str | None) -> str:
    """Only a path on this site: a login link must not send the member elsewhere."""
    if target and target.startswith("/admin") and not target.startswith("//") and "\\" not in target:
        return target
    return "/admin/orders"


@router.get("/admin/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    if auth.current_caller(request) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "login.html", {"next": _safe_next(next), "email": "", "error": None})


@router.post("/admin/login", response_class=HTMLResponse)
def log_in(request: Request, email: str = Form(""), password: str = Form(""), next: str = Form("")) -> Response:
    services = request.app.state.services
    address = request.client.host if request.client else None
    try:
        secret = sessions.log_in(services, email, password, address=address)
    except sessions.LoginRefused as exc:
        context = {"next": _safe_next(next), "email": email[:255], "error": exc.message}
        return render(request, "login.html", context, status_code=401)
    target = _safe_next(next)
    caller = sessions.authenticate(services, secret)
    if target == "/admin/orders" and caller is not None and not caller.may("orders"):
        # A member who may not see orders (only settings, staff or tokens) starts where they can work.
        target = "/admin/settings"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        auth.COOKIE,
        secret,
        max_age=sessions.SESSION_DAYS * 86400,
        path="/",
        httponly=True,
        samesite="lax",
        secure=services.shop().secure_cookies or request.url.scheme == "https",
    )
    return response


@router.post("/admin/logout")
def log_out(request: Request, caller: Caller = Depends(auth.requires(None))) -> Response:
    sessions.log_out(request.app.state.services, auth.session_secret(request))
    response = RedirectResponse("/admin/login", status_code=303)
    response.delete_cookie(auth.COOKIE, path="/")
    return response
