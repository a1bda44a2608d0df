"""Orders: list, count, get, create, update, close, open, cancel, delete, events."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from ...db import queries
from ...db.queries import OrderFilter
from ...representation.common import only_fields
from ...representation.events import event_json
from ...representation.orders import order_json
from ...schemas.orders import OrderCreate, OrderUpdate, new_order, order_changes
from ...services import cancellation
from ...services import diagnosis as diagnosis_service
from ...services import orders as order_service
from ...services.loading import visible_since
from .. import openapi_models as shapes
from .. import pagination, params
from ..auth import Principal, requires
from ..body import json_body, unwrap
from ..errors import ApiError
from ..openapi import FIELDS, IDS, IGNORED, LIMIT, PAGE_INFO, SINCE_ID, choice, documented, flag, text, timestamp
from ..writes import respond
from .refunds import RefundIn, amount_refund, refund_request

router = APIRouter()

STATUSES = ("open", "closed", "cancelled", "any")
FINANCIAL = ("authorized", "pending", "paid", "partially_paid", "refunded", "voided", "partially_refunded", "expired", "unpaid", "any")
FULFILLMENT = ("shipped", "partial", "unshipped", "any", "unfulfilled", "fulfilled", "restocked")
FILTER_PARAMS = (
    "ids",
    "since_id",
    "created_at_min",
    "created_at_max",
    "updated_at_min",
    "updated_at_max",
    "processed_at_min",
    "processed_at_max",
    "status",
    "financial_status",
    "fulfillment_status",
    "attribution_app_id",
)
# What the list and count routes read, for the OpenAPI document.
FILTER_QUERY = (
    IDS,
    SINCE_ID,
    *(
        timestamp(f"{field}_{end}", f"Only orders {field.split('_')[0]} at or {'after' if end == 'min' else 'before'} this time")
        for field in ("created_at", "updated_at", "processed_at")
        for end in ("min", "max")
    ),
    choice("status", STATUSES, "open (the default), closed (archived), cancelled, or any", default="open"),
    choice("financial_status", FINANCIAL, "Filter by financial status", default="any"),
    choice("fulfillment_status", FULFILLMENT, "Filter by fulfillment status", default="any"),
)
LIST_QUERY = (LIMIT, FIELDS, PAGE_INFO, *FILTER_QUERY)


def _filter(request: Request, raw: dict[str, str], principal: Principal, customer_id: int | None = None) -> OrderFilter:
    services = request.app.state.services
    tz = services.shop().iana_timezone
    return OrderFilter(
        status=params.choice(raw.get("status"), "status", STATUSES, "open"),
        financial_status=params.choice(raw.get("financial_status"), "financial_status", FINANCIAL, "any"),
        fulfillment_status=params.choice(raw.get("fulfillment_status"), "fulfillment_status", FULFILLMENT, "any"),
        ids=params.id_list(raw.get("ids"), "ids"),
        since_id=params.integer(raw.get("since_id"), "since_id"),
        created_at_min=params.timestamp(raw.get("created_at_min"), "created_at_min", tz),
        created_at_max=params.timestamp(raw.get("created_at_max"), "created_at_max", tz),
        updated_at_min=params.timestamp(raw.get("updated_at_min"), "updated_at_min", tz),
        updated_at_max=params.timestamp(raw.get("updated_at_max"), "updated_at_max", tz),
        processed_at_min=params.timestamp(raw.get("processed_at_min"), "processed_at_min", tz),
        processed_at_max=params.timestamp(raw.get("processed_at_max"), "processed_at_max", tz),
        customer_id=customer_id,
        visible_since=visible_since(services, principal),
    )


def list_response(request: Request, principal: Principal, customer_id: int | None = None) -> Response:
    services = request.app.state.services
    page = pagination.page_of(request, FILTER_PARAMS)
    flt = _filter(request, page.filters, principal, customer_id)
    with services.db.reading() as uow:
        orders, more = queries.list_orders(uow.conn, flt, limit=page.limit, cursor=page.cursor)
    shop = services.shop()
    body = {"orders": [only_fields(order_json(o, shop), page.fields) for o in orders]}
    first, last = ((orders[0].created_at, orders[0].saved_id), (orders[-1].created_at, orders[-1].saved_id)) if orders else (None, None)
    return JSONResponse(body, headers=pagination.links_for(request, page, first, last, more))


@router.get("/orders.json", summary="List orders (newest first; cursor pagination through Link)")
@documented(query=LIST_QUERY, returns={"orders": list[shapes.Order]})
def list_orders(request: Request, principal: Principal = Depends(requires("read_orders"))) -> Response:
    return list_response(request, principal)


@router.get("/orders/count.json", summary="Count orders matching the list filters")
@documented(query=FILTER_QUERY, returns={"count": int})
def count_orders(request: Request, principal: Principal = Depends(requires("read_orders"))) -> dict[str, int]:
    services = request.app.state.services
    flt = _filter(request, dict(request.query_params), principal)
    with services.db.reading() as uow:
        return {"count": queries.count_orders(uow.conn, flt)}


@router.get("/orders/{order_id}.json", summary="Get one order")
@documented(query=(FIELDS,), returns={"order": shapes.Order})
def get_order(order_id: int, request: Request, principal: Principal = Depends(requires("read_orders"))) -> dict[str, Any]:
    services = request.app.state.services
    order = order_service.get_order(services, order_id, caller=principal)
    fields = params.field_list(request.query_params.get("fields"))
    return {"order": only_fields(order_json(order, services.shop()), fields)}


@router.post("/orders.json", status_code=201, summary="Create an order (accepts Idempotency-Key)")
@documented(body={"order": OrderCreate}, returns={"order": shapes.Order}, idempotent=True)
def create_order(request: Request, body: Any = Depends(json_body), principal: Principal = Depends(requires("write_orders"))) -> Response:
    services = request.app.state.services
    data = OrderCreate.model_validate(unwrap(body, "order"))

    def work(uow):
        order = order_service.create_order(services, new_order(data, services.shop()), caller=principal, uow=uow)
        return 201, {"order": order_json(order, services.shop())}

    return respond(request, principal, work)


@router.put("/orders/{order_id}.json", summary="Update an order's note, tags, contact details or shipping address")
@documented(body={"order": OrderUpdate}, returns={"order": shapes.Order})
def update_order(
    order_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(requires("write_orders"))
) -> dict[str, Any]:
    services = request.app.state.services
    data = unwrap(body, "order")
    if "id" in data and data["id"] not in (None, order_id):
        raise ApiError(422, {"id": ["does not match the order in the path"]})
    order = order_service.update_order(services, order_id, order_changes(data), caller=principal)
    if order.customer is None and order.customer_id is not None:
        order = order_service.get_order(services, order_id, caller=principal)
    return {"order": order_json(order, services.shop())}


@router.delete("/orders/{order_id}.json", summary="Delete an order")
@documented(returns={})
def delete_order(order_id: int, request: Request, principal: Principal = Depends(requires("write_orders"))) -> dict[str, Any]:
    order_service.delete_order(request.app.state.services, order_id, caller=principal)
    return {}


def _order_action(request: Request, principal: Principal, action) -> Response:
    services = request.app.state.services

    def work(uow):
        return 200, {"order": order_json(action(uow), services.shop())}

    return respond(request, principal, work)


@router.post("/orders/{order_id}/close.json", summary="Close (archive) an order")
@documented(body=IGNORED, returns={"order": shapes.Order}, idempotent=True)
def close_order(
    order_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(requires("write_orders"))
) -> Response:
    services = request.app.state.services
    return _order_action(
        request,
        principal,
        lambda uow: order_service.close_order(services, order_id, caller=principal, uow=uow),
    )


@router.post("/orders/{order_id}/open.json", summary="Re-open (unarchive) an order")
@documented(body=IGNORED, returns={"order": shapes.Order}, idempotent=True)
def open_order(
    order_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(requires("write_orders"))
) -> Response:
    services = request.app.state.services
    return _order_action(
        request,
        principal,
        lambda uow: order_service.open_order(services, order_id, caller=principal, uow=uow),
    )


@router.post("/orders/{order_id}/cancel.json", summary="Cancel an order: void authorizations; refund, restock and notify when asked")
@documented(
    body={"reason": str, "email": bool, "restock": bool, "amount": str, "currency": str, "refund": RefundIn},
    body_required=False,
    query=(
        text("reason", "Why: customer, fraud, inventory, declined or other"),
        flag("email", "Email the customer"),
        flag("restock", "Restock the items"),
        text("amount", "Refund this amount (a decimal string)"),
        text("currency", "The currency of amount"),
    ),
    returns={"order": shapes.Order},
    idempotent=True,
)
def cancel_order(
    order_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(requires("write_orders"))
) -> Response:
    services = request.app.state.services
    # The Python client sends options in the query string ("email=True"); others send a body.
    options: dict[str, Any] = dict(request.query_params)
    if isinstance(body, dict):
        options.update({k: v for k, v in body.items() if not isinstance(v, (dict, list))})
        if isinstance(body.get("order"), dict):
            options.update(body["order"])
    refund = None
    if isinstance(body, dict) and isinstance(body.get("refund"), dict):
        refund = refund_request(body["refund"])
    elif options.get("amount") is not None:
        refund = amount_refund(options.get("amount"), options.get("currency"))

    def flag(name: str) -> bool:
        value = options.get(name)
        return value if isinstance(value, bool) else params.boolean(None if value is None else str(value), name)

    reason = options.get("reason")
    restock, email = flag("restock"), flag("email")

    def work(uow):
        outcome = cancellation.cancel_order(
            services,
            order_id,
            reason=str(reason) if reason is not None else None,
            restock=restock,
            email=email,
            refund=refund,
            caller=principal,
            uow=uow,
        )
        # Shopify answers a cancel with a notice beside the order (its spelling).
        return 200, {"order": order_json(outcome.order, services.shop()), "notice": "Order has been canceled"}

    return respond(request, principal, work)


@router.get("/orders/{order_id}/events.json", summary="The order's timeline")
@documented(query=(LIMIT, SINCE_ID, FIELDS), returns={"events": list[shapes.Event]})
def order_events(order_id: int, request: Request, principal: Principal = Depends(requires("read_orders"))) -> dict[str, Any]:
    services = request.app.state.services
    order = order_service.get_order(services, order_id, caller=principal)
    limit = pagination.parse_limit(request.query_params.get("limit"))
    since_id = params.integer(request.query_params.get("since_id"), "since_id")
    fields = params.field_list(request.query_params.get("fields"))
    with services.db.reading() as uow:
        rows = queries.order_events(uow.conn, order_id, limit=limit, since_id=since_id)
    shop = services.shop()
    return {"events": [only_fields(event_json(r, shop, order.name), fields) for r in rows]}


@router.get("/orders/{order_id}/diagnosis.json", summary="Why the order is still unpaid, unfulfilled or open (orderdesk extension)")
@documented(returns={"diagnosis": shapes.Diagnosis})
def order_diagnosis(order_id: int, request: Request, principal: Principal = Depends(requires("read_orders"))) -> dict[str, Any]:
    order, reasons = diagnosis_service.diagnose_order(request.app.state.services, order_id, caller=principal)
    return {
        "diagnosis": {
            "order_id": order.id,
            "financial_status": order.financial_status,
            "fulfillment_status": order.fulfillment_status,
            "status": order.status,
            "reasons": [{"area": r.area, "code": r.code, "message": r.message, "action": r.action} for r in reasons],
        }
    }
