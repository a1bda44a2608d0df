"""Rendering admin pages: every page gets the shop, the member, their CSRF token and formatters."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ..representation.common import timestamp
from ..services import sessions
from . import auth

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
# A one-time note of what the last action did ("Payment captured"), shown on the next page.
FLASH_COOKIE = "orderdesk_flash"

LABELS: dict[str | None, str] = {
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


def address_lines(address: dict[str, Any] | None) -> list[str]:
    if not address:
        return []
    name = " ".join(p for p in (address.get("first_name"), address.get("last_name")) if p)
    city = " ".join(p for p in (address.get("zip"), address.get("city")) if p)
    parts = (
        name,
        address.get("company"),
        address.get("address1"),
        address.get("address2"),
        city,
        address.get("province"),
        address.get("country") or address.get("country_code"),
    )
    return [p for p in parts if p]


templates.env.globals["address_lines"] = address_lines
# A refused field of the shipping address form (the domain names them ``shipping_address.city``).
templates.env.tests["shipping_field"] = lambda name: str(name).startswith("shipping_address")


def render(request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200) -> HTMLResponse:
    services = request.app.state.services
    shop = services.shop()
    caller = getattr(request.state, "caller", None)
    secret = auth.session_secret(request)
    flash = request.cookies.get(FLASH_COOKIE)
    base = {
        "flash": unquote(flash)[:300] if flash else None,
        "money": lambda bag_or_money: bag_or_money.display() if hasattr(bag_or_money, "display") else "",
        "shop": shop,
        "caller": caller,
        "csrf": sessions.csrf_token(services, secret) if secret and caller is not None else "",
        "labels": LABELS,
        "when": lambda dt: timestamp(dt, shop.iana_timezone)[:16].replace("T", " ") if dt else "",
    }
    response = templates.TemplateResponse(request, name, {**base, **(context or {})}, status_code=status_code)
    if flash:
        response.delete_cookie(FLASH_COOKIE, path="/admin")
    return response
