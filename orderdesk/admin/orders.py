"""The order list and an order's page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..db import queries
from ..db.queries import Cursor, OrderFilter
from ..domain.access import Caller
from ..domain.errors import NotFound
from ..domain.payment_summary import summarize
from ..representation import places
from ..services import comments as comment_service
from ..services import delivery_log, notifications
from ..services import diagnosis as diagnosis_service
from . import next_steps
from .auth import requires
from .templating import render

router = APIRouter(include_in_schema=False)

TABS: dict[str, tuple[str, dict[str, Any]]] = {
    "all": ("All", {"status": "any"}),
    "unfulfilled": ("Unfulfilled", {"status": "open", "fulfillment_status": "unfulfilled"}),
    "unpaid": ("Unpaid", {"status": "open", "financial_status": "unpaid"}),
    "open": ("Open", {"status": "open"}),
    "archived": ("Archived", {"status": "closed"}),
    "cancelled": ("Cancelled", {"status": "cancelled"}),
}
PAGE = 50


@router.get("/", response_class=HTMLResponse)
@router.get("/admin", response_class=HTMLResponse)
def home(caller: Caller = Depends(requires(None))) -> RedirectResponse:
    return RedirectResponse("/admin/orders", status_code=303)


@router.get("/admin/orders", response_class=HTMLResponse)
def order_list(
    request: Request, tab: str = "all", q: str | None = None, before: str | None = None, caller: Caller = Depends(requires("orders"))
) -> HTMLResponse:
    services = request.app.state.services
    tab = tab if tab in TABS else "all"
    flt = OrderFilter(**TABS[tab][1], search=q.strip() if q and q.strip() else None)
    cursor = None
    if before and "_" in before:
        from datetime import datetime

        stamp, _, ident = before.rpartition("_")
        try:
            cursor = Cursor(datetime.fromisoformat(stamp), int(ident), "next")
        except ValueError:
            cursor = None
    with services.db.reading() as uow:
        orders, more = queries.list_orders(uow.conn, flt, limit=PAGE, cursor=cursor)
        total = queries.count_orders(uow.conn, flt)
    next_before = f"{orders[-1].created_at.isoformat()}_{orders[-1].id}" if more and orders else None
    return render(
        request,
        "order_list.html",
        {"orders": orders, "tabs": TABS, "tab": tab, "q": q or "", "total": total, "next_before": next_before},
    )


@router.get("/admin/orders/{order_id}", response_class=HTMLResponse)
def order_page(order_id: int, request: Request, caller: Caller = Depends(requires("orders"))) -> HTMLResponse:
    return page(request, order_id, caller)


def timeline(events: list[Any], comments: list[comment_service.Comment]) -> list[dict[str, Any]]:
    """The order's events and the staff's comments in one list, newest first."""
    entries = [{"kind": "event", "at": e["created_at"], "event": e} for e in events]
    entries += [{"kind": "comment", "at": c.created_at, "comment": c} for c in comments]
    return sorted(entries, key=lambda e: e["at"], reverse=True)


def page(
    request: Request,
    order_id: int,
    caller: Caller,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The order's page; an action that was refused shows it again with ``errors`` next to the
    fields (and what the member typed in ``values``), changing nothing."""
    services = request.app.state.services
    try:
        order, reasons = diagnosis_service.diagnose_order(services, order_id, caller=caller)
    except NotFound:
        return render(request, "not_found.html", status_code=404)
    now = services.clock.now()
    with services.db.reading() as uow:
        events = queries.order_events(uow.conn, order_id, limit=250)
        locations = {row["id"]: row for row in uow.inventory.locations()}
        shop_tags = queries.shop_tags(uow.conn)
    comments = comment_service.for_order(services, order_id, caller=caller)
    # Newest attempts first: staff look here to learn why a customer says no email came.
    attempts = list(reversed(delivery_log.deliveries(services, order_id=order_id, limit=delivery_log.MAX_LIMIT)))
    context = {
        "order": order,
        "events": list(reversed(events)),
        "timeline": timeline(events, comments),
        "attempts": attempts,
        "webhook_attempts": delivery_log.webhook_attempts(services, order_id),
        "resendable": notifications.resendable(services, order_id, caller=caller),
        "fulfilled": order.line_fulfillment(),
        "reasons": reasons,
        "payment": summarize(order, now),
        "locations": locations,
        "shop_tags": shop_tags,
        "countries": places.countries(),
        "errors": errors or {},
        "values": values or {},
    }
    # The fulfillment card's names, actions and stock (imported here to keep this addition in one place).
    from ..services.fulfillment_overview import overview as fulfillment_overview

    context["fulfillment"] = fulfillment_overview(services, order)
    context["next_steps"] = next_steps.steps(reasons, order, context["payment"], context["fulfillment"], caller)
    return render(request, "order_page.html", context, status_code=status_code)
