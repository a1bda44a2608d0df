"""Fulfillment orders and fulfillments, with the legacy order-scoped paths the Python client uses."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from ...domain.access import ANY_FULFILLMENT_ORDER_READ, ANY_FULFILLMENT_ORDER_WRITE
from ...domain.fulfillment_order_rules import HOLD_REASONS
from ...representation.common import only_fields
from ...representation.fulfillments import fulfillment_event_json, fulfillment_order_json, fulfillment_rest_json
from ...services import fulfillment as service
from ...services import inventory
from .. import openapi_models as shapes
from .. import params
from ..auth import Principal, requires, requires_any
from ..body import json_body, unwrap
from ..errors import ApiError
from ..openapi import FIELDS, IGNORED, documented
from ..writes import respond

router = APIRouter()
# Shopify's fulfillment-order scopes: one of them to reach the routes, then the one of each
# fulfillment order's kind (merchant-managed, assigned, third-party) in the services.
READ_FULFILLMENT_ORDERS = requires_any(*ANY_FULFILLMENT_ORDER_READ)
WRITE_FULFILLMENT_ORDERS = requires_any(*ANY_FULFILLMENT_ORDER_WRITE)
Id = Field(ge=1, le=2**63 - 1)


class LineQuantity(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: int = Id
    quantity: int | None = Field(default=None, ge=1, le=100_000)


class ByFulfillmentOrder(BaseModel):
    model_config = ConfigDict(extra="ignore")
    fulfillment_order_id: int = Id
    fulfillment_order_line_items: list[LineQuantity] = Field(default_factory=list, max_length=250)


class TrackingInfo(BaseModel):
    model_config = ConfigDict(extra="ignore")
    number: str | None = Field(default=None, max_length=255)
    numbers: list[str] | None = Field(default=None, max_length=20)
    url: str | None = Field(default=None, max_length=2000)
    urls: list[str] | None = Field(default=None, max_length=20)
    company: str | None = Field(default=None, max_length=255)


class FulfillmentIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    line_items_by_fulfillment_order: list[ByFulfillmentOrder] = Field(default_factory=list, max_length=50)
    tracking_info: TrackingInfo | None = None
    notify_customer: bool = False
    message: str | None = None


class LegacyFulfillmentIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    location_id: int | None = None
    tracking_number: str | None = None
    tracking_numbers: list[str] | None = None
    tracking_url: str | None = None
    tracking_urls: list[str] | None = None
    tracking_company: str | None = None
    line_items: list[LineQuantity] | None = None
    notify_customer: bool = False


class HoldIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    reason: str
    reason_notes: str | None = Field(default=None, max_length=1000)
    # Hold only these units; the rest move to a new fulfillment order that stays fulfillable.
    fulfillment_order_line_items: list[LineQuantity] | None = Field(default=None, max_length=250)


class EventIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    status: str
    message: str | None = None
    happened_at: str | None = None
    city: str | None = None
    province: str | None = None
    country: str | None = None
    zip: str | None = None
    address1: str | None = None
    estimated_delivery_at: str | None = None


def _tracking(info: TrackingInfo | None) -> service.Tracking:
    if info is None:
        return service.Tracking()
    numbers = tuple(info.numbers or ([info.number] if info.number else []))
    urls = tuple(info.urls or ([info.url] if info.url else []))
    return service.Tracking(info.company, numbers, urls)


def _fo_json(services, order, fo) -> dict[str, Any]:
    location = inventory.location(services, fo.assigned_location_id) if fo.assigned_location_id else None
    return fulfillment_order_json(order, fo, services.shop(), location=location)


def _time(value: Any, field: str) -> datetime:
    if not isinstance(value, str):
        raise ApiError(422, {field: ["is required"]})
    try:
        parsed = datetime.fromisoformat(value.strip().replace(" UTC", "+00:00").replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(422, {field: ["must be a timestamp like 2025-02-02T14:11:00Z"]}) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# --- fulfillment orders ----------------------------------------------------------------


@router.get("/orders/{order_id}/fulfillment_orders.json", summary="An order's fulfillment orders")
@documented(returns={"fulfillment_orders": list[shapes.FulfillmentOrder]})
def list_fulfillment_orders(order_id: int, request: Request, principal: Principal = Depends(READ_FULFILLMENT_ORDERS)) -> dict[str, Any]:
    services = request.app.state.services
    order, visible = service.list_fulfillment_orders(services, order_id, caller=principal)
    return {"fulfillment_orders": [_fo_json(services, order, fo) for fo in visible]}


@router.get("/fulfillment_orders/{fo_id}.json", summary="One fulfillment order")
@documented(returns={"fulfillment_order": shapes.FulfillmentOrder})
def get_fulfillment_order(fo_id: int, request: Request, principal: Principal = Depends(READ_FULFILLMENT_ORDERS)) -> dict[str, Any]:
    services = request.app.state.services
    order, fo = service.find_fulfillment_order(services, fo_id, caller=principal)
    return {"fulfillment_order": _fo_json(services, order, fo)}


def _action(request: Request, principal: Principal, fo_id: int, action: str, **options: Any) -> Response:
    services = request.app.state.services

    def work(uow):
        order, fo, extra = service.act(services, fo_id, action, caller=principal, uow=uow, **options)
        body: dict[str, Any]
        if action == "move":
            body = {
                "original_fulfillment_order": _fo_json(services, order, fo),
                "moved_fulfillment_order": _fo_json(services, order, extra["moved_fulfillment_order"]),
                "remaining_fulfillment_order": _fo_json(services, order, extra["remaining_fulfillment_order"])
                if extra.get("remaining_fulfillment_order")
                else None,
            }
        else:
            body = {"fulfillment_order": _fo_json(services, order, fo)}
            if action == "cancel":
                replacement = extra.get("replacement_fulfillment_order")
                body["replacement_fulfillment_order"] = _fo_json(services, order, replacement) if replacement else None
            elif action == "hold":
                # GraphQL's fulfillmentOrderHold returns it too: the units a partial hold left fulfillable.
                remaining = extra.get("remaining_fulfillment_order")
                body["remaining_fulfillment_order"] = _fo_json(services, order, remaining) if remaining else None
        return 200, body

    return respond(request, principal, work)


def _no_repeats(line_ids: list[int]) -> None:
    """Each fulfillment order line item at most once: a repeat would silently collapse into one."""
    if len(set(line_ids)) != len(line_ids):
        raise ApiError(422, {"fulfillment_order_line_items": ["must not name the same line item more than once"]})


@router.post("/fulfillment_orders/{fo_id}/hold.json", summary="Put a fulfillment order on hold")
@documented(
    body={"fulfillment_hold": HoldIn},
    returns={"fulfillment_order": shapes.FulfillmentOrder, "remaining_fulfillment_order": shapes.FulfillmentOrder | None},
    idempotent=True,
)
def hold(
    fo_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(WRITE_FULFILLMENT_ORDERS)
) -> Response:
    data = HoldIn.model_validate(unwrap(body, "fulfillment_hold"))
    if data.reason not in HOLD_REASONS:
        raise ApiError(422, {"reason": [f"must be one of {', '.join(HOLD_REASONS)}"]})
    _no_repeats([li.id for li in data.fulfillment_order_line_items or []])
    lines = {li.id: li.quantity for li in data.fulfillment_order_line_items or []} or None
    return _action(request, principal, fo_id, "hold", reason=data.reason, reason_notes=data.reason_notes, line_items=lines)


@router.post("/fulfillment_orders/{fo_id}/release_hold.json", summary="Release a fulfillment order's holds")
@documented(body=IGNORED, returns={"fulfillment_order": shapes.FulfillmentOrder}, idempotent=True)
def release_hold(
    fo_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(WRITE_FULFILLMENT_ORDERS)
) -> Response:
    return _action(request, principal, fo_id, "release_hold")


@router.post("/fulfillment_orders/{fo_id}/reschedule.json", summary="Schedule a fulfillment order for later")
@documented(body={"fulfillment_order": shapes.Reschedule}, returns={"fulfillment_order": shapes.FulfillmentOrder}, idempotent=True)
def reschedule(
    fo_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(WRITE_FULFILLMENT_ORDERS)
) -> Response:
    data = unwrap(body, "fulfillment_order")
    return _action(request, principal, fo_id, "reschedule", new_fulfill_at=_time(data.get("new_fulfill_at"), "new_fulfill_at"))


@router.post("/fulfillment_orders/{fo_id}/open.json", summary="Mark a scheduled fulfillment order as ready")
@documented(body=IGNORED, returns={"fulfillment_order": shapes.FulfillmentOrder}, idempotent=True)
def mark_open(
    fo_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(WRITE_FULFILLMENT_ORDERS)
) -> Response:
    return _action(request, principal, fo_id, "open")


@router.post("/fulfillment_orders/{fo_id}/cancel.json", summary="Cancel a fulfillment order (its items get a replacement)")
@documented(
    body=IGNORED,
    returns={"fulfillment_order": shapes.FulfillmentOrder, "replacement_fulfillment_order": shapes.FulfillmentOrder | None},
    idempotent=True,
)
def cancel(
    fo_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(WRITE_FULFILLMENT_ORDERS)
) -> Response:
    return _action(request, principal, fo_id, "cancel")


@router.post("/fulfillment_orders/{fo_id}/close.json", summary="Close a fulfillment order as incomplete")
@documented(
    body={"fulfillment_order": shapes.CloseNote},
    body_required=False,
    returns={"fulfillment_order": shapes.FulfillmentOrder},
    idempotent=True,
)
def close(
    fo_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(WRITE_FULFILLMENT_ORDERS)
) -> Response:
    data = unwrap(body, "fulfillment_order", required=False)
    return _action(request, principal, fo_id, "close", message=data.get("message"))


@router.post("/fulfillment_orders/{fo_id}/move.json", summary="Move a fulfillment order to another location")
@documented(
    body={"fulfillment_order": shapes.Move},
    returns={
        "original_fulfillment_order": shapes.FulfillmentOrder,
        "moved_fulfillment_order": shapes.FulfillmentOrder,
        "remaining_fulfillment_order": shapes.FulfillmentOrder | None,
    },
    idempotent=True,
)
def move(
    fo_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(WRITE_FULFILLMENT_ORDERS)
) -> Response:
    data = unwrap(body, "fulfillment_order")
    location = data.get("new_location_id")
    if isinstance(location, bool) or not isinstance(location, int):
        raise ApiError(422, {"new_location_id": ["is required"]})
    given = data.get("fulfillment_order_line_items") or []
    if not isinstance(given, list):
        raise ApiError(422, {"fulfillment_order_line_items": ["must be a list of {id, quantity}"]})
    lines = [LineQuantity.model_validate(li) for li in given]
    _no_repeats([li.id for li in lines])
    return _action(
        request, principal, fo_id, "move", new_location_id=location, line_items={li.id: li.quantity or 0 for li in lines} or None
    )


# --- fulfillments -------------------------------------------------------------------------


@router.post("/fulfillments.json", status_code=201, summary="Create a fulfillment from fulfillment order line items")
@documented(body={"fulfillment": FulfillmentIn}, returns={"fulfillment": shapes.Fulfillment}, idempotent=True)
def create(request: Request, body: Any = Depends(json_body), principal: Principal = Depends(WRITE_FULFILLMENT_ORDERS)) -> Response:
    services = request.app.state.services
    data = FulfillmentIn.model_validate(unwrap(body, "fulfillment"))
    requests = [
        (group.fulfillment_order_id, {li.id: li.quantity for li in group.fulfillment_order_line_items if li.quantity})
        for group in data.line_items_by_fulfillment_order
    ]

    def work(uow):
        order, f = service.create_fulfillment(
            services,
            requests,
            tracking=_tracking(data.tracking_info),
            notify_customer=data.notify_customer,
            caller=principal,
            uow=uow,
        )
        return 201, {"fulfillment": fulfillment_rest_json(order, f, services.shop())}

    return respond(request, principal, work)


@router.post("/orders/{order_id}/fulfillments.json", status_code=201, summary="Create a fulfillment (legacy order-scoped path)")
@documented(body={"fulfillment": LegacyFulfillmentIn}, returns={"fulfillment": shapes.Fulfillment}, idempotent=True)
def create_legacy(
    order_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(WRITE_FULFILLMENT_ORDERS)
) -> Response:
    services = request.app.state.services
    data = LegacyFulfillmentIn.model_validate(unwrap(body, "fulfillment"))
    tracking = service.Tracking(
        data.tracking_company,
        tuple(data.tracking_numbers or ([data.tracking_number] if data.tracking_number else [])),
        tuple(data.tracking_urls or ([data.tracking_url] if data.tracking_url else [])),
    )
    lines = None if data.line_items is None else [(li.id, li.quantity) for li in data.line_items]

    def work(uow):
        order, f = service.create_fulfillment(
            services,
            [],
            tracking=tracking,
            notify_customer=data.notify_customer,
            order_id=order_id,
            legacy_lines=lines,
            caller=principal,
            uow=uow,
        )
        return 201, {"fulfillment": fulfillment_rest_json(order, f, services.shop())}

    return respond(request, principal, work)


def _cancel(request: Request, principal: Principal, fulfillment_id: int, order_id: int | None) -> Response:
    services = request.app.state.services

    def work(uow):
        order, f = service.cancel_fulfillment(services, fulfillment_id, order_id=order_id, caller=principal, uow=uow)
        return 200, {"fulfillment": fulfillment_rest_json(order, f, services.shop())}

    return respond(request, principal, work)


@router.post("/fulfillments/{fulfillment_id}/cancel.json", summary="Cancel a fulfillment (mark as unfulfilled)")
@documented(body=IGNORED, returns={"fulfillment": shapes.Fulfillment}, idempotent=True)
def cancel_fulfillment(
    fulfillment_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(WRITE_FULFILLMENT_ORDERS)
) -> Response:
    return _cancel(request, principal, fulfillment_id, None)


@router.post("/orders/{order_id}/fulfillments/{fulfillment_id}/cancel.json", summary="Cancel a fulfillment (legacy path)")
@documented(body=IGNORED, returns={"fulfillment": shapes.Fulfillment}, idempotent=True)
def cancel_fulfillment_legacy(
    order_id: int,
    fulfillment_id: int,
    request: Request,
    body: Any = Depends(json_body),
    principal: Principal = Depends(WRITE_FULFILLMENT_ORDERS),
) -> Response:
    return _cancel(request, principal, fulfillment_id, order_id)


@router.post("/fulfillments/{fulfillment_id}/update_tracking.json", summary="Update a fulfillment's tracking")
@documented(
    body={"fulfillment": {"tracking_info": TrackingInfo, "notify_customer": bool}},
    returns={"fulfillment": shapes.Fulfillment},
    idempotent=True,
)
def update_tracking(
    fulfillment_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(WRITE_FULFILLMENT_ORDERS)
) -> Response:
    services = request.app.state.services
    data = unwrap(body, "fulfillment")
    info = TrackingInfo.model_validate(data.get("tracking_info") or {})
    notify = bool(data.get("notify_customer"))

    def work(uow):
        order, f = service.update_tracking(services, fulfillment_id, _tracking(info), notify_customer=notify, caller=principal, uow=uow)
        return 200, {"fulfillment": fulfillment_rest_json(order, f, services.shop())}

    return respond(request, principal, work)


@router.get("/orders/{order_id}/fulfillments.json", summary="An order's fulfillments")
@documented(query=(FIELDS,), returns={"fulfillments": list[shapes.Fulfillment]})
def list_fulfillments(order_id: int, request: Request, principal: Principal = Depends(requires("read_orders"))) -> dict[str, Any]:
    services = request.app.state.services
    order = service.read_order_with_fulfillments(services, order_id, caller=principal)
    fields = params.field_list(request.query_params.get("fields"))
    return {"fulfillments": [only_fields(fulfillment_rest_json(order, f, services.shop()), fields) for f in order.fulfillments]}


@router.get("/fulfillment_orders/{fo_id}/fulfillments.json", summary="The fulfillments shipped from a fulfillment order")
@documented(query=(FIELDS,), returns={"fulfillments": list[shapes.Fulfillment]})
def list_fulfillment_order_fulfillments(
    fo_id: int, request: Request, principal: Principal = Depends(READ_FULFILLMENT_ORDERS)
) -> dict[str, Any]:
    services = request.app.state.services
    order, fulfillments = service.fulfillments_of_fulfillment_order(services, fo_id, caller=principal)
    fields = params.field_list(request.query_params.get("fields"))
    return {"fulfillments": [only_fields(fulfillment_rest_json(order, f, services.shop()), fields) for f in fulfillments]}


@router.get("/orders/{order_id}/fulfillments/count.json", summary="Count an order's fulfillments")
@documented(returns={"count": int})
def count_fulfillments(order_id: int, request: Request, principal: Principal = Depends(requires("read_orders"))) -> dict[str, int]:
    order = service.read_order_with_fulfillments(request.app.state.services, order_id, caller=principal)
    return {"count": len(order.fulfillments)}


@router.get("/orders/{order_id}/fulfillments/{fulfillment_id}.json", summary="One fulfillment")
@documented(returns={"fulfillment": shapes.Fulfillment})
def get_fulfillment(
    order_id: int, fulfillment_id: int, request: Request, principal: Principal = Depends(requires("read_orders"))
) -> dict[str, Any]:
    services = request.app.state.services
    order = service.read_order_with_fulfillments(services, order_id, caller=principal)
    f = next((f for f in order.fulfillments if f.id == fulfillment_id), None)
    if f is None:
        raise ApiError(404, "Not Found")
    return {"fulfillment": fulfillment_rest_json(order, f, services.shop())}


@router.get("/orders/{order_id}/fulfillments/{fulfillment_id}/events.json", summary="A fulfillment's shipment events")
@documented(returns={"fulfillment_events": list[shapes.FulfillmentEvent]})
def list_events(
    order_id: int, fulfillment_id: int, request: Request, principal: Principal = Depends(requires("read_orders"))
) -> dict[str, Any]:
    services = request.app.state.services
    rows = service.shipment_events(services, order_id, fulfillment_id, caller=principal)
    return {"fulfillment_events": [fulfillment_event_json(r, services.shop()) for r in rows]}


@router.post(
    "/orders/{order_id}/fulfillments/{fulfillment_id}/events.json",
    status_code=201,
    summary="Record a shipment event (in_transit, delivered, ...)",
)
@documented(body={"event": EventIn}, returns={"fulfillment_event": shapes.FulfillmentEvent}, idempotent=True)
def create_event(
    order_id: int,
    fulfillment_id: int,
    request: Request,
    body: Any = Depends(json_body),
    principal: Principal = Depends(WRITE_FULFILLMENT_ORDERS),
) -> Response:
    services = request.app.state.services
    data = EventIn.model_validate(unwrap(body, "event"))
    values = data.model_dump(exclude_none=True)
    for key in ("happened_at", "estimated_delivery_at"):
        if key in values:
            values[key] = _time(values[key], key)

    def work(uow):
        _, _, row = service.add_shipment_event(services, order_id, fulfillment_id, values, caller=principal, uow=uow)
        return 201, {"fulfillment_event": fulfillment_event_json(row, services.shop())}

    return respond(request, principal, work)


@router.get("/orders/{order_id}/fulfillments/{fulfillment_id}/events/{fulfillment_event_id}.json", summary="One shipment event")
@documented(returns={"fulfillment_event": shapes.FulfillmentEvent})
def get_event(
    order_id: int, fulfillment_id: int, fulfillment_event_id: int, request: Request, principal: Principal = Depends(requires("read_orders"))
) -> dict[str, Any]:
    services = request.app.state.services
    row = service.shipment_event(services, order_id, fulfillment_id, fulfillment_event_id, caller=principal)
    return {"fulfillment_event": fulfillment_event_json(row, services.shop())}


@router.delete(
    "/orders/{order_id}/fulfillments/{fulfillment_id}/events/{fulfillment_event_id}.json",
    summary="Delete a shipment event (the shipment status goes back to the latest one left)",
)
@documented(returns={})
def delete_event(
    order_id: int,
    fulfillment_id: int,
    fulfillment_event_id: int,
    request: Request,
    principal: Principal = Depends(WRITE_FULFILLMENT_ORDERS),
) -> dict[str, Any]:
    service.delete_shipment_event(request.app.state.services, order_id, fulfillment_id, fulfillment_event_id, caller=principal)
    return {}


class DeadlineIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    fulfillment_order_ids: list[int] = Field(min_length=1, max_length=250)
    fulfillment_deadline: str = Field(max_length=64)


@router.post(
    "/fulfillment_orders/set_fulfillment_orders_deadline.json",
    summary="Set the fulfillment deadline of fulfillment orders, all or none (accepts Idempotency-Key)",
)
@documented(body=DeadlineIn, returns={}, idempotent=True)
def set_deadline(request: Request, body: Any = Depends(json_body), principal: Principal = Depends(WRITE_FULFILLMENT_ORDERS)) -> Response:
    services = request.app.state.services
    data = DeadlineIn.model_validate(body if isinstance(body, dict) else {})
    if any(not 0 < fo_id <= 2**63 - 1 for fo_id in data.fulfillment_order_ids):
        raise ApiError(422, {"fulfillment_order_ids": ["must be fulfillment order ids"]})
    deadline = _time(data.fulfillment_deadline, "fulfillment_deadline")

    def work(uow):
        service.set_deadline(services, data.fulfillment_order_ids, deadline, caller=principal, uow=uow)
        return 200, {}

    return respond(request, principal, work)
