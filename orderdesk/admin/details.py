"""Editing an order's details in the admin: tags, notes, contact email and phone, shipping
address. Each form becomes the body a REST ``PUT`` would send and goes through the same
parsing (schemas.orders.order_changes) and the same service; the rules are the domain's."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError

from ..domain.access import Caller
from ..domain.errors import InvalidInput
from ..domain.tags import parse_tags
from ..schemas.orders import order_changes
from ..services import orders as order_service
from .actions import act
from .auth import requires

router = APIRouter(include_in_schema=False)

# The shipping address form's fields, in the order the form shows them.
ADDRESS_FIELDS = ("first_name", "last_name", "company", "address1", "address2", "city", "province", "zip", "country_code")


def changes_of(body: dict[str, Any]) -> dict[str, Any]:
    """What a PUT with ``body`` changes; a refused field becomes the domain's InvalidInput."""
    try:
        return order_changes(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidInput(first["msg"].removeprefix("Value error, "), field=where) from None


def _update(request: Request, order_id: int, caller: Caller, body: dict[str, Any], message: str, values: dict[str, str], anchor: str):
    services = request.app.state.services
    return act(
        request,
        order_id,
        caller,
        lambda: order_service.update_order(services, order_id, changes_of(body), caller=caller),
        message,
        values=values,
        anchor=anchor,
    )


@router.post("/admin/orders/{order_id}/tags")
def tags(
    order_id: int, request: Request, add: str = Form(""), remove: str = Form(""), caller: Caller = Depends(requires("orders"))
) -> Response:
    services = request.app.state.services

    def work():
        added = parse_tags(add)
        if not added and not remove.strip():
            raise InvalidInput("Type a tag to add", field="tags")
        return order_service.change_tags(services, order_id, add=added, remove=(remove.strip(),) if remove.strip() else (), caller=caller)

    said = f"Removed the tag {remove.strip()}." if remove.strip() else "Tags saved."
    return act(request, order_id, caller, work, said, values={"add": add}, anchor="#tags")


@router.post("/admin/orders/{order_id}/note")
def note(order_id: int, request: Request, note: str = Form(""), caller: Caller = Depends(requires("orders"))) -> Response:
    # A browser sends a textarea's line breaks as CRLF; the note keeps what the member typed.
    text = note.replace("\r\n", "\n").strip()
    return _update(request, order_id, caller, {"note": text or None}, "Notes saved.", {"note": note}, "#notes")


@router.post("/admin/orders/{order_id}/contact_information")
def contact_information(
    order_id: int, request: Request, email: str = Form(""), phone: str = Form(""), caller: Caller = Depends(requires("orders"))
) -> Response:
    body = {"email": email.strip() or None, "phone": phone.strip() or None}
    return _update(request, order_id, caller, body, "Contact information saved.", {"email": email, "phone": phone}, "#customer")


@router.post("/admin/orders/{order_id}/shipping_address")
async def shipping_address(order_id: int, request: Request, caller: Caller = Depends(requires("orders"))) -> Response:
    form = await request.form()
    given = {name: str(form.get(name) or "").strip() for name in ADDRESS_FIELDS}
    # The country's name follows its code (the domain fills it in), so a stale name does not stay.
    name = " ".join(p for p in (given["first_name"], given["last_name"]) if p)
    body = {"shipping_address": {**given, "name": name, "country": None}}
    values = {f"shipping_address.{k}": v for k, v in given.items()}
    return _update(request, order_id, caller, body, "Shipping address saved.", values, "#shipping-address")
