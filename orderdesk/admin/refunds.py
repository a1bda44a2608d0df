"""The refund screen: a quantity per line, restock, shipping, the amount, a reason; amounts come
from the refund calculation as the member types (htmx), or from a "Calculate" button without
JavaScript. What a restock means for each unit is the domain's (``domain/refundable.py``), and
the refund rules (``domain/refunds.py``) refuse what is not refundable, with their message shown
next to the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ..domain import refundable
from ..domain.access import Caller
from ..domain.errors import DomainError, InvalidInput, NotFound
from ..domain.money import Money, MoneyBag, to_decimal
from ..domain.order import Order
from ..domain.refunds import RefundPlan, RefundRequest, shipping_maximum
from ..services import payments as payment_service
from ..services import refunds as refund_service
from .actions import done
from .auth import requires
from .templating import render, templates

router = APIRouter(include_in_schema=False)
MAX_NOTE = 5000  # as the REST API's refund note
# Fields with a place for their message on the form (the quantities' are "quantity-<line id>").
SLOTS = {"refund_line_items", "shipping", "amount", "transactions", "note", "refund"}
# The order page's header shows "Refund" only while a refund could still give something back.
templates.env.globals["refund_possible"] = refundable.anything_left


async def form_fields(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.multi_items() if isinstance(v, str)}


@dataclass
class Choices:
    """What the member asked for, as typed (to show again) and as parsed."""

    values: dict[str, str]
    quantities: dict[int, int] = field(default_factory=dict)
    restock: bool = True
    shipping: Decimal | None = None
    amount: Decimal | None = None
    notify: bool = False
    note: str | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def basis(self) -> str:
        """What the amounts depend on: a refund confirmed on amounts worked out for other
        quantities or shipping is shown again instead of done."""
        lines = ",".join(f"{k}={v}" for k, v in sorted(self.quantities.items()) if v)
        return f"{lines};{self.shipping if self.shipping is not None else ''}"


def parse(fields: dict[str, str], *, fresh: bool = False) -> Choices:
    """Read the form. ``fresh``: the page is first opened (restock and notify default to on)."""
    choices = Choices(values=dict(fields))
    for name, value in fields.items():
        if not name.startswith("quantity-"):
            continue
        try:
            line_id = int(name.removeprefix("quantity-"))
        except ValueError:
            continue
        text = value.strip()
        if not text:
            continue
        if not text.isascii() or not text.isdigit() or len(text) > 9:
            choices.errors[name] = "Enter a whole number of units (0 or more)."
            continue
        choices.quantities[line_id] = int(text)
    choices.restock = fresh or fields.get("restock") == "1"
    choices.notify = fresh or fields.get("notify") == "1"
    for name in ("shipping", "amount"):
        text = fields.get(name, "").strip()
        if text:
            try:
                setattr(choices, name, to_decimal(text, field=name))
            except InvalidInput as exc:
                choices.errors[name] = exc.message
    note = fields.get("note", "").strip()
    if len(note) > MAX_NOTE:
        choices.errors["note"] = f"The reason may have at most {MAX_NOTE} characters."
    choices.note = note or None
    return choices


def refund_request(order: Order, choices: Choices) -> RefundRequest:
    """The request the choices stand for. An amount typed is the money to refund (a fee kept
    when less than the items' worth); left empty, the calculation's suggestion is refunded."""
    amount = choices.amount
    return RefundRequest(
        lines=refundable.line_requests(order, choices.quantities, restock=choices.restock),
        shipping_amount=choices.shipping,
        # Nothing to give back: refund the items and keep the money (no refund transactions).
        transactions=() if amount is not None and amount == 0 else None,
        amount=amount if amount else None,
        note=choices.note,
        notify=choices.notify,
    )


def _sum(bags: list[MoneyBag], order: Order) -> MoneyBag:
    total = MoneyBag.zero(order.currency, order.presentment_currency)
    for bag in bags:
        total = total + bag
    return total


def _context(order: Order, choices: Choices, plan: RefundPlan | None, errors: dict[str, str], notice: str | None) -> dict[str, Any]:
    per_line: dict[int, MoneyBag] = {}
    summary = None
    if plan is not None:
        for rl in plan.lines:
            per_line[rl.line_item_id] = per_line.get(rl.line_item_id, _sum([], order)) + rl.subtotal
        amount = Money(plan.transactions_total, order.presentment_currency).rounded()
        summary = {
            "subtotal": _sum([rl.subtotal for rl in plan.lines], order),
            "tax": _sum([rl.total_tax for rl in plan.lines] + [plan.shipping_tax], order),
            "shipping": plan.shipping,
            "total": plan.items_total,
            "amount": amount,
            "transactions": plan.transactions,
        }
    return {
        "order": order,
        "rows": refundable.refundable_lines(order),
        "money_left": order.in_both(refundable.money_left(order)),
        "shipping_left": shipping_maximum(order),
        "per_line": per_line,
        "summary": summary,
        "choices": choices,
        "values": choices.values,
        "basis": choices.basis,
        "errors": errors,
        "notice": notice,
    }


def _page(
    request: Request,
    order: Order,
    choices: Choices,
    plan: RefundPlan | None,
    *,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    # A message for a field the form has no place for is shown above the button.
    errors = {k if k in SLOTS or k.startswith("quantity-") else "refund": v for k, v in (errors or {}).items()}
    template = "refund/_summary.html" if request.headers.get("hx-request") else "refund/page.html"
    if template == "refund/_summary.html":
        status_code = 200  # htmx swaps only successful answers; the fragment carries its errors
    return render(request, template, _context(order, choices, plan, errors, notice), status_code=status_code)


def _calculated(
    request: Request, order_id: int, choices: Choices, caller: Caller, *, notice: str | None = None, status_code: int = 200
) -> HTMLResponse:
    """The screen (or, for htmx, its summary) with the amounts for what the form says."""
    services = request.app.state.services
    try:
        order = payment_service.list_transactions(services, order_id, caller=caller)
    except NotFound:
        return render(request, "not_found.html", status_code=404)
    if choices.errors:
        return _page(request, order, choices, None, errors=choices.errors, status_code=422)
    try:
        order, plan = refund_service.calculate_refund(services, order_id, refund_request(order, choices), caller=caller)
    except DomainError as exc:
        return _page(request, order, choices, None, errors={exc.field: exc.message}, status_code=422)
    return _page(request, order, choices, plan, notice=notice, status_code=status_code)


@router.get("/admin/orders/{order_id}/refund", response_class=HTMLResponse)
def refund_form(order_id: int, request: Request, caller: Caller = Depends(requires("refunds"))) -> Response:
    return _calculated(request, order_id, parse({}, fresh=True), caller)


@router.post("/admin/orders/{order_id}/refund/calculate", response_class=HTMLResponse)
def calculate(
    order_id: int, request: Request, caller: Caller = Depends(requires("refunds")), fields: dict[str, str] = Depends(form_fields)
) -> Response:
    """The amounts for what the form says: the summary fragment for htmx, the page otherwise."""
    return _calculated(request, order_id, parse(fields), caller)


@router.post("/admin/orders/{order_id}/refund", response_class=HTMLResponse)
def refund(
    order_id: int, request: Request, caller: Caller = Depends(requires("refunds")), fields: dict[str, str] = Depends(form_fields)
) -> Response:
    services = request.app.state.services
    choices = parse(fields)
    if choices.errors:
        return _calculated(request, order_id, choices, caller)
    if fields.get("basis") != choices.basis:
        notice = "The quantities or shipping changed since the amounts were worked out: check the refund and confirm again."
        return _calculated(request, order_id, choices, caller, notice=notice, status_code=409)
    try:
        order = payment_service.list_transactions(services, order_id, caller=caller)
    except NotFound:
        return render(request, "not_found.html", status_code=404)
    try:
        outcome = refund_service.create_refund(services, order_id, refund_request(order, choices), caller=caller)
    except DomainError as exc:
        return _page(request, order, choices, None, errors={exc.field: exc.message}, status_code=422)
    if outcome.refund is None:
        said = "; ".join(f"{t.gateway}: {t.message or t.error_code or t.status}" for t in outcome.failures)
        message = f"The refund failed at the payment gateway, so nothing was refunded ({said})."
        return _page(request, outcome.order, choices, None, errors={"refund": message}, status_code=422)
    moved = sum((t.amount.presentment.amount for t in outcome.refund.transactions), Decimal(0))
    return done(order_id, f"Refunded {Money(moved, outcome.order.presentment_currency).display()}.", anchor="#payment")
