"""Fulfillment orders: what one location has to ship for an order, and what may happen to it
(the rules are in ``fulfillment_order_rules``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .errors import InvalidInput, InvalidTransition, NotFound
from .events import FulfillmentOrderChanged
from .fulfillment_order_rules import (
    AT_SERVICE,
    HOLD_REASONS,
    LIVE,
    NOT_ACCEPTED_YET,
    NOT_AT_SERVICE,
    REJECTION_REASONS,
    REQUEST_FROM,
    REQUEST_IN_FLIGHT,
    REQUEST_LOCKS,
    SERVICE_MAY_SHIP,
    TRANSITIONS,
    WHY_NOT,
)

if TYPE_CHECKING:
    from .order import Order

# Quantities by fulfillment-order line id, as requests name them. Lines not stored yet have no id
# (None): the domain allows working on them, but two such lines share the key, so services save
# fulfillment orders before naming their lines (placing adds the order before automation runs).
LineQuantities = Mapping[int, int] | Mapping[int | None, int]


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
            raise InvalidInput("must be in the future", field="new_fulfill_at")
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

    def fulfill(self, quantities: LineQuantities, at: datetime, names: dict[int, str] | None = None) -> dict[int, int]:
        """Take quantities (by fulfillment-order line id; empty means everything left).

        Returns what was taken by order line item id. Raises InvalidInput for more than
        remains or an unknown line, InvalidTransition when the order is held or closed.
        ``names`` (line item id -> the line's name) lets a refusal name the item, not its id.
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
                what = (names or {}).get(line.line_item_id) or f"line item {line.line_item_id}"
                raise InvalidInput(
                    f"Cannot fulfill {qty} of {what}: {line.fulfillable_quantity} remain",
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

    def split(self, line_quantities: Mapping[int, int | None]) -> list[FulfillmentOrderLine]:
        """Keep only these unshipped quantities (by fulfillment-order line id; a line named
        without a quantity is kept whole) and what was shipped; the rest leaves, returned as
        lines for a new fulfillment order. Shopify splits this way for partial holds and requests."""
        wanted = self._wanted(line_quantities, strict=False)
        return self._keep(wanted)

    def _wanted(self, line_quantities: Mapping[int, int | None] | None, *, strict: bool) -> dict[int | None, int]:
        """Unshipped quantities by line id, checked against what remains. Empty means all of it;
        ``strict`` refuses a line named without a quantity."""
        if not line_quantities:
            return {line.id: line.fulfillable_quantity for line in self.lines if line.fulfillable_quantity}
        by_id = {line.id: line for line in self.lines}
        wanted: dict[int | None, int] = {}
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

    def _keep(self, wanted: Mapping[int | None, int]) -> list[FulfillmentOrderLine]:
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
        for entry in self.merchant_requests[::-1]:
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


# --- an order's fulfillment orders -----------------------------------------------------


def fulfillment_order(order: Order, fo_id: int) -> FulfillmentOrder:
    for fo in order.fulfillment_orders or []:
        if fo.id == fo_id:
            return fo
    raise NotFound("Not Found")


def note_change(order: Order, fo: FulfillmentOrder, action: str, at: datetime, author: str | None = None, detail: str = "") -> None:
    order.updated_at = at
    order.events.append(FulfillmentOrderChanged(at=at, author=author, action=action, fulfillment_order_id=fo.id, detail=detail))


def cancel_fulfillment_order(
    order: Order, fo: FulfillmentOrder, at: datetime, *, by_service: bool = False, message: str | None = None
) -> FulfillmentOrder | None:
    """Cancel a fulfillment order: the merchant's cancel, or (``by_service``) the service
    accepting a cancellation request, with its message.

    Shopify opens a replacement for the units not shipped, so they are not lost; the cancelled
    one keeps only what it shipped. Returns the replacement, if anything was left.
    """
    leaving = fo.accept_cancellation(message, at) if by_service else fo.cancel(at)
    if not leaving:
        return None
    replacement = FulfillmentOrder(fo.assigned_location_id, leaving, at, at, service_id=fo.service_id, service_handle=fo.service_handle)
    order.add_fulfillment_order(replacement)
    return replacement


def check_cancellable(order: Order) -> None:
    """Raise unless the order's fulfillment orders let it be cancelled: not while a fulfillment
    service has a request for it (withdraw a submitted request by cancelling the fulfillment
    order; an accepted one ends only when the service accepts a cancellation request)."""
    pending = [
        fo
        for fo in order.fulfillment_orders or []
        if fo.status in LIVE and fo.service_id is not None and fo.request_status in REQUEST_IN_FLIGHT
    ]
    if not pending:
        return
    if all(fo.request_status == "submitted" for fo in pending):
        raise InvalidTransition(
            "A fulfillment service has a fulfillment request for this order that it has not accepted yet; "
            "withdraw it by cancelling the fulfillment order first",
            field="order",
        )
    raise InvalidTransition(
        "A fulfillment service has a fulfillment request for this order; request cancellation of the fulfillment order "
        "and cancel the order once the service accepts the cancellation request",
        field="order",
    )


def close_for_cancelled_order(order: Order, at: datetime) -> list[FulfillmentOrder]:
    """The order was cancelled: its live fulfillment orders close with nothing left to ship
    (holds and schedules with them). Returns the ones that closed."""
    closed = [fo for fo in order.fulfillment_orders or [] if fo.status in LIVE]
    for fo in closed:
        fo.close_for_cancelled_order(at)
    return closed


def units_no_longer_owed(order: Order) -> list[tuple[FulfillmentOrder, int, int]]:
    """Unshipped units live fulfillment orders still offer beyond what the order owes (a refund
    took them off the order), as (fulfillment order, line item id, units): the newest fulfillment
    orders give units up first. The stock committed to those units follows the same rule."""
    live = [fo for fo in order.fulfillment_orders or [] if fo.status in LIVE]
    out: list[tuple[FulfillmentOrder, int, int]] = []
    for line in order.line_items:
        excess = sum(fl.fulfillable_quantity for fo in live for fl in fo.lines if fl.line_item_id == line.id)
        excess -= order.fulfillable_quantity(line)
        for fo in reversed(live):
            if excess <= 0:
                break
            offered = sum(fl.fulfillable_quantity for fl in fo.lines if fl.line_item_id == line.id)
            take = min(excess, offered)
            if take > 0 and line.id is not None:
                out.append((fo, line.id, take))
                excess -= take
    return out


def trim_to_owed(order: Order, at: datetime) -> list[FulfillmentOrder]:
    """After a refund took unshipped units off the order (restock_type cancel, or no_restock of
    units never shipped), live fulfillment orders must not offer them any more: shipping them
    would send refunded goods and take the stock twice. The newest fulfillment orders give
    units up first; one left with nothing to ship closes. Returns those that changed."""
    changed: list[FulfillmentOrder] = []
    for fo, line_item_id, qty in units_no_longer_owed(order):
        fo.drop_unshipped(line_item_id, qty, at)
        if fo not in changed:
            changed.append(fo)
    for fo in changed:
        if not any(fl.fulfillable_quantity for fl in fo.lines):
            # Nothing left to ship: closed, as when the order is cancelled.
            fo.close_for_cancelled_order(at)
    return changed
