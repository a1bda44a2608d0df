"""Refunds: calculate a suggested refund, create one, list and get them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from ...domain.money import to_decimal
from ...domain.refunds import LineRequest, RefundRequest, TransactionRequest
from ...representation.common import only_fields
from ...representation.payments import calculation_json, refund_json
from ...services import payments as payment_service
from ...services import refunds as refund_service
from .. import openapi_models as shapes
from .. import params
from ..auth import Principal, requires
from ..body import json_body, unwrap
from ..errors import ApiError
from ..openapi import FIELDS, documented
from ..writes import respond

router = APIRouter()
Amount = Decimal | int | str


class RefundLineIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    line_item_id: int = Field(ge=1, le=2**63 - 1)
    quantity: int = Field(ge=1, le=100_000)
    restock_type: Literal["no_restock", "cancel", "return"] = "no_restock"
    location_id: int | None = None


class RefundTransactionIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    parent_id: int | None = Field(default=None, ge=1, le=2**63 - 1)
    amount: Amount
    kind: Literal["refund"] = "refund"
    gateway: str | None = None


class ShippingIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    full_refund: bool = False
    amount: Amount | None = None


class RefundIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    currency: str | None = None
    notify: bool = False
    note: str | None = Field(default=None, max_length=5000)
    discrepancy_reason: Literal["restock", "damage", "customer", "other"] | None = None
    shipping: ShippingIn | None = None
    refund_line_items: list[RefundLineIn] = Field(default_factory=list, max_length=250)
    transactions: list[RefundTransactionIn] | None = Field(default=None, max_length=50)


def refund_request(data: dict[str, Any], *, with_transactions: bool = True) -> RefundRequest:
    refund = RefundIn.model_validate(data)
    return RefundRequest(
        lines=tuple(LineRequest(li.line_item_id, li.quantity, li.restock_type, li.location_id) for li in refund.refund_line_items),
        shipping_full=bool(refund.shipping and refund.shipping.full_refund),
        shipping_amount=None
        if refund.shipping is None or refund.shipping.amount is None
        else to_decimal(refund.shipping.amount, field="shipping"),
        transactions=None
        if refund.transactions is None or not with_transactions
        else tuple(TransactionRequest(t.parent_id, to_decimal(t.amount, field="transactions"), t.gateway) for t in refund.transactions),
        note=refund.note,
        notify=refund.notify,
        currency=refund.currency,
    )


def amount_refund(amount: Any, currency: Any) -> RefundRequest:
    value = to_decimal(amount if not isinstance(amount, float) else str(amount), field="amount")
    return RefundRequest(amount=value, currency=None if currency is None else str(currency))


@router.post("/orders/{order_id}/refunds/calculate.json", summary="Calculate a suggested refund")
@documented(body={"refund": RefundIn}, body_required=False, returns={"refund": shapes.RefundCalculation})
def calculate(
    order_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(requires("read_orders"))
) -> dict[str, Any]:
    services = request.app.state.services
    data = unwrap(body, "refund", required=False)
    order, refund_plan = refund_service.calculate_refund(
        services, order_id, refund_request(data, with_transactions=False), caller=principal
    )
    return {"refund": calculation_json(order, refund_plan, services.shop())}


@router.post("/orders/{order_id}/refunds.json", status_code=201, summary="Create a refund (accepts Idempotency-Key)")
@documented(body={"refund": RefundIn}, returns={"refund": shapes.Refund}, idempotent=True)
def create(
    order_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(requires("write_orders"))
) -> Response:
    services = request.app.state.services
    data = unwrap(body, "refund")
    spec = refund_request(data)

    def work(uow):
        outcome = refund_service.create_refund(services, order_id, spec, caller=principal, uow=uow)
        shop = services.shop()
        if outcome.refund is None:
            messages = [f"{t.gateway}: {t.message or t.error_code or t.status}" for t in outcome.failures]
            return 422, {"errors": {"transactions": messages}}
        return 201, {"refund": refund_json(outcome.order, outcome.refund, shop)}

    return respond(request, principal, work)


@router.get("/orders/{order_id}/refunds.json", summary="List an order's refunds")
@documented(query=(FIELDS,), returns={"refunds": list[shapes.Refund]})
def list_refunds(order_id: int, request: Request, principal: Principal = Depends(requires("read_orders"))) -> dict[str, Any]:
    services = request.app.state.services
    order = payment_service.list_transactions(services, order_id, caller=principal)
    fields = params.field_list(request.query_params.get("fields"))
    shop = services.shop()
    return {"refunds": [only_fields(refund_json(order, r, shop), fields) for r in order.refunds]}


@router.get("/orders/{order_id}/refunds/{refund_id}.json", summary="Get one refund")
@documented(query=(FIELDS,), returns={"refund": shapes.Refund})
def get_refund(order_id: int, refund_id: int, request: Request, principal: Principal = Depends(requires("read_orders"))) -> dict[str, Any]:
    services = request.app.state.services
    order = payment_service.list_transactions(services, order_id, caller=principal)
    refund = next((r for r in order.refunds if r.id == refund_id), None)
    if refund is None:
        raise ApiError(404, "Not Found")
    fields = params.field_list(request.query_params.get("fields"))
    return {"refund": only_fields(refund_json(order, refund, services.shop()), fields)}
