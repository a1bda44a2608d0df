"""The buttons on "What this order is waiting for": for each reason the diagnosis gives (by its
code, domain/diagnosis.py), the admin actions that would move the order on. Each links or posts
to the action's own route, and only when the member may use it and the order allows it now
(the same facts the payment box and the fulfillment card offer their controls by)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..domain.access import Caller
from ..domain.diagnosis import Reason
from ..domain.order import Order


@dataclass(frozen=True)
class Step:
    label: str
    url: str
    post: bool = False  # a form posting to ``url`` (else a link)
    fields: dict[str, str] = field(default_factory=dict)


# What each diagnosis code asks for, in the order the buttons appear.
ACTIONS_FOR: dict[str, tuple[str, ...]] = {
    "authorized_not_captured": ("capture",),
    "authorization_expired": ("mark_as_paid",),
    "payment_pending": ("mark_as_paid",),
    "payment_failed": ("mark_as_paid",),
    "no_payment": ("mark_as_paid",),
    "payment_overdue": ("payment_reminder", "mark_as_paid"),
    "payment_due_on_fulfillment": ("fulfill",),
    "awaiting_fulfillment": ("fulfill", "request_fulfillment"),
    "fulfillment_on_hold": ("release_hold",),
    "fulfillment_scheduled": ("reschedule",),
    "fulfillment_request_unanswered": ("move",),
    "fulfillment_request_rejected": ("request_fulfillment", "move"),
    "cancelled_not_archived": ("archive",),
    "ready_to_archive": ("archive",),
}


@dataclass(frozen=True)
class Facts:
    order: Order
    payment: Any  # domain.payment_summary.PaymentSummary
    fulfillment: Any  # services.fulfillment_overview.FulfillmentOverview
    caller: Caller

    def card_that_may(self, action: str):
        return next((c for c in self.fulfillment.cards if c.fo.id is not None and c.may(action)), None)

    @property
    def base(self) -> str:
        return f"/admin/orders/{self.order.id}"


def _capture(f: Facts) -> Step | None:
    if f.caller.may("payments") and f.payment.can_capture:
        return Step("Capture payment", "#payment")
    return None


def _mark_as_paid(f: Facts) -> Step | None:
    if f.caller.may("payments") and f.payment.can_mark_as_paid:
        return Step("Mark as paid", f"{f.base}/mark_as_paid", post=True)
    return None


def _payment_reminder(f: Facts) -> Step | None:
    if f.caller.may("orders") and f.order.email:
        return Step("Send payment reminder", f"{f.base}/resend", post=True, fields={"name": "payment_reminder"})
    return None


def _fo_step(action: str, label: str, *, post: bool, path: str | None = None) -> Callable[[Facts], Step | None]:
    def step(f: Facts) -> Step | None:
        card = f.card_that_may(action) if f.caller.may("fulfillment") else None
        if card is None:
            return None
        if path is None:  # the card's own form (a choice to make there)
            return Step(label, f"#fo-{card.fo.id}")
        return Step(label, f"{f.base}/fulfillment_orders/{card.fo.id}/{path}", post=post)

    return step


def _move(f: Facts) -> Step | None:
    card = f.card_that_may("move") if f.caller.may("fulfillment") else None
    if card is None or not f.fulfillment.move_targets.get(card.fo.id):
        return None
    return Step("Move to another location", f"#fo-{card.fo.id}")


def _archive(f: Facts) -> Step | None:
    if f.caller.may("orders") and f.order.closed_at is None:
        return Step("Archive", f"{f.base}/archive", post=True)
    return None


BUILDERS: dict[str, Callable[[Facts], Step | None]] = {
    "capture": _capture,
    "mark_as_paid": _mark_as_paid,
    "payment_reminder": _payment_reminder,
    "fulfill": _fo_step("fulfill", "Fulfill items", post=False, path="fulfill"),
    "request_fulfillment": _fo_step("request_fulfillment", "Request fulfillment", post=True, path="request_fulfillment"),
    "release_hold": _fo_step("release_hold", "Release hold", post=True, path="release_hold"),
    "reschedule": _fo_step("reschedule", "Reschedule", post=False),
    "move": _move,
    "archive": _archive,
}


def steps(reasons: list[Reason], order: Order, payment: Any, fulfillment: Any, caller: Caller) -> list[list[Step]]:
    """The buttons for each reason, in the reasons' order; a button already offered for an
    earlier reason is not repeated."""
    facts = Facts(order, payment, fulfillment, caller)
    offered: set[tuple[str, str]] = set()
    out: list[list[Step]] = []
    for reason in reasons:
        found = []
        for name in ACTIONS_FOR.get(reason.code, ()):
            step = BUILDERS[name](facts)
            if step is not None and (step.label, step.url) not in offered:
                offered.add((step.label, step.url))
                found.append(step)
        out.append(found)
    return out
