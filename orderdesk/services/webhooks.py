"""Webhook subscriptions: Shopify's REST ``webhooks.json`` resource."""

from __future__ import annotations

from typing import Any

from ..domain.access import ANY_FULFILLMENT_ORDER_READ, Caller
from ..domain.errors import NotFound
from ..webhooks import ssrf
from .context import Services

ORDER_TOPICS = (
    "orders/create",
    "orders/updated",
    "orders/paid",
    "orders/cancelled",
    "orders/fulfilled",
    "orders/partially_fulfilled",
    "orders/edited",
    "orders/delete",
    "orders/risk_assessment_changed",
    "orders/shopify_protect_eligibility_changed",
    "order_transactions/create",
    "refunds/create",
    "fulfillments/create",
    "fulfillments/update",
    "fulfillment_events/create",
    "fulfillment_events/delete",
    "fulfillment_orders/cancelled",
    "fulfillment_orders/cancellation_request_accepted",
    "fulfillment_orders/cancellation_request_rejected",
    "fulfillment_orders/cancellation_request_submitted",
    "fulfillment_orders/fulfillment_request_accepted",
    "fulfillment_orders/fulfillment_request_rejected",
    "fulfillment_orders/fulfillment_request_submitted",
    "fulfillment_orders/fulfillment_service_failed_to_complete",
    "fulfillment_orders/hold_released",
    "fulfillment_orders/placed_on_hold",
    "fulfillment_orders/line_items_prepared_for_local_delivery",
    "fulfillment_orders/line_items_prepared_for_pickup",
    "fulfillment_orders/merged",
    "fulfillment_orders/moved",
    "fulfillment_orders/order_routing_complete",
    "fulfillment_orders/rescheduled",
    "fulfillment_orders/scheduled_fulfillment_order_ready",
    "fulfillment_orders/split",
    "fulfillment_holds/added",
    "fulfillment_holds/released",
    "draft_orders/create",
    "draft_orders/update",
    "draft_orders/delete",
    "tender_transactions/create",
    "disputes/create",
    "disputes/update",
)
TOPICS = frozenset(ORDER_TOPICS)
# Topics whose payload is order data: subscribing needs read_orders (Shopify: the topic's read scope).
READ_ORDERS_PREFIXES = (
    "orders/",
    "refunds/",
    "order_transactions/",
    "fulfillments/",
    "fulfillment_orders/",
    "fulfillment_events/",
    "fulfillment_holds/",
    "tender_transactions/",
    "disputes/",
)
FORMATS = ("json",)
MAX_FIELDS = 100


def scopes_for(topic: str) -> tuple[str, ...]:
    """The scopes one of which an app needs to subscribe to ``topic`` (Shopify: the read scope
    of what the payload carries)."""
    if topic.startswith("draft_orders/"):
        return ("read_draft_orders",)
    if topic.startswith(("fulfillment_orders/", "fulfillment_holds/")):
        return ANY_FULFILLMENT_ORDER_READ
    if topic.startswith(("fulfillments/", "fulfillment_events/")):
        return ("read_fulfillments", "read_orders")
    return ("read_orders",) if topic.startswith(READ_ORDERS_PREFIXES) else ()


def check_topic_scope(caller: Caller, topic: Any) -> None:
    scopes = scopes_for(topic) if isinstance(topic, str) else ()
    if scopes:
        caller.require_any(scopes)


def validate(data: dict[str, Any], *, partial: bool = False, current: Any | None = None) -> dict[str, list[str]]:
    """Shopify-shaped field errors for a create (or, with ``partial``, an update) body."""
    errors: dict[str, list[str]] = {}
    if not partial or "address" in data:
        address = data.get("address")
        if not isinstance(address, str) or not address.strip():
            errors["address"] = ["can't be blank"]
        elif len(address) > 2000:
            errors["address"] = ["is too long (maximum is 2000 characters)"]
        else:
            reason = ssrf.check_address(address.strip())
            if reason:
                errors["address"] = [reason]
    if not partial or "topic" in data:
        topic = data.get("topic")
        if not isinstance(topic, str) or not topic.strip():
            errors["topic"] = ["can't be blank", "Invalid topic specified. Topics allowed: " + ", ".join(ORDER_TOPICS)]
        elif topic not in TOPICS:
            errors["topic"] = ["Invalid topic specified. Topics allowed: " + ", ".join(ORDER_TOPICS)]
    if data.get("format") is not None and data["format"] not in FORMATS:
        errors["format"] = ["is not included in the list"]
    fields = data.get("fields")
    if fields is not None and (
        not isinstance(fields, list) or len(fields) > MAX_FIELDS or not all(isinstance(f, str) and f for f in fields)
    ):
        errors["fields"] = ["must be a list of field names"]
    return errors


def list_subscriptions(services: Services, *, caller: Caller, **filters: Any) -> list[Any]:
    """The calling app's subscriptions (and those from before owners were recorded)."""
    with services.db.reading() as uow:
        return uow.webhooks.list(app_id=caller.app_id, **filters)


def count_subscriptions(services: Services, *, caller: Caller, **filters: Any) -> int:
    with services.db.reading() as uow:
        return uow.webhooks.count(app_id=caller.app_id, **filters)


def get_subscription(services: Services, subscription_id: int, *, caller: Caller, uow=None) -> Any:
    """One of the calling app's subscriptions; another app's is NotFound, as if it did not exist."""
    if uow is not None:
        row = uow.webhooks.get(subscription_id)
    else:
        with services.db.reading() as reader:
            row = reader.webhooks.get(subscription_id)
    if row is None or not caller.owns(row["app_id"]):
        raise NotFound("webhook")
    return row


def create_subscription(
    services: Services, data: dict[str, Any], api_version: str, *, caller: Caller, uow
) -> tuple[int | None, dict[str, list[str]]]:
    """Subscribe the calling app, which needs the topic's read scope. Returns (id, {}) or (None, errors)."""
    errors = validate(data)
    if errors:
        return None, errors
    check_topic_scope(caller, data["topic"])
    address, topic = data["address"].strip(), data["topic"]
    if uow.webhooks.find(address, topic, app_id=caller.app_id) is not None:
        return None, {"address": ["for this topic has already been taken"]}
    now = services.clock.now()
    new_id = uow.webhooks.add(
        {
            "address": address,
            "topic": topic,
            "format": data.get("format") or "json",
            "fields": list(data["fields"]) if data.get("fields") else None,
            "api_version": api_version,
            "app_id": caller.app_id,
            "created_at": now,
            "updated_at": now,
        }
    )
    return new_id, {}


def update_subscription(
    services: Services, subscription_id: int, data: dict[str, Any], api_version: str | None, *, caller: Caller
) -> dict[str, list[str]]:
    with services.db.writing() as uow:
        current = get_subscription(services, subscription_id, caller=caller, uow=uow)
        check_topic_scope(caller, current["topic"])
        errors = validate(data, partial=True, current=current)
        if errors:
            return errors
        values: dict[str, Any] = {}
        if "address" in data:
            values["address"] = data["address"].strip()
        if "topic" in data:
            check_topic_scope(caller, data["topic"])
            values["topic"] = data["topic"]
        if "format" in data and data["format"] is not None:
            values["format"] = data["format"]
        if "fields" in data:
            values["fields"] = list(data["fields"]) if data["fields"] else None
        if api_version:
            values["api_version"] = api_version
        address, topic = values.get("address", current["address"]), values.get("topic", current["topic"])
        other = uow.webhooks.find(address, topic, app_id=current["app_id"])
        if other is not None and other["id"] != subscription_id:
            return {"address": ["for this topic has already been taken"]}
        values["updated_at"] = services.clock.now()
        uow.webhooks.update(subscription_id, values)
        uow.commit()
    return {}


def delete_subscription(services: Services, subscription_id: int, *, caller: Caller) -> None:
    with services.db.writing() as uow:
        current = get_subscription(services, subscription_id, caller=caller, uow=uow)
        check_topic_scope(caller, current["topic"])
        uow.webhooks.delete(subscription_id)
        uow.commit()
