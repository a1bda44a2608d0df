"""Settings → Notifications: the customer emails' templates, each edited with a live preview
against one of the shop's orders; a template that does not render is refused with its line and
column next to the field.

The rendered email is its own response (``preview.html``), shown in a sandboxed frame: it may
use the inline styles emails need, never a script, while the admin's policy stays strict.
"""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from ..db import queries
from ..db.queries import OrderFilter
from ..domain.access import Caller
from ..domain.errors import DomainError, InvalidInput, NotFound
from ..services import notifications as notification_service
from .auth import requires
from .settings import page, saved, submit
from .templating import render

router = APIRouter(include_in_schema=False)
SECTION = "/admin/settings/notifications"
FIELDS = ("subject", "body")
PREVIEW_ORDERS = 25
# The rendered email may style itself inline and show images it embeds; nothing else, no script.
EMAIL_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src 'none'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox"
)


def email_response(html: str) -> HTMLResponse:
    """An email's HTML as a page of its own, for a sandboxed frame on this site only."""
    return HTMLResponse(
        html,
        headers={
            "Content-Security-Policy": EMAIL_POLICY,
            "X-Frame-Options": "SAMEORIGIN",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-store",
        },
    )


def _recent_orders(request: Request) -> list[Any]:
    with request.app.state.services.db.reading() as uow:
        orders, _ = queries.list_orders(uow.conn, OrderFilter(status="any"), limit=PREVIEW_ORDERS)
    return orders


@router.get("/admin/settings/notifications", response_class=HTMLResponse)
def template_list(request: Request, caller: Caller = Depends(requires("settings"))) -> Response:
    templates = notification_service.list_templates(request.app.state.services)
    return page(request, "settings/notifications.html", {"templates": templates}, section=SECTION)


def edit_page(
    request: Request,
    name: str,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    try:
        template = notification_service.get_template(request.app.state.services, name)
    except NotFound:
        return render(request, "not_found.html", status_code=404)
    orders = _recent_orders(request)
    chosen = (values or {}).get("order_id") or (str(orders[0].id) if orders else "")
    subject = None
    if chosen.isdigit() and not errors:
        try:
            subject = notification_service.preview(
                request.app.state.services, name, int(chosen), caller=request.state.caller, **_draft(values)
            )["subject"]
        except DomainError:
            subject = None
    context = {
        "subject": subject,
        "template": template,
        "values": {"subject": template["subject"], "body": template["body"], **(values or {}), "order_id": chosen},
        "errors": errors or {},
        "orders": orders,
    }
    return page(request, "settings/notification.html", context, section=SECTION, status_code=status_code)


@router.get("/admin/settings/notifications/{name}", response_class=HTMLResponse)
def edit(name: str, request: Request, order_id: str = "", caller: Caller = Depends(requires("settings"))) -> Response:
    return edit_page(request, name, values={"order_id": order_id} if order_id else None)


@router.post("/admin/settings/notifications/{name}")
def save(
    name: str,
    request: Request,
    subject: str = Form(""),
    body: str = Form(""),
    order_id: str = Form(""),
    caller: Caller = Depends(requires("settings")),
) -> Response:
    services = request.app.state.services
    values = {"subject": subject, "body": body, "order_id": order_id}
    return submit(
        request,
        lambda: notification_service.update_template(services, name, subject, body),
        again=lambda errors: edit_page(request, name, values=values, errors=errors, status_code=422),
        done=lambda t: saved(f"{SECTION}/{name}" + (f"?order_id={order_id}" if order_id.isdigit() else ""), f"{t['title']} saved."),
        fields=FIELDS,
    )


@router.post("/admin/settings/notifications/{name}/reset")
def reset(name: str, request: Request, caller: Caller = Depends(requires("settings"))) -> Response:
    services = request.app.state.services
    return submit(
        request,
        lambda: notification_service.reset_template(services, name),
        again=lambda errors: edit_page(request, name, errors=errors, status_code=422),
        done=lambda t: saved(f"{SECTION}/{name}", f"{t['title']} is back to the default."),
        fields=FIELDS,
    )


def _draft(values: dict[str, str] | None) -> dict[str, str]:
    """The unsaved subject and body a refused form carries, to preview what the merchant sees."""
    return {k: values[k] for k in ("subject", "body") if values and k in values}


def _order_id(text: str) -> int:
    if not text.strip().isdigit():
        raise InvalidInput("choose an order to preview with", field="order_id")
    return int(text)


@router.post("/admin/settings/notifications/{name}/check", response_class=HTMLResponse)
def check(
    name: str,
    request: Request,
    subject: str = Form(""),
    body: str = Form(""),
    order_id: str = Form(""),
    caller: Caller = Depends(requires("settings")),
) -> Response:
    """The live preview's words as the merchant types (htmx): the subject as the customer will see
    it, or the problem with its line and column, swapped in next to the field it is about."""
    services = request.app.state.services
    errors: dict[str, str] = {}
    rendered: dict[str, str] | None = None
    try:
        rendered = notification_service.preview(services, name, _order_id(order_id), caller=caller, subject=subject, body=body)
    except NotFound:
        errors["order_id"] = "That order is not there any more; choose another."
    except DomainError as exc:
        errors[exc.field if exc.field in (*FIELDS, "order_id") else "body"] = exc.message
    # 200 either way: htmx swaps in the messages (it leaves error statuses unswapped).
    return render(request, "settings/_preview.html", {"rendered": rendered, "errors": errors, "name": name})


@router.get("/admin/settings/notifications/{name}/preview.html", response_class=HTMLResponse)
def preview_saved(name: str, request: Request, order_id: str = "", caller: Caller = Depends(requires("settings"))) -> Response:
    """The saved template rendered for an order, for the preview frame."""
    try:
        chosen = _order_id(order_id)
    except DomainError as exc:
        return email_response(_message_page(exc.message))
    return _preview(request, name, chosen, caller, None, None)


@router.post("/admin/settings/notifications/{name}/preview.html", response_class=HTMLResponse)
def preview_draft(
    name: str,
    request: Request,
    subject: str = Form(""),
    body: str = Form(""),
    order_id: str = Form(""),
    caller: Caller = Depends(requires("settings")),
) -> Response:
    """What is in the form now, rendered for the chosen order (the frame is the form's target)."""
    try:
        chosen = _order_id(order_id)
    except DomainError as exc:
        return email_response(_message_page(exc.message))
    return _preview(request, name, chosen, caller, subject, body)


def _preview(request: Request, name: str, order_id: int, caller: Caller, subject: str | None, body: str | None) -> Response:
    services = request.app.state.services
    try:
        rendered = notification_service.preview(services, name, order_id, caller=caller, subject=subject, body=body)
    except NotFound:
        return email_response(_message_page("No such order or template."))
    except DomainError as exc:
        return email_response(_message_page(f"This template does not render: {exc.message}"))
    return email_response(rendered["html"])


def _message_page(message: str) -> str:
    return f'<!doctype html><p style="font:15px system-ui,sans-serif;color:#a4262c">{escape(message)}</p>'
