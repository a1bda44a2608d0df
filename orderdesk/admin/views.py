"""Read-only admin pages: the order list and an order's page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from ..db import queries
from ..db.queries import Cursor, OrderFilter
from ..domain.access import Caller
from ..domain.errors import NotFound
from ..representation.common import timestamp
from ..services import delivery_log
from ..services import diagnosis as diagnosis_service

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
# Until staff log in (the admin issue), the admin is the shop owner's own view, on 127.0.0.1.
ADMIN = Caller(name="staff", system=True)
router = APIRouter(include_in_schema=False)

TABS = {
    "all": ("All", {"status": "any"}),
    "unfulfilled": ("Unfulfilled", {"status": "open", "fulfillment_status": "unfulfilled"}),
    "unpaid": ("Unpaid", {"status": "open", "financial_status": "unpaid"}),
    "open": ("Open", {"status": "open"}),
    "archived": ("Archived", {"status": "closed"}),
    "cancelled": ("Cancelled", {"status": "cancelled"}),
}
PAGE = 50


def _labels() -> dict[str, str]:
    return {
        "pending": "Payment pending",
        "authorized": "Authorized",
        "partially_paid": "Partially paid",
        "paid": "Paid",
        "partially_refunded": "Partially refunded",
        "refunded": "Refunded",
        "voided": "Voided",
        "expired": "Expired",
        None: "Unfulfilled",
        "partial": "Partially fulfilled",
        "fulfilled": "Fulfilled",
        "restocked": "Restocked",
    }


@router.get("/", response_class=HTMLResponse)
def home() -> RedirectResponse:
    return RedirectResponse("/admin/orders", status_code=303)


@router.get("/admin/orders", response_class=HTMLResponse)
def order_list(request: Request, tab: str = "all", q: str | None = None, before: str | None = None) -> HTMLResponse:
    services = request.app.state.services
    shop = services.shop()
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
    return templates.TemplateResponse(
        request,
        "order_list.html",
        {
            "shop": shop,
            "orders": orders,
            "tabs": TABS,
            "tab": tab,
            "q": q or "",
            "total": total,
            "next_before": next_before,
            "labels": _labels(),
            "when": lambda dt: timestamp(dt, shop.iana_timezone)[:16].replace("T", " "),
        },
    )


@router.get("/admin/orders/{order_id}", response_class=HTMLResponse)
def order_page(order_id: int, request: Request) -> HTMLResponse:
    services = request.app.state.services
    shop = services.shop()
    try:
        order, reasons = diagnosis_service.diagnose_order(services, order_id, caller=ADMIN)
    except NotFound:
        return templates.TemplateResponse(request, "not_found.html", {"shop": shop}, status_code=404)
    with services.db.reading() as uow:
        events = queries.order_events(uow.conn, order_id, limit=250)
    # Newest attempts first: staff look here to learn why a customer says no email came.
    attempts = list(reversed(delivery_log.deliveries(services, order_id=order_id, limit=delivery_log.MAX_LIMIT)))
    fulfilled = order.line_fulfillment()
    return templates.TemplateResponse(
        request,
        "order_page.html",
        {
            "shop": shop,
            "order": order,
            "events": list(reversed(events)),
            "attempts": attempts,
            "fulfilled": fulfilled,
            "reasons": reasons,
            "labels": _labels(),
            "when": lambda dt: timestamp(dt, shop.iana_timezone)[:16].replace("T", " ") if dt else "",
        },
    )


def address_lines(address: dict[str, Any] | None) -> list[str]:
    if not address:
        return []
    name = " ".join(p for p in (address.get("first_name"), address.get("last_name")) if p)
    city = " ".join(p for p in (address.get("zip"), address.get("city")) if p)
    return [
        p
        for p in (
            name,
            address.get("company"),
            address.get("address1"),
            address.get("address2"),
            city,
            address.get("province"),
            address.get("country") or address.get("country_code"),
        )
        if p
    ]


templates.env.globals["address_lines"] = address_lines
