"""Fulfillment in the admin: fulfil items (with tracking), mark as fulfilled, add or change
tracking, hold and release, reschedule, move, request fulfillment from a fulfillment service
and cancel the request, and the packing slip.

Each action parses the form, calls one service as the member, and answers as ``actions.act``
does; the fulfillment card on the order page offers only what the domain says may happen now.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ..domain import fulfillment_orders
from ..domain.access import Caller
from ..domain.errors import DomainError, Forbidden, InvalidInput, NotFound
from ..domain.fulfillment_summary import check_cancel_request, why_not_fulfill
from ..domain.order import Order
from ..domain.tracking import CARRIER_URLS
from ..services import fulfillment as fo_service
from ..services import fulfillment_overview, inventory
from ..services import fulfillment_services as service_requests
from .actions import act, done
from .auth import requires
from .templating import render, templates

router = APIRouter(include_in_schema=False)
FO_PATH = "/admin/orders/{order_id}/fulfillment_orders/{fo_id}"
ANCHOR = "#fulfillment-orders"

# Shopify's hold reasons in the merchant's words.
HOLD_REASON_LABELS = {
    "awaiting_payment": "Awaiting payment",
    "awaiting_return_items": "Awaiting returned items",
    "high_risk_of_fraud": "High risk of fraud",
    "incorrect_address": "Incorrect address",
    "inventory_out_of_stock": "Inventory out of stock",
    "online_store_post_purchase_cross_sell": "Post-purchase upsell",
    "unknown_delivery_date": "Unknown delivery date",
    "other": "Other",
}
STATUS_LABELS = {
    "open": "Unfulfilled",
    "in_progress": "In progress",
    "scheduled": "Scheduled",
    "on_hold": "On hold",
    "incomplete": "Closed as incomplete",
    "closed": "Closed",
    "cancelled": "Cancelled",
}
REQUEST_LABELS = {
    "unsubmitted": "Not requested",
    "submitted": "Fulfillment requested",
    "accepted": "Request accepted",
    "rejected": "Request rejected",
    "cancellation_requested": "Cancellation requested",
    "cancellation_accepted": "Cancellation accepted",
    "cancellation_rejected": "Cancellation rejected",
    "closed": "Request closed",
}
CARRIERS = sorted(CARRIER_URLS, key=str.casefold)
OTHER = "other"
MAX_TEXT = 255
MAX_NOTE = 1000

templates.env.globals["fulfillment_words"] = {
    "hold_reasons": HOLD_REASON_LABELS,
    "statuses": STATUS_LABELS,
    "requests": REQUEST_LABELS,
    "carriers": CARRIERS,
}


def _safe_link(url: str) -> bool:
    """Only web addresses become links (a client may have stored anything as a tracking URL)."""
    return url.startswith(("https://", "http://"))


templates.env.tests["web_link"] = _safe_link


async def form_data(request: Request) -> dict[str, str]:
    """The posted form's text fields (fields named per line, so not declared one by one)."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _order(request: Request, order_id: int, caller: Caller) -> Order:
    return fo_service.read_order_with_fulfillments(request.app.state.services, order_id, caller=caller)


def _on_order(request: Request, order_id: int, fo_id: int, caller: Caller) -> tuple[Order, fulfillment_orders.FulfillmentOrder]:
    """The order and its fulfillment order; NotFound if the fulfillment order is another order's."""
    order = _order(request, order_id, caller)
    return order, fulfillment_orders.fulfillment_order(order, fo_id)


def _text(values: dict[str, str], name: str, limit: int = MAX_TEXT) -> str:
    value = values.get(name, "").strip()
    if len(value) > limit:
        raise InvalidInput(f"at most {limit} characters", field=name)
    return value


def _tracking(values: dict[str, str]) -> fo_service.Tracking:
    """Tracking number, carrier (one orderdesk builds links for, or another named by the member
    with its own tracking URL)."""
    number = _text(values, "tracking_number")
    carrier = values.get("carrier", "").strip()
    url = ""
    if carrier == OTHER:
        carrier = _text(values, "other_carrier")
        url = _text(values, "tracking_url", 2000)
        if url and not _safe_link(url):
            raise InvalidInput("enter a web address starting with https://", field="tracking_url")
    elif carrier and carrier not in CARRIER_URLS:
        raise InvalidInput("choose a carrier from the list, or Other", field="carrier")
    if (url or carrier) and not number:
        raise InvalidInput("enter the tracking number", field="tracking_number")
    return fo_service.Tracking(carrier or None, (number,) if number else (), (url,) if url else ())


def _scoped(fo_id: int, action: str, values: dict[str, str] | None = None) -> dict[str, str]:
    """What the order page needs to show a refusal next to the right form."""
    return {**(values or {}), "fo_id": str(fo_id), "action": action}


# --- fulfil -------------------------------------------------------------------------------------


def _fulfill_page(
    request: Request,
    order_id: int,
    fo_id: int,
    caller: Caller,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    services = request.app.state.services
    try:
        order, fo = _on_order(request, order_id, fo_id, caller)
    except NotFound:
        return render(request, "not_found.html", status_code=404)
    view = fulfillment_overview.overview(services, order)
    context = {
        "order": order,
        "card": view.card(fo_id),
        "view": view,
        "why_not": why_not_fulfill(fo),
        "errors": errors or {},
        "values": values or {},
    }
    return render(request, "fulfillment/fulfill.html", context, status_code=422 if errors else 200)


@router.get(FO_PATH + "/fulfill", response_class=HTMLResponse)
def fulfill_form(order_id: int, fo_id: int, request: Request, caller: Caller = Depends(requires("fulfillment"))) -> HTMLResponse:
    return _fulfill_page(request, order_id, fo_id, caller)


@router.post(FO_PATH + "/fulfill")
def fulfill(
    order_id: int,
    fo_id: int,
    request: Request,
    values: dict[str, str] = Depends(form_data),
    caller: Caller = Depends(requires("fulfillment")),
) -> Response:
    services = request.app.state.services
    quantities: dict[int, int] = {}
    errors: dict[str, str] = {}
    named = [key for key in values if key.startswith("quantity-")]
    for key in named:
        raw = values[key].strip() or "0"
        try:
            line_id = int(key.removeprefix("quantity-"))
            qty = int(raw) if raw.isascii() and raw.isdigit() else -1
        except ValueError:
            continue
        if qty < 0 or qty > 100_000:
            errors[key] = "Enter a whole number of 0 or more."
        elif qty:
            quantities[line_id] = qty
    if not errors and not quantities:
        # An empty request would mean "everything left" to the service: zero of each is no request.
        errors["fulfillment_order_line_items"] = "Enter a quantity of at least 1 for an item to fulfill."
    if errors:
        return _fulfill_page(request, order_id, fo_id, caller, errors=errors, values=values)
    try:
        tracking = _tracking(values)
        _on_order(request, order_id, fo_id, caller)
        _, f = fo_service.create_fulfillment(
            services, [(fo_id, quantities)], tracking=tracking, notify_customer=values.get("notify_customer") == "on", caller=caller
        )
    except NotFound:
        return render(request, "not_found.html", status_code=404)
    except Forbidden as exc:
        return render(request, "forbidden.html", {"permission": None, "reason": exc.message}, status_code=403)
    except DomainError as exc:
        return _fulfill_page(request, order_id, fo_id, caller, errors={exc.field: exc.message}, values=values)
    count = sum(f.quantities.values())
    return done(order_id, f"Fulfilled {count} item{'s' if count != 1 else ''} as {f.name}.", anchor=ANCHOR)


@router.post(FO_PATH + "/mark_as_fulfilled")
def mark_as_fulfilled(order_id: int, fo_id: int, request: Request, caller: Caller = Depends(requires("fulfillment"))) -> Response:
    services = request.app.state.services

    def work():
        _on_order(request, order_id, fo_id, caller)
        # Empty quantities: everything left on the fulfillment order, as the REST API reads them.
        return fo_service.create_fulfillment(services, [(fo_id, {})], caller=caller)[1]

    def said(f) -> str:
        count = sum(f.quantities.values())
        return f"Marked {count} item{'s' if count != 1 else ''} as fulfilled ({f.name})."

    return act(request, order_id, caller, work, said, values=_scoped(fo_id, "fulfill"), anchor=ANCHOR)


@router.post("/admin/orders/{order_id}/fulfillments/{fulfillment_id}/tracking")
def update_tracking(
    order_id: int,
    fulfillment_id: int,
    request: Request,
    values: dict[str, str] = Depends(form_data),
    caller: Caller = Depends(requires("fulfillment")),
) -> Response:
    services = request.app.state.services

    def work():
        order = _order(request, order_id, caller)
        if not any(f.id == fulfillment_id for f in order.fulfillments):
            raise NotFound("Not Found")
        tracking = _tracking(values)
        if not tracking.numbers:
            raise InvalidInput("enter the tracking number", field="tracking_number")
        return fo_service.update_tracking(
            services, fulfillment_id, tracking, notify_customer=values.get("notify_customer") == "on", caller=caller
        )[1]

    scoped = {**values, "fulfillment_id": str(fulfillment_id), "action": "tracking"}
    return act(request, order_id, caller, work, lambda f: f"Tracking saved for {f.name}.", values=scoped, anchor=ANCHOR)


# --- hold, release, reschedule, move ------------------------------------------------------------


@router.post(FO_PATH + "/hold")
def hold(
    order_id: int,
    fo_id: int,
    request: Request,
    values: dict[str, str] = Depends(form_data),
    caller: Caller = Depends(requires("fulfillment")),
) -> Response:
    services = request.app.state.services
    reason = values.get("reason", "").strip()

    def work():
        note = _text(values, "reason_notes", MAX_NOTE)
        _on_order(request, order_id, fo_id, caller)
        return fo_service.act(services, fo_id, "hold", caller=caller, reason=reason, reason_notes=note or None)

    said = f"Fulfillment on hold: {HOLD_REASON_LABELS.get(reason, reason)}."
    return act(request, order_id, caller, work, said, values=_scoped(fo_id, "hold", values), anchor=ANCHOR)


@router.post(FO_PATH + "/release_hold")
def release_hold(order_id: int, fo_id: int, request: Request, caller: Caller = Depends(requires("fulfillment"))) -> Response:
    services = request.app.state.services

    def work():
        _on_order(request, order_id, fo_id, caller)
        return fo_service.act(services, fo_id, "release_hold", caller=caller)

    return act(request, order_id, caller, work, "Hold released.", values=_scoped(fo_id, "release_hold"), anchor=ANCHOR)


def _shop_time(request: Request, value: str) -> datetime:
    """A date and time the member typed, in the shop's time zone, as UTC."""
    value = value.strip()
    try:
        typed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput("enter a date and time like 2025-03-01 09:00", field="new_fulfill_at") from None
    if typed.tzinfo is None:
        typed = typed.replace(tzinfo=ZoneInfo(request.app.state.services.shop().iana_timezone))
    return typed.astimezone(UTC)


@router.post(FO_PATH + "/reschedule")
def reschedule(
    order_id: int,
    fo_id: int,
    request: Request,
    values: dict[str, str] = Depends(form_data),
    caller: Caller = Depends(requires("fulfillment")),
) -> Response:
    services = request.app.state.services
    typed = values.get("new_fulfill_at", "")

    def work():
        when = _shop_time(request, typed)
        _on_order(request, order_id, fo_id, caller)
        return fo_service.act(services, fo_id, "reschedule", caller=caller, new_fulfill_at=when)

    said = f"Fulfillment scheduled for {typed.strip().replace('T', ' ')}."
    return act(request, order_id, caller, work, said, values=_scoped(fo_id, "reschedule", values), anchor=ANCHOR)


@router.post(FO_PATH + "/move")
def move(
    order_id: int,
    fo_id: int,
    request: Request,
    values: dict[str, str] = Depends(form_data),
    caller: Caller = Depends(requires("fulfillment")),
) -> Response:
    services = request.app.state.services
    raw = values.get("new_location_id", "").strip()

    def work():
        if not raw.isascii() or not raw.isdigit():
            raise InvalidInput("choose a location", field="new_location_id")
        _on_order(request, order_id, fo_id, caller)
        order, fo, extra = fo_service.act(services, fo_id, "move", caller=caller, new_location_id=int(raw))
        return extra["moved_fulfillment_order"].assigned_location_id

    def said(location_id: int) -> str:
        return f"Moved to {inventory.location(services, location_id)['name']}."

    return act(request, order_id, caller, work, said, values=_scoped(fo_id, "move", values), anchor=ANCHOR)


# --- fulfillment services -----------------------------------------------------------------------


@router.post(FO_PATH + "/request_fulfillment")
def request_fulfillment(
    order_id: int,
    fo_id: int,
    request: Request,
    values: dict[str, str] = Depends(form_data),
    caller: Caller = Depends(requires("fulfillment")),
) -> Response:
    services = request.app.state.services

    def work():
        message = _text(values, "message", MAX_NOTE)
        _on_order(request, order_id, fo_id, caller)
        _, fo, _ = service_requests.act(services, fo_id, "request_fulfillment", caller=caller, message=message or None)
        return fo

    said = lambda fo: f"Fulfillment requested from {fulfillment_overview.service_name(services, fo.service_id)}."  # noqa: E731
    return act(request, order_id, caller, work, said, values=_scoped(fo_id, "request_fulfillment", values), anchor=ANCHOR)


@router.post(FO_PATH + "/cancel_request")
def cancel_request(order_id: int, fo_id: int, request: Request, caller: Caller = Depends(requires("fulfillment"))) -> Response:
    """A request the service has not accepted is withdrawn by cancelling the fulfillment order
    (its items come back on a new one, to request again); an accepted one is asked to be cancelled."""
    services = request.app.state.services

    def work():
        _, fo = _on_order(request, order_id, fo_id, caller)
        name = fulfillment_overview.service_name(services, fo.service_id)
        if check_cancel_request(fo) == "cancel":
            fo_service.act(services, fo_id, "cancel", caller=caller)
            return f"Fulfillment request to {name} withdrawn; the items are ready to request again."
        service_requests.act(services, fo_id, "request_cancellation", caller=caller, message=None)
        return f"Cancellation requested from {name}."

    return act(request, order_id, caller, work, lambda said: said, values=_scoped(fo_id, "cancel_request"), anchor=ANCHOR)


# --- packing slip -------------------------------------------------------------------------------

PAPERS = {"a4": "A4", "letter": "US Letter"}


@router.get(FO_PATH + "/packing_slip", response_class=HTMLResponse)
def packing_slip(
    order_id: int, fo_id: int, request: Request, paper: str = "a4", caller: Caller = Depends(requires("fulfillment"))
) -> HTMLResponse:
    services = request.app.state.services
    try:
        order, fo = _on_order(request, order_id, fo_id, caller)
    except NotFound:
        return render(request, "not_found.html", status_code=404)
    view = fulfillment_overview.overview(services, order)
    card = view.card(fo_id)
    to_ship = [line for line in card.lines if line.to_fulfill] if card else []
    context = {
        "order": order,
        "fo": fo,
        "card": card,
        "to_ship": to_ship,
        "location": view.location_name(fo.assigned_location_id),
        "paper": paper if paper in PAPERS else "a4",
        "papers": PAPERS,
    }
    return render(request, "fulfillment/packing_slip.html", context)
