"""Why an order is still unpaid, unfulfilled or open: the one read the API and the admin share."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.access import Caller
from ..domain.diagnosis import Reason, diagnose
from ..domain.order import Order
from .context import Services
from .loading import load


@dataclass(frozen=True)
class ServiceInfo:
    """What the diagnosis needs to know about a fulfillment service."""

    name: str
    response_deadline_seconds: int


def diagnose_order(services: Services, order_id: int, *, caller: Caller) -> tuple[Order, list[Reason]]:
    """The order (with its fulfillment orders) and every reason it is not done, with the
    fulfillment services its fulfillment orders are assigned to taken into account."""
    with services.db.reading() as uow:
        order = load(uow, services, caller, order_id, fulfillment_orders=True)
        ids = sorted({fo.service_id for fo in order.fulfillment_orders or [] if fo.service_id is not None})
        rows = uow.fulfillment_services.many(ids)
    infos = {sid: ServiceInfo(r["name"], r["response_deadline_seconds"]) for sid, r in rows.items()}
    return order, diagnose(order, services.clock.now(), infos)
