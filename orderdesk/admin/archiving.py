"""Archive and Unarchive from the order page's header (Shopify's words for closing and reopening)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from ..domain.access import Caller
from ..services import orders as order_service
from .actions import act
from .auth import requires

router = APIRouter(include_in_schema=False)


@router.post("/admin/orders/{order_id}/archive")
def archive(order_id: int, request: Request, caller: Caller = Depends(requires("orders"))) -> Response:
    services = request.app.state.services
    return act(request, order_id, caller, lambda: order_service.close_order(services, order_id, caller=caller), "Order archived.")


@router.post("/admin/orders/{order_id}/unarchive")
def unarchive(order_id: int, request: Request, caller: Caller = Depends(requires("orders"))) -> Response:
    services = request.app.state.services
    return act(request, order_id, caller, lambda: order_service.open_order(services, order_id, caller=caller), "Order unarchived.")
