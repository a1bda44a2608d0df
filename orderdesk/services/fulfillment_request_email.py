"""Fulfillment and cancellation requests by email, for manual (custom) fulfillment services.

A service registered with an ``email`` is sent each fulfillment request and each cancellation
request as an ordinary notification email (templates ``fulfillment_request`` and
``cancellation_request``, editable and previewable like the others), through the same outbox
and SMTP path as customer emails. The requested lines are
kept in the row, so a retry describes the request as it was made, not the order as it is now.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from ..domain.fulfillment_orders import FulfillmentOrder
from ..domain.order import Order
from . import outbox

TEMPLATE = "fulfillment_request"
CANCELLATION_TEMPLATE = "cancellation_request"
MAX_EMAIL_CHARS = 255
# One address, no display name: it goes into a To header as is.
ADDRESS = re.compile(r"[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+")


def check_address(value: Any) -> tuple[str | None, str | None]:
    """(the address or None to clear it, an error message or None)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if not isinstance(value, str) or len(value.strip()) > MAX_EMAIL_CHARS or not ADDRESS.fullmatch(value.strip()):
        return None, "is invalid"
    return value.strip(), None


def outbox_row(
    service: Any, order: Order, fo: FulfillmentOrder, message: str | None, at: datetime, template: str = TEMPLATE
) -> dict[str, Any]:
    """The ``email`` outbox row asking ``service`` to fulfil (or, with the cancellation template,
    no longer to fulfil) what ``fo`` now holds."""
    requested = [
        {"line_item_id": line.line_item_id, "quantity": line.fulfillable_quantity} for line in fo.lines if line.fulfillable_quantity
    ]
    return outbox.email(
        template,
        order,
        at,
        to=service["email"],
        recipient=service["email"],
        service_name=service["name"],
        fulfillment_order_id=fo.id,
        requested_lines=requested,
        message=message,
    )
