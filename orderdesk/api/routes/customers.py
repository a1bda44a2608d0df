"""Customers, and the orders each has placed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from ...representation.common import only_fields
from ...representation.customers import customer_json
from ...services import customers as customer_service
from .. import openapi_models as shapes
from .. import pagination, params
from ..auth import Principal, requires
from ..body import json_body, unwrap
from ..openapi import FIELDS, IDS, LIMIT, SINCE_ID, documented
from ..writes import respond
from . import orders as order_routes

router = APIRouter()


class CustomerWrite(BaseModel):
    model_config = ConfigDict(extra="ignore")
    email: str | None = Field(default=None, max_length=255)
    first_name: str | None = Field(default=None, max_length=255)
    last_name: str | None = Field(default=None, max_length=255)
    phone: str | None = Field(default=None, max_length=64)
    note: str | None = Field(default=None, max_length=5000)
    tags: str | None = None
    # Stored NOT NULL: a flag is true or false, never null.
    accepts_marketing: bool = False
    tax_exempt: bool = False

    @field_validator("tags", mode="before")
    @classmethod
    def _no_tags(cls, value: Any) -> Any:
        """``"tags": null`` clears the tags, as on Shopify (the column holds "" for none)."""
        return "" if value is None else value


def _json(services, found) -> dict[str, Any]:
    customer, count, spent = found
    return customer_json(customer, services.shop(), orders_count=count, total_spent=spent)


@router.get("/customers.json", summary="List customers")
@documented(query=(LIMIT, SINCE_ID, IDS, FIELDS), returns={"customers": list[shapes.Customer]})
def list_customers(request: Request, principal: Principal = Depends(requires("read_customers"))) -> dict[str, Any]:
    services = request.app.state.services
    limit = pagination.parse_limit(request.query_params.get("limit"))
    since_id = params.integer(request.query_params.get("since_id"), "since_id") or 0
    ids = params.id_list(request.query_params.get("ids"), "ids")
    fields = params.field_list(request.query_params.get("fields"))
    found = customer_service.list_customers(services, limit=limit, since_id=since_id, ids=ids)
    return {"customers": [only_fields(_json(services, f), fields) for f in found]}


@router.get("/customers/count.json", summary="Count customers")
@documented(returns={"count": int})
def count_customers(request: Request, principal: Principal = Depends(requires("read_customers"))) -> dict[str, int]:
    return {"count": customer_service.count_customers(request.app.state.services)}


@router.get("/customers/{customer_id}.json", summary="Get one customer")
@documented(query=(FIELDS,), returns={"customer": shapes.Customer})
def get_customer(customer_id: int, request: Request, principal: Principal = Depends(requires("read_customers"))) -> dict[str, Any]:
    services = request.app.state.services
    fields = params.field_list(request.query_params.get("fields"))
    return {"customer": only_fields(_json(services, customer_service.get_customer(services, customer_id)), fields)}


@router.post("/customers.json", status_code=201, summary="Create a customer")
@documented(body={"customer": CustomerWrite}, returns={"customer": shapes.Customer}, idempotent=True)
def create_customer(
    request: Request, body: Any = Depends(json_body), principal: Principal = Depends(requires("write_customers"))
) -> Response:
    services = request.app.state.services
    data = CustomerWrite.model_validate(unwrap(body, "customer"))

    def work(uow):
        customer_id = customer_service.create_customer(services, data.model_dump(exclude_none=True), uow=uow)
        return 201, {"customer": _json(services, customer_service.customer_in(uow, customer_id))}

    return respond(request, principal, work)


@router.put("/customers/{customer_id}.json", summary="Update a customer")
@documented(body={"customer": CustomerWrite}, returns={"customer": shapes.Customer})
def update_customer(
    customer_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(requires("write_customers"))
) -> dict[str, Any]:
    services = request.app.state.services
    raw = unwrap(body, "customer")
    data = CustomerWrite.model_validate(raw)
    customer_service.update_customer(services, customer_id, {k: getattr(data, k) for k in CustomerWrite.model_fields if k in raw})
    return {"customer": _json(services, customer_service.get_customer(services, customer_id))}


@router.get("/customers/{customer_id}/orders.json", summary="The customer's orders")
@documented(query=order_routes.LIST_QUERY, returns={"orders": list[shapes.Order]})
def customer_orders(customer_id: int, request: Request, principal: Principal = Depends(requires("read_orders"))) -> Response:
    customer_service.get_customer(request.app.state.services, customer_id)
    return order_routes.list_response(request, principal, customer_id=customer_id)
