"""Notification templates (an orderdesk extension): list, edit, preview; resend and contact the customer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response

from ...notifications.render import DEFAULT_NAMES
from ...representation.deliveries import delivery_json
from ...services import delivery_log
from ...services import notifications as notification_service
from ...services import orders as order_service
from .. import openapi_models as shapes
from .. import pagination, params
from ..auth import Principal, requires
from ..body import json_body, unwrap
from ..errors import ApiError
from ..openapi import IGNORED, LIMIT, SINCE_ID, choice, documented, integer
from ..writes import respond

router = APIRouter()


# The path's {name}: one of the templates orderdesk ships.
TEMPLATE_NAME = {"name": {"enum": list(DEFAULT_NAMES)}}
DELIVERY_QUERY = (
    choice("kind", delivery_log.KINDS, "email, or service (a fulfillment-service callback)"),
    choice("outcome", delivery_log.OUTCOMES, "Only attempts with this outcome"),
    SINCE_ID,
    LIMIT,
)


def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ApiError(422, {key: ["must be a string"]})
    return value


@router.get("/notification_templates.json", summary="List customer notification templates")
@documented(returns={"notification_templates": list[shapes.NotificationTemplate]})
def list_templates(request: Request, principal: Principal = Depends(requires("read_orders"))) -> dict[str, Any]:
    return {"notification_templates": notification_service.list_templates(request.app.state.services)}


@router.get("/notification_templates/{name}.json", summary="Get one notification template (subject and Liquid body)")
@documented(path=TEMPLATE_NAME, returns={"notification_template": shapes.NotificationTemplate})
def get_template(name: str, request: Request, principal: Principal = Depends(requires("read_orders"))) -> dict[str, Any]:
    return {"notification_template": notification_service.get_template(request.app.state.services, name)}


@router.put(
    "/notification_templates/{name}.json", summary="Edit a notification template; a Liquid error is refused with its line and column"
)
@documented(
    path=TEMPLATE_NAME, body={"notification_template": shapes.TemplateText}, returns={"notification_template": shapes.NotificationTemplate}
)
def update_template(
    name: str, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(requires("write_orders"))
) -> dict[str, Any]:
    data = unwrap(body, "notification_template")
    found = notification_service.update_template(request.app.state.services, name, _text(data, "subject"), _text(data, "body"))
    return {"notification_template": found}


@router.delete("/notification_templates/{name}.json", summary="Revert a notification template to the default")
@documented(path=TEMPLATE_NAME, returns={"notification_template": shapes.NotificationTemplate})
def reset_template(name: str, request: Request, principal: Principal = Depends(requires("write_orders"))) -> dict[str, Any]:
    return {"notification_template": notification_service.reset_template(request.app.state.services, name)}


@router.post(
    "/notification_templates/{name}/preview.json", summary="Render a template (saved, or the unsaved subject/body given) against an order"
)
@documented(
    path=TEMPLATE_NAME,
    body={"notification_template": shapes.TemplateText},
    body_required=False,
    query=(integer("order_id", "The order to render the template against", minimum=1, required=True),),
    returns={"preview": shapes.NotificationPreview},
)
def preview_template(
    name: str, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(requires("read_orders"))
) -> dict[str, Any]:
    order_id = params.integer(request.query_params.get("order_id"), "order_id")
    if order_id is None:
        raise ApiError(422, {"order_id": ["is required"]})
    data = unwrap(body, "notification_template", required=False)
    return {
        "preview": notification_service.preview(
            request.app.state.services, name, order_id, subject=_text(data, "subject"), body=_text(data, "body"), caller=principal
        )
    }


@router.post("/orders/{order_id}/notifications/{name}/resend.json", status_code=201, summary="Send a notification to the customer again")
@documented(path=TEMPLATE_NAME, body=IGNORED, returns={"notification": shapes.Notification}, idempotent=True)
def resend(
    order_id: int, name: str, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(requires("write_orders"))
) -> Response:
    services = request.app.state.services

    def work(uow):
        return 201, {"notification": notification_service.resend(services, order_id, name, caller=principal, uow=uow)}

    return respond(request, principal, work)


@router.post("/orders/{order_id}/contact.json", status_code=201, summary="Email the customer a message from staff")
@documented(body={"email": shapes.ContactEmail}, returns={"notification": shapes.Notification}, idempotent=True)
def contact(
    order_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(requires("write_orders"))
) -> Response:
    services = request.app.state.services
    data = body.get("email", body) if isinstance(body, dict) else None
    if not isinstance(data, dict):
        raise ApiError(400, {"email": "Required parameter missing or invalid"})
    subject, text = _text(data, "subject"), _text(data, "body")

    def work(uow):
        return 201, {
            "notification": notification_service.contact_customer(services, order_id, subject or "", text or "", caller=principal, uow=uow)
        }

    return respond(request, principal, work)


def _deliveries(request: Request, order_id: int | None) -> dict[str, Any]:
    services = request.app.state.services
    q = request.query_params
    rows = delivery_log.deliveries(
        services,
        order_id=order_id,
        kind=params.choice(q.get("kind"), "kind", delivery_log.KINDS, "") or None,
        outcome=params.choice(q.get("outcome"), "outcome", delivery_log.OUTCOMES, "") or None,
        since_id=params.integer(q.get("since_id"), "since_id") or 0,
        limit=pagination.parse_limit(q.get("limit")),
    )
    shop = services.shop()
    return {"notification_deliveries": [delivery_json(r, shop) for r in rows]}


@router.get(
    "/orders/{order_id}/notification_deliveries.json",
    summary="Every attempt at the order's emails and fulfillment-service notifications, oldest first",
)
@documented(query=DELIVERY_QUERY, returns={"notification_deliveries": list[shapes.NotificationDelivery]})
def order_deliveries(order_id: int, request: Request, principal: Principal = Depends(requires("read_orders"))) -> dict[str, Any]:
    order_service.get_order(request.app.state.services, order_id, caller=principal)
    return _deliveries(request, order_id)


@router.get(
    "/notification_deliveries.json", summary="Attempts at emails and fulfillment-service notifications; filter by kind, outcome, since_id"
)
@documented(
    query=(*DELIVERY_QUERY, integer("order_id", "Only this order's attempts", minimum=1)),
    returns={"notification_deliveries": list[shapes.NotificationDelivery]},
)
def all_deliveries(request: Request, principal: Principal = Depends(requires("read_orders", "read_all_orders"))) -> dict[str, Any]:
    # Across orders there is no cheap age filter, so this list needs the all-orders scope.
    return _deliveries(request, params.integer(request.query_params.get("order_id"), "order_id"))
