"""Webhook subscriptions: ``/webhooks.json`` as in Shopify's REST Admin API."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response

from ...representation.common import only_fields, timestamp
from ...services import webhooks as service
from .. import openapi_models as shapes
from .. import pagination, params, versions
from ..auth import Principal, authenticated
from ..body import json_body, unwrap
from ..errors import ApiError
from ..openapi import FIELDS, LIMIT, SINCE_ID, choice, documented, text
from ..writes import respond

router = APIRouter()


# Any app may manage its own subscriptions; each topic needs its read scope (services/webhooks.py).
_principal = authenticated()


def _api_version(request: Request, data: dict[str, Any]) -> str | None:
    given = data.get("api_version")
    if given is None:
        return None
    try:
        return versions.resolve(str(given))
    except ApiError:
        raise ApiError(422, {"api_version": ["is invalid"]}) from None


def webhook_json(row: Any, tz: str) -> dict[str, Any]:
    return {
        "id": row["id"],
        "address": row["address"],
        "topic": row["topic"],
        "created_at": timestamp(row["created_at"], tz),
        "updated_at": timestamp(row["updated_at"], tz),
        "format": row["format"],
        "fields": list(row["fields"] or []),
        "metafield_namespaces": [],
        "api_version": row["api_version"],
        "private_metafield_namespaces": [],
    }


FILTER_QUERY = (
    text("address", "Only subscriptions to this address"),
    choice("topic", service.ORDER_TOPICS, "Only subscriptions to this topic"),
)


def _filters(request: Request) -> dict[str, Any]:
    q = request.query_params
    return {"address": q.get("address") or None, "topic": q.get("topic") or None}


@router.get("/webhooks.json", summary="List webhook subscriptions")
@documented(query=(LIMIT, SINCE_ID, FIELDS, *FILTER_QUERY), returns={"webhooks": list[shapes.Webhook]})
def list_webhooks(request: Request, principal: Principal = Depends(_principal)) -> dict[str, Any]:
    services = request.app.state.services
    limit = pagination.parse_limit(request.query_params.get("limit"))
    since_id = params.integer(request.query_params.get("since_id"), "since_id") or 0
    fields = params.field_list(request.query_params.get("fields"))
    rows = service.list_subscriptions(services, caller=principal, limit=limit, since_id=since_id, **_filters(request))
    tz = services.shop().iana_timezone
    return {"webhooks": [only_fields(webhook_json(r, tz), fields) for r in rows]}


@router.get("/webhooks/count.json", summary="Count webhook subscriptions")
@documented(query=FILTER_QUERY, returns={"count": int})
def count_webhooks(request: Request, principal: Principal = Depends(_principal)) -> dict[str, int]:
    return {"count": service.count_subscriptions(request.app.state.services, caller=principal, **_filters(request))}


@router.get("/webhooks/{webhook_id}.json", summary="Get one webhook subscription")
@documented(query=(FIELDS,), returns={"webhook": shapes.Webhook})
def get_webhook(webhook_id: int, request: Request, principal: Principal = Depends(_principal)) -> dict[str, Any]:
    services = request.app.state.services
    fields = params.field_list(request.query_params.get("fields"))
    row = service.get_subscription(services, webhook_id, caller=principal)
    return {"webhook": only_fields(webhook_json(row, services.shop().iana_timezone), fields)}


@router.post("/webhooks.json", status_code=201, summary="Create a webhook subscription")
@documented(body={"webhook": shapes.WebhookCreate}, returns={"webhook": shapes.Webhook}, idempotent=True)
def create_webhook(version: str, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(_principal)) -> Response:
    services = request.app.state.services
    data = unwrap(body, "webhook")
    api_version = _api_version(request, data) or versions.resolve(version)

    def work(uow):
        new_id, errors = service.create_subscription(services, data, api_version, caller=principal, uow=uow)
        if errors or new_id is None:
            return 422, {"errors": errors}
        row = service.get_subscription(services, new_id, caller=principal, uow=uow)
        return 201, {"webhook": webhook_json(row, services.shop().iana_timezone)}

    return respond(request, principal, work)


@router.put("/webhooks/{webhook_id}.json", summary="Update a webhook subscription")
@documented(body={"webhook": shapes.WebhookUpdate}, returns={"webhook": shapes.Webhook})
def update_webhook(
    webhook_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(_principal)
) -> dict[str, Any]:
    services = request.app.state.services
    data = unwrap(body, "webhook")
    errors = service.update_subscription(services, webhook_id, data, _api_version(request, data), caller=principal)
    if errors:
        raise ApiError(422, errors)
    row = service.get_subscription(services, webhook_id, caller=principal)
    return {"webhook": webhook_json(row, services.shop().iana_timezone)}


@router.delete("/webhooks/{webhook_id}.json", summary="Delete a webhook subscription")
@documented(returns={})
def delete_webhook(webhook_id: int, request: Request, principal: Principal = Depends(_principal)) -> dict[str, Any]:
    service.delete_subscription(request.app.state.services, webhook_id, caller=principal)
    return {}
