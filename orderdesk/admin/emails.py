"""The Emails page: what orderdesk kept instead of sending (no SMTP server configured, as in
``orderdesk demo``), newest first, each with the order it belongs to; one email's rendered HTML
is shown in a sandboxed frame from a response of its own (notifications.email_response)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ..domain.access import Caller
from ..services import notifications as notification_service
from .auth import requires
from .notifications import email_response
from .templating import render

router = APIRouter(include_in_schema=False)
PAGE = 50


@router.get("/admin/emails", response_class=HTMLResponse)
def email_list(
    request: Request, before: int | None = None, order: int | None = None, caller: Caller = Depends(requires("orders"))
) -> Response:
    services = request.app.state.services
    emails = notification_service.captured_emails(services, order_id=order, before_id=before, limit=PAGE + 1)
    more = len(emails) > PAGE
    emails = emails[:PAGE]
    context = {
        "emails": emails,
        "order_filter": order,
        "older": emails[-1]["id"] if more and emails else None,
        "smtp": services.smtp.host,
        "title": notification_service.title,
    }
    return render(request, "emails/list.html", context)


def _email(request: Request, email_id: int):
    return notification_service.captured_email(request.app.state.services, email_id)


@router.get("/admin/emails/{email_id}", response_class=HTMLResponse)
def email_page(email_id: int, request: Request, caller: Caller = Depends(requires("orders"))) -> Response:
    email = _email(request, email_id)
    if email is None:
        return render(request, "not_found.html", status_code=404)
    return render(request, "emails/email.html", {"email": email, "title": notification_service.title})


@router.get("/admin/emails/{email_id}/html", response_class=HTMLResponse)
def email_html(email_id: int, request: Request, caller: Caller = Depends(requires("orders"))) -> Response:
    email = _email(request, email_id)
    if email is None:
        return render(request, "not_found.html", status_code=404)
    return email_response(email["html"] or "")
