"""Mutations on orders, each calling the service the REST route calls (one rule, one
transaction, the same timeline events and webhooks), answering Shopify's payloads.

A business failure (a domain error) is the payload's ``userErrors`` with HTTP 200 and nothing
changed; a caller without ``write_orders`` is refused with a top-level ACCESS_DENIED error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ariadne import ObjectType

from ..domain import refundable
from ..domain.errors import DomainError, NotFound
from ..schemas.orders import order_changes
from ..services import cancellation, payments
from ..services import orders as order_service
from . import ids
from .errors import require
from .orders import TransactionNode, batch

mutation = ObjectType("Mutation")

_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
# REST's field names as GraphQL's input names them, for userErrors' paths.
_INPUT_NAMES = {
    "email": "email",
    "phone": "phone",
    "note": "note",
    "tags": "tags",
    "note_attributes": "customAttributes",
    "shipping_address": "shippingAddress",
    "amount": "amount",
    "currency": "currency",
    "parent_id": "parentTransactionId",
}


def user_error(exc: DomainError, prefix: tuple[str, ...], not_found: str = "Order does not exist") -> dict[str, Any]:
    if isinstance(exc, NotFound):
        return {"field": [*prefix, "id"], "message": not_found, "code": "NOT_FOUND"}
    field = exc.field.split(".")[0]
    path = [*prefix, _INPUT_NAMES[field]] if field in _INPUT_NAMES else None
    return {"field": path, "message": exc.message, "code": exc.code.upper()}


def _attempt(work: Callable[[], dict[str, Any]], empty: dict[str, Any], prefix: tuple[str, ...], errors_key: str = "userErrors"):
    try:
        return {**work(), errors_key: []}
    except DomainError as exc:
        return {**empty, errors_key: [user_error(exc, prefix)]}


def _order_id(info, value: Any) -> int:
    require(info, "write_orders")
    return ids.expect(value, "Order")


def _context(info):
    return info.context["services"], info.context["caller"]


def _rest_changes(data: dict[str, Any]) -> dict[str, Any]:
    """OrderInput as the REST body it stands for, validated by the same rules (schemas.orders)."""
    body: dict[str, Any] = {}
    for name in ("email", "note", "phone"):
        if name in data:
            body[name] = data[name]
    if "tags" in data:
        body["tags"] = data["tags"] or []
    if "customAttributes" in data:
        body["note_attributes"] = [{"name": a["key"], "value": a.get("value")} for a in data["customAttributes"] or []]
    if "shippingAddress" in data:
        address = data["shippingAddress"]
        body["shipping_address"] = None if address is None else {_snake(k): v for k, v in address.items()}
    return order_changes(body)


def _snake(name: str) -> str:
    if name == "countryCode":
        return "country_code"
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)


@mutation.field("orderUpdate")
def resolve_order_update(_, info, input):
    order_id = _order_id(info, input.get("id"))
    services, caller = _context(info)

    def work():
        changes = _rest_changes(input)
        return {"order": batch(info).add([order_service.update_order(services, order_id, changes, caller=caller)])[0]}

    return _attempt(work, {"order": None}, ("input",))


def _order_action(info, input, action):
    order_id = _order_id(info, input.get("id"))
    services, caller = _context(info)
    return _attempt(lambda: {"order": action(services, order_id, caller=caller)}, {"order": None}, ("input",))


@mutation.field("orderClose")
def resolve_order_close(_, info, input):
    return _order_action(info, input, order_service.close_order)


@mutation.field("orderOpen")
def resolve_order_open(_, info, input):
    return _order_action(info, input, order_service.open_order)


@mutation.field("orderMarkAsPaid")
def resolve_order_mark_as_paid(_, info, input):
    return _order_action(info, input, payments.mark_as_paid)


def _tags(info, id, tags, *, add: bool):
    order_id = _order_id(info, id)
    services, caller = _context(info)
    given = tuple(tags)

    def work():
        order = order_service.change_tags(services, order_id, add=given if add else (), remove=() if add else given, caller=caller)
        return {"node": order}

    return _attempt(work, {"node": None}, ())


@mutation.field("tagsAdd")
def resolve_tags_add(_, info, id, tags):
    return _tags(info, id, tags, add=True)


@mutation.field("tagsRemove")
def resolve_tags_remove(_, info, id, tags):
    return _tags(info, id, tags, add=False)


@mutation.field("orderCapture")
def resolve_order_capture(_, info, input):
    order_id = _order_id(info, input.get("id"))
    parent_id = ids.expect(input.get("parentTransactionId"), "OrderTransaction")
    services, caller = _context(info)
    amount = str(input.get("amount"))
    if not _DECIMAL.fullmatch(amount):
        return {"transaction": None, "userErrors": [{"field": ["input", "amount"], "message": "Amount is invalid", "code": "INVALID"}]}
    spec = payments.TransactionSpec(kind="capture", amount=Decimal(amount), currency=input.get("currency"), parent_id=parent_id)

    def work():
        order, tx = payments.create_transaction(services, order_id, spec, caller=caller)
        return {"transaction": TransactionNode(order, tx)}

    return _attempt(work, {"transaction": None}, ("input",))


@mutation.field("orderCancel")
def resolve_order_cancel(_, info, orderId, refund, restock, reason, notifyCustomer=False, staffNote=None):
    order_id = _order_id(info, orderId)
    services, caller = _context(info)

    def work():
        # A full refund of what was paid, as the admin's Cancel screen offers it.
        give_back = None
        if refund:
            order = payments.list_transactions(services, order_id, caller=caller)
            give_back = refundable.cancel_refund(order, restock=restock)
        cancellation.cancel_order(
            services,
            order_id,
            reason=reason.lower(),
            restock=restock,
            email=bool(notifyCustomer),
            refund=give_back,
            caller=caller,
        )
        # Shopify cancels in a job; orderdesk has finished by the time it answers.
        return {"job": {"id": f"gid://shopify/Job/order-cancel-{order_id}", "done": True}, "userErrors": []}

    try:
        answer = work()
        return {**answer, "orderCancelUserErrors": []}
    except DomainError as exc:
        error = user_error(exc, ())
        if isinstance(exc, NotFound):
            error["field"] = ["orderId"]
        cancel_error = {**error, "code": "NOT_FOUND" if isinstance(exc, NotFound) else "INVALID"}
        return {"job": None, "userErrors": [{k: error[k] for k in ("field", "message")}], "orderCancelUserErrors": [cancel_error]}


TYPES = [mutation]
