"""Fulfillment orders: what one location has to ship for an order, and what may happen to it.

Every move is in ``TRANSITIONS``: (status, action) -> new status. An action that is not in
the table raises InvalidTransition with the reason a merchant can act on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .errors import InvalidInput, InvalidTransition

STATUSES = ("open", "in_progress", "scheduled", "on_hold", "incomplete", "closed", "cancelled")
REQUEST_STATUSES = (
    "unsubmitted",
    "submitted",
    "accepted",
    "rejected",
    "cancellation_requested",
    "cancellation_accepted",
    "cancellation_rejected",
    "closed",
)
HOLD_REASONS = (
    "awaiting_payment",
    "awaiting_return_items",
    "high_risk_of_fraud",
    "incorrect_address",
    "inventory_out_of_stock",
    "online_store_post_purchase_cross_sell",
    "unknown_delivery_date",
    "other",
)

# (status, action) -> status after it. "fulfill" ends in in_progress or closed by quantities.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("open", "hold"): "on_hold",
    ("in_progress", "hold"): "on_hold",
    ("on_hold", "hold"): "on_hold",  # holds stack
    ("on_hold", "release_hold"): "open",  # or scheduled / in_progress, see release_hold()
    ("open", "reschedule"): "scheduled",
    ("scheduled", "reschedule"): "scheduled",
    ("scheduled", "open"): "open",
    ("open", "move"): "closed",
    ("scheduled", "move"): "closed",
    ("open", "cancel"): "cancelled",
    ("in_progress", "cancel"): "cancelled",
    ("scheduled", "cancel"): "cancelled",
    ("on_hold", "cancel"): "cancelled",
    ("in_progress", "close"): "incomplete",
    ("open", "close"): "incomplete",
    ("open", "fulfill"): "in_progress",
    ("in_progress", "fulfill"): "in_progress",
    ("closed", "restore"): "in_progress",
    ("in_progress", "restore"): "in_progress",
    ("open", "restore"): "open",
    ("on_hold", "restore"): "on_hold",  # the hold stays; releasing it leads to the work left
    ("open", "request_fulfillment"): "open",
    ("in_progress", "request_fulfillment"): "in_progress",
    # Fulfillment-service answers and cancellation requests (request_status moves alongside).
    ("open", "accept_request"): "in_progress",
    ("open", "reject_request"): "open",
    ("open", "request_cancellation"): "open",
    ("in_progress", "request_cancellation"): "in_progress",
    ("open", "accept_cancellation"): "cancelled",
    ("in_progress", "accept_cancellation"): "cancelled",
    ("open", "reject_cancellation"): "open",
    ("in_progress", "reject_cancellation"): "in_progress",
    # The order was cancelled: nothing is left to ship, whatever stage the work was at.
    ("open", "order_cancelled"): "closed",
    ("in_progress", "order_cancelled"): "closed",
    ("scheduled", "order_cancelled"): "closed",
    ("on_hold", "order_cancelled"): "closed",
}
LIVE = ("open", "in_progress", "scheduled", "on_hold")

# request_status -> the request_statuses an action may start from.
REQUEST_FROM: dict[str, tuple[str, ...]] = {
    "request_fulfillment": ("unsubmitted", "rejected"),
    "accept_request": ("submitted",),
    "reject_request": ("submitted",),
    "request_cancellation": ("submitted", "accepted"),
    "accept_cancellation": ("cancellation_requested",),
    "reject_cancellation": ("cancellation_requested",),
}
REJECTION_REASONS = (
    "incorrect_address",
    "ineligible_product",
    "inventory_out_of_stock",
    "undeliverable_destination",
    "other",
)
NOT_AT_SERVICE = "the fulfillment order is not assigned to a fulfillment service"
# A fulfillment service ships its own fulfillment orders, and only once it has accepted the request.
SERVICE_MAY_SHIP = ("accepted", "cancellation_requested", "cancellation_rejected")
# While a request is with the service, the merchant's order can't be cancelled under it.
REQUEST_IN_FLIGHT = ("submitted",) + SERVICE_MAY_SHIP
NOT_ACCEPTED_YET = {
    "submitted": "The fulfillment service has not accepted the fulfillment request yet; it ships the items once it does.",
    "rejected": "The fulfillment service rejected the fulfillment request; request fulfillment again, or move the fulfillment order to one of your locations.",
}
AT_SERVICE = (
    "The fulfillment order is assigned to a fulfillment service, which ships it once it accepts a fulfillment request; "
    "request fulfillment, or move it to one of your locations."
)

# While a fulfillment service has a request for a fulfillment order, the merchant may not change
# what it was asked to ship: request_status -> {action: why not}. As on Shopify, a submitted
# request is withdrawn by cancelling the fulfillment order; an accepted one only by a cancellation
# request the service accepts (the action table in TRANSITIONS still applies on top of this).
_WITHDRAW = "cancel the fulfillment order to withdraw the request first"
_ASK = "request cancellation first, and the service cancels it once it accepts"
REQUEST_LOCKS: dict[str, dict[str, str]] = {
    "submitted": {
        action: f"A fulfillment request is with the fulfillment service; {_WITHDRAW}." for action in ("hold", "move", "reschedule")
    },
    "accepted": {
        **{action: f"The fulfillment service accepted the fulfillment request; {_ASK}." for action in ("hold", "move", "reschedule")},
        "cancel": f"The fulfillment service accepted the fulfillment request, so it can't be cancelled directly; {_ASK}.",
    },
    "cancellation_requested": {
        action: "A cancellation request is with the fulfillment service; wait for its answer, or cancel the fulfillment order."
        for action in ("hold", "move", "reschedule")
    },
    "cancellation_rejected": {
        action: "The fulfillment service rejected the cancellation request and is fulfilling the fulfillment order."
        for action in ("hold", "move", "reschedule", "cancel")
    },
}

WHY_NOT = {
    "on_hold": "The fulfillment order is on hold; release the hold first.",
    "scheduled": "The fulfillment order is scheduled; mark it as open first.",
    "closed": "The fulfillment order is closed.",
    "cancelled": "The fulfillment order is cancelled.",
    "incomplete": "The fulfillment order was closed as incomplete.",
}


@dataclass
class FulfillmentOrderLine:
    line_item_id: int
    quantity: int
    fulfilled: int = 0
    id: int | None = None

    @property
    def fulfillable_quantity(self) -> int:
        return max(self.quantity - self.fulfilled, 0)


@dataclass
class FulfillmentHold:
    reason: str
    reason_notes: str | None
    held_at: datetime


@dataclass
class FulfillmentOrder:
    assigned_location_id: int | None
    lines: list[FulfillmentOrderLine]
    created_at: datetime
    updated_at: datetime
    status: str = "open"
    request_status: str = "unsubmitted"
    id: int | None = None
    fulfill_at: datetime | None = None
    fulfill_by: datetime | None = None
    holds: list[FulfillmentHold] = field(default_factory=list)
    merchant_requests: list[dict[str, Any]] = field(default_factory=list)
    service_id: int | None = None
    # The service's handle (Shopify's fulfillment_service_handle), read along with the service.
    service_handle: str | None = None
    # The status to go back to when the last hold is released.
    status_before_hold: str | None = None

    # --- rules -------------------------------------------------------------------

    def check(self, action: str) -> str:
        """The status ``action`` leads to; raises InvalidTransition (changing nothing) if it may not happen now."""
        new = TRANSITIONS.get((self.status, action))
        if new is None:
            raise InvalidTransition(
                WHY_NOT.get(self.status, f"Cannot {action.replace('_', ' ')} a fulfillment order that is {self.status}."),
                field="fulfillment_order",
            )
        locked = self.request_lock(action)
        if locked:
            raise InvalidTransition(locked, field="fulfillment_order")
        return new

    def request_lock(self, action: str) -> str | None:
        """Why a fulfillment service's pending or accepted request forbids ``action`` now (see REQUEST_LOCKS)."""
        if self.service_id is None:
            return None
        return REQUEST_LOCKS.get(self.request_status, {}).get(action)

    def _move(self, action: str, at: datetime) -> str:
        new = self.check(action)
        self.updated_at = at
        return new

    def why_not_ship(self) -> str | None:
        """Why the merchant or service may not ship this fulfillment order now (beyond its status)."""
        if self.service_id is None or self.request_status in SERVICE_MAY_SHIP:
            return None
        return NOT_ACCEPTED_YET.get(self.request_status, AT_SERVICE)

    @property
    def remaining(self) -> int:
        return sum(line.fulfillable_quantity for line in self.lines)

    @property
    def supported_actions(self) -> list[str]:
        names = {
            "fulfill": "create_fulfillment",
            "request_fulfillment": "request_fulfillment",
            "cancel": "cancel_fulfillment_order",
            "move": "move",
            "hold": "hold",
            "release_hold": "release_hold",
            "open": "mark_as_open",
        }
        out = [label for action, label in names.items() if (self.status, action) in TRANSITIONS and self.request_lock(action) is None]
        if self.service_id is None or self.request_status not in REQUEST_FROM["request_fulfillment"]:
            out = [a for a in out if a != "request_fulfillment"]
        if self.service_id is not None and self.request_status == "accepted" and (self.status, "request_cancellation") in TRANSITIONS:
            # Shopify offers it once the service accepted; before that, cancelling withdraws the request.
            out.append("request_cancellation")
        if self.service_id is not None:
            # The service ships it (once it accepts the request), not the merchant.
            out = [a for a in out if a != "create_fulfillment"]
        if self.status == "on_hold":
            out = ["release_hold"]
        return out

    # --- actions -----------------------------------------------------------------

    def hold(self, reason: str, notes: str | None, at: datetime) -> bool:
        """Put the fulfillment order on hold. Returns True for the first hold (Shopify fires
        fulfillment_orders/placed_on_hold once)."""
        check_hold_reason(reason)
        new = self._move("hold", at)  # before anything changes: a refused hold leaves no trace
        first = self.status != "on_hold"
        if first:
            self.status_before_hold = self.status
        self.status = new
        self.holds.append(FulfillmentHold(reason, notes, at))
        return first

    def release_hold(self, at: datetime, reason: str | None = None) -> bool:
        """Release one hold (the given reason, or all). Returns True once no hold is left."""
        self._move("release_hold", at)
        if reason is None:
            self.holds = []
        else:
            self.holds = [h for h in self.holds if h.reason != reason]
        if self.holds:
            return False
        back = self.status_before_hold or "open"
        self.status = "scheduled" if self.fulfill_at is not None and self.fulfill_at > at and back == "scheduled" else back
        self.status_before_hold = None
        return True

    def reschedule(self, fulfill_at: datetime, at: datetime) -> None:
        if fulfill_at <= at:
            raise InvalidInput("new_fulfill_at must be in the future", field="new_fulfill_at")
        self.status = self._move("reschedule", at)
        self.fulfill_at = fulfill_at

    def mark_open(self, at: datetime) -> None:
        self.status = self._move("open", at)

    def close_for_move(
        self, at: datetime, line_quantities: dict[int, int] | None = None
    ) -> tuple[list[FulfillmentOrderLine], list[FulfillmentOrderLine]]:
        """The original of a move closes with nothing left on it. Returns (moving, staying): the
        lines (by fulfillment-order line id; None = all) for the new location, and the rest,
        which stay at this location on a new fulfillment order."""
        wanted = self._wanted(line_quantities, strict=True)
        self.status = self._move("move", at)
        staying = self._keep(wanted)
        moving = self._keep({})
        return moving, staying

    def cancel(self, at: datetime) -> list[FulfillmentOrderLine]:
        """Cancel; the unshipped units leave it (returned, for a replacement fulfillment order)."""
        self.status = self._move("cancel", at)
        self.request_status = "closed" if self.service_id else self.request_status
        return self._keep({})

    def close_for_cancelled_order(self, at: datetime) -> None:
        """The order was cancelled: nothing is left to ship, so no hold or request is pending either."""
        self.status = self._move("order_cancelled", at)
        self.request_status = "closed" if self.service_id else self.request_status
        self.holds = []
        self.status_before_hold = None
        self._keep({})

    def close(self, at: datetime, message: str | None = None) -> None:
        self.status = self._move("close", at)
        self.request_status = "closed"
        if message:
            self.merchant_requests.append({"kind": "close", "message": message, "sent_at": at.isoformat()})

    def fulfill(self, quantities: dict[int, int], at: datetime) -> dict[int, int]:
        """Take quantities (by fulfillment-order line id; empty means everything left).

        Returns what was taken by order line item id. Raises InvalidInput for more than
        remains or an unknown line, InvalidTransition when the order is held or closed.
        """
        new_status = self.check("fulfill")
        refusal = self.why_not_ship()
        if refusal:
            raise InvalidTransition(refusal, field="fulfillment_order")
        by_id = {line.id: line for line in self.lines}
        wanted = quantities or {line.id: line.fulfillable_quantity for line in self.lines if line.fulfillable_quantity}
        taken: dict[int, int] = {}
        for line_id, qty in wanted.items():
            line = by_id.get(line_id)
            if line is None:
                raise InvalidInput(
                    f"fulfillment order line item {line_id} is not on this fulfillment order", field="fulfillment_order_line_items"
                )
            if qty < 1 or qty > line.fulfillable_quantity:
                raise InvalidInput(
                    f"Cannot fulfill {qty} of line item {line.line_item_id}: {line.fulfillable_quantity} remain",
                    field="fulfillment_order_line_items",
                )
        if not wanted:
            raise InvalidTransition("Nothing is left to fulfill on this fulfillment order", field="fulfillment_order")
        self.updated_at = at
        for line_id, qty in wanted.items():
            line = by_id[line_id]
            line.fulfilled += qty
            taken[line.line_item_id] = taken.get(line.line_item_id, 0) + qty
        self.status = "closed" if self.remaining == 0 else new_status
        if self.status == "closed" and self.service_id:
            self.request_status = "closed"
        return taken

    def restore(self, quantities: dict[int, int], at: datetime) -> dict[int, int]:
        """A fulfillment was cancelled: its quantities (by line item id) are to ship again from
        here. Returns what was taken back (never more than was shipped from here)."""
        new = self._move("restore", at)
        taken = self._unship(quantities, leave=False)
        back_to = "in_progress" if any(line.fulfilled for line in self.lines) else "open"
        if new == "on_hold":
            if self.status_before_hold in ("open", "in_progress"):
                self.status_before_hold = back_to
        else:
            self.status = back_to
        if self.service_id and self.request_status == "closed":
            self.request_status = "accepted"  # the service shipped it; now it ships again
        return taken

    def leave_service(self, at: datetime) -> None:
        """Its fulfillment service was deleted: an ordinary unsubmitted fulfillment order at
        this location, for the merchant to fulfil or move (no request nobody can answer)."""
        self.service_id = None
        self.service_handle = None
        self.request_status = "unsubmitted"
        self.updated_at = at

    def give_back(self, quantities: dict[int, int], at: datetime) -> dict[int, int]:
        """A fulfillment from this finished (cancelled, incomplete, moved) fulfillment order was
        cancelled: the units no longer belong here; they are to ship from a live one. Returns
        what was taken back."""
        taken = self._unship(quantities, leave=True)
        self._forget_empty_lines()
        if taken:
            self.updated_at = at
        return taken

    def _unship(self, quantities: dict[int, int], *, leave: bool) -> dict[int, int]:
        """Take shipped units (by line item id) back; ``leave`` also takes them off this order."""
        taken: dict[int, int] = {}
        for line_item_id, qty in quantities.items():
            for line in self.lines:
                if line.line_item_id == line_item_id and qty > 0:
                    back = min(qty, line.fulfilled)
                    line.fulfilled -= back
                    if leave:
                        line.quantity -= back
                    qty -= back
                    if back:
                        taken[line_item_id] = taken.get(line_item_id, 0) + back
        return taken

    def take(self, lines: list[FulfillmentOrderLine], at: datetime) -> None:
        """Units to fulfil from here too (units given back by a finished fulfillment order)."""
        for new in lines:
            line = next((line for line in self.lines if line.line_item_id == new.line_item_id), None)
            if line is None:
                self.lines.append(FulfillmentOrderLine(new.line_item_id, new.quantity))
            else:
                line.quantity += new.quantity
        self.updated_at = at

    def split(self, line_quantities: dict[int, int | None]) -> list[FulfillmentOrderLine]:
        """Keep only these unshipped quantities (by fulfillment-order line id; a line named
        without a quantity is kept whole) and what was shipped; the rest leaves, returned as
        lines for a new fulfillment order. Shopify splits this way for partial holds and requests."""
        wanted = self._wanted(line_quantities, strict=False)
        return self._keep(wanted)

    def _wanted(self, line_quantities: dict[int, int | None] | None, *, strict: bool) -> dict[int, int]:
        """Unshipped quantities by line id, checked against what remains. Empty means all of it;
        ``strict`` refuses a line named without a quantity."""
        if not line_quantities:
            return {line.id: line.fulfillable_quantity for line in self.lines if line.fulfillable_quantity}
        by_id = {line.id: line for line in self.lines}
        wanted: dict[int, int] = {}
        for line_id, qty in line_quantities.items():
            line = by_id.get(line_id)
            if line is not None and not qty and not strict:
                qty = line.fulfillable_quantity
            if line is None or not qty or qty < 1 or qty > line.fulfillable_quantity:
                raise InvalidInput(
                    "fulfillment order line items must be on this fulfillment order and not more than remains",
                    field="fulfillment_order_line_items",
                )
            wanted[line_id] = qty
        return wanted

    def _keep(self, wanted: dict[int, int]) -> list[FulfillmentOrderLine]:
        """Keep what was shipped and the ``wanted`` unshipped units; the other unshipped units
        leave this fulfillment order (returned as lines), so no unit is ever on two of them."""
        leaving = []
        for line in self.lines:
            gone = line.fulfillable_quantity - wanted.get(line.id, 0)
            if gone > 0:
                leaving.append(FulfillmentOrderLine(line.line_item_id, gone))
                line.quantity -= gone
        self._forget_empty_lines()
        return leaving

    def drop_unshipped(self, line_item_id: int, quantity: int, at: datetime) -> int:
        """Take up to ``quantity`` unshipped units of an order line off (they were refunded
        without ever shipping). Returns how many it took."""
        dropped = 0
        for line in self.lines:
            if line.line_item_id == line_item_id and dropped < quantity:
                gone = min(quantity - dropped, line.fulfillable_quantity)
                line.quantity -= gone
                dropped += gone
        if dropped:
            self._forget_empty_lines()
            self.updated_at = at
        return dropped

    def _forget_empty_lines(self) -> None:
        # Shopify lists no line for units that left (a cancelled fulfillment order has line_items []).
        self.lines = [line for line in self.lines if line.quantity > 0]

    def split_off(self, line_quantities: dict[int, int] | None) -> list[FulfillmentOrderLine]:
        """Lines (by fulfillment-order line id; None = all that remain) to move elsewhere."""
        by_id = {line.id: line for line in self.lines}
        wanted = self._wanted(line_quantities, strict=True)
        return [FulfillmentOrderLine(by_id[line_id].line_item_id, qty) for line_id, qty in wanted.items()]

    # --- fulfillment-service requests ---------------------------------------------

    def _request_move(self, action: str, at: datetime) -> str:
        if self.service_id is None:
            raise InvalidTransition(NOT_AT_SERVICE, field="fulfillment_order")
        allowed = REQUEST_FROM[action]
        if self.request_status not in allowed:
            what = action.replace("_", " ")
            raise InvalidTransition(
                f"Cannot {what}: the request status is {self.request_status} (must be {' or '.join(allowed)})",
                field="fulfillment_order",
            )
        return self._move(action, at)

    def last_request(self, kind: str) -> dict[str, Any] | None:
        for entry in reversed(self.merchant_requests):
            if entry.get("kind") == kind:
                return entry
        return None

    def _answer(self, kind: str, status: str, at: datetime, **details: Any) -> None:
        entry = self.last_request(kind)
        if entry is not None:
            entry["response"] = {"status": status, "responded_at": at.isoformat(), **{k: v for k, v in details.items() if v is not None}}

    def request_fulfillment(
        self, message: str | None, at: datetime, line_quantities: dict[int, int] | None = None
    ) -> list[FulfillmentOrderLine]:
        """The merchant asks the service to fulfil (all, or some lines). Returns the lines
        (with quantities) left unsubmitted, which belong on a new fulfillment order."""
        new = self._request_move("request_fulfillment", at)
        # What is not submitted moves to a new unsubmitted fulfillment order.
        left = self.split(line_quantities) if line_quantities else []
        self.status = new
        self.request_status = "submitted"
        self.merchant_requests.append(
            {"message": message, "request_options": {"notify_customer": False}, "sent_at": at.isoformat(), "kind": "fulfillment_request"}
        )
        return left

    def accept_request(self, message: str | None, at: datetime) -> None:
        self.status = self._request_move("accept_request", at)
        self.request_status = "accepted"
        self._answer("fulfillment_request", "accepted", at, message=message)

    def reject_request(
        self, message: str | None, at: datetime, reason: str | None = None, line_items: list[dict[str, Any]] | None = None
    ) -> None:
        if reason is not None and reason not in REJECTION_REASONS:
            raise InvalidInput(f"reason must be one of {', '.join(REJECTION_REASONS)}", field="reason")
        self.status = self._request_move("reject_request", at)
        self.request_status = "rejected"
        self._answer("fulfillment_request", "rejected", at, message=message, reason=reason, line_items=line_items or None)

    def request_cancellation(self, message: str | None, at: datetime) -> None:
        self.status = self._request_move("request_cancellation", at)
        self.request_status = "cancellation_requested"
        self.merchant_requests.append(
            {"message": message, "request_options": {}, "sent_at": at.isoformat(), "kind": "cancellation_request"}
        )

    def accept_cancellation(self, message: str | None, at: datetime) -> list[FulfillmentOrderLine]:
        """The service will not ship it: cancelled, and the unshipped units leave it (returned,
        for a replacement fulfillment order)."""
        self.status = self._request_move("accept_cancellation", at)
        self.request_status = "cancellation_accepted"
        self._answer("cancellation_request", "accepted", at, message=message)
        return self._keep({})

    def reject_cancellation(self, message: str | None, at: datetime) -> None:
        self.status = self._request_move("reject_cancellation", at)
        self.request_status = "cancellation_rejected"
        self._answer("cancellation_request", "rejected", at, message=message)


def check_hold_reason(reason: str) -> None:
    if reason not in HOLD_REASONS:
        raise InvalidInput(f"reason must be one of {', '.join(HOLD_REASONS)}", field="reason")


def admin_status(orders: list[FulfillmentOrder]) -> str | None:
    """What the admin shows beside the REST fulfillment status: on_hold, scheduled, in_progress."""
    live = [fo for fo in orders if fo.status not in ("closed", "cancelled", "incomplete")]
    if any(fo.status == "on_hold" for fo in live):
        return "on_hold"
    if live and all(fo.status == "scheduled" for fo in live):
        return "scheduled"
    if any(fo.request_status in ("submitted", "accepted") for fo in live):
        return "in_progress"
    return None
