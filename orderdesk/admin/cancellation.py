"""The cancel screen: a reason, restock, a full refund or none, notify the customer. The
cancellation use case decides whether the order may be cancelled and says why not."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ..domain import refundable
from ..domain.access import Caller
from ..domain.errors import DomainError, NotFound
from ..domain.money import Money
from ..domain.order import Order
from ..services import cancellation as cancellation_service
from ..services import payments as payment_service
from .actions import done
from .auth import requires
from .refunds import form_fields
from .templating import render

router = APIRouter(include_in_schema=False)

# Shopify's cancel reasons as its admin words them; the domain says which it accepts.
REASONS = {
    "customer": "Customer changed or cancelled order",
    "inventory": "Items unavailable",
    "fraud": "Fraudulent order",
    "declined": "Payment declined",
    "staff": "Staff error",
    "other": "Other",
}
# Fields with a place for their message on the form; any other is shown above the button.
SLOTS = {"reason", "refund"}
FRESH = {"reason": "customer", "restock": "1", "refund": "full", "notify": "1"}


def _page(
    request: Request, order: Order, values: dict[str, str], *, errors: dict[str, str] | None = None, status_code: int = 200
) -> HTMLResponse:
    money = refundable.money_left(order)
    context: dict[str, Any] = {
        "order": order,
        "reasons": REASONS,
        "refund_offer": order.in_both(money) if money > 0 else None,
        "values": values,
        "errors": {k if k in SLOTS else "order": v for k, v in (errors or {}).items()},
    }
    return render(request, "cancel/page.html", context, status_code=status_code)


@router.get("/admin/orders/{order_id}/cancel", response_class=HTMLResponse)
def cancel_form(order_id: int, request: Request, caller: Caller = Depends(requires("cancel"))) -> Response:
    try:
        order = payment_service.list_transactions(request.app.state.services, order_id, caller=caller)
    except NotFound:
        return render(request, "not_found.html", status_code=404)
    return _page(request, order, dict(FRESH))


@router.post("/admin/orders/{order_id}/cancel", response_class=HTMLResponse)
def cancel(
    order_id: int, request: Request, caller: Caller = Depends(requires("cancel")), fields: dict[str, str] = Depends(form_fields)
) -> Response:
    services = request.app.state.services
    restock, notify = fields.get("restock") == "1", fields.get("notify") == "1"
    try:
        order = payment_service.list_transactions(services, order_id, caller=caller)
    except NotFound:
        return render(request, "not_found.html", status_code=404)
    if fields.get("refund", "none") not in ("full", "none"):
        return _page(request, order, fields, errors={"refund": "Choose a full refund or no refund."}, status_code=422)
    refund = refundable.cancel_refund(order, restock=restock) if fields.get("refund") == "full" else None
    try:
        outcome = cancellation_service.cancel_order(
            services,
            order_id,
            reason=fields.get("reason") or None,
            restock=restock,
            email=notify,
            refund=refund,
            caller=caller,
        )
    except DomainError as exc:
        return _page(request, order, fields, errors={exc.field: exc.message}, status_code=422)
    message = "Order cancelled."
    if outcome.refund is not None:
        moved = sum((t.amount.presentment for t in outcome.refund.transactions), Money.zero(outcome.order.presentment_currency))
        message += f" Refunded {moved.display()}."
    return done(order_id, message)
