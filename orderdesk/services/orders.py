"""Order use cases: place, change details, close, reopen, cancel, delete."""

from __future__ import annotations

import secrets
import string
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from ..db.uow import UnitOfWork
from ..domain import addresses, routing
from ..domain.access import SYSTEM, Caller
from ..domain.customer import Customer
from ..domain.errors import InvalidInput, InvalidTransition
from ..domain.order import Order
from ..domain.placement import NewOrder, TransactionSpec, place_order, with_catalog
from ..domain.status_links import key_hash, status_key
from ..domain.tags import parse_tags
from ..gateways import PaymentMethod
from ..representation import places
from . import cancellation, outbox, payments, stock
from . import fulfillment as fulfillment_service
from .context import Services
from .loading import load_for_change, read_order
from .transaction import writing

DELETABLE_GATEWAYS = {"manual", "", "cash", "bogus"}

_CONFIRMATION_ALPHABET = string.ascii_uppercase + string.digits


def _confirmation_number() -> str:
    return "".join(secrets.choice(_CONFIRMATION_ALPHABET) for _ in range(9))


def _resolve_customer(uow: UnitOfWork, given: Customer | None, email: str | None, at: datetime, currency: str) -> Customer | None:
    """The order's customer: the one given by id, else found or added by email, else added by name."""
    if given is not None and given.id is not None:
        customer = uow.customers.get(given.id)
        if customer is None:
            raise InvalidInput(f"customer {given.id} does not exist", field="customer")
        return customer
    email = (given.email if given is not None and given.email else email) or None
    wanted = replace(given or Customer(id=None, email=None), email=email.strip().lower() if email else None, currency=currency)
    if wanted.email:
        return uow.customers.upsert_by_email(wanted, at)
    if given is not None and (given.first_name or given.last_name or given.phone):
        return uow.customers.add(wanted, at)
    return None


def _charges_now(spec: TransactionSpec) -> bool:
    """A payment given without a status on a gateway that processes payments is charged now;
    every other one is a fact to record."""
    return spec.status is None and spec.kind in ("authorization", "sale") and payments.processes(spec.gateway)


def create_order(
    services: Services, new: NewOrder, *, caller: Caller = SYSTEM, at: datetime | None = None, uow: UnitOfWork | None = None
) -> Order:
    """Place an order: one transaction with its timeline and webhooks. (Placing reads nothing
    the caller might not see, so the write scope checked by the route is all the access it
    needs; ``caller`` names the author.) The edge builds ``new`` (schemas.orders.new_order)."""
    shop = services.shop()
    at = at or services.clock.now()
    charged = [
        payments.TransactionSpec(
            kind=spec.kind,
            amount=None if spec.amount is None else spec.amount.amount,
            gateway=spec.gateway,
            method=PaymentMethod(credit_card_number=spec.credit_card_number),
            test=spec.test,
        )
        for spec in new.transactions
        if _charges_now(spec)
    ]
    recorded = [spec for spec in new.transactions if not _charges_now(spec)]
    details = new.details
    if not details.get("confirmation_number"):
        details = {**details, "confirmation_number": _confirmation_number()}
    new = replace(
        new,
        transactions=recorded,
        financial_status="pending" if charged and not recorded else new.financial_status,
        details=details,
    )
    with writing(services, uow) as uow:
        new = with_catalog(new, uow.products.variants_for_order(new.variant_ids))
        order = place_order(new, at=at, token=secrets.token_hex(16))
        order.extra["status_key_hash"] = key_hash(status_key(services.secret_key, order.token))
        for spec in charged:
            # Payments the shopper makes now go through the gateway; a decline leaves the order pending.
            payments.charge(order, spec, at, caller.name)
        payments.set_expiry(order)
        stock.commit_for_order(uow, order, new.inventory_behaviour, at)
        routing.assign_fulfillment_orders(order, services.default_location_id(), at)
        customer = _resolve_customer(uow, new.customer, order.email, at, shop.currency)
        if customer is not None:
            order.customer_id, order.customer = customer.id, customer
            if not order.email and customer.email:
                order.email = customer.email
        uow.orders.add(order, name_prefix=shop.order_name_prefix, name_suffix=shop.order_name_suffix, offset=shop.order_number_offset)
        jobs = payments.scheduled_jobs(order, at)
        fulfillment_service.automate(uow, services, order, at)
        emails = []
        if new.send_receipt:
            emails.append("order_confirmation")
        if new.send_fulfillment_receipt and order.fulfillments:
            emails.append("shipping_confirmation")
        outbox.record(uow, order, shop, at, emails=emails, extra_rows=jobs)
    return order


def get_order(services: Services, order_id: int, *, caller: Caller) -> Order:
    return read_order(services, caller, order_id)


def update_order(
    services: Services,
    order_id: int,
    changes: dict[str, Any],
    *,
    caller: Caller,
    uow: UnitOfWork | None = None,
) -> Order:
    """Apply the writable fields a PUT body changes (schemas.orders.order_changes)."""
    shop = services.shop()
    at = services.clock.now()
    with writing(services, uow) as uow:
        order = load_for_change(uow, services, caller, order_id)
        if "shipping_address" in changes and changes["shipping_address"] is not None and order.shipping_address:
            # A partial address updates the fields it names, as Shopify's examples do.
            changes = {
                **changes,
                "shipping_address": {
                    **order.shipping_address,
                    **{k: v for k, v in changes["shipping_address"].items() if v is not None},
                },
            }
        if changes.get("shipping_address") is not None:
            changes = {**changes, "shipping_address": addresses.check_shipping_address(changes["shipping_address"], places.country)}
        if order.update_details(changes, at, author=caller.name):
            uow.orders.save(order)
            outbox.record(uow, order, shop, at)
    if "customer_id" in changes:
        order.customer = None
    return order


def change_tags(
    services: Services,
    order_id: int,
    *,
    add: tuple[str, ...] = (),
    remove: tuple[str, ...] = (),
    caller: Caller,
    uow: UnitOfWork | None = None,
) -> Order:
    """Add and remove tags in one change, read and written under the order's lock so that two
    apps tagging at once both keep their tags. Tags compare without case, as Shopify's do."""
    shop = services.shop()
    at = services.clock.now()
    gone = {tag.lower() for tag in parse_tags(remove)}
    with writing(services, uow) as uow:
        order = load_for_change(uow, services, caller, order_id)
        kept = [tag for tag in order.tags if tag.lower() not in gone]
        tags = parse_tags([*kept, *add])  # de-duplicates without case, keeping the first spelling
        if order.update_details({"tags": tags}, at, author=caller.name):
            uow.orders.save(order)
            outbox.record(uow, order, shop, at)
    return order


def _act(
    services: Services,
    order_id: int,
    action,
    *,
    caller: Caller,
    lines: bool = False,
    emails: Sequence[str] = (),
    uow: UnitOfWork | None = None,
) -> Order:
    shop = services.shop()
    at = services.clock.now()
    with writing(services, uow) as uow:
        order = load_for_change(uow, services, caller, order_id)
        action(order, at)
        if order.events:
            uow.orders.save(order, lines=lines)
            outbox.record(uow, order, shop, at, emails=emails)
    return order


def close_order(services: Services, order_id: int, *, caller: Caller, uow: UnitOfWork | None = None) -> Order:
    return _act(services, order_id, lambda o, at: o.close(at, caller.name), caller=caller, uow=uow)


def open_order(services: Services, order_id: int, *, caller: Caller, uow: UnitOfWork | None = None) -> Order:
    return _act(services, order_id, lambda o, at: o.reopen(at, caller.name), caller=caller, uow=uow)


def cancel_order(services: Services, order_id: int, **options: Any) -> Order:
    """Cancel an order (see ``cancellation.cancel_order``: voids, refunds, restock, notice)."""
    return cancellation.cancel_order(services, order_id, **options).order


def delete_order(services: Services, order_id: int, *, caller: Caller, uow: UnitOfWork | None = None) -> None:
    """Delete an order. Orders paid through an online gateway can't be deleted (Shopify's rule)."""
    at = services.clock.now()
    with writing(services, uow) as uow:
        order = load_for_change(uow, services, caller, order_id)
        online = [t for t in order.transactions if t.succeeded and t.gateway not in DELETABLE_GATEWAYS]
        if online:
            raise InvalidTransition(
                "Orders that interact with an online gateway can't be deleted; cancel and archive it instead",
                field="order",
            )
        uow.orders.delete(order_id)
        outbox.record_deleted(uow, order_id, at)
