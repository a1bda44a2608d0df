"""Placing an order: totals, discount allocation, and the facts an imported order brings along."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from . import status
from .errors import InvalidInput
from .events import FulfillmentRecorded, OrderPlaced, PaymentRecorded
from .fulfillments import Fulfillment
from .money import Money, MoneyBag, allocate
from .order import DiscountAllocation, DiscountCode, LineItem, Order, ShippingLine, TaxLine, Totals
from .payments import Transaction
from .terms import PaymentTerms

IMPORTABLE_FINANCIAL_STATUSES = ("pending", "authorized", "paid", "refunded", "voided")
HUNDRED = Decimal(100)


@dataclass
class TransactionSpec:
    """A payment fact given on create; ``amount`` (presentment money) defaults to the order total."""

    kind: str
    status: str = "success"
    amount: Money | None = None
    gateway: str = "manual"
    authorization: str | None = None
    test: bool = False
    message: str | None = None
    error_code: str | None = None


@dataclass
class NewOrder:
    """Everything a client may give when it places (or imports) an order."""

    currency: str
    presentment_currency: str
    line_items: list[LineItem]
    shipping_lines: list[ShippingLine] = field(default_factory=list)
    tax_lines: list[TaxLine] = field(default_factory=list)
    discount_codes: list[DiscountCode] = field(default_factory=list)
    transactions: list[TransactionSpec] = field(default_factory=list)
    # Shop-currency units per presentment unit, for amounts given only in presentment money.
    rate: Decimal = Decimal(1)
    financial_status: str | None = None
    fulfillment_status: str | None = None
    fulfillment_location_id: int | None = None
    fulfillment_tracking: dict[str, Any] = field(default_factory=dict)
    taxes_included: bool = False
    payment_terms: PaymentTerms | None = None
    details: dict[str, Any] = field(default_factory=dict)


def _zero(new: NewOrder) -> MoneyBag:
    return MoneyBag.zero(new.currency, new.presentment_currency)


def _sum(bags: list[MoneyBag], new: NewOrder) -> MoneyBag:
    total = _zero(new)
    for bag in bags:
        total = total + bag
    return total


def _allocate_bag(total: MoneyBag, weights: list[Decimal]) -> list[MoneyBag]:
    shop = allocate(total.shop, weights)
    presentment = allocate(total.presentment, weights)
    return [MoneyBag(s, p) for s, p in zip(shop, presentment)]


def _cap(amount: MoneyBag, limit: MoneyBag) -> MoneyBag:
    return MoneyBag(min(amount.shop, limit.shop), min(amount.presentment, limit.presentment))


def _apply_discounts(new: NewOrder) -> None:
    lines_total = _sum([line.line_price for line in new.line_items], new)
    shipping_total = _sum([s.price for s in new.shipping_lines], new)
    for index, code in enumerate(new.discount_codes):
        if code.type == "percentage":
            pct = code.value if code.value is not None else Decimal(0)
            if not Decimal(0) <= pct <= HUNDRED:
                raise InvalidInput("percentage discounts must be between 0 and 100", field="discount_codes")
            shares = [(line.line_price * (pct / HUNDRED)).rounded() for line in new.line_items]
            for line, share in zip(new.line_items, shares):
                line.discount_allocations.append(DiscountAllocation(share, index))
            code.amount = _sum(shares, new)
        elif code.type == "shipping":
            amount = _cap(code.amount, shipping_total)
            weights = [s.price.presentment.amount for s in new.shipping_lines]
            for line, share in zip(new.shipping_lines, _allocate_bag(amount, weights)):
                line.discount_allocations.append(DiscountAllocation(share, index))
            code.amount = amount
        elif code.type == "fixed_amount":
            amount = _cap(code.amount, lines_total)
            weights = [line.line_price.presentment.amount for line in new.line_items]
            for line, share in zip(new.line_items, _allocate_bag(amount, weights)):
                line.discount_allocations.append(DiscountAllocation(share, index))
            code.amount = amount
        else:
            raise InvalidInput("discount type must be fixed_amount, percentage or shipping", field="discount_codes")
        # Later codes discount what earlier ones left.
        lines_total = lines_total - _sum(
            [a.amount for line in new.line_items for a in line.discount_allocations if a.discount_application_index == index],
            new,
        )


def compute_totals(new: NewOrder) -> Totals:
    line_items = _sum([line.line_price for line in new.line_items], new)
    line_discounts = _sum([line.total_discount for line in new.line_items], new)
    shipping = _sum([s.price for s in new.shipping_lines], new)
    shipping_discounts = _sum([a.amount for s in new.shipping_lines for a in s.discount_allocations], new)
    tax = _sum(
        [t.price for t in new.tax_lines]
        + [t.price for line in new.line_items for t in line.tax_lines]
        + [t.price for s in new.shipping_lines for t in s.tax_lines],
        new,
    )
    subtotal = line_items - line_discounts
    total = subtotal + shipping - shipping_discounts
    if not new.taxes_included:
        total = total + tax
    weight = sum(line.grams * line.quantity for line in new.line_items)
    return Totals(
        line_items=line_items.rounded(),
        discounts=(line_discounts + shipping_discounts).rounded(),
        subtotal=subtotal.rounded(),
        shipping=shipping.rounded(),
        tax=tax.rounded(),
        total=total.rounded(),
        weight=weight,
    )


def _imported_transactions(new: NewOrder, total: MoneyBag, at: datetime) -> list[Transaction]:
    """Turn a ``financial_status`` given on create into the payment facts it stands for."""
    status = new.financial_status
    if new.transactions:
        return [_transaction(spec, new, total, at) for spec in new.transactions]
    if status is None and new.payment_terms is not None:
        status = "pending"  # an order on payment terms is unpaid until money arrives
    if status is None or status == "paid":
        # A free order is paid without any payment; a 0.00 sale would be refused below.
        kinds = ["sale"] if total.presentment.amount > 0 else []
    elif status == "pending":
        kinds = []
    elif status == "authorized":
        kinds = ["authorization"]
    elif status == "refunded":
        kinds = ["sale", "refund"]
    elif status == "voided":
        kinds = ["authorization", "void"]
    else:
        raise InvalidInput(
            f"financial_status must be one of {', '.join(IMPORTABLE_FINANCIAL_STATUSES)}; give transactions to import other payment states",
            field="financial_status",
        )
    return [
        Transaction(
            kind=kind,
            status="success",
            amount=total,
            gateway="manual",
            source_name="external",
            created_at=at,
            processed_at=at,
        )
        for kind in kinds
    ]


def _transaction(spec: TransactionSpec, new: NewOrder, total: MoneyBag, at: datetime) -> Transaction:
    if spec.amount is None:
        amount = total
    else:
        if spec.amount.currency != new.presentment_currency:
            raise InvalidInput("transaction currency must be the order's presentment currency", field="transactions")
        shop = Money(spec.amount.amount * new.rate, new.currency).rounded()
        amount = MoneyBag(shop, spec.amount)
    return Transaction(
        kind=spec.kind,
        status=spec.status,
        amount=amount,
        gateway=spec.gateway,
        authorization=spec.authorization,
        test=spec.test,
        message=spec.message,
        error_code=spec.error_code,
        source_name="external",
        created_at=at,
        processed_at=at,
    )


def _check_transactions(transactions: list[Transaction]) -> None:
    captured = sum((t.amount.presentment.amount for t in transactions if t.succeeded and t.kind in ("capture", "sale")), Decimal(0))
    authorized = sum((t.amount.presentment.amount for t in transactions if t.succeeded and t.kind == "authorization"), Decimal(0))
    refunded = sum((t.amount.presentment.amount for t in transactions if t.succeeded and t.kind == "refund"), Decimal(0))
    sold = sum((t.amount.presentment.amount for t in transactions if t.succeeded and t.kind == "sale"), Decimal(0))
    if captured - sold > authorized:
        raise InvalidInput("captured amount exceeds the authorized amount", field="transactions")
    if refunded > captured:
        raise InvalidInput("refunded amount exceeds the captured amount", field="transactions")
    for t in transactions:
        if t.kind != "void" and t.amount.presentment.amount <= 0 and t.kind != "authorization":
            raise InvalidInput("transaction amounts must be greater than zero", field="transactions")


def place_order(new: NewOrder, *, at: datetime, token: str, processed_at: datetime | None = None) -> Order:
    """Build a new order from what the client gave, with totals and its first events.

    Raises InvalidInput for an order without lines, tax lines given on both the order and
    its lines, or payment facts that contradict each other.
    """
    if not new.line_items:
        raise InvalidInput("Line items must have at least one item", field="line_items")
    if new.tax_lines and any(line.tax_lines for line in new.line_items):
        raise InvalidInput("Tax lines must be associated with either order or line item but not both", field="order")
    for position, line in enumerate(new.line_items):
        line.position = position
        if line.price.presentment.amount < 0:
            raise InvalidInput("price must not be negative", field="line_items")
    for s in new.shipping_lines:
        if s.price.presentment.amount < 0:
            raise InvalidInput("shipping price must not be negative", field="shipping_lines")
    _apply_discounts(new)
    totals = compute_totals(new)
    transactions = _imported_transactions(new, totals.total, at)
    _check_transactions(transactions)

    fulfillments: list[Fulfillment] = []
    if new.fulfillment_status == "fulfilled":
        fulfillments.append(
            Fulfillment(
                quantities={line.key: line.quantity for line in new.line_items},
                location_id=new.fulfillment_location_id,
                tracking_company=new.fulfillment_tracking.get("tracking_company"),
                tracking_numbers=list(new.fulfillment_tracking.get("tracking_numbers") or []),
                tracking_urls=list(new.fulfillment_tracking.get("tracking_urls") or []),
                created_at=at,
                updated_at=at,
            )
        )
    elif new.fulfillment_status not in (None, "unfulfilled", "null"):
        raise InvalidInput("fulfillment_status on create must be fulfilled or left out", field="fulfillment_status")

    order = Order(
        currency=new.currency,
        presentment_currency=new.presentment_currency,
        line_items=new.line_items,
        shipping_lines=new.shipping_lines,
        tax_lines=new.tax_lines,
        discount_codes=new.discount_codes,
        taxes_included=new.taxes_included,
        totals=totals,
        created_at=at,
        processed_at=processed_at or at,
        updated_at=at,
        token=token,
        transactions=transactions,
        fulfillments=fulfillments,
        payment_terms=new.payment_terms,
        **new.details,
    )
    # A new order was nothing before: being placed paid or fulfilled is news too.
    order.settle(status.UNPLACED)
    order.events.append(OrderPlaced(at=at, author=new.details.get("source_name")))
    for t in transactions:
        order.events.append(PaymentRecorded.of(t, at))
    for f in fulfillments:
        order.events.append(FulfillmentRecorded(at=at, item_count=sum(f.quantities.values())))
    return order
