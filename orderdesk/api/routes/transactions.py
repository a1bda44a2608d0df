"""Transactions: list, count, get, create (authorize, capture, sale, void); mark as paid."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from ...domain.money import to_decimal
from ...gateways import PaymentMethod
from ...representation.common import only_fields
from ...representation.orders import order_json
from ...representation.payments import transaction_json
from ...services import payments as payment_service
from .. import openapi_models as shapes
from .. import params
from ..auth import Principal, requires
from ..body import json_body, unwrap
from ..errors import ApiError
from ..openapi import FIELDS, IGNORED, SINCE_ID, documented, text
from ..writes import respond

router = APIRouter()


class PaymentDetailsIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    credit_card_number: str | None = Field(default=None, max_length=32)


class TransactionIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    kind: Literal["authorization", "capture", "sale", "void", "refund"]
    amount: Decimal | int | str | None = None
    currency: str | None = None
    parent_id: int | None = Field(default=None, ge=1, le=2**63 - 1)
    gateway: str | None = Field(default=None, max_length=64)
    authorization: str | None = None
    status: Literal["success", "pending", "failure", "error"] | None = None
    source: str | None = None
    test: bool = False
    credit_card_number: str | None = Field(default=None, max_length=32)
    payment_details: PaymentDetailsIn | None = None
    manual_payment_method: str | None = None


def _amount(value) -> Decimal | None:
    """The client sends ``amount=""`` for "capture what is left" (``order.capture()``)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return to_decimal(value, field="amount")


@router.get("/orders/{order_id}/transactions.json", summary="List an order's transactions")
@documented(query=(SINCE_ID, FIELDS), returns={"transactions": list[shapes.Transaction]})
def list_transactions(order_id: int, request: Request, principal: Principal = Depends(requires("read_orders"))) -> dict[str, Any]:
    services = request.app.state.services
    order = payment_service.list_transactions(services, order_id, caller=principal)
    since_id = params.integer(request.query_params.get("since_id"), "since_id")
    fields = params.field_list(request.query_params.get("fields"))
    shop = services.shop()
    txs = [t for t in order.transactions if since_id is None or (t.id or 0) > since_id]
    return {"transactions": [only_fields(transaction_json(order, t, shop), fields) for t in txs]}


@router.get("/orders/{order_id}/transactions/count.json", summary="Count an order's transactions")
@documented(returns={"count": int})
def count_transactions(order_id: int, request: Request, principal: Principal = Depends(requires("read_orders"))) -> dict[str, int]:
    order = payment_service.list_transactions(request.app.state.services, order_id, caller=principal)
    return {"count": len(order.transactions)}


@router.get("/orders/{order_id}/transactions/{transaction_id}.json", summary="Get one transaction")
@documented(query=(FIELDS,), returns={"transaction": shapes.Transaction})
def get_transaction(
    order_id: int, transaction_id: int, request: Request, principal: Principal = Depends(requires("read_orders"))
) -> dict[str, Any]:
    services = request.app.state.services
    order = payment_service.list_transactions(services, order_id, caller=principal)
    tx = next((t for t in order.transactions if t.id == transaction_id), None)
    if tx is None:
        raise ApiError(404, "Not Found")
    fields = params.field_list(request.query_params.get("fields"))
    return {"transaction": only_fields(transaction_json(order, tx, services.shop()), fields)}


@router.post(
    "/orders/{order_id}/transactions.json",
    status_code=201,
    summary="Create a transaction: authorize, capture, sale or void (accepts Idempotency-Key)",
)
@documented(
    body={"transaction": TransactionIn},
    query=(text("source", "external: record a payment made elsewhere (then status may be given)"),),
    returns={"transaction": shapes.Transaction},
    idempotent=True,
)
def create_transaction(
    order_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(requires("write_orders"))
) -> Response:
    services = request.app.state.services
    data = TransactionIn.model_validate(unwrap(body, "transaction"))
    source = data.source or request.query_params.get("source")
    if data.status is not None and source != "external":
        raise ApiError(422, {"status": ["can only be given for external transactions (source=external)"]})
    card = data.credit_card_number or (data.payment_details.credit_card_number if data.payment_details else None)
    spec = payment_service.TransactionSpec(
        kind=data.kind,
        amount=_amount(data.amount),
        currency=data.currency,
        parent_id=data.parent_id,
        gateway=data.gateway,
        authorization=data.authorization,
        source=source,
        status=data.status,
        method=PaymentMethod(credit_card_number=card, manual_method=data.manual_payment_method),
        test=data.test,
    )

    def work(uow):
        order, tx = payment_service.create_transaction(services, order_id, spec, caller=principal, uow=uow)
        return 201, {"transaction": transaction_json(order, tx, services.shop())}

    return respond(request, principal, work)


@router.post("/orders/{order_id}/mark_as_paid.json", summary="Mark the order as paid (orderdesk extension)")
@documented(body=IGNORED, returns={"order": shapes.Order}, idempotent=True)
def mark_as_paid(
    order_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(requires("write_orders"))
) -> Response:
    services = request.app.state.services

    def work(uow):
        order = payment_service.mark_as_paid(services, order_id, caller=principal, uow=uow)
        return 200, {"order": order_json(order, services.shop())}

    return respond(request, principal, work)
