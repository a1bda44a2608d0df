"""What a fulfillment service is told of the merchant's requests: a signed notification to its
callback URL (an outbox row of kind ``service`` that the worker delivers and retries) and, for a
service known by its email, the request email."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..domain.fulfillment_orders import FulfillmentOrder
from ..domain.order import Order
from . import fulfillment_request_email as request_email

NOTIFICATION_TOPIC = "fulfillment_order_notification"
NOTIFICATION_KIND = "service"

# What a service known by its email is sent: the merchant's requests, never the service's own answers.
EMAILED_REQUESTS = {"request_fulfillment": request_email.TEMPLATE, "request_cancellation": request_email.CANCELLATION_TEMPLATE}

REQUEST_ACTIONS: dict[str, tuple[str, str, str | None]] = {
    "request_fulfillment": ("requested", "fulfillment_orders/fulfillment_request_submitted", "FULFILLMENT_REQUEST"),
    "accept_request": ("request_accepted", "fulfillment_orders/fulfillment_request_accepted", None),
    "reject_request": ("request_rejected", "fulfillment_orders/fulfillment_request_rejected", None),
    "request_cancellation": ("cancellation_requested", "fulfillment_orders/cancellation_request_submitted", "CANCELLATION_REQUEST"),
    "accept_cancellation": ("cancellation_accepted", "fulfillment_orders/cancellation_request_accepted", None),
    "reject_cancellation": ("cancellation_rejected", "fulfillment_orders/cancellation_request_rejected", None),
}


def notification(service: Any, kind: str, order: Order, fo: FulfillmentOrder, at: datetime) -> dict[str, Any]:
    """An outbox row the worker POSTs, signed, to ``{callback_url}/fulfillment_order_notification``."""
    payload = {"service_id": service["id"], "kind": kind, "order_id": order.id, "fulfillment_order_id": fo.id}
    return {
        "kind": NOTIFICATION_KIND,
        "topic": NOTIFICATION_TOPIC,
        "subject_id": order.id,
        "payload": payload,
        "created_at": at,
        "available_at": at,
    }


def notices(service: Any, action: str, order: Order, fo: FulfillmentOrder, message: str | None, at: datetime) -> list[dict[str, Any]]:
    """Outbox rows telling the service of the merchant's ``action``: a signed notification to its
    callback URL, the request email to its address. None for the service's own answers."""
    notify = REQUEST_ACTIONS[action][2]
    rows = []
    if notify and service["callback_url"]:
        rows.append(notification(service, notify, order, fo, at))
    if action in EMAILED_REQUESTS and service["email"]:
        rows.append(request_email.outbox_row(service, order, fo, message, at, template=EMAILED_REQUESTS[action]))
    return rows
