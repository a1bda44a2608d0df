"""Fulfillment services, fulfillment and cancellation requests, and assigned fulfillment orders."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ...representation.fulfillments import fulfillment_order_json
from ...services import fulfillment_services as service
from ...services import inventory
from .. import openapi_models as shapes
from .. import params
from ..auth import Principal, requires_any
from ..body import json_body, unwrap
from ..errors import ApiError, validation_errors
from ..openapi import FIELDS, choice, documented, id_list
from ..writes import respond

router = APIRouter()
Id = Field(ge=1, le=2**63 - 1)


SCOPES = ("current_client", "all")
READ_SERVICES = requires_any("read_fulfillments")
WRITE_SERVICES = requires_any("write_fulfillments")
# The merchant's side (submits requests) and the service's side (answers them).
MERCHANT = requires_any("write_third_party_fulfillment_orders", "write_merchant_managed_fulfillment_orders")
SERVICE = requires_any("write_assigned_fulfillment_orders")
READ_ASSIGNED = requires_any("read_assigned_fulfillment_orders")


class LineQuantity(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: int = Id
    quantity: int | None = Field(default=None, ge=1, le=100_000)


class RejectedLine(BaseModel):
    model_config = ConfigDict(extra="ignore")
    fulfillment_order_line_item_id: int = Id
    message: str | None = Field(default=None, max_length=1000)


class RequestIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    message: str | None = Field(default=None, max_length=1000)
    fulfillment_order_line_items: list[LineQuantity] | None = Field(default=None, max_length=250)
    reason: str | None = Field(default=None, max_length=64)
    line_items: list[RejectedLine] | None = Field(default=None, max_length=250)


def _parse(body: Any, root: str) -> RequestIn:
    try:
        return RequestIn.model_validate(unwrap(body, root, required=False))
    except ValidationError as exc:
        raise ApiError(422, validation_errors(exc, root)) from None


def _fo_json(services, order, fo) -> dict[str, Any]:
    try:
        location = inventory.location(services, fo.assigned_location_id) if fo.assigned_location_id else None
    except Exception:
        location = None
    return fulfillment_order_json(order, fo, services.shop(), location=location)


# --- the resource ----------------------------------------------------------------------------


@router.get("/fulfillment_services.json", summary="List fulfillment services")
@documented(
    query=(
        FIELDS,
        choice("scope", SCOPES, "current_client: the calling app's services; all: every service of the shop", default="current_client"),
    ),
    returns={"fulfillment_services": list[shapes.FulfillmentService]},
)
def list_services(request: Request, principal: Principal = Depends(READ_SERVICES)) -> dict[str, Any]:
    fields = params.field_list(request.query_params.get("fields"))
    # Shopify's scope: current_client (the default) lists the calling app's services (and
    # those with no recorded owner); all lists every service of the shop, to read only.
    scope = request.query_params.get("scope") or "current_client"
    if scope not in SCOPES:
        raise ApiError(422, {"scope": [f"must be one of {', '.join(SCOPES)}"]})
    rows = service.list_services(request.app.state.services, caller=principal, every=scope == "all")
    return {"fulfillment_services": [_only(service.service_json(r), fields) for r in rows]}


def _only(data: dict[str, Any], fields: list[str] | None) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in fields} if fields else data


@router.get("/fulfillment_services/{service_id}.json", summary="One fulfillment service")
@documented(returns={"fulfillment_service": shapes.FulfillmentService})
def get_service(service_id: int, request: Request, principal: Principal = Depends(READ_SERVICES)) -> dict[str, Any]:
    # One by one, an app reads only what it lists without scope=all (its own services and
    # those with no recorded owner); another app's service is a 404, as if it did not exist.
    # scope=all is the one read-only view of every service of the shop.
    row = service.get_service(request.app.state.services, service_id, caller=principal)
    return {"fulfillment_service": service.service_json(row)}


@router.post("/fulfillment_services.json", status_code=201, summary="Register a fulfillment service (it gets its own location)")
@documented(
    body={"fulfillment_service": shapes.FulfillmentServiceCreate},
    returns={"fulfillment_service": shapes.FulfillmentService},
    idempotent=True,
)
def create_service(request: Request, body: Any = Depends(json_body), principal: Principal = Depends(WRITE_SERVICES)) -> Response:
    services = request.app.state.services
    data = unwrap(body, "fulfillment_service")

    def work(uow):
        row, errors = service.create_service(services, data, uow=uow, caller=principal)
        if errors:
            return 422, {"errors": errors}
        return 201, {"fulfillment_service": service.service_json(row)}

    return respond(request, principal, work)


@router.put("/fulfillment_services/{service_id}.json", summary="Update a fulfillment service")
@documented(
    body={"fulfillment_service": shapes.FulfillmentServiceUpdate},
    returns={"fulfillment_service": shapes.FulfillmentService},
    idempotent=True,
)
def update_service(
    service_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(WRITE_SERVICES)
) -> Response:
    services = request.app.state.services
    data = unwrap(body, "fulfillment_service")

    def work(uow):
        row, errors = service.update_service(services, service_id, data, uow=uow, caller=principal)
        if errors:
            return 422, {"errors": errors}
        return 200, {"fulfillment_service": service.service_json(row)}

    return respond(request, principal, work)


@router.delete("/fulfillment_services/{service_id}.json", summary="Delete a fulfillment service")
@documented(returns={}, idempotent=True)
def delete_service(service_id: int, request: Request, principal: Principal = Depends(WRITE_SERVICES)) -> Response:
    services = request.app.state.services

    def work(uow):
        service.delete_service(services, service_id, uow=uow, caller=principal)
        return 200, {}

    return respond(request, principal, work)


# --- requests ------------------------------------------------------------------------------


def _request(request: Request, principal: Principal, fo_id: int, action: str, data: RequestIn) -> Response:
    services = request.app.state.services
    options: dict[str, Any] = {"message": data.message}
    if action == "request_fulfillment" and data.fulfillment_order_line_items:
        options["line_items"] = {li.id: li.quantity or 0 for li in data.fulfillment_order_line_items}
    if action == "reject_request":
        options["reason"] = data.reason
        if data.line_items:
            options["line_items"] = [li.model_dump() for li in data.line_items]

    def work(uow):
        order, fo, extra = service.act(services, fo_id, action, caller=principal, uow=uow, **options)
        if action == "request_fulfillment":
            rest = extra.get("unsubmitted_fulfillment_order")
            body = {
                "original_fulfillment_order": _fo_json(services, order, fo),
                "submitted_fulfillment_order": _fo_json(services, order, fo),
                "unsubmitted_fulfillment_order": _fo_json(services, order, rest) if rest is not None else None,
            }
        else:
            body = {"fulfillment_order": _fo_json(services, order, fo)}
        return 200, body

    return respond(request, principal, work)


@router.post("/fulfillment_orders/{fo_id}/fulfillment_request.json", summary="Ask the fulfillment service to fulfil")
@documented(
    body={"fulfillment_request": RequestIn},
    body_required=False,
    returns={
        "original_fulfillment_order": shapes.FulfillmentOrder,
        "submitted_fulfillment_order": shapes.FulfillmentOrder,
        "unsubmitted_fulfillment_order": shapes.FulfillmentOrder | None,
    },
    idempotent=True,
)
def submit_request(fo_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(MERCHANT)) -> Response:
    return _request(request, principal, fo_id, "request_fulfillment", _parse(body, "fulfillment_request"))


@router.post("/fulfillment_orders/{fo_id}/fulfillment_request/accept.json", summary="The service accepts a fulfillment request")
@documented(
    body={"fulfillment_request": RequestIn}, body_required=False, returns={"fulfillment_order": shapes.FulfillmentOrder}, idempotent=True
)
def accept_request(fo_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(SERVICE)) -> Response:
    return _request(request, principal, fo_id, "accept_request", _parse(body, "fulfillment_request"))


@router.post("/fulfillment_orders/{fo_id}/fulfillment_request/reject.json", summary="The service rejects a fulfillment request")
@documented(
    body={"fulfillment_request": RequestIn}, body_required=False, returns={"fulfillment_order": shapes.FulfillmentOrder}, idempotent=True
)
def reject_request(fo_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(SERVICE)) -> Response:
    return _request(request, principal, fo_id, "reject_request", _parse(body, "fulfillment_request"))


@router.post("/fulfillment_orders/{fo_id}/cancellation_request.json", summary="Ask the fulfillment service to cancel")
@documented(
    body={"cancellation_request": RequestIn}, body_required=False, returns={"fulfillment_order": shapes.FulfillmentOrder}, idempotent=True
)
def submit_cancellation(fo_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(MERCHANT)) -> Response:
    return _request(request, principal, fo_id, "request_cancellation", _parse(body, "cancellation_request"))


@router.post("/fulfillment_orders/{fo_id}/cancellation_request/accept.json", summary="The service accepts a cancellation request")
@documented(
    body={"cancellation_request": RequestIn}, body_required=False, returns={"fulfillment_order": shapes.FulfillmentOrder}, idempotent=True
)
def accept_cancellation(fo_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(SERVICE)) -> Response:
    return _request(request, principal, fo_id, "accept_cancellation", _parse(body, "cancellation_request"))


@router.post("/fulfillment_orders/{fo_id}/cancellation_request/reject.json", summary="The service rejects a cancellation request")
@documented(
    body={"cancellation_request": RequestIn}, body_required=False, returns={"fulfillment_order": shapes.FulfillmentOrder}, idempotent=True
)
def reject_cancellation(fo_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(SERVICE)) -> Response:
    return _request(request, principal, fo_id, "reject_cancellation", _parse(body, "cancellation_request"))


@router.get("/assigned_fulfillment_orders.json", summary="Fulfillment orders assigned to the calling app's fulfillment services")
@documented(
    query=(
        choice("assignment_status", service.ASSIGNMENT_STATUSES, "Only fulfillment orders in this request state"),
        id_list("location_ids", "Only fulfillment orders assigned to these locations"),
    ),
    returns={"fulfillment_orders": list[shapes.FulfillmentOrder]},
)
def assigned(request: Request, principal: Principal = Depends(READ_ASSIGNED)) -> dict[str, Any]:
    services = request.app.state.services
    q = request.query_params
    location_ids: list[int] = []
    for key in ("location_ids[]", "location_ids"):
        for value in q.getlist(key):
            location_ids.extend(params.id_list(value, "location_ids"))
    status = q.get("assignment_status") or None
    if status is not None and status not in service.ASSIGNMENT_STATUSES:
        raise ApiError(422, {"assignment_status": [f"must be one of {', '.join(service.ASSIGNMENT_STATUSES)}"]})
    pairs = service.assigned(services, caller=principal, assignment_status=status, location_ids=tuple(location_ids))
    return {"fulfillment_orders": [_fo_json(services, order, fo) for order, fo in pairs]}
