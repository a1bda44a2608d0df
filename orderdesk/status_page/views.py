"""GET /status/{key}: one order, as its shopper may see it.

The key is looked up by its SHA-256 (``orders.status_key_hash``), so a wrong key and a
missing order answer the same plain 404. The right key always opens its page; wrong keys
are limited per client address, so a scanner is slowed down while shoppers sharing its
address (an office, a carrier's NAT) still reach their orders. The page never shows staff
notes, tags, the timeline or anything of another order, and asks browsers and crawlers not
to keep, index or pass on its address (the security headers come from
``orderdesk.api.security_headers``).
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ..domain.money import Money
from ..domain.order import Order
from ..domain.payments import payment_totals
from ..domain.status_links import key_hash
from ..representation.common import timestamp

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
router = APIRouter(include_in_schema=False)

# Keys are 43 URL-safe base64 characters; anything much longer names no order.
MAX_KEY_LENGTH = 128

HEADERS = {
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
}

PAYMENT_WORDS = {
    "pending": "Payment pending",
    "authorized": "Payment authorized, not yet charged",
    "partially_paid": "Partially paid",
    "paid": "Paid",
    "partially_refunded": "Paid, partly refunded",
    "refunded": "Refunded",
    "voided": "Payment cancelled",
    "expired": "Payment authorization expired",
}


class FailedGuesses:
    """Wrong keys per client: ``size`` at once, then ``size`` per ``period`` seconds.

    Only failures are counted, so a right key is never refused. Counting per order is not
    possible: a wrong key names no order. At most ``max_clients`` clients are remembered, in
    the order they last guessed wrong; past that the longest quiet one is forgotten (it starts
    afresh, which costs a scanner more addresses than it gains), so memory stays bounded
    however many addresses guess.
    """

    def __init__(
        self, size: int = 30, period: float = 60.0, max_clients: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.size, self.rate, self.max_clients = size, size / period, max_clients
        self.clock = clock  # seconds; tests hold it still so a slow machine's burst is judged on its count alone
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # client -> (tokens, at)
        self._lock = threading.Lock()

    def fail(self, client: str, now: float | None = None) -> float:
        """Count a wrong key: 0 if the client may have its answer, else seconds until it may guess again."""
        now = self.clock() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(client, (float(self.size), now))
            tokens = min(float(self.size), tokens + (now - last) * self.rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            self._buckets[client] = (tokens - 1 if tokens >= 1 else tokens, now)
            self._forget(now)
            return wait

    def __len__(self) -> int:
        return len(self._buckets)

    def _forget(self, now: float) -> None:
        # The oldest entries refill first: drop those that are full again, then any beyond the bound.
        while self._buckets:
            client, (tokens, last) = next(iter(self._buckets.items()))
            if len(self._buckets) <= self.max_clients and tokens + (now - last) * self.rate < self.size:
                break
            del self._buckets[client]


def client_key(host: str) -> str:
    """Whom wrong keys are counted against: the address, or its /64 for IPv6, where one
    subscriber usually holds a whole /64."""
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def _limiter(request: Request) -> FailedGuesses:
    limiter = getattr(request.app.state, "status_page_limiter", None)
    if limiter is None:
        limiter = request.app.state.status_page_limiter = FailedGuesses()
    return limiter


def _money(amount: Any, currency: str) -> str:
    return f"{Money(amount, currency).format()} {currency}"


def _link(url: str | None) -> str | None:
    return url if url and url.lower().startswith(("https://", "http://")) else None


def page_data(order: Order, tz: str) -> dict[str, Any]:
    """Only what the shopper may see, already in their currency and words."""
    cur = order.presentment_currency
    done = order.line_fulfillment()
    lines = []
    for line in order.line_items:
        refunded = line.refunded_quantity + line.removed_quantity
        lines.append(
            {
                "name": line.name,
                "sku": line.sku,
                "quantity": line.quantity,
                "price": _money(line.price.presentment.amount, cur),
                "total": _money(line.line_price.presentment.amount, cur),
                "fulfilled": min(done.get(line.key, 0), line.quantity),
                "refunded": refunded,
                "remaining": order.fulfillable_quantity(line),
            }
        )
    shipments = []
    for f in order.fulfillments:
        if not f.counts:
            continue
        urls = list(f.tracking_urls)
        tracking = [{"number": number, "url": _link(urls[i] if i < len(urls) else None)} for i, number in enumerate(f.tracking_numbers)]
        tracking += [{"number": None, "url": _link(u)} for u in urls[len(f.tracking_numbers) :] if _link(u)]
        shipments.append(
            {
                "name": f.name,
                "company": f.tracking_company,
                "tracking": tracking,
                "date": timestamp(f.created_at, tz)[:10] if f.created_at else "",
                "items": sum(f.quantities.values()),
            }
        )
    totals = order.current_totals()
    paid = payment_totals(order.transactions)
    address = order.shipping_address or {}
    address_lines = [
        " ".join(p for p in (address.get("first_name"), address.get("last_name")) if p) or address.get("name"),
        address.get("company"),
        address.get("address1"),
        address.get("address2"),
        " ".join(p for p in (address.get("zip"), address.get("city")) if p),
        address.get("province"),
        address.get("country") or address.get("country_code"),
    ]
    return {
        "name": order.display_name,
        "date": timestamp(order.processed_at or order.created_at, tz)[:10],
        "cancelled": order.cancelled_at is not None,
        "cancelled_on": timestamp(order.cancelled_at, tz)[:10] if order.cancelled_at else None,
        "payment": PAYMENT_WORDS.get(order.financial_status, order.financial_status.replace("_", " ").capitalize()),
        "fulfillment": {
            None: "Not shipped yet",
            "partial": "Partly shipped",
            "fulfilled": "Shipped",
            "restocked": "Not shipped",
        }.get(order.fulfillment_status, ""),
        "currency": cur,
        "lines": lines,
        "totals": {
            "subtotal": _money(totals.subtotal.presentment.amount, cur),
            "discounts": _money(totals.discounts.presentment.amount, cur) if totals.discounts.presentment.amount else None,
            "shipping": _money(totals.shipping.presentment.amount, cur),
            "tax": _money(totals.tax.presentment.amount, cur),
            "taxes_included": order.taxes_included,
            "total": _money(totals.total.presentment.amount, cur),
            "refunded": _money(paid.refunded, cur) if paid.refunded else None,
            "outstanding": _money(order.total_outstanding, cur) if order.total_outstanding > 0 else None,
        },
        "shipments": shipments,
        "address": [p for p in address_lines if p],
    }


def _page(request: Request, name: str, context: dict[str, Any], status_code: int = 200, **headers: str) -> HTMLResponse:
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    response.headers.update({**HEADERS, **headers})
    return response


@router.get("/status/{key}", response_class=HTMLResponse)
def order_status(request: Request, key: str) -> HTMLResponse:
    services = request.app.state.services
    order = None
    if 20 <= len(key) <= MAX_KEY_LENGTH:
        with services.db.reading() as uow:
            order = uow.orders.get_by_status_key_hash(key_hash(key))
    if order is None:
        wait = _limiter(request).fail(client_key(request.client.host if request.client else "unknown"))
        if wait:
            return _page(request, "status_limited.html", {}, 429, **{"Retry-After": str(max(int(wait + 0.999), 1))})
        return _page(request, "status_not_found.html", {}, 404)
    shop = services.shop()
    return _page(
        request, "status.html", {"shop_name": shop.name, "shop_logo": shop.logo_path, "order": page_data(order, shop.iana_timezone)}
    )
