"""What happened to an order: frozen, past-tense facts.

Each event knows its timeline entry (Shopify's event verb and message). Which webhooks and
emails an event causes is decided by the service layer's outbox mapping, not here.

``StatusReached`` events are derived, not facts: the order returns them with the facts that moved
its statuses (``Order.take_events``), and they have no timeline entry of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .payments import Transaction


@dataclass(frozen=True)
class OrderEvent:
    at: datetime
    author: str | None = None

    verb = "update"
    on_timeline = True

    def message(self, order_name: str) -> str:
        return f"{order_name} was updated."

    def arguments(self) -> dict[str, Any]:
        return {}


@dataclass(frozen=True)
class OrderPlaced(OrderEvent):
    verb = "placed"

    def message(self, order_name: str) -> str:
        return "Order was placed."


@dataclass(frozen=True)
class OrderConfirmed(OrderEvent):
    customer_name: str = ""
    verb = "confirmed"

    def message(self, order_name: str) -> str:
        who = self.customer_name or "a guest"
        return f"Received a new order: {order_name} by {who}."


@dataclass(frozen=True)
class OrderUpdated(OrderEvent):
    changed: tuple[str, ...] = ()
    verb = "update"

    def message(self, order_name: str) -> str:
        return f"{order_name} was updated ({', '.join(self.changed)})."

    def arguments(self) -> dict[str, Any]:
        return {"changed": list(self.changed)}


@dataclass(frozen=True)
class NoteChanged(OrderEvent):
    old: str | None = None
    new: str | None = None
    verb = "note_changed"

    def message(self, order_name: str) -> str:
        if not self.new:
            return "The order note was removed."
        return f"The order note was changed to: {self.new}"

    def arguments(self) -> dict[str, Any]:
        return {"old": self.old, "new": self.new}


@dataclass(frozen=True)
class TagsChanged(OrderEvent):
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    verb = "tags_changed"

    def message(self, order_name: str) -> str:
        parts = []
        if self.added:
            parts.append("added the tag" + ("s " if len(self.added) > 1 else " ") + ", ".join(self.added))
        if self.removed:
            parts.append("removed the tag" + ("s " if len(self.removed) > 1 else " ") + ", ".join(self.removed))
        return ("Staff " + " and ".join(parts) + ".") if parts else "Tags were unchanged."

    def arguments(self) -> dict[str, Any]:
        return {"added": list(self.added), "removed": list(self.removed)}


@dataclass(frozen=True)
class OrderClosed(OrderEvent):
    verb = "closed"

    def message(self, order_name: str) -> str:
        return "Order was closed."


@dataclass(frozen=True)
class OrderReopened(OrderEvent):
    verb = "re_opened"

    def message(self, order_name: str) -> str:
        return "Order was re-opened."


@dataclass(frozen=True)
class OrderCancelled(OrderEvent):
    reason: str = "other"
    restock: bool = False
    notify_customer: bool = False
    verb = "cancelled"

    def message(self, order_name: str) -> str:
        return f"Order was cancelled by {self.author or 'staff'} (reason: {self.reason})."

    def arguments(self) -> dict[str, Any]:
        return {"reason": self.reason, "restock": self.restock, "email": self.notify_customer}


@dataclass(frozen=True)
class LineItemsRestocked(OrderEvent):
    quantities: tuple[tuple[int, int], ...] = ()
    verb = "restock_line_items"

    def message(self, order_name: str) -> str:
        count = sum(q for _, q in self.quantities)
        return f"We restocked {count} item{'s' if count != 1 else ''}."

    def arguments(self) -> dict[str, Any]:
        return {"line_items": [{"line_item_id": i, "quantity": q} for i, q in self.quantities]}


@dataclass(frozen=True)
class PaymentRecorded(OrderEvent):
    """A transaction was recorded; its verb is ``{kind}_{status}`` as on Shopify."""

    kind: str = "sale"
    status: str = "success"
    amount: str = "0.00"
    currency: str = ""
    gateway: str = ""
    error: str | None = None

    @classmethod
    def of(cls, tx: Transaction, at: datetime, author: str | None = None) -> PaymentRecorded:
        """The timeline entry for a transaction: amount, gateway, outcome and error."""
        return cls(
            at=at,
            author=author,
            kind=tx.kind,
            status=tx.status,
            amount=tx.amount.presentment.format(),
            currency=tx.amount.presentment.currency,
            gateway=tx.gateway,
            error=tx.message if tx.status in ("failure", "error") else None,
        )

    @property
    def verb(self) -> str:  # type: ignore[override]
        return f"{self.kind}_{self.status if self.status != 'error' else 'failure'}"

    def message(self, order_name: str) -> str:
        money = f"{self.amount} {self.currency}"
        templates = {
            "authorization_success": f"The customer successfully authorized us to capture: {money}.",
            "authorization_failure": f"The customer, unsuccessfully, tried to authorize: {money}",
            "authorization_pending": f"Authorization for {money} is pending.",
            "capture_success": f"We successfully captured: {money}",
            "capture_failure": f"We failed to capture: {money}.",
            "capture_pending": f"Capture for {money} is pending.",
            "sale_success": f"We successfully captured {money}.",
            "sale_failure": f"The customer failed to pay {money}.",
            "sale_pending": f"The {money} is pending.",
            "void_success": "We successfully voided the authorization.",
            "void_failure": "We failed to void the authorization.",
            "void_pending": "Authorization void is pending.",
            "refund_success": f"We successfully refunded {money}.",
            "refund_failure": f"We failed to refund {money}.",
            "refund_pending": f"Refund of {money} is still pending.",
        }
        text = templates.get(self.verb, f"{self.kind} {self.status}: {money}")
        if self.gateway:
            text += f" (gateway: {self.gateway})"
        if self.error:
            text += f" Error: {self.error}"
        return text

    def arguments(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "status": self.status,
            "amount": self.amount,
            "currency": self.currency,
            "gateway": self.gateway,
            "error": self.error,
        }


@dataclass(frozen=True)
class FulfillmentRecorded(OrderEvent):
    item_count: int = 0
    verb = "fulfillment_success"

    def message(self, order_name: str) -> str:
        return f"We successfully fulfilled {self.item_count} item{'s' if self.item_count != 1 else ''}."

    def arguments(self) -> dict[str, Any]:
        return {"item_count": self.item_count}


@dataclass(frozen=True)
class OrderDeleted(OrderEvent):
    verb = "destroy"

    def message(self, order_name: str) -> str:
        return f"{order_name} was deleted."


@dataclass(frozen=True)
class AuthorizationExpired(OrderEvent):
    amount: str = "0.00"
    currency: str = ""
    gateway: str = ""
    verb = "authorization_expired"

    def message(self, order_name: str) -> str:
        return (
            f"The authorization for {self.amount} {self.currency} expired before it was captured; "
            "the money can no longer be collected from it."
        )

    def arguments(self) -> dict[str, Any]:
        return {"amount": self.amount, "currency": self.currency, "gateway": self.gateway}


@dataclass(frozen=True)
class RefundCreated(OrderEvent):
    amount: Any = 0
    currency: str = ""
    item_count: int = 0
    note: str | None = None
    # The refund's refund_discrepancy: money kept (a fee, > 0) or given beyond the goods' worth (< 0).
    kept: Any = 0
    verb = "refund_created"

    def message(self, order_name: str) -> str:
        items = f" for {self.item_count} item{'s' if self.item_count != 1 else ''}" if self.item_count else ""
        text = f"A refund of {self.amount} {self.currency} was issued{items}."
        if self.kept and self.kept > 0:
            text += f" {self.kept} {self.currency} was kept (refund discrepancy)."
        elif self.kept and self.kept < 0:
            text += f" {-self.kept} {self.currency} more than the items' worth was refunded (refund discrepancy)."
        if self.note:
            text += f" Note: {self.note}"
        return text

    def arguments(self) -> dict[str, Any]:
        out = {"amount": str(self.amount), "currency": self.currency, "item_count": self.item_count, "note": self.note}
        if self.kept:
            out["kept"] = str(self.kept)
        return out


@dataclass(frozen=True)
class PaymentReminderQueued(OrderEvent):
    amount: str = "0.00"
    currency: str = ""
    verb = "payment_reminder"

    def message(self, order_name: str) -> str:
        return f"A payment reminder for {self.amount} {self.currency} was sent to the customer."

    def arguments(self) -> dict[str, Any]:
        return {"amount": self.amount, "currency": self.currency}


@dataclass(frozen=True)
class FulfillmentCancelled(OrderEvent):
    name: str = ""
    item_count: int = 0
    verb = "fulfillment_cancelled"

    def message(self, order_name: str) -> str:
        return f"Fulfillment {self.name} was cancelled; {self.item_count} item{'s' if self.item_count != 1 else ''} are to fulfill again."

    def arguments(self) -> dict[str, Any]:
        return {"name": self.name, "item_count": self.item_count}


@dataclass(frozen=True)
class FulfillmentOrderChanged(OrderEvent):
    """A fulfillment order was held, released, moved, rescheduled, opened, cancelled or closed."""

    action: str = ""
    fulfillment_order_id: int | None = None
    detail: str = ""

    @property
    def verb(self) -> str:  # type: ignore[override]
        return f"fulfillment_order_{self.action}"

    def message(self, order_name: str) -> str:
        text = {
            "held": "Fulfillment was put on hold",
            "hold_released": "The fulfillment hold was released",
            "moved": "Fulfillment was moved",
            "rescheduled": "Fulfillment was rescheduled",
            "opened": "Fulfillment was marked as ready",
            "cancelled": "The fulfillment order was cancelled",
            "closed": "The fulfillment order was closed as incomplete",
            "scheduled_released": "Scheduled fulfillment is ready to fulfill",
            "requested": "Fulfillment was requested from the fulfillment service",
            "request_accepted": "The fulfillment service accepted the request",
            "request_rejected": "The fulfillment service rejected the request",
            "cancellation_requested": "Cancellation was requested from the fulfillment service",
            "cancellation_accepted": "The fulfillment service accepted the cancellation",
            "cancellation_rejected": "The fulfillment service rejected the cancellation",
            "deadline_set": "The fulfillment deadline was set",
        }.get(self.action, f"Fulfillment order {self.action}")
        return f"{text}{': ' + self.detail if self.detail else ''}."

    def arguments(self) -> dict[str, Any]:
        return {"fulfillment_order_id": self.fulfillment_order_id, "detail": self.detail}


@dataclass(frozen=True)
class ShipmentUpdated(OrderEvent):
    name: str = ""
    status: str = ""
    verb = "fulfillment_event"

    def message(self, order_name: str) -> str:
        return f"Shipment {self.name}: {self.status.replace('_', ' ')}."

    def arguments(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status}


@dataclass(frozen=True)
class StatusReached(OrderEvent):
    """The order's facts brought it to a derived status (see ``status.reached``).

    The payment or shipment that did it has its own timeline entry, so this has none; it
    stands for Shopify's orders/paid, orders/fulfilled and orders/partially_fulfilled."""

    on_timeline = False


@dataclass(frozen=True)
class OrderPaid(StatusReached):
    verb = "paid"


@dataclass(frozen=True)
class OrderFulfilled(StatusReached):
    verb = "fulfilled"


@dataclass(frozen=True)
class OrderPartiallyFulfilled(StatusReached):
    verb = "partially_fulfilled"
