"""Loading orders on a caller's behalf: the one place the 60-day window is applied.

Every use case that reaches an order, by its id or through a fulfillment order, a fulfillment,
a refund or a query, loads it here with the caller it acts for, so an order the caller may
not see is NotFound whichever way it is reached (see domain/access.py). Orderdesk's own jobs
act as ``access.SYSTEM``, which sees every order.
"""

from __future__ import annotations

from datetime import datetime

from ..db.uow import UnitOfWork
from ..domain.access import Caller
from ..domain.errors import NotFound
from ..domain.order import Order
from .context import Services


def visible_since(services: Services, caller: Caller) -> datetime | None:
    """The oldest order ``caller`` may see, for queries over many orders (None: all)."""
    return caller.orders_visible_since(services.clock.now())


def read_order(services: Services, caller: Caller, order_id: int, *, fulfillment_orders: bool = False) -> Order:
    """The order as the caller may see it, outside any write."""
    with services.db.reading() as uow:
        return load(uow, services, caller, order_id, fulfillment_orders=fulfillment_orders)


def load(
    uow: UnitOfWork, services: Services, caller: Caller, order_id: int | None, *, for_update: bool = False, fulfillment_orders: bool = False
) -> Order:
    """The order in ``uow`` (locked when ``for_update``), or NotFound if the caller may not see it."""
    order = (
        uow.orders.get(
            order_id,
            for_update=for_update,
            created_since=visible_since(services, caller),
            fulfillment_orders=fulfillment_orders,
        )
        if order_id is not None
        else None
    )
    if order is None:
        raise NotFound("Not Found")
    return order


def load_for_change(
    uow: UnitOfWork, services: Services, caller: Caller, order_id: int | None, *, fulfillment_orders: bool = False
) -> Order:
    """The order locked for a change in ``uow``, or NotFound if the caller may not see it."""
    return load(uow, services, caller, order_id, for_update=True, fulfillment_orders=fulfillment_orders)
