"""The fulfillment card: each fulfillment order's lines, named by the order's own lines, and
what the merchant may do with it now, for staff to read at a glance.

It asks the fulfillment order's own rules (``fulfillment_order_rules`` and
``FulfillmentOrder.supported_actions``) rather than restating them, so the admin offers exactly
what the services would accept.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InvalidTransition
from .fulfillment_order_rules import LIVE, TRANSITIONS
from .fulfillment_orders import FulfillmentOrder
from .order import Order

NOTHING_LEFT = "Nothing is left to fulfill on this fulfillment order."
NO_REQUEST = "There is no fulfillment request to cancel on this fulfillment order."

# The merchant's actions, in the order the admin offers them.
ACTIONS = (
    "fulfill",  # Fulfill items (choose quantities, add tracking) and Mark as fulfilled (everything left)
    "request_fulfillment",
    "cancel_request",
    "release_hold",
    "hold",
    "reschedule",
    "move",
)


@dataclass(frozen=True)
class LineSummary:
    fo_line_id: int | None
    line_item_id: int
    title: str
    variant_title: str | None
    sku: str | None
    variant_id: int | None
    quantity: int  # on this fulfillment order
    fulfilled: int  # shipped from it
    to_fulfill: int  # still to ship from it
    refunded: int  # of the order's line, wherever it was to ship from


@dataclass(frozen=True)
class FulfillmentOrderSummary:
    fo: FulfillmentOrder
    lines: list[LineSummary]
    actions: tuple[str, ...]
    # How "Cancel request" is done: a request the service has not accepted is withdrawn by
    # cancelling the fulfillment order ("cancel"); an accepted one needs the service's consent
    # ("request_cancellation"). None: there is no request to cancel.
    cancel_request_by: str | None

    def may(self, action: str) -> bool:
        return action in self.actions


def cancel_request_by(fo: FulfillmentOrder) -> str | None:
    if fo.service_id is None or fo.status not in LIVE:
        return None
    supported = fo.supported_actions
    if fo.request_status == "submitted" and "cancel_fulfillment_order" in supported:
        return "cancel"
    if "request_cancellation" in supported:
        return "request_cancellation"
    return None


def merchant_actions(fo: FulfillmentOrder) -> tuple[str, ...]:
    """What the merchant may do with ``fo`` now (names from ``ACTIONS``)."""
    supported = fo.supported_actions
    allowed = set()
    if "create_fulfillment" in supported and why_not_fulfill(fo) is None:
        allowed.add("fulfill")
    for action in ("request_fulfillment", "release_hold", "hold", "move"):
        if action in supported:
            allowed.add(action)
    if fo.status != "on_hold" and (fo.status, "reschedule") in TRANSITIONS and fo.request_lock("reschedule") is None:
        allowed.add("reschedule")
    if cancel_request_by(fo) is not None:
        allowed.add("cancel_request")
    return tuple(a for a in ACTIONS if a in allowed)


def summarize(order: Order) -> list[FulfillmentOrderSummary]:
    """Every fulfillment order of the order (live ones first, then in the order they were made)."""
    lines = {li.id: li for li in order.line_items}
    out = []
    for fo in order.fulfillment_orders or []:
        rows = []
        for fl in fo.lines:
            li = lines.get(fl.line_item_id)
            rows.append(
                LineSummary(
                    fo_line_id=fl.id,
                    line_item_id=fl.line_item_id,
                    title=li.title if li else f"Line item {fl.line_item_id}",
                    variant_title=li.variant_title if li else None,
                    sku=li.sku if li else None,
                    variant_id=li.variant_id if li else None,
                    quantity=fl.quantity,
                    fulfilled=fl.fulfilled,
                    to_fulfill=fl.fulfillable_quantity,
                    refunded=li.refunded_quantity if li else 0,
                )
            )
        out.append(FulfillmentOrderSummary(fo, rows, merchant_actions(fo), cancel_request_by(fo)))
    out.sort(key=lambda s: s.fo.status not in LIVE)
    return out


def why_not_fulfill(fo: FulfillmentOrder) -> str | None:
    """Why the merchant may not fulfil ``fo`` now, in the words the services would refuse with."""
    try:
        fo.check("fulfill")
    except InvalidTransition as exc:
        return exc.message
    if fo.why_not_ship():
        return fo.why_not_ship()
    if fo.remaining == 0:
        return NOTHING_LEFT
    return None


def check_cancel_request(fo: FulfillmentOrder) -> str:
    """How to cancel ``fo``'s fulfillment request (see ``cancel_request_by``); raises
    InvalidTransition when there is none the merchant may cancel."""
    by = cancel_request_by(fo)
    if by is None:
        raise InvalidTransition(NO_REQUEST, field="fulfillment_order")
    return by
