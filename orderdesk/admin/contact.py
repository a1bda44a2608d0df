"""Writing to the customer from the admin: resend an email the order has had, and the Contact
customer page (compose, preview as the customer will see it, send through the outbox)."""

from __future__ import annotations

import html

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from ..domain.access import Caller
from ..domain.errors import DomainError, Forbidden, NotFound
from ..services import notifications
from ..services.loading import read_order
from .actions import act, done
from .auth import requires
from .templating import render

router = APIRouter(include_in_schema=False)

# Starting texts a member may pick on the Contact customer page ("{name}" is the order's name).
# Words only: what is sent is whatever the member leaves in Subject and Message.
TEMPLATES: dict[str, tuple[str, str, str]] = {
    "delay": (
        "Shipping delay",
        "An update on your order {name}",
        "We're sorry: your order {name} is taking longer than planned to ship. We'll send you the tracking details as soon as it leaves us.",
    ),
    "address": (
        "Check the shipping address",
        "Please check the address for order {name}",
        "Before we ship your order {name}, could you confirm the shipping address? Just reply to this email.",
    ),
    "thanks": ("Thank you", "Thank you for your order {name}", "Thank you for shopping with us. We hope you enjoy your order {name}!"),
}
# The preview is the email's own HTML, with its inline styles, in a frame of the contact page:
# no script, no request to anyone, shown only inside this site's pages.
PREVIEW_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'; sandbox"
# Where the service's refusals are shown on the page (it names the message ``body``).
FIELDS = {"body": "message", "email": "to", "subject": "subject"}


@router.post("/admin/orders/{order_id}/resend")
def resend(order_id: int, request: Request, name: str = Form(""), caller: Caller = Depends(requires("orders"))) -> Response:
    services = request.app.state.services
    return act(
        request,
        order_id,
        caller,
        lambda: notifications.resend(services, order_id, name, caller=caller),
        lambda sent: f"Resent the {notifications.title(name).lower()} email to {sent['to']}.",
        values={"resend": name},
        anchor="#notifications",
    )


def _page(
    request: Request,
    order_id: int,
    caller: Caller,
    *,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    services = request.app.state.services
    try:
        order = read_order(services, caller, order_id)
    except NotFound:
        return render(request, "not_found.html", status_code=404)
    context = {"order": order, "values": values, "errors": errors or {}, "templates": TEMPLATES}
    return render(request, "contact/compose.html", context, status_code=status_code)


@router.get("/admin/orders/{order_id}/contact", response_class=HTMLResponse)
def compose(order_id: int, request: Request, template: str = "", caller: Caller = Depends(requires("orders"))) -> HTMLResponse:
    values = {"template": "", "subject": "", "message": ""}
    if template in TEMPLATES:
        services = request.app.state.services
        try:
            name = read_order(services, caller, order_id).name
        except NotFound:
            return render(request, "not_found.html", status_code=404)
        _, subject, message = TEMPLATES[template]
        values = {"template": template, "subject": subject.format(name=name), "message": message.format(name=name)}
    return _page(request, order_id, caller, values=values)


def _preview(request: Request, order_id: int, caller: Caller, subject: str, message: str) -> Response:
    services = request.app.state.services
    try:
        shown = notifications.preview_contact(services, order_id, subject, message, caller=caller)
    except NotFound:
        return render(request, "not_found.html", status_code=404)
    except DomainError as exc:
        return HTMLResponse(f"<p>{html.escape(exc.message)}</p>", status_code=422)
    head = (
        '<div style="font:14px system-ui,sans-serif;border-bottom:1px solid #ddd;padding:8px 12px;margin-bottom:8px;color:#333">'
        f"<div><strong>To:</strong> {html.escape(shown['to'])}</div><div><strong>Subject:</strong> {html.escape(shown['subject'])}</div></div>"
    )
    body = shown["html"]
    at = body.lower().find("<body")
    end = body.find(">", at) + 1 if at >= 0 else 0
    page = body[:end] + head + body[end:]
    return HTMLResponse(page, headers={"Content-Security-Policy": PREVIEW_POLICY, "X-Frame-Options": "SAMEORIGIN"})


@router.get("/admin/orders/{order_id}/contact/preview", response_class=HTMLResponse)
def preview_shown(
    order_id: int, request: Request, subject: str = "", message: str = "", caller: Caller = Depends(requires("orders"))
) -> Response:
    return _preview(request, order_id, caller, subject, message)


@router.post("/admin/orders/{order_id}/contact/preview", response_class=HTMLResponse)
def preview(
    order_id: int,
    request: Request,
    subject: str = Form(""),
    message: str = Form(""),
    caller: Caller = Depends(requires("orders")),
) -> Response:
    return _preview(request, order_id, caller, subject, message)


@router.post("/admin/orders/{order_id}/contact/send")
def send(
    order_id: int,
    request: Request,
    subject: str = Form(""),
    message: str = Form(""),
    template: str = Form(""),
    caller: Caller = Depends(requires("orders")),
) -> Response:
    services = request.app.state.services
    values = {"subject": subject, "message": message, "template": template}
    try:
        sent = notifications.contact_customer(services, order_id, subject, message.replace("\r\n", "\n"), caller=caller)
    except NotFound:
        return render(request, "not_found.html", status_code=404)
    except Forbidden as exc:
        return render(request, "forbidden.html", {"permission": None, "reason": exc.message}, status_code=403)
    except DomainError as exc:
        return _page(request, order_id, caller, values=values, errors={FIELDS.get(exc.field, "message"): exc.message}, status_code=422)
    return done(order_id, f"Email to {sent['to']} is on its way.", anchor="#timeline")
