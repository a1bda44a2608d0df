"""The rules of a fulfillment order's life: its statuses, the moves between them, and why a move is refused.

Every move is in ``TRANSITIONS``: (status, action) -> new status. An action that is not in
the table raises InvalidTransition with the reason a merchant can act on.
"""

from __future__ import annotations

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
