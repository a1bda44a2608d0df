"""Customer emails: render from the current order, send them (over SMTP, or into the database
when no SMTP server is configured), and let the merchant edit, preview and resend them.

An email is an outbox row (kind ``email``, topic = template name) written in the same
transaction as the change that caused it; ``send`` is the worker's handler for those rows.
A template error or an SMTP outage raises, so the worker retries the row later.
"""

from __future__ import annotations

from email.utils import formataddr
from typing import Any

from ..db import captured_emails as captured_store
from ..db import notification_templates as store
from ..db import queries
from ..db.uow import UnitOfWork
from ..domain.access import Caller
from ..domain.errors import InvalidInput, NotFound
from ..domain.order import Order
from ..notifications import render as liquid
from ..notifications.mailer import Email, mailer_for, message_id, plain_text
from ..notifications.sample import sample_variables
from ..notifications.variables import order_variables
from . import delivery_log, outbox
from .context import Services
from .loading import load, read_order
from .transaction import writing

__all__ = [
    "captured_email",
    "captured_emails",
    "contact_customer",
    "get_template",
    "list_templates",
    "preview",
    "preview_contact",
    "recipient",
    "resend",
    "resendable",
    "send",
    "title",
    "update_template",
]

MAX_TEMPLATE_CHARS = 200_000
MAX_SUBJECT_CHARS = 1_000


def title(name: str) -> str:
    """The merchant's word for a template: ``order_confirmation`` → "Order confirmation"."""
    return name.replace("_", " ").capitalize()


def environments(services: Services) -> liquid.Environments:
    """Liquid environments whose loader reads the merchant's edits, each in a short read."""

    def lookup(name: str) -> tuple[str, str] | None:
        with services.db.reading() as uow:
            return store.edited(uow.conn, name)

    return liquid.Environments.create(lookup)


def _known(name: str) -> None:
    if name not in liquid.DEFAULT_NAMES:
        raise NotFound("Not Found")


def recipient(order: Order | None, payload: dict[str, Any]) -> str | None:
    """A fixed ``recipient`` (a fulfillment service's inbox), else the customer's current email."""
    if payload.get("recipient"):
        return payload["recipient"]
    return (order.email if order is not None else None) or payload.get("to")


def send(services: Services, row: Any) -> None:
    """Worker handler for ``email`` rows: reload the order, render, hand the message to the mailer
    (SMTP, or capture into the database when no server is configured), log ``mail_sent``.

    Every attempt, sent, captured, failed or skipped, goes to the delivery log."""
    payload = row["payload"]
    name = payload.get("template") or row["topic"]
    order_id = int(payload["order_id"])
    with services.db.reading() as uow:
        order = uow.orders.get(order_id, created_since=None)
    to = recipient(order, payload)
    mailer = mailer_for(services.smtp, services.db)
    try:
        with delivery_log.attempt(services, row, topic=name, recipient=to, order_id=order_id) as attempt:
            if order is None:
                return attempt.skip("the order was deleted")
            if not to:
                return attempt.skip("the order has no email address")
            shop = services.shop()
            rendered = liquid.render(environments(services), name, order_variables(order, shop, payload))
            email = Email(
                to=to,
                subject=rendered.subject,
                html=rendered.html,
                text=plain_text(rendered.html),
                sender=formataddr((shop.name or "", services.smtp.from_address)),
                message_id=message_id(str(row["event_id"]), services.smtp.from_address),
                event_id=str(row["event_id"]),
                template=name,
                order_id=order_id,
                at=services.clock.now(),
                reply_to=shop.email or None,
            )
            attempt.message_id = email.message_id
            mailer.deliver(email)
            attempt.outcome = mailer.outcome
    except Exception as exc:
        if row["attempts"] == 1:
            _note_failure(services, order_id, name, to, exc)
        raise
    whom = "the customer" if to == order.email else to
    kept = mailer.outcome == "captured"
    message = (
        f"{title(name)} email to {whom} was kept in orderdesk, not sent: no SMTP server is configured."
        if kept
        else f"{title(name)} email was sent to {whom}."
    )
    at = services.clock.now()
    with services.db.writing() as uow:
        uow.timeline.add_many(
            [
                _event(
                    order.saved_id,
                    "mail_sent",
                    message,
                    at,
                    {"template": name, "to": to, "message_id": email.message_id, "captured": kept},
                )
            ]
        )
        uow.commit()


def captured_emails(services: Services, *, order_id: int | None = None, before_id: int | None = None, limit: int = 50) -> list[Any]:
    """Emails kept in the database instead of sent, newest first (all, or one order's)."""
    with services.db.reading() as uow:
        return captured_store.newest_first(uow.conn, order_id=order_id, before_id=before_id, limit=limit)


def captured_email(services: Services, email_id: int) -> Any | None:
    with services.db.reading() as uow:
        return captured_store.get(uow.conn, email_id)


def _note_failure(services: Services, order_id: int, name: str, to: str | None, exc: Exception) -> None:
    """Say so on the timeline the first time an email fails; later attempts are in the delivery log."""
    reason = f"{type(exc).__name__}: {exc}"[:500]
    at = services.clock.now()
    with services.db.writing() as uow:
        uow.timeline.add_many(
            [
                _event(
                    order_id,
                    "mail_failed",
                    f"{title(name)} email to {to} could not be sent; it will be retried.",
                    at,
                    {"template": name, "to": to, "error": reason},
                )
            ]
        )
        uow.commit()


def _event(order_id: int, verb: str, message: str, at, arguments: dict[str, Any], author: str | None = None) -> dict[str, Any]:
    return {
        "subject_type": "Order",
        "subject_id": order_id,
        "verb": verb,
        "message": message,
        "arguments": arguments,
        "author": author,
        "body": None,
        "created_at": at,
    }


def _packaged(name: str) -> tuple[str, str]:
    """The (subject, body) shipped for a known template name (every one has a file)."""
    found = liquid.default_template(name)
    if found is None:
        raise NotFound("Not Found")
    return found


def list_templates(services: Services) -> list[dict[str, Any]]:
    with services.db.reading() as uow:
        edited = store.all_edited(uow.conn)
    out = []
    for name in liquid.DEFAULT_NAMES:
        row = edited.get(name)
        subject = row["subject"] if row else _packaged(name)[0]
        out.append(
            {
                "name": name,
                "title": title(name),
                "subject": subject,
                "customized": row is not None,
                "updated_at": row["updated_at"] if row else None,
            }
        )
    return out


def get_template(services: Services, name: str) -> dict[str, Any]:
    _known(name)
    with services.db.reading() as uow:
        row = store.edited(uow.conn, name)
    subject, body = row or _packaged(name)
    return {"name": name, "title": title(name), "subject": subject, "body": body, "customized": row is not None}


def _problem(exc: liquid.TemplateProblem) -> InvalidInput:
    return InvalidInput(str(exc), field=exc.part)


def update_template(services: Services, name: str, subject: str | None, body: str | None) -> dict[str, Any]:
    """Save the merchant's edit. A template that does not parse, names a variable an order does not
    have, or fails to render for a sample order (see ``notifications/sample.py``) is refused with
    the part (``subject`` or ``body``), the problem, its line and column."""
    current = get_template(services, name)
    subject = current["subject"] if subject is None else subject
    body = current["body"] if body is None else body
    if len(subject) > MAX_SUBJECT_CHARS or len(body) > MAX_TEMPLATE_CHARS:
        raise InvalidInput("is too long", field="body")
    try:
        liquid.check(liquid.Environments.create(), subject, body, sample_variables(services.shop(), name))
    except liquid.TemplateProblem as exc:
        raise _problem(exc) from exc
    with services.db.writing() as uow:
        store.save(uow.conn, name, subject, body, services.clock.now())
        uow.commit()
    return get_template(services, name)


def reset_template(services: Services, name: str) -> dict[str, Any]:
    """Drop the merchant's edit, so the packaged default is used again."""
    _known(name)
    with services.db.writing() as uow:
        store.remove(uow.conn, name)
        uow.commit()
    return get_template(services, name)


def preview(
    services: Services, name: str, order_id: int, *, caller: Caller, subject: str | None = None, body: str | None = None
) -> dict[str, str]:
    """Render the saved template (or the unsaved ``subject``/``body``) against an order the caller may see."""
    _known(name)
    order = read_order(services, caller, order_id)
    variables = order_variables(order, services.shop(), {"message": "Your message to the customer appears here.", "subject": None})
    envs = environments(services)
    try:
        if subject is None and body is None:
            rendered = liquid.render(envs, name, variables)
        else:
            current = get_template(services, name)
            rendered = liquid.render_source(
                envs, current["subject"] if subject is None else subject, current["body"] if body is None else body, variables
            )
    except liquid.TemplateProblem as exc:
        raise _problem(exc) from exc
    return {"name": name, "subject": rendered.subject, "html": rendered.html}


# Templates addressed to fulfillment services, never to the shopper.
NOT_FOR_CUSTOMERS = frozenset({"fulfillment_request", "cancellation_request"})


def resend(services: Services, order_id: int, name: str, *, caller: Caller, uow: UnitOfWork | None = None) -> dict[str, Any]:
    """Queue the notification again and note it on the timeline."""
    _known(name)
    if name == "contact_customer":
        raise InvalidInput("Use contact.json to write to the customer", field="name")
    if name in NOT_FOR_CUSTOMERS:
        # These list the order's lines and address for a warehouse; the customer must never get them.
        raise InvalidInput(f"The {title(name).lower()} email goes to a fulfillment service, not to the customer", field="name")
    at = services.clock.now()
    with writing(services, uow) as uow:
        order = load(uow, services, caller, order_id)
        if not order.email:
            raise InvalidInput("The order has no email address", field="email")
        row = outbox.email(name, order, at, resent=True)
        uow.outbox.add_many([row])
        uow.timeline.add_many(
            [
                _event(
                    order.saved_id,
                    "mail_resent",
                    f"Staff resent the {title(name).lower()} email to the customer.",
                    at,
                    {"template": name, "to": order.email},
                    caller.name,
                )
            ]
        )
    return {"id": row["event_id"], "template": name, "to": order.email, "order_id": order.id}


def resendable(services: Services, order_id: int, *, caller: Caller) -> list[dict[str, Any]]:
    """The customer emails the order has had (queued or sent) that staff may send again, oldest first."""
    with services.db.reading() as uow:
        load(uow, services, caller, order_id)
        topics = queries.email_topics(uow.conn, order_id)
    return [
        {"name": name, "title": title(name), "last_at": at}
        for name, at in topics
        if name in liquid.DEFAULT_NAMES and name != "contact_customer" and name not in NOT_FOR_CUSTOMERS
    ]


def preview_contact(services: Services, order_id: int, subject: str, message: str, *, caller: Caller) -> dict[str, str]:
    """The email ``contact_customer`` would send, rendered as the customer will see it."""
    order = read_order(services, caller, order_id)
    payload = {"message": (message or "").strip(), "subject": (subject or "").strip() or None}
    try:
        rendered = liquid.render(environments(services), "contact_customer", order_variables(order, services.shop(), payload))
    except liquid.TemplateProblem as exc:
        raise _problem(exc) from exc
    return {"to": order.email or "", "subject": rendered.subject, "html": rendered.html}


def contact_customer(
    services: Services, order_id: int, subject: str, body: str, *, caller: Caller, uow: UnitOfWork | None = None
) -> dict[str, Any]:
    """Queue a message from staff to the customer (template ``contact_customer``)."""
    subject, body = (subject or "").strip(), (body or "").strip()
    if not body:
        raise InvalidInput("can't be blank", field="body")
    if len(subject) > MAX_SUBJECT_CHARS or len(body) > 20_000:
        raise InvalidInput("is too long", field="body")
    at = services.clock.now()
    with writing(services, uow) as uow:
        order = load(uow, services, caller, order_id)
        if not order.email:
            raise InvalidInput("The order has no email address", field="email")
        row = outbox.email("contact_customer", order, at, subject=subject or None, message=body)
        uow.outbox.add_many([row])
        uow.timeline.add_many(
            [
                _event(
                    order.saved_id,
                    "mail_queued",
                    f"Staff sent an email to {order.email}.",
                    at,
                    {"template": "contact_customer", "to": order.email, "subject": subject},
                    caller.name,
                )
            ]
        )
    return {"id": row["event_id"], "template": "contact_customer", "to": order.email, "order_id": order.id}
