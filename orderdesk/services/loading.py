"""Loading orders for a use case: the 60-day window and the row lock."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..db.uow import UnitOfWork
from ..domain.errors import NotFound
from ..domain.order import Order
from .context import Services

# Orders older than this are invisible to tokens without read_all_orders, as on Shopify.
RECENT_ORDERS = timedelta(days=60)


def visible_since(services: Services, can_read_all: bool) -> datetime | None:
    return None if can_read_all else services.clock.now() - RECENT_ORDERS


def load_for_change(uow: UnitOfWork, order_id: int, since: datetime | None) -> Order:
    order = uow.orders.get(order_id, for_update=True, created_since=since)
    if order is None:
        raise NotFound("Not Found")
    return order
