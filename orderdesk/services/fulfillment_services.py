"""Fulfillment services: third-party warehouses that own a location and answer fulfillment requests.

The merchant submits a fulfillment request (or a cancellation request) for a fulfillment
order at a service's location; the service accepts or rejects it. Each step writes a
timeline event, the Shopify webhook topic, and, for the merchant's requests, a signed
notification to the service's ``callback_url`` (an outbox row of kind ``service`` that the
worker delivers and retries), and a fulfillment request to a service's ``email`` as an email.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from ..db.uow import UnitOfWork
from ..domain import fulfillment_orders, routing
from ..domain.access import Caller
from ..domain.errors import InvalidInput, NotFound
from ..domain.fulfillment_orders import FulfillmentOrder
from ..domain.order import Order
from ..representation.common import gid
from . import delivery_log
from . import fulfillment as fo_service
from . import fulfillment_request_email as request_email
from .context import Services
from .loading import visible_since
from .service_notices import NOTIFICATION_TOPIC, REQUEST_ACTIONS, notices
from .transaction import writing

# Shopify's assignment_status filter -> request_status
ASSIGNMENT_STATUSES = {
    "fulfillment_requested": ("submitted",),
    "fulfillment_accepted": ("accepted",),
    "cancellation_requested": ("cancellation_requested",),
}
MIN_DEADLINE, MAX_DEADLINE = 60, 30 * 86400

# action -> (timeline action, webhook topic, notification kind for the service or None)
# The answers only the service itself gives; the merchant asks, the service's app decides.
SERVICE_ANSWERS = frozenset({"accept_request", "reject_request", "accept_cancellation", "reject_cancellation"})


# --- the resource --------------------------------------------------------------------------


def handleize(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "fulfillment-service"


def service_json(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "email": row["email"],
        "service_name": row["name"],
        "handle": row["handle"],
        "fulfillment_orders_opt_in": row["fulfillment_orders_opt_in"],
        "include_pending_stock": False,
        "provider_id": None,
        "location_id": row["location_id"],
        "callback_url": row["callback_url"],
        "tracking_support": row["tracking_support"],
        "inventory_management": row["inventory_management"],
        "requires_shipping_method": row["requires_shipping_method"],
        "permits_sku_sharing": True,
        "response_deadline_seconds": row["response_deadline_seconds"],  # orderdesk extension
        "admin_graphql_api_id": gid("ApiFulfillmentService", row["id"]),
    }


BOOLEANS = ("inventory_management", "tracking_support", "requires_shipping_method", "fulfillment_orders_opt_in")


def _validate(data: dict[str, Any], *, partial: bool) -> tuple[dict[str, Any], dict[str, list[str]]]:
    from ..webhooks import ssrf

    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    if not partial or "name" in data:
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            errors["name"] = ["can't be blank"]
        elif len(name.strip()) > 255:
            errors["name"] = ["is too long (maximum is 255 characters)"]
        else:
            values["name"] = name.strip()
    if "callback_url" in data:
        url = data.get("callback_url")
        if url is None or (isinstance(url, str) and not url.strip()):
            values["callback_url"] = None
        elif not isinstance(url, str) or len(url) > 2000:
            errors["callback_url"] = ["is invalid"]
        else:
            reason = ssrf.check_address(url.strip())
            if reason:
                errors["callback_url"] = [reason]
            else:
                values["callback_url"] = url.strip()
    if "email" in data:
        values["email"], problem = request_email.check_address(data["email"])
        if problem:
            errors["email"] = [problem]
    for key in BOOLEANS:
        if key in data:
            if not isinstance(data[key], bool):
                errors[key] = ["must be true or false"]
            else:
                values[key] = data[key]
    if "response_deadline_seconds" in data:
        value = data["response_deadline_seconds"]
        if isinstance(value, bool) or not isinstance(value, int) or not MIN_DEADLINE <= value <= MAX_DEADLINE:
            errors["response_deadline_seconds"] = [f"must be a whole number of seconds from {MIN_DEADLINE} to {MAX_DEADLINE}"]
        else:
            values["response_deadline_seconds"] = value
    if "format" in data and data["format"] != "json":
        errors["format"] = ["must be json"]
    return values, errors


def list_services(services: Services, *, caller: Caller, every: bool = False) -> list[Any]:
    """The services the calling app registered, plus those with no recorded owner; ``every``
    (Shopify's ``scope=all``) lists all the shop's services, to read only."""
    with services.db.reading() as uow:
        return uow.fulfillment_services.list(owner=caller.app_id, every=every or caller.app_id is None)


def get_service(services: Services, service_id: int, uow: UnitOfWork | None = None, *, caller: Caller) -> Any:
    """One service, if the calling app owns it (see ``Caller.owns``); another app's service is
    NotFound, as if it did not exist, so it can neither be read one by one nor changed (its
    callback_url and email receive customers' addresses)."""
    if uow is not None:
        row = uow.fulfillment_services.get(service_id)
    else:
        with services.db.reading() as own:
            row = own.fulfillment_services.get(service_id)
    if row is None or not caller.owns(row["app_id"]):
        raise NotFound("Not Found")
    return row


def create_service(
    services: Services, data: dict[str, Any], uow: UnitOfWork | None = None, *, caller: Caller
) -> tuple[Any | None, dict[str, list[str]]]:
    """Create the service and the location it owns, registered by the calling app (it alone
    sees the service's assigned fulfillment orders). Returns (row, errors)."""
    values, errors = _validate(data, partial=False)
    if errors:
        return None, errors
    at = services.clock.now()
    with writing(services, uow) as uow:
        if uow.fulfillment_services.find(name=values["name"]) is not None:
            return None, {"name": ["has already been taken"]}
        base = handleize(values["name"])
        handle, n = base, 1
        while uow.fulfillment_services.find(handle=handle) is not None:
            n += 1
            handle = f"{base}-{n}"
        location_id = uow.inventory.add_location({"name": values["name"]}, at)
        service_id = uow.fulfillment_services.add(
            {**values, "handle": handle, "location_id": location_id, "app_id": caller.app_id, "created_at": at, "updated_at": at}
        )
        return uow.fulfillment_services.get(service_id), {}


def update_service(
    services: Services, service_id: int, data: dict[str, Any], uow: UnitOfWork | None = None, *, caller: Caller
) -> tuple[Any | None, dict[str, list[str]]]:
    """Update a service the calling app owns (another app's is NotFound)."""
    at = services.clock.now()
    with writing(services, uow) as uow:
        current = get_service(services, service_id, uow, caller=caller)
        values, errors = _validate(data, partial=True)
        if errors:
            return None, errors
        if "name" in values and values["name"] != current["name"]:
            other = uow.fulfillment_services.find(name=values["name"])
            if other is not None and other["id"] != service_id:
                return None, {"name": ["has already been taken"]}
            uow.fulfillment_services.update_location(current["location_id"], {"name": values["name"], "updated_at": at})
        if values:
            uow.fulfillment_services.update(service_id, {**values, "updated_at": at})
        return uow.fulfillment_services.get(service_id), {}


def delete_service(services: Services, service_id: int, uow: UnitOfWork | None = None, *, caller: Caller) -> None:
    """Delete the service (only the app that owns it may; another app's is NotFound); its
    location is deactivated and its open fulfillment orders become the merchant's (unsubmitted)."""
    at = services.clock.now()
    with writing(services, uow) as uow:
        current = get_service(services, service_id, uow, caller=caller)
        uow.fulfillment_services.delete(service_id)
        uow.fulfillment_services.update_location(current["location_id"], {"active": False, "updated_at": at})


# --- requests --------------------------------------------------------------------------------


def act(
    services: Services,
    fo_id: int,
    action: str,
    *,
    caller: Caller,
    uow: UnitOfWork | None = None,
    **options: Any,
) -> tuple[Order, FulfillmentOrder, dict[str, Any]]:
    """Submit, accept or reject a fulfillment or cancellation request for one fulfillment order.

    Returns the order, the fulfillment order and extras (``unsubmitted_fulfillment_order``
    for a partial request, ``replacement_fulfillment_order`` for an accepted cancellation).
    """
    if action not in REQUEST_ACTIONS:
        raise InvalidInput(f"unknown action {action}", field="action")
    note, topic, _ = REQUEST_ACTIONS[action]
    at = services.clock.now()
    with writing(services, uow) as uow:
        order = fo_service._load(uow, services, caller, uow.orders.order_id_for_fulfillment_order(fo_id))
        fo = fulfillment_orders.fulfillment_order(order, fo_id)
        # A fulfillment order that landed at a service's location before the hook ran.
        routing.assign_services(order, uow.fulfillment_services.by_location())
        if action not in SERVICE_ANSWERS:
            # The merchant's requests need the write scope of the fulfillment order's kind.
            fo_service.check_kinds(uow, caller, [fo], "write")
        service = uow.fulfillment_services.get(fo.service_id) if fo.service_id is not None else None
        author = caller.name
        if action in SERVICE_ANSWERS and service is not None and not caller.owns(service["app_id"]):
            raise InvalidInput(f"Only the app that registered {service['name']} can answer its requests.", field="fulfillment_order")
        message = options.get("message")
        extra: dict[str, Any] = {}
        topics = [(topic, fo)]
        if action == "request_fulfillment":
            left = fo.request_fulfillment(message, at, options.get("line_items"))
            if left:
                rest = FulfillmentOrder(fo.assigned_location_id, left, at, at, service_id=fo.service_id, service_handle=fo.service_handle)
                order.add_fulfillment_order(rest)
                extra["unsubmitted_fulfillment_order"] = rest
        elif action == "accept_request":
            fo.accept_request(message, at)
        elif action == "reject_request":
            fo.reject_request(message, at, options.get("reason"), options.get("line_items"))
        elif action == "request_cancellation":
            fo.request_cancellation(message, at)
        elif action == "accept_cancellation":
            # As with a merchant's cancel: what was not shipped is to fulfil again.
            replacement = fulfillment_orders.cancel_fulfillment_order(order, fo, at, by_service=True, message=message)
            if replacement is not None:
                extra["replacement_fulfillment_order"] = replacement
            topics.append((fo_service.FO_TOPICS["cancelled"], fo))
        elif action == "reject_cancellation":
            fo.reject_cancellation(message, at)
        detail = service["name"] if service is not None else ""
        if message:
            detail = f"{detail} ({message})" if detail else message
        fulfillment_orders.note_change(order, fo, note, at, author, detail)
        fo_service._commit(uow, services, order, at, fo_topics=topics)
        if service is not None:
            uow.outbox.add_many(notices(service, action, order, fo, message, at))
    return order, fo, extra


def assigned(
    services: Services,
    *,
    caller: Caller,
    assignment_status: str | None = None,
    location_ids: tuple[int, ...] = (),
    limit: int = 250,
) -> list[tuple[Order, FulfillmentOrder]]:
    """Fulfillment orders at the locations of the calling app's fulfillment services (as on
    Shopify: the services the app registered, plus any registered before owners were
    recorded), optionally only those with an ``assignment_status``; orders the caller may not
    see (older than 60 days without read_all_orders) are left out."""
    if assignment_status is not None and assignment_status not in ASSIGNMENT_STATUSES:
        raise InvalidInput(f"assignment_status must be one of {', '.join(ASSIGNMENT_STATUSES)}", field="assignment_status")
    statuses = ASSIGNMENT_STATUSES.get(assignment_status) if assignment_status else None
    out: list[tuple[Order, FulfillmentOrder]] = []
    with services.db.reading() as uow:
        ids = uow.fulfillment_services.visible_to(caller.app_id)
        since = visible_since(services, caller)
        pairs = uow.fulfillment_services.assigned_order_ids(ids, statuses, location_ids, limit)
        orders: dict[int, Order] = {}
        for fo_id, order_id in pairs:
            if order_id not in orders:
                loaded = uow.orders.get(order_id, created_since=since, fulfillment_orders=True)
                if loaded is None:
                    continue
                orders[order_id] = loaded
            order = orders[order_id]
            out.append((order, fulfillment_orders.fulfillment_order(order, fo_id)))
    return out


# --- delivery (worker) -------------------------------------------------------------------------


def deliver_notification(services: Services, row: Any) -> None:
    """The worker's handler for ``kind == "service"`` rows: a signed POST of ``{"kind": ...}``
    to ``{callback_url}/fulfillment_order_notification``. Raises DeliveryFailed to be retried."""
    import httpx

    from ..webhooks import delivery, ssrf

    payload = row["payload"]
    with services.db.reading() as uow:
        service = uow.fulfillment_services.get(int(payload["service_id"]))
        owner = uow.tokens.app(service["app_id"]) if service is not None and service["app_id"] is not None else None
    if service is None or not service["callback_url"]:
        return  # the service was deleted or stopped listening: nothing to send
    address = service["callback_url"].rstrip("/") + "/" + NOTIFICATION_TOPIC
    shop = services.shop()
    body = delivery.body_for({"kind": payload["kind"]}, None)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": delivery.USER_AGENT,
        "X-Shopify-Topic": NOTIFICATION_TOPIC,
        # Signed with the secret of the app that registered the service (the shop's for one without).
        "X-Shopify-Hmac-Sha256": delivery.sign(owner["webhook_secret"] if owner is not None else shop.webhook_secret or "", body),
        "X-Shopify-Shop-Domain": shop.domain,
        "X-Shopify-Webhook-Id": str(uuid.uuid4()),
        "X-Shopify-Event-Id": row["event_id"],
    }
    with delivery_log.attempt(services, row, topic=payload["kind"], recipient=address, order_id=payload.get("order_id")) as attempt:
        try:
            status = attempt.status_code = delivery.post(address, body, headers)
        except ssrf.Refused as exc:
            raise delivery.DeliveryFailed(f"{address}: refused: {exc}") from None
        except (httpx.HTTPError, OSError, ValueError) as exc:
            raise delivery.DeliveryFailed(f"{address}: {type(exc).__name__}: {exc}") from None
        if not 200 <= status < 300:
            raise delivery.DeliveryFailed(f"{address}: HTTP {status}")
