"""Refunds: what can still be refunded, the suggested refund, and applying one to an order.

Amounts per line are the line's discounted unit price times the refunded quantity, plus
its share of tax, rounded once per line. Money moves through refund transactions against
captures or sales; a refund can never exceed what is left on its parent or what was paid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from . import ledger
from .errors import InvalidInput
from .money import Money, MoneyBag
from .payments import Transaction

if TYPE_CHECKING:
    from .order import LineItem, Order

RESTOCK_TYPES = ("no_restock", "cancel", "return")
ZERO = Decimal(0)


@dataclass
class RefundLine:
    line_item_id: int
    quantity: int
    restock_type: str
    subtotal: MoneyBag
    total_tax: MoneyBag
    location_id: int | None = None
    id: int | None = None


@dataclass
class OrderAdjustment:
    kind: str  # shipping_refund | refund_discrepancy
    amount: MoneyBag  # negative: money taken off the order, as Shopify writes it
    tax_amount: MoneyBag
    reason: str


@dataclass
class Refund:
    lines: list[RefundLine]
    transactions: list[Transaction]
    adjustments: list[OrderAdjustment] = field(default_factory=list)
    note: str | None = None
    created_at: datetime | None = None
    processed_at: datetime | None = None
    id: int | None = None
    user: str | None = None
    notify: bool = False

    @property
    def restock(self) -> bool:
        return any(line.restock_type in ("cancel", "return") for line in self.lines)

    @property
    def shipping(self) -> MoneyBag | None:
        total = None
        for adj in self.adjustments:
            if adj.kind == "shipping_refund":
                total = -adj.amount if total is None else total - adj.amount
        return total


@dataclass(frozen=True)
class LineRequest:
    line_item_id: int
    quantity: int
    restock_type: str = "no_restock"
    location_id: int | None = None


@dataclass(frozen=True)
class TransactionRequest:
    parent_id: int | None
    amount: Decimal  # presentment money
    gateway: str | None = None


@dataclass(frozen=True)
class RefundRequest:
    lines: tuple[LineRequest, ...] = ()
    shipping_full: bool = False
    shipping_amount: Decimal | None = None
    transactions: tuple[TransactionRequest, ...] | None = None  # None: use the suggested ones
    # Money to refund when no transactions are given; None means what the lines and shipping are worth.
    amount: Decimal | None = None
    note: str | None = None
    notify: bool = False
    currency: str | None = None


@dataclass
class SuggestedTransaction:
    parent: Transaction
    amount: Decimal
    maximum_refundable: Decimal


@dataclass
class RefundPlan:
    """A validated refund before money moves: lines, shipping, and the transactions to run."""

    lines: list[RefundLine]
    shipping: MoneyBag
    shipping_tax: MoneyBag
    shipping_maximum: MoneyBag
    transactions: list[SuggestedTransaction]
    adjustments: list[OrderAdjustment]
    items_total: MoneyBag  # what the lines and shipping are worth, tax included

    @property
    def transactions_total(self) -> Decimal:
        return sum((t.amount for t in self.transactions), ZERO)


def _scale(bag: MoneyBag, numerator: int | Decimal, denominator: int | Decimal) -> MoneyBag:
    if not denominator:
        return MoneyBag(Money.zero(bag.shop.currency), Money.zero(bag.presentment.currency))
    return MoneyBag(
        Money(bag.shop.amount * numerator / denominator, bag.shop.currency),
        Money(bag.presentment.amount * numerator / denominator, bag.presentment.currency),
    ).rounded()


def _zero(order: Order) -> MoneyBag:
    return MoneyBag.zero(order.currency, order.presentment_currency)


def line_tax(order: Order, line: LineItem) -> MoneyBag:
    """A line's whole tax: its own tax lines, or its share of order-level tax."""
    if line.tax_lines:
        total = _zero(order)
        for t in line.tax_lines:
            total = total + t.price
        return total
    if not order.tax_lines or not line.taxable:
        return _zero(order)
    order_tax = _zero(order)
    for t in order.tax_lines:
        order_tax = order_tax + t.price
    taxable = [li for li in order.line_items if li.taxable and not li.tax_lines]
    weights = {li.key: (li.line_price - li.total_discount).presentment.amount for li in taxable}
    total_weight = sum(weights.values(), ZERO)
    return _scale(order_tax, weights.get(line.key, ZERO), total_weight)


def refund_line_amounts(order: Order, line: LineItem, quantity: int) -> tuple[MoneyBag, MoneyBag]:
    subtotal = _scale(line.line_price - line.total_discount, quantity, line.quantity)
    tax = _scale(line_tax(order, line), quantity, line.quantity)
    return subtotal, tax


def shipping_refunded(order: Order) -> MoneyBag:
    total = _zero(order)
    for refund in order.refunds:
        if refund.shipping is not None:
            total = total + refund.shipping
    return total


def shipping_maximum(order: Order) -> MoneyBag:
    total = _zero(order)
    for s in order.shipping_lines:
        total = total + s.discounted_price
    return total - shipping_refunded(order)


def _shipping_tax_share(order: Order, amount: MoneyBag) -> MoneyBag:
    tax = _zero(order)
    price = _zero(order)
    for s in order.shipping_lines:
        price = price + s.discounted_price
        for t in s.tax_lines:
            tax = tax + t.price
    return _scale(tax, amount.presentment.amount, price.presentment.amount)


def _feasible_restock(line: LineItem, wanted: str, quantity: int, shipped: int, asked_by_type: dict[tuple[int, str], int]) -> str:
    """The restock type closest to what was asked that the line's state allows (calculate only)."""

    def room(kind: str) -> int:
        used = asked_by_type.get((line.key, kind), 0)
        if kind == "cancel":
            return line.cancel_room(shipped) - used
        if kind == "return":
            return line.return_room(shipped) - used
        return quantity

    for kind in (wanted, "return" if wanted == "cancel" else "cancel", "no_restock"):
        if room(kind) >= quantity:
            return kind
    return "no_restock"


def plan(order: Order, request: RefundRequest, *, adjust_restock: bool = False) -> RefundPlan:
    """Check a refund request against what is refundable and work out its amounts.

    Raises InvalidInput for an unknown line, a quantity above what is left to refund, a
    restock type that does not fit the line's state, shipping above what is left, or a
    transaction above what its parent has left.
    """
    if request.currency is not None and request.currency.upper() != order.presentment_currency:
        raise InvalidInput(f"currency must be the order's presentment currency {order.presentment_currency}", field="currency")
    lines_by_id = {li.id: li for li in order.line_items}
    fulfilled = order.line_fulfillment()
    asked: dict[int, int] = {}
    asked_by_type: dict[tuple[int, str], int] = {}
    lines: list[RefundLine] = []
    for req in request.lines:
        line = lines_by_id.get(req.line_item_id)
        if line is None:
            raise InvalidInput(f"line item {req.line_item_id} is not on this order", field="refund_line_items")
        if req.quantity < 1:
            raise InvalidInput("quantity must be at least 1", field="refund_line_items")
        if req.restock_type not in RESTOCK_TYPES:
            raise InvalidInput(f"restock_type must be one of {', '.join(RESTOCK_TYPES)}", field="refund_line_items")
        asked[line.key] = asked.get(line.key, 0) + req.quantity
        left = line.quantity - line.refunded_quantity
        if asked[line.key] > left:
            raise InvalidInput(
                f"Cannot refund {asked[line.key]} of line item {line.id}: only {left} left to refund",
                field="refund_line_items",
            )
        shipped = fulfilled.get(line.key, 0)
        restock_type = req.restock_type
        if adjust_restock:
            # Calculate answers with restock instructions that can be met, as Shopify does.
            restock_type = _feasible_restock(line, restock_type, req.quantity, shipped, asked_by_type)
            req = LineRequest(req.line_item_id, req.quantity, restock_type, req.location_id)
        typed = asked_by_type[(line.key, req.restock_type)] = asked_by_type.get((line.key, req.restock_type), 0) + req.quantity
        if req.restock_type == "cancel" and typed > line.cancel_room(shipped):
            raise InvalidInput(
                f"restock_type cancel applies to unfulfilled items only: {line.cancel_room(shipped)} of line item "
                f"{line.id} can be cancelled; use return for fulfilled ones",
                field="refund_line_items",
            )
        if req.restock_type == "return" and typed > line.return_room(shipped):
            raise InvalidInput(
                f"restock_type return applies to fulfilled items not yet returned: {line.return_room(shipped)} of "
                f"line item {line.id} can be returned",
                field="refund_line_items",
            )
        subtotal, tax = refund_line_amounts(order, line, req.quantity)
        lines.append(RefundLine(req.line_item_id, req.quantity, req.restock_type, subtotal, tax, req.location_id))

    maximum = shipping_maximum(order)
    if request.shipping_full:
        shipping = maximum
    elif request.shipping_amount is not None:
        amount = Money.parse(request.shipping_amount, order.presentment_currency, field="shipping")
        if amount.amount < 0:
            raise InvalidInput("shipping refund must not be negative", field="shipping")
        if amount.amount > maximum.presentment.amount:
            raise InvalidInput(
                f"shipping refund {amount.format()} is more than the {maximum.presentment.format()} left",
                field="shipping",
            )
        shipping = _scale(maximum, amount.amount, maximum.presentment.amount) if maximum.presentment.amount else _zero(order)
        shipping = MoneyBag(shipping.shop, amount)
    else:
        shipping = _zero(order)
    shipping_tax = _shipping_tax_share(order, shipping)

    items = _zero(order)
    for rl in lines:
        items = items + rl.subtotal
        if not order.taxes_included:
            items = items + rl.total_tax
    items = items + shipping
    if not order.taxes_included:
        items = items + shipping_tax

    wanted = items.presentment.amount
    if request.amount is not None:
        wanted = Money.parse(request.amount, order.presentment_currency, field="amount").amount
        if wanted <= 0:
            raise InvalidInput("amount must be greater than zero", field="amount")
        if wanted > ledger.total_refundable(order.transactions):
            raise InvalidInput(
                f"amount {wanted} is more than the {ledger.total_refundable(order.transactions)} that can be refunded",
                field="amount",
            )
    transactions = _transactions(order, request, wanted)
    adjustments: list[OrderAdjustment] = []
    if shipping.presentment.amount:
        adjustments.append(OrderAdjustment("shipping_refund", -shipping, -shipping_tax, "Shipping refund"))
    moved = sum((t.amount for t in transactions), ZERO)
    discrepancy = owed_back(order, items.presentment.amount) - moved
    # Money refunded beyond or short of what the goods gave back is an order adjustment (a
    # goodwill refund, a restocking fee the merchant keeps). Goods refunded with no money at all
    # just owe less.
    if discrepancy and moved and (request.transactions is not None or request.amount is not None):
        total = order.totals.total
        bag = _scale(total, discrepancy, total.presentment.amount) if total.presentment.amount else _zero(order)
        adjustments.append(OrderAdjustment("refund_discrepancy", bag, _zero(order), "Refund discrepancy"))
    return RefundPlan(lines, shipping, shipping_tax, maximum, transactions, adjustments, items)


def kept(order: Order) -> Decimal:
    """Presentment money the merchant kept from refunds so far (restocking fees, less goodwill
    given beyond the goods' worth): the sum of the refunds' refund_discrepancy adjustments."""
    return sum(
        (adj.amount.presentment.amount for refund in order.refunds for adj in refund.adjustments if adj.kind == "refund_discrepancy"),
        ZERO,
    )


def owed_back(order: Order, worth: Decimal) -> Decimal:
    """What refunding goods worth ``worth`` gives back in full: their worth, but never more than the
    shopper's money still held for goods (paid, less refunds, less fees already kept). An order
    paid in part gives back only what was paid; only what a refund keeps of that is a fee."""
    held = ledger.total_refundable(order.transactions) - kept(order)
    return min(worth, max(held, ZERO))


def _transactions(order: Order, request: RefundRequest, suggested_total: Decimal) -> list[SuggestedTransaction]:
    txs = order.transactions
    if request.transactions is None:
        # Suggest: take the amount from the newest payments first.
        left = min(suggested_total, ledger.total_refundable(txs))
        out: list[SuggestedTransaction] = []
        for parent in sorted((t for t in txs if ledger.refundable(t, txs) > 0), key=lambda t: t.id or 0, reverse=True):
            if left <= 0:
                break
            room = ledger.refundable(parent, txs)
            take = min(room, left)
            out.append(SuggestedTransaction(parent, take, room))
            left -= take
        return out
    out = []
    # Keyed by the parent's id (None only for a parent not stored yet, as in pure domain use).
    per_parent: dict[int | None, Decimal] = {}
    for req in request.transactions:
        parent = ledger.parent_for_refund(txs, req.parent_id)
        amount = Money.parse(req.amount, order.presentment_currency, field="transactions").amount
        if amount <= 0:
            raise InvalidInput("refund amounts must be greater than zero", field="transactions")
        per_parent[parent.id] = per_parent.get(parent.id, ZERO) + amount
        room = ledger.refundable(parent, txs)
        if per_parent[parent.id] > room:
            raise InvalidInput(
                f"Refund of {per_parent[parent.id]} exceeds the {room} left on transaction {parent.id}",
                field="transactions",
            )
        out.append(SuggestedTransaction(parent, amount, room))
    return out
