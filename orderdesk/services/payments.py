"""Payment use cases: authorize, capture, sale, void, mark as paid, expire (refunds: refunds.py; cancel: cancellation.py).

Each runs in one transaction that holds the order's row lock while the gateway is asked,
so two requests can never capture or refund the same money twice. Every gateway answer,
success or not, is recorded as a transaction with its timeline entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from ..db.uow import UnitOfWork
from ..domain import ledger
from ..domain.access import Caller
from ..domain.errors import InvalidInput, InvalidTransition
from ..domain.events import PaymentReminderQueued
from ..domain.money import Money
from ..domain.order import Order
from ..domain.payments import Transaction
from ..gateways import PaymentGateway, PaymentMethod, registry
from ..representation.payments import transaction_json
from . import fulfillment, outbox
from .context import Services
from .loading import load_for_change, read_order
from .transaction import writing

GATEWAYS = registry()


def gateway(name: str) -> PaymentGateway:
    try:
        return GATEWAYS[name]
    except KeyError:
        raise InvalidInput(f"unknown gateway {name!r}; this shop uses {', '.join(sorted(GATEWAYS))}", field="gateway") from None


@dataclass(frozen=True)
class TransactionSpec:
    kind: str
    amount: Decimal | None = None
    currency: str | None = None
    parent_id: int | None = None
    gateway: str | None = None
    authorization: str | None = None
    source: str | None = None  # "external": money that moved outside any gateway (cash)
    status: str | None = None
    method: PaymentMethod = PaymentMethod()
    test: bool = False


def _amount(order: Order, spec: TransactionSpec, default: Decimal) -> Decimal:
    if spec.currency is not None and spec.currency.upper() != order.presentment_currency:
        raise InvalidInput(f"currency must be the order's presentment currency {order.presentment_currency}", field="currency")
    if spec.amount is None:
        return default
    amount = Money.parse(spec.amount, order.presentment_currency, field="amount").amount
    if amount <= 0:
        raise InvalidInput("amount must be greater than zero", field="amount")
    return amount


def _record(
    order: Order,
    kind: str,
    result,
    amount: Decimal,
    gw: PaymentGateway,
    at: datetime,
    *,
    parent: Transaction | None = None,
    author: str | None = None,
    test: bool = False,
) -> Transaction:
    tx = Transaction(
        kind=kind,
        status=result.status,
        amount=order.in_both(amount),
        gateway=gw.name,
        parent_id=parent.id if parent else None,
        authorization=result.authorization or (parent.authorization if parent else None),
        authorization_expires_at=at + gw.authorization_validity if kind == "authorization" and result.status == "success" else None,
        error_code=result.error_code,
        message=result.message,
        test=test or gw.name == "bogus",
        source_name="api",
        receipt=result.receipt,
        created_at=at,
        processed_at=at,
        user=author,
        payment_details=result.payment_details,
    )
    order.add_transaction(tx, at, author)
    return tx


def run_transaction(order: Order, spec: TransactionSpec, at: datetime, author: str | None) -> Transaction:
    txs = order.transactions
    outstanding = order.total_outstanding
    if spec.kind == "refund":
        raise InvalidInput("Refund transactions must be created through the Refund resource", field="kind")
    if order.cancelled_at is not None and spec.kind in ("authorization", "sale", "capture"):
        raise InvalidTransition("The order is cancelled; it can no longer take payments", field="order")
    if spec.source == "external":
        if spec.kind not in ("sale", "capture", "authorization"):
            raise InvalidInput("external transactions record a sale, capture or authorization", field="kind")
        amount = _amount(order, spec, outstanding)
        if amount <= 0:
            raise InvalidTransition("Nothing is outstanding on this order", field="amount")
        if spec.kind != "authorization" and amount > outstanding:
            raise InvalidInput(f"amount {amount} is more than the {outstanding} outstanding", field="amount")
        from ..gateways.port import GatewayResult

        return _record(order, spec.kind, GatewayResult(spec.status or "success"), amount, gateway("manual"), at, author=author)
    if spec.kind == "capture":
        parent = _capture_parent(order, spec, at)
        room = ledger.capturable(parent, txs, at)
        if outstanding <= 0:
            raise InvalidTransition("The order is already paid; void the authorization instead of capturing it", field="parent_id")
        amount = _amount(order, spec, min(room, outstanding))
        if amount > room:
            raise InvalidInput(f"capture amount {amount} is more than the {room} left on the authorization", field="amount")
        if amount > outstanding:
            raise InvalidInput(f"capture amount {amount} is more than the {outstanding} outstanding", field="amount")
        gw = gateway(parent.gateway)
        if not gw.supports_multiple_captures and ledger.captured_against(parent, txs) > 0:
            raise InvalidTransition(f"{gw.name} allows one capture per authorization", field="parent_id")
        return _record(
            order,
            "capture",
            gw.capture(Money(amount, order.presentment_currency), parent.authorization, reference=str(order.id)),
            amount,
            gw,
            at,
            parent=parent,
            author=author,
        )
    if spec.kind == "void":
        parent = ledger.parent_for_void(txs, spec.parent_id, at)
        gw = gateway(parent.gateway)
        amount = ledger.capturable(parent, txs, at)
        return _record(order, "void", gw.void(parent.authorization, reference=str(order.id)), amount, gw, at, parent=parent, author=author)
    if spec.kind in ("authorization", "sale"):
        if spec.parent_id is not None:
            raise InvalidInput(f"a {spec.kind} has no parent", field="parent_id")
        amount = _amount(order, spec, outstanding)
        if amount <= 0 or outstanding <= 0:
            raise InvalidTransition("Nothing is outstanding on this order", field="amount")
        open_auth = sum((ledger.capturable(t, txs, at) for t in txs), Decimal(0))
        if amount > outstanding - open_auth:
            raise InvalidInput(
                f"amount {amount} is more than the {max(outstanding - open_auth, Decimal(0))} still to be paid or authorized",
                field="amount",
            )
        gw = gateway(spec.gateway or "manual")
        money = Money(amount, order.presentment_currency)
        result = (
            gw.authorize(money, spec.method, reference=str(order.id))
            if spec.kind == "authorization"
            else gw.sale(money, spec.method, reference=str(order.id))
        )
        return _record(order, spec.kind, result, amount, gw, at, author=author, test=spec.test)
    raise InvalidInput("kind must be authorization, capture, sale or void", field="kind")


def _capture_parent(order: Order, spec: TransactionSpec, at: datetime) -> Transaction:
    if spec.parent_id is None and spec.authorization:
        matches = [t for t in order.transactions if t.kind == "authorization" and t.authorization == spec.authorization]
        if not matches:
            raise InvalidInput("no authorization with that key on this order", field="authorization")
        return ledger.parent_for_capture(order.transactions, matches[0].id, at)
    return ledger.parent_for_capture(order.transactions, spec.parent_id, at)


def processes(gateway_name: str | None) -> bool:
    """Whether transactions on this gateway are charged through it (bogus), not just recorded."""
    gw = GATEWAYS.get(gateway_name or "")
    return gw is not None and gw.settles_immediately


def charge(order: Order, spec: TransactionSpec, at: datetime, author: str | None) -> Transaction:
    """Charge a new order through its gateway (no ids exist yet, so this touches no parent)."""
    return run_transaction(order, spec, at, author)


def set_expiry(order: Order) -> None:
    """Give recorded authorizations the expiry of their gateway (30 days for manual ones)."""
    for tx in order.transactions:
        if tx.kind == "authorization" and tx.succeeded and tx.authorization_expires_at is None:
            gw = GATEWAYS.get(tx.gateway)
            validity = gw.authorization_validity if gw is not None else GATEWAYS["bogus"].authorization_validity
            tx.authorization_expires_at = (tx.created_at or order.created_at) + validity


def scheduled_jobs(order: Order, at: datetime) -> list[dict[str, Any]]:
    rows = []
    for tx in order.transactions:
        rows += _schedule_expiry(tx, order, at)
    terms = order.payment_terms
    # Net and fixed terms have a due date to remind on; "due on receipt" is due at once.
    due = terms.due_at(None) if terms is not None and terms.type in ("net", "fixed") else None
    if due is not None:
        rows.append(outbox.job("payment_reminder", order.id, {"order_id": order.id}, at, max(due, at)))
    return rows


def remind(services: Services, order_id: int, *, uow: UnitOfWork | None = None) -> bool:
    """The due-date job: if money is still outstanding, email the customer a payment reminder."""
    at = services.clock.now()
    with writing(services, uow) as uow:
        order = uow.orders.get(order_id, for_update=True, created_since=None)
        if order is None or order.cancelled_at is not None or order.total_outstanding <= 0 or not order.email:
            return False
        order.events.append(PaymentReminderQueued(at=at, amount=str(order.total_outstanding), currency=order.presentment_currency))
        outbox.record(uow, order, services.shop(), at, emails=["payment_reminder"], webhooks=False)
    return True


def _schedule_expiry(tx: Transaction, order: Order, at: datetime) -> list[dict[str, Any]]:
    if tx.kind != "authorization" or not tx.succeeded or tx.authorization_expires_at is None:
        return []
    return [outbox.job("authorization_expiry", order.id, {"order_id": order.id, "transaction_id": tx.id}, at, tx.authorization_expires_at)]


def _commit_payment(uow: UnitOfWork, services: Services, order: Order, new: list[Transaction], at: datetime) -> None:
    uow.orders.add_transactions(order.saved_id, new)
    # Paid now: release awaiting-payment holds and fulfil automatically if the shop says so.
    fulfillment.automate(uow, services, order, at)
    uow.orders.save(order)
    shop = services.shop()
    rows = [
        outbox.webhook("order_transactions/create", order.id, transaction_json(order, tx, shop), at) for tx in new if tx.status != "pending"
    ]
    for tx in new:
        rows += _schedule_expiry(tx, order, at)
    # Orders on payment terms get a receipt for each payment that arrives.
    paid_now = any(tx.succeeded and tx.kind in ("sale", "capture") for tx in new)
    emails = ["payment_receipt"] if paid_now and order.payment_terms is not None else []
    outbox.record(uow, order, shop, at, extra_rows=rows, emails=emails)


def create_transaction(
    services: Services,
    order_id: int,
    spec: TransactionSpec,
    *,
    caller: Caller,
    uow: UnitOfWork | None = None,
) -> tuple[Order, Transaction]:
    """Authorize, capture, sell or void through the order's gateway, or record external money.

    Raises InvalidInput for amounts above what is capturable, outstanding or authorized,
    unknown gateways or parents, and InvalidTransition for voided or expired authorizations.
    """
    at = services.clock.now()
    with writing(services, uow) as uow:
        order = load_for_change(uow, services, caller, order_id)
        tx = run_transaction(order, spec, at, caller.name)
        _commit_payment(uow, services, order, [tx], at)
    return order, tx


def mark_as_paid(services: Services, order_id: int, *, caller: Caller, uow: UnitOfWork | None = None) -> Order:
    """Record the outstanding amount as received outside any gateway (cash, bank deposit)."""
    order, _ = create_transaction(services, order_id, TransactionSpec(kind="sale", source="external"), caller=caller, uow=uow)
    return order


def expire_authorizations(services: Services, order_id: int, *, uow: UnitOfWork | None = None) -> Order | None:
    """The scheduled job: authorizations past their expiry become expired, on the timeline and in a webhook.

    Safe to run more than once and early: it only acts on what has expired by now.
    """
    at = services.clock.now()
    with writing(services, uow) as uow:
        order = uow.orders.get(order_id, for_update=True, created_since=None)
        if order is None:
            return None
        expired = order.expire_authorizations(at)
        if expired:
            uow.orders.mark_expired(expired)
            uow.orders.save(order)
            outbox.record(uow, order, services.shop(), at)
    return order


def list_transactions(services: Services, order_id: int, *, caller: Caller) -> Order:
    """The order with its transactions and refunds, as the caller may see it."""
    return read_order(services, caller, order_id)
