"""Refund use cases: calculate a suggested refund, and refund lines, shipping and money.

A refund runs in one transaction that holds the order's row lock while the gateway is asked,
so two refunds can never give back the same money twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..db.uow import UnitOfWork
from ..domain import fulfillment_orders
from ..domain.access import Caller
from ..domain.errors import InvalidInput
from ..domain.money import Money
from ..domain.order import Order
from ..domain.payments import Transaction
from ..domain.refunds import Refund, RefundPlan, RefundRequest, plan
from ..representation.payments import refund_json, transaction_json
from . import outbox, stock
from .context import Services
from .loading import load_for_change
from .payments import gateway, list_transactions
from .transaction import writing


def calculate_refund(services: Services, order_id: int, request: RefundRequest, *, caller: Caller) -> tuple[Order, RefundPlan]:
    order = list_transactions(services, order_id, caller=caller)
    return order, plan(order, request, adjust_restock=True)


@dataclass
class RefundOutcome:
    order: Order
    refund: Refund | None
    failures: list[Transaction]


def _refund(order: Order, request: RefundRequest, at: datetime, author: str | None) -> tuple[Refund | None, list[Transaction]]:
    """Move the money for a refund; apply it to the order only if every transaction succeeded."""
    refund_plan = plan(order, request)
    if not refund_plan.lines and not refund_plan.transactions and not refund_plan.shipping.presentment.amount:
        raise InvalidInput("A refund needs line items, shipping or transactions", field="refund")
    moved: list[Transaction] = []
    for suggestion in refund_plan.transactions:
        parent = suggestion.parent
        gw = gateway(parent.gateway)
        result = gw.refund(Money(suggestion.amount, order.presentment_currency), parent.authorization, reference=str(order.id))
        moved.append(
            Transaction(
                kind="refund",
                status=result.status,
                amount=order.in_both(suggestion.amount),
                gateway=gw.name,
                parent_id=parent.id,
                authorization=parent.authorization,
                error_code=result.error_code,
                message=result.message,
                test=parent.test,
                source_name="api",
                receipt=result.receipt,
                created_at=at,
                processed_at=at,
                user=author,
            )
        )
    failures = [t for t in moved if not t.succeeded]
    if failures:
        for tx in moved:
            order.add_transaction(tx, at, author)
        return None, moved
    refund = Refund(
        lines=refund_plan.lines,
        transactions=moved,
        adjustments=refund_plan.adjustments,
        note=request.note,
        created_at=at,
        processed_at=at,
        user=author,
        notify=request.notify,
    )
    order.apply_refund(refund, at, author)
    return refund, []


def refund_with_stock(uow: UnitOfWork, order: Order, request: RefundRequest, at: datetime, author: str | None):
    refund, failed = _refund(order, request, at, author)
    if refund is not None:
        stock.apply_refund(uow, order, refund, at)
    return refund, failed


def commit_refund(
    uow: UnitOfWork,
    services: Services,
    order: Order,
    refund: Refund | None,
    failed: list[Transaction],
    at: datetime,
    *,
    lines_changed: bool,
    emails: Sequence[str] = (),
    transactions: Sequence[Transaction] = (),
) -> None:
    shop = services.shop()
    rows: list[dict[str, Any]] = [
        outbox.webhook("order_transactions/create", order.id, transaction_json(order, tx, shop), at) for tx in transactions
    ]
    if refund is not None:
        uow.orders.add_refund(order.saved_id, refund)
        rows.append(outbox.webhook("refunds/create", order.id, refund_json(order, refund, shop), at))
        rows += [outbox.webhook("order_transactions/create", order.id, transaction_json(order, tx, shop), at) for tx in refund.transactions]
    if failed:
        uow.orders.add_transactions(order.saved_id, failed)
        rows += [outbox.webhook("order_transactions/create", order.id, transaction_json(order, tx, shop), at) for tx in failed]
    uow.orders.save(order, lines=lines_changed)
    emails = list(emails) + (["refund"] if refund is not None and refund.notify else [])
    outbox.record(uow, order, shop, at, emails=emails, extra_rows=rows)


def create_refund(
    services: Services,
    order_id: int,
    request: RefundRequest,
    *,
    caller: Caller,
    uow: UnitOfWork | None = None,
) -> RefundOutcome:
    """Refund lines, shipping and money. Quantities never exceed what is left to refund, and
    money never exceeds what is left on each capture or sale. A gateway failure records the
    failed transaction and leaves the order otherwise unchanged."""
    at = services.clock.now()
    with writing(services, uow) as uow:
        order = load_for_change(uow, services, caller, order_id)
        refund, failed = refund_with_stock(uow, order, request, at, caller.name)
        if refund is not None and refund.lines:
            uow.orders.load_fulfillment_orders(order)
            if fulfillment_orders.trim_to_owed(order, at):
                uow.orders.save_fulfillment_orders(order)
        commit_refund(uow, services, order, refund, failed, at, lines_changed=refund is not None and bool(refund.lines))
    return RefundOutcome(order, refund, failed)
