"""Fulfillment use cases: ship, unship, hold, release, move, reschedule, open, cancel, close.

Every change locks the order row first, so two requests can never fulfil the same units.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..db.uow import UnitOfWork
from ..domain import fulfillment_automation, fulfillment_deadlines, fulfillment_orders, fulfillments, holds, routing
from ..domain.access import Caller, FulfillmentOrderKind
from ..domain.errors import InvalidInput, InvalidTransition, NotFound
from ..domain.events import ShipmentUpdated
from ..domain.fulfillment_order_rules import LIVE
from ..domain.fulfillment_orders import FulfillmentOrder, LineQuantities
from ..domain.fulfillments import Fulfillment
from ..domain.order import Order
from ..domain.tracking import tracking_urls as carrier_urls
from ..representation.fulfillments import fulfillment_event_json, fulfillment_order_json, fulfillment_rest_json
from . import outbox, service_notices, stock
from .context import Services
from .loading import load, load_for_change
from .transaction import writing


@dataclass(frozen=True)
class Tracking:
    company: str | None = None
    numbers: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()


def _load(uow: UnitOfWork, services: Services, caller: Caller, order_id: int | None) -> Order:
    return load_for_change(uow, services, caller, order_id, fulfillment_orders=True)


def kind_of(uow: UnitOfWork, caller: Caller, fo: FulfillmentOrder) -> FulfillmentOrderKind:
    """Which of Shopify's kinds the fulfillment order is for this caller (see domain/access.py).
    A fulfillment order at a service's location counts as the service's before it is assigned."""
    service_id = fo.service_id
    if service_id is None and fo.assigned_location_id is not None:
        at = uow.fulfillment_services.by_location().get(fo.assigned_location_id)
        service_id = at[0] if at is not None else None
    return kind_at(caller, service_id, uow.fulfillment_services.owner(service_id) if service_id is not None else None)


def kind_at(caller: Caller, service_id: int | None, owner_app_id: int | None) -> FulfillmentOrderKind:
    """The kind of a fulfillment order at the service ``service_id`` (None: at the merchant's
    own location), which the app ``owner_app_id`` registered."""
    if service_id is None:
        return "merchant_managed"
    return caller.fulfillment_order_kind(owner_app_id, True)


def check_kinds(uow: UnitOfWork, caller: Caller, fos: list[FulfillmentOrder], verb: str) -> None:
    """Refuse (403) unless the caller holds the read or write scope of each fulfillment order's kind."""
    for fo in fos:
        caller.check_fulfillment_order(verb, kind_of(uow, caller, fo))  # type: ignore[arg-type]


def _fulfillment_order_of(order: Order, f: Fulfillment) -> list[FulfillmentOrder]:
    """The fulfillment order a fulfillment was recorded against (none for an imported one)."""
    return [fo for fo in order.fulfillment_orders or [] if fo.id is not None and fo.id == f.fulfillment_order_id]


def _commit(
    uow: UnitOfWork,
    services: Services,
    order: Order,
    at: datetime,
    *,
    new_fulfillments=(),
    changed_fulfillments=(),
    fo_topics=(),
    lines: bool = False,
    splits=(),
) -> None:
    """Save the order and its fulfillment work, with its webhooks and emails, in ``uow``.

    ``splits``: (original, remaining, split_line_items, author) for fulfillment orders split
    here; the remaining one (its id known once saved) gets a timeline event and Shopify's
    fulfillment_orders/split webhook."""
    shop = services.shop()
    for f in new_fulfillments:
        uow.orders.add_fulfillment(order.saved_id, f)
        stock.ship(uow, order, f, at)
        lines = True
    for f in changed_fulfillments:
        uow.orders.save_fulfillment(order.saved_id, f)
        if f.status == "cancelled" and f.updated_at == at:
            stock.ship(uow, order, f, at, back=True)
            lines = True
    routing.assign_services(order, uow.fulfillment_services.by_location())
    uow.orders.save_fulfillment_orders(order)
    for original, remaining, _split, who in splits:
        fulfillment_orders.note_change(order, remaining, "split", at, who, f"from fulfillment order {original.id}")
    uow.orders.save(order, lines=lines)
    rows = [outbox.webhook("fulfillments/create", order.id, fulfillment_rest_json(order, f, shop), at) for f in new_fulfillments]
    rows += [outbox.webhook("fulfillments/update", order.id, fulfillment_rest_json(order, f, shop), at) for f in changed_fulfillments]
    rows += [
        outbox.webhook(
            SPLIT_TOPIC,
            order.id,
            {
                "fulfillment_order": fulfillment_order_json(order, original, shop),
                "remaining_fulfillment_order": fulfillment_order_json(order, remaining, shop),
                "replacement_fulfillment_order": None,
                "split_line_items": split,
            },
            at,
        )
        for original, remaining, split, _who in splits
    ]
    rows += [outbox.webhook(topic, order.id, {"fulfillment_order": fulfillment_order_json(order, fo, shop)}, at) for topic, fo in fo_topics]
    emails = ["shipping_confirmation" for f in new_fulfillments if f.notify_customer]
    outbox.record(uow, order, shop, at, extra_rows=rows, emails=emails)


def automate(uow: UnitOfWork, services: Services, order: Order, at: datetime) -> None:
    """Apply the shop's fulfillment settings to an order just placed or just paid."""
    shop = services.shop()
    if order.fulfillment_orders is None:
        uow.orders.load_fulfillment_orders(order)
    if routing.assign_services(order, uow.fulfillment_services.by_location()):
        uow.orders.save_fulfillment_orders(order)
    if shop.fulfillment_automation == "manual" and not shop.hold_unpaid_fulfillment:
        return
    before = [(fo.status, len(fo.holds)) for fo in order.loaded_fulfillment_orders]
    made = fulfillment_automation.apply_automation(order, at, mode=shop.fulfillment_automation, hold_unpaid=shop.hold_unpaid_fulfillment)
    for f in made:
        uow.orders.add_fulfillment(order.saved_id, f)
        stock.ship(uow, order, f, at)
    if made or before != [(fo.status, len(fo.holds)) for fo in order.loaded_fulfillment_orders]:
        uow.orders.save_fulfillment_orders(order)
        uow.orders.save(order, lines=bool(made))


def list_fulfillment_orders(services: Services, order_id: int, *, caller: Caller) -> tuple[Order, list[FulfillmentOrder]]:
    """The order and those of its fulfillment orders whose kind the caller may read."""
    with services.db.reading() as uow:
        order = load(uow, services, caller, order_id, fulfillment_orders=True)
        visible = [fo for fo in order.fulfillment_orders or [] if caller.may_fulfillment_order("read", kind_of(uow, caller, fo))]
    return order, visible


def read_order_with_fulfillments(services: Services, order_id: int, *, caller: Caller) -> Order:
    """The order with its fulfillments (part of the order, so read_orders is enough)."""
    with services.db.reading() as uow:
        return load(uow, services, caller, order_id, fulfillment_orders=True)


def find_fulfillment_order(services: Services, fo_id: int, *, caller: Caller) -> tuple[Order, FulfillmentOrder]:
    with services.db.reading() as uow:
        order = load(uow, services, caller, uow.orders.order_id_for_fulfillment_order(fo_id), fulfillment_orders=True)
        fo = fulfillment_orders.fulfillment_order(order, fo_id)
        check_kinds(uow, caller, [fo], "read")
    return order, fo


def fulfillments_of_fulfillment_order(services: Services, fo_id: int, *, caller: Caller) -> tuple[Order, list[Fulfillment]]:
    """The fulfillments that shipped from one fulfillment order, oldest first."""
    order, _ = find_fulfillment_order(services, fo_id, caller=caller)
    return order, [f for f in order.fulfillments if f.fulfillment_order_id == fo_id]


def create_fulfillment(
    services: Services,
    requests: list[tuple[int, dict[int, int]]],
    *,
    tracking: Tracking = Tracking(),
    notify_customer: bool = False,
    order_id: int | None = None,
    legacy_lines: list[tuple[int, int | None]] | None = None,
    caller: Caller,
    uow: UnitOfWork | None = None,
) -> tuple[Order, Fulfillment]:
    """Ship from fulfillment orders (``requests``: fulfillment order id -> {its line id: qty};
    empty quantities ship everything left), or, on the legacy path, from an order's lines.

    The caller needs the write scope of each fulfillment order's kind, and a fulfillment
    service's fulfillment order ships only by the app that registered the service (anyone's,
    for a service with no recorded owner)."""
    at = services.clock.now()
    with writing(services, uow) as uow:
        if order_id is None:
            if not requests:
                raise InvalidInput("line_items_by_fulfillment_order is required", field="line_items_by_fulfillment_order")
            order_ids = {uow.orders.order_id_for_fulfillment_order(fo_id) for fo_id, _ in requests}
            if None in order_ids:
                raise InvalidInput("a fulfillment order in the request does not exist", field="line_items_by_fulfillment_order")
            if len(order_ids) != 1:
                raise InvalidInput("all fulfillment orders must belong to one order", field="line_items_by_fulfillment_order")
            order_id = order_ids.pop()
        order = _load(uow, services, caller, order_id)
        pairs: Sequence[tuple[FulfillmentOrder, LineQuantities]]
        if legacy_lines is not None or not requests:
            pairs = fulfillments.legacy_requests(order, legacy_lines)
        else:
            pairs = [(fulfillment_orders.fulfillment_order(order, fo_id), wanted) for fo_id, wanted in requests]
        check_kinds(uow, caller, [fo for fo, _ in pairs], "write")
        _check_service_owner(uow, [fo for fo, _ in pairs], caller)
        f = fulfillments.fulfill(
            order,
            pairs,
            at,
            tracking_company=tracking.company,
            tracking_numbers=list(tracking.numbers),
            tracking_urls=carrier_urls(tracking.company, tracking.numbers, tracking.urls),
            notify_customer=notify_customer,
            author=caller.name,
        )
        _commit(uow, services, order, at, new_fulfillments=[f])
    return order, f


def _check_service_owner(uow: UnitOfWork, fos: list[FulfillmentOrder], caller: Caller) -> None:
    """Refuse to ship a fulfillment service's fulfillment order for any app but the one that
    registered the service (a service with no recorded owner is anyone's). A fulfillment
    order at a service's location counts as the service's even before it was assigned."""
    by_location = uow.fulfillment_services.by_location()
    ids = {fo.service_id for fo in fos if fo.service_id is not None}
    ids |= {by_location[fo.assigned_location_id][0] for fo in fos if fo.assigned_location_id in by_location}
    for row in uow.fulfillment_services.many(sorted(ids)).values():
        if not caller.owns(row["app_id"]):
            raise InvalidInput(
                f"Only the app that registered the fulfillment service {row['name']} can fulfill its fulfillment orders.",
                field="fulfillment_order",
            )


def _forget_deleted_services(uow: UnitOfWork, order: Order, at: datetime) -> None:
    """Live fulfillment orders of a since-deleted service (a cancelled fulfillment brought one
    back) become the merchant's: unsubmitted at that location, no dangling service."""
    live = [fo for fo in order.fulfillment_orders or [] if fo.service_id is not None and fo.status in LIVE]
    existing = uow.fulfillment_services.many(sorted({fo.service_id for fo in live if fo.service_id is not None}))
    for fo in live:
        if fo.service_id not in existing:
            fo.leave_service(at)


def _fulfillment(order: Order, fulfillment_id: int) -> Fulfillment:
    for f in order.fulfillments:
        if f.id == fulfillment_id:
            return f
    raise NotFound("Not Found")


def cancel_fulfillment(
    services: Services, fulfillment_id: int, *, order_id: int | None = None, caller: Caller, uow: UnitOfWork | None = None
) -> tuple[Order, Fulfillment]:
    """Mark as unfulfilled: cancel the fulfillment; its items are to fulfil again (see fulfillments.cancel_fulfillment)."""
    at = services.clock.now()
    with writing(services, uow) as uow:
        owner = uow.orders.order_id_for_fulfillment(fulfillment_id)
        if owner is None or (order_id is not None and owner != order_id):
            raise NotFound("Not Found")
        order = _load(uow, services, caller, owner)
        f = _fulfillment(order, fulfillment_id)
        check_kinds(uow, caller, _fulfillment_order_of(order, f), "write")
        fulfillments.cancel_fulfillment(order, f, at, caller.name)
        _forget_deleted_services(uow, order, at)
        _commit(uow, services, order, at, changed_fulfillments=[f])
    return order, f


def update_tracking(
    services: Services,
    fulfillment_id: int,
    tracking: Tracking,
    *,
    notify_customer: bool = False,
    caller: Caller,
    uow: UnitOfWork | None = None,
) -> tuple[Order, Fulfillment]:
    at = services.clock.now()
    with writing(services, uow) as uow:
        owner = uow.orders.order_id_for_fulfillment(fulfillment_id)
        if owner is None:
            raise NotFound("Not Found")
        order = _load(uow, services, caller, owner)
        f = _fulfillment(order, fulfillment_id)
        check_kinds(uow, caller, _fulfillment_order_of(order, f), "write")
        if f.status == "cancelled":
            raise InvalidTransition("The fulfillment is cancelled", field="fulfillment")
        f.tracking_company = tracking.company or f.tracking_company
        f.tracking_numbers = list(tracking.numbers) or f.tracking_numbers
        f.tracking_urls = carrier_urls(f.tracking_company, f.tracking_numbers, tracking.urls) or f.tracking_urls
        f.updated_at = at
        order.events.append(ShipmentUpdated(at=at, author=caller.name, name=f.name or "", status="tracking_updated"))
        _commit(uow, services, order, at, changed_fulfillments=[f])
        if notify_customer and order.email:
            uow.outbox.add_many([outbox.email("shipping_update", order, at, fulfillment_id=f.id)])
    return order, f


def add_shipment_event(
    services: Services,
    order_id: int,
    fulfillment_id: int,
    values: dict[str, Any],
    *,
    caller: Caller,
    uow: UnitOfWork | None = None,
) -> tuple[Order, Fulfillment, Any]:
    """A carrier scan (in_transit, out_for_delivery, delivered, ...): it sets the shipment status."""
    at = services.clock.now()
    status = values["status"]
    if status not in fulfillments.SHIPMENT_STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(fulfillments.SHIPMENT_STATUSES)}", field="status")
    with writing(services, uow) as uow:
        order = _load(uow, services, caller, order_id)
        f = _fulfillment(order, fulfillment_id)
        check_kinds(uow, caller, _fulfillment_order_of(order, f), "write")
        f.shipment_status = status
        f.updated_at = at
        order.events.append(ShipmentUpdated(at=at, author=caller.name, name=f.name or "", status=status))
        row = uow.orders.add_fulfillment_event(order.saved_id, fulfillment_id, values, at)
        _commit(uow, services, order, at, changed_fulfillments=[f])
        uow.outbox.add_many([outbox.webhook("fulfillment_events/create", order.id, fulfillment_event_json(row, services.shop()), at)])
        template = {"out_for_delivery": "out_for_delivery", "delivered": "delivered", "in_transit": "shipping_update"}.get(status)
        if template and order.email:
            uow.outbox.add_many([outbox.email(template, order, at, fulfillment_id=f.id)])
    return order, f, row


# --- fulfillment-order actions -------------------------------------------------------

FO_TOPICS = {
    "held": "fulfillment_orders/placed_on_hold",
    "hold_released": "fulfillment_orders/hold_released",
    "moved": "fulfillment_orders/moved",
    "rescheduled": "fulfillment_orders/rescheduled",
    "cancelled": "fulfillment_orders/cancelled",
    "scheduled_released": "fulfillment_orders/scheduled_fulfillment_order_ready",
}
SPLIT_TOPIC = "fulfillment_orders/split"


def act(
    services: Services, fo_id: int, action: str, *, caller: Caller, uow: UnitOfWork | None = None, **options: Any
) -> tuple[Order, FulfillmentOrder, dict[str, Any]]:
    """Run one fulfillment-order action; returns the order, the fulfillment order and extras
    (a moved or replacement fulfillment order)."""
    at = services.clock.now()
    with writing(services, uow) as uow:
        order = _load(uow, services, caller, uow.orders.order_id_for_fulfillment_order(fo_id))
        fo = fulfillment_orders.fulfillment_order(order, fo_id)
        check_kinds(uow, caller, [fo], "write")
        author = caller.name
        extra: dict[str, Any] = {}
        topics = []
        splits = []
        if action == "hold":
            before = {line.id: line.quantity for line in fo.lines}
            first, remaining = holds.hold(
                order, fo, options["reason"], options.get("reason_notes"), at, line_quantities=options.get("line_items"), author=author
            )
            topics = [("fulfillment_holds/added", fo)] + ([(FO_TOPICS["held"], fo)] if first else [])
            extra["remaining_fulfillment_order"] = remaining
            if remaining is not None:
                after = {line.id: line.quantity for line in fo.lines}
                split = [
                    {"id": line_id, "quantity": qty - after.get(line_id, 0)}
                    for line_id, qty in before.items()
                    if qty > after.get(line_id, 0)
                ]
                splits.append((fo, remaining, split, author))
        elif action == "release_hold":
            if fo.release_hold(at):
                fulfillment_orders.note_change(order, fo, "hold_released", at, author)
                topics = [("fulfillment_holds/released", fo), (FO_TOPICS["hold_released"], fo)]
        elif action == "reschedule":
            fo.reschedule(options["new_fulfill_at"], at)
            fulfillment_orders.note_change(order, fo, "rescheduled", at, author, f"to {options['new_fulfill_at']:%Y-%m-%d %H:%M} UTC")
            topics = [(FO_TOPICS["rescheduled"], fo)]
            uow.outbox.add_many(
                [
                    outbox.job(
                        "scheduled_fulfillment_release",
                        order.id,
                        {"order_id": order.id, "fulfillment_order_id": fo.id},
                        at,
                        options["new_fulfill_at"],
                    )
                ]
            )
        elif action == "open":
            fo.mark_open(at)
            fulfillment_orders.note_change(order, fo, "opened", at, author)
        elif action == "cancel":
            # Cancelling before the service accepted withdraws the request: it is told, as for a cancellation request.
            # (The notice lists what was requested, so it is written before the units leave.)
            notices = _withdrawal_notices(uow, order, fo, at) if fo.service_id is not None and fo.request_status == "submitted" else []
            replacement = fulfillment_orders.cancel_fulfillment_order(order, fo, at)
            uow.outbox.add_many(notices)
            fulfillment_orders.note_change(order, fo, "cancelled", at, author)
            topics = [(FO_TOPICS["cancelled"], fo)]
            if replacement is not None:
                extra["replacement_fulfillment_order"] = replacement
        elif action == "close":
            fo.close(at, options.get("message"))
            fulfillment_orders.note_change(order, fo, "closed", at, author, options.get("message") or "")
        elif action == "move":
            extra.update(_move(uow, order, fo, options["new_location_id"], options.get("line_items"), at, author))
            topics = [(FO_TOPICS["moved"], fo)]
        else:
            raise InvalidInput(f"unknown action {action}", field="action")
        _commit(uow, services, order, at, fo_topics=topics, splits=splits)
    return order, fo, extra


WITHDRAWN = "The merchant cancelled the fulfillment order, withdrawing the fulfillment request."


def _withdrawal_notices(uow: UnitOfWork, order: Order, fo: FulfillmentOrder, at: datetime) -> list[dict[str, Any]]:
    """Outbox rows telling the service a submitted request was withdrawn: what a cancellation
    request sends (a CANCELLATION_REQUEST notification to its callback, the email to its address)."""
    service = uow.fulfillment_services.get(fo.service_id) if fo.service_id is not None else None
    if service is None:
        return []
    return service_notices.notices(service, "request_cancellation", order, fo, WITHDRAWN, at)


def _move(
    uow: UnitOfWork,
    order: Order,
    fo: FulfillmentOrder,
    location_id: int,
    line_items: dict[int, int] | None,
    at: datetime,
    author: str | None,
) -> dict[str, Any]:
    if uow.inventory.location(location_id) is None:
        raise InvalidInput(f"location {location_id} does not exist", field="new_location_id")
    if location_id == fo.assigned_location_id:
        raise InvalidInput("the fulfillment order is already at that location", field="new_location_id")
    fo.check("move")  # a held or shipping fulfillment order says so before any stock is looked at
    moving = fo.split_off(line_items)
    # The units' reservation moves with them, in this transaction: reserved at the new location by a
    # conditional UPDATE (a deny item short there refuses the move) and released at the old one.
    stock.move(uow, order, moving, fo.assigned_location_id, location_id, at)
    moved, remaining = routing.move(order, fo, location_id, line_items, at, author)
    return {"moved_fulfillment_order": moved, "remaining_fulfillment_order": remaining}


def release_scheduled(services: Services, order_id: int, fo_id: int) -> None:
    """The scheduled job: fulfillment orders whose fulfill_at has come become open.

    Every due fulfillment order of the order is released, not only ``fo_id``: a move or a split
    after scheduling leaves the units on new fulfillment orders that the job never named.
    """
    at = services.clock.now()
    with writing(services, None) as uow:
        order = uow.orders.get(order_id, for_update=True, created_since=None, fulfillment_orders=True)
        if order is None:
            return
        due = [fo for fo in order.loaded_fulfillment_orders if fo.status == "scheduled" and (fo.fulfill_at is None or fo.fulfill_at <= at)]
        if not due:
            return
        for fo in due:
            fo.mark_open(at)
            fulfillment_orders.note_change(order, fo, "scheduled_released", at, "orderdesk")
        _commit(uow, services, order, at, fo_topics=[(FO_TOPICS["scheduled_released"], fo) for fo in due])


def shipment_events(services: Services, order_id: int, fulfillment_id: int, *, caller: Caller) -> list[Any]:
    with services.db.reading() as uow:
        order = load(uow, services, caller, order_id)
        _fulfillment(order, fulfillment_id)
        return uow.orders.fulfillment_events(fulfillment_id)


def shipment_event(services: Services, order_id: int, fulfillment_id: int, event_id: int, *, caller: Caller) -> Any:
    for row in shipment_events(services, order_id, fulfillment_id, caller=caller):
        if row["id"] == event_id:
            return row
    raise NotFound("Not Found")


def delete_shipment_event(
    services: Services, order_id: int, fulfillment_id: int, event_id: int, *, caller: Caller, uow: UnitOfWork | None = None
) -> None:
    """Take back a carrier scan recorded by mistake: the shipment's status goes back to the
    latest scan left (or none)."""
    at = services.clock.now()
    with writing(services, uow) as uow:
        order = _load(uow, services, caller, order_id)
        f = _fulfillment(order, fulfillment_id)
        check_kinds(uow, caller, _fulfillment_order_of(order, f), "write")
        scans = uow.orders.fulfillment_events(fulfillment_id)
        row = next((r for r in scans if r["id"] == event_id), None)
        if row is None:
            raise NotFound("Not Found")
        uow.orders.delete_fulfillment_event(event_id)
        left = [r for r in scans if r["id"] != event_id]
        # The status follows the latest scan recorded, as add_shipment_event sets it.
        f.shipment_status = left[-1]["status"] if left else None
        f.updated_at = at
        order.events.append(ShipmentUpdated(at=at, author=caller.name, name=f.name or "", status=f"{row['status']} scan removed"))
        _commit(uow, services, order, at, changed_fulfillments=[f])
        uow.outbox.add_many([outbox.webhook("fulfillment_events/delete", order.id, fulfillment_event_json(row, services.shop()), at)])


def set_deadline(services: Services, fo_ids: list[int], deadline: datetime, *, caller: Caller, uow: UnitOfWork | None = None) -> None:
    """Set the fulfillment deadline of several fulfillment orders, all or none: each must be one
    the caller may see (its order inside the caller's window) and write (its kind's scope)."""
    at = services.clock.now()
    with writing(services, uow) as uow:
        owners = {fo_id: uow.orders.order_id_for_fulfillment_order(fo_id) for fo_id in dict.fromkeys(fo_ids)}
        if None in owners.values():
            raise NotFound("Not Found")
        # Several orders are locked in primary-key order, so two such requests never deadlock.
        orders = {oid: _load(uow, services, caller, oid) for oid in sorted(set(owners.values()))}  # type: ignore[type-var]
        changes = [(orders[oid], fulfillment_orders.fulfillment_order(orders[oid], fo_id)) for fo_id, oid in owners.items()]
        check_kinds(uow, caller, [fo for _, fo in changes], "write")
        fulfillment_deadlines.set_deadline(changes, deadline, at, caller.name)
        for order in orders.values():
            _commit(uow, services, order, at)
