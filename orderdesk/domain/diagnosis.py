"""Why an order is still unpaid, unfulfilled or open, and what would move it on.

Each reason is machine-readable (a stable ``code``) with a sentence for the merchant and
the action that would resolve it. It uses the same derivations as the statuses do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from . import archiving, ledger
from .money import Money
from .order import Order


def money_text(amount: Decimal, currency: str) -> str:
    return f"{Money(amount, currency).format()} {currency}"


@dataclass(frozen=True)
class Reason:
    area: str  # payment | fulfillment | archive
    code: str
    message: str
    action: str | None = None


def _first_fulfilled_at(order: Order) -> datetime | None:
    times = [f.created_at for f in order.fulfillments if f.counts and f.created_at is not None]
    return min(times) if times else None


def payment_reasons(order: Order, at: datetime) -> list[Reason]:
    if order.cancelled_at is not None or order.total_outstanding <= 0:
        return []
    due = money_text(order.total_outstanding, order.presentment_currency)
    reasons: list[Reason] = []
    txs = order.transactions
    for auth in ledger.open_authorizations(txs, at):
        left = money_text(ledger.capturable(auth, txs, at), order.presentment_currency)
        expires = f" before it expires on {auth.authorization_expires_at:%Y-%m-%d %H:%M} UTC" if auth.authorization_expires_at else ""
        reasons.append(
            Reason(
                "payment",
                "authorized_not_captured",
                f"{left} is authorized on {auth.gateway} but not captured.",
                f"Capture the payment{expires}.",
            )
        )
    expired = [
        t for t in txs if t.kind == "authorization" and t.succeeded and ledger.is_expired(t, at) and ledger.captured_against(t, txs) == 0
    ]
    for auth in expired:
        reasons.append(
            Reason(
                "payment",
                "authorization_expired",
                f"The authorization of {money_text(auth.amount.presentment.amount, order.presentment_currency)} expired before it was captured.",
                "Ask the customer to pay again, or mark the order as paid if the money arrived another way.",
            )
        )
    pending = [t for t in txs if t.status == "pending" and t.kind in ("sale", "capture", "authorization")]
    for tx in pending:
        method = (tx.receipt or {}).get("manual_method") or tx.gateway
        reasons.append(
            Reason(
                "payment",
                "payment_pending",
                f"A {tx.kind} of {money_text(tx.amount.presentment.amount, order.presentment_currency)} via {method} is pending.",
                "Mark the order as paid when the money arrives.",
            )
        )
    failed = [t for t in txs if t.status in ("failure", "error") and t.kind in ("sale", "authorization", "capture")]
    if failed:
        last = failed[-1]
        reasons.append(
            Reason(
                "payment",
                "payment_failed",
                f"The last {last.kind} on {last.gateway} failed: {last.message or last.error_code or last.status}.",
                "Ask the customer for another payment method, or record a payment.",
            )
        )
    terms = order.payment_terms
    if terms is not None:
        due_at = terms.due_at(_first_fulfilled_at(order))
        if due_at is not None and terms.overdue(at, True, _first_fulfilled_at(order)):
            days = (at - due_at).days
            reasons.append(
                Reason(
                    "payment",
                    "payment_overdue",
                    f"{due} was due on {due_at:%Y-%m-%d} ({terms.name}) and is {days} day{'s' if days != 1 else ''} overdue.",
                    "Send a payment reminder or mark the order as paid.",
                )
            )
        elif due_at is not None:
            reasons.append(Reason("payment", "payment_due", f"{due} is due on {due_at:%Y-%m-%d} ({terms.name}).", None))
        else:
            reasons.append(
                Reason(
                    "payment",
                    "payment_due_on_fulfillment",
                    f"{due} becomes due when the order is fulfilled ({terms.name}).",
                    "Fulfill the order.",
                )
            )
    if not reasons:
        reasons.append(
            Reason(
                "payment", "no_payment", f"{due} is outstanding and no payment has been attempted.", "Record a payment or send an invoice."
            )
        )
    return reasons


def fulfillment_reasons(order: Order, at: datetime | None = None, services: Mapping[int, Any] | None = None) -> list[Reason]:
    """Why items are still to ship. With the order's fulfillment orders loaded, also holds,
    schedules and fulfillment-service requests; ``services`` maps a service id to an object
    with ``name`` and ``response_deadline_seconds``."""
    if order.cancelled_at is not None:
        return []
    waiting = sum(order.fulfillable_quantity(line) for line in order.line_items)
    if waiting == 0:
        return []
    status = order.fulfillment_status
    what = "partially fulfilled" if status == "partial" else "unfulfilled"
    reasons = [
        Reason(
            "fulfillment",
            "awaiting_fulfillment",
            f"{waiting} item{'s' if waiting != 1 else ''} still to fulfill; the order is {what}.",
            "Fulfill the remaining items.",
        )
    ]
    return reasons + fulfillment_order_reasons(order, at, services or {})


def _when(value: datetime | None) -> str:
    if value is None:
        return "an unknown date"
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return f"{value:%Y-%m-%d %H:%M} UTC"


def fulfillment_order_reasons(order: Order, at: datetime | None, services: Mapping[int, Any]) -> list[Reason]:
    reasons: list[Reason] = []
    for fo in order.fulfillment_orders or []:
        if fo.status in ("closed", "cancelled", "incomplete") or fo.remaining == 0:
            continue
        if fo.status == "on_hold":
            for hold in fo.holds:
                notes = f": {hold.reason_notes}" if hold.reason_notes else ""
                reasons.append(
                    Reason(
                        "fulfillment",
                        "fulfillment_on_hold",
                        f"Fulfillment is on hold ({hold.reason.replace('_', ' ')}){notes}.",
                        "Resolve the reason and release the hold.",
                    )
                )
        if fo.status == "scheduled":
            reasons.append(
                Reason(
                    "fulfillment",
                    "fulfillment_scheduled",
                    f"Fulfillment is scheduled for {_when(fo.fulfill_at)}.",
                    "Wait until then, or mark the fulfillment order as ready to fulfill now.",
                )
            )
        service = services.get(fo.service_id) if fo.service_id is not None else None
        name = service.name if service is not None else "The fulfillment service"
        request = fo.last_request("fulfillment_request")
        if fo.request_status == "submitted" and request is not None and at is not None and service is not None:
            try:
                sent = datetime.fromisoformat(request["sent_at"])
            except (KeyError, TypeError, ValueError):
                sent = None
            if sent is not None and (at - sent).total_seconds() > service.response_deadline_seconds:
                reasons.append(
                    Reason(
                        "fulfillment",
                        "fulfillment_request_unanswered",
                        f"{name} has not answered the fulfillment request sent on {_when(sent)}.",
                        "Contact the service or move the fulfillment order to another location",
                    )
                )
        if fo.request_status == "rejected":
            answer = (request or {}).get("response") or {}
            why = ", ".join(x for x in ((answer.get("reason") or "").replace("_", " "), answer.get("message") or "") if x)
            reasons.append(
                Reason(
                    "fulfillment",
                    "fulfillment_request_rejected",
                    f"{name} rejected the fulfillment request{': ' + why if why else ''}.",
                    "Fix the problem and request fulfillment again, or move the fulfillment order to another location.",
                )
            )
    return reasons


# What each auto-archive blocker means on the diagnosis (the rule itself is in archiving.py).
_ARCHIVE_WORDS = {
    "cancelled_money_held": (
        "cancelled_not_archived",
        "The order is cancelled but not archived: money is still held or was never paid.",
        "Archive the order.",
    ),
    "not_paid": ("not_paid", "The order is not fully paid, so it stays open.", None),
    "not_fulfilled": ("not_fulfilled", "Items are still to fulfill, so it stays open.", None),
}


def archive_reasons(order: Order, at: datetime) -> list[Reason]:
    """Why the order is still open, from the same rule the auto-archive job applies."""
    if order.closed_at is not None:
        return []
    found = archiving.blockers(order)
    if not found:
        return [
            Reason(
                "archive", "ready_to_archive", "The order is paid and fulfilled, or nothing is left to pay or ship.", "Archive the order."
            )
        ]
    return [Reason("archive", *_ARCHIVE_WORDS[b.code]) for b in found if b.code in _ARCHIVE_WORDS]


def diagnose(order: Order, at: datetime, services: Mapping[int, Any] | None = None) -> list[Reason]:
    return payment_reasons(order, at) + fulfillment_reasons(order, at, services) + archive_reasons(order, at)
