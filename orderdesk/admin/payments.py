"""Payment actions in the admin: capture (all or part of what is authorized) and mark as paid."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from ..domain.access import Caller
from ..domain.money import to_decimal
from ..services import payments as payment_service
from .actions import act
from .auth import requires

router = APIRouter(include_in_schema=False)


@router.post("/admin/orders/{order_id}/capture")
def capture(order_id: int, request: Request, amount: str = Form(""), caller: Caller = Depends(requires("payments"))) -> Response:
    services = request.app.state.services

    def work():
        value = to_decimal(amount.strip(), field="amount") if amount.strip() else None
        spec = payment_service.TransactionSpec(kind="capture", amount=value)
        return payment_service.create_transaction(services, order_id, spec, caller=caller)[1]

    def said(tx) -> str:
        if not tx.succeeded:
            return f"The capture failed: {tx.message or tx.error_code or tx.status}."
        return f"Captured {tx.amount.presentment.display()}."

    return act(request, order_id, caller, work, said, values={"amount": amount}, anchor="#payment")


@router.post("/admin/orders/{order_id}/mark_as_paid")
def mark_as_paid(order_id: int, request: Request, caller: Caller = Depends(requires("payments"))) -> Response:
    services = request.app.state.services
    return act(
        request,
        order_id,
        caller,
        lambda: payment_service.mark_as_paid(services, order_id, caller=caller),
        "Marked as paid.",
        anchor="#payment",
    )
