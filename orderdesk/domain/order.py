"""The Order aggregate: lines, prices, contact details and the actions staff take on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from . import addresses, ledger, status
from .customer import Customer
from .errors import InvalidInput, InvalidTransition
from .events import (
    AuthorizationExpired,
    LineItemsRestocked,
    NoteChanged,
    OrderCancelled,
    OrderClosed,
    OrderEvent,
    OrderReopened,
    OrderUpdated,
    PaymentRecorded,
    RefundCreated,
    TagsChanged,
)
from .fulfillment_orders import FulfillmentOrder
from .fulfillments import Fulfillment
from .money import Money, MoneyBag
from .payments import Transaction, payment_totals
from .refunds import Refund, shipping_maximum
from .status import Standing
from .tags import parse_tags
from .terms import PaymentTerms

CANCEL_REASONS = ("customer", "fraud", "inventory", "declined", "staff", "other")


@dataclass
class TaxLine:
    title: str
    rate: Decimal
    price: MoneyBag
    channel_liable: bool | None = None


@dataclass
class DiscountAllocation:
    amount: MoneyBag
    discount_application_index: int


@dataclass
class LineItem:
    title: str
    quantity: int
    price: MoneyBag
    position: int = 0
    id: int | None = None
    variant_title: str | None = None
    sku: str | None = None
    vendor: str | None = None
    product_id: int | None = None
    variant_id: int | None = None
    grams: int = 0
    requires_shipping: bool = True
    taxable: bool = True
    gift_card: bool = False
    fulfillment_service: str = "manual"
    variant_inventory_management: str | None = None
    properties: list[dict[str, Any]] = field(default_factory=list)
    tax_lines: list[TaxLine] = field(default_factory=list)
    discount_allocations: list[DiscountAllocation] = field(default_factory=list)
    restocked_quantity: int = 0
    removed_quantity: int = 0
    # Derived from the order's refunds when loaded; kept up to date as refunds are applied.
    refunded_quantity: int = 0
    returned_quantity: int = 0  # refunded with restock_type return
    cancelled_quantity: int = 0  # refunded with restock_type cancel
    # Stock committed for this line at a location; the part of it sold beyond what was there.
    location_id: int | None = None
    committed_quantity: int = 0
    oversold_quantity: int = 0

    def __post_init__(self) -> None:
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int) or self.quantity < 1:
            raise InvalidInput("quantity must be a whole number of at least 1", field="line_items")

    @property
    def key(self) -> int:
        """The line's id once stored; its position before that."""
        return self.id if self.id is not None else -(self.position + 1)

    @property
    def name(self) -> str:
        return f"{self.title} - {self.variant_title}" if self.variant_title else self.title

    @property
    def current_quantity(self) -> int:
        return self.quantity - self.removed_quantity - self.refunded_quantity

    def unshipped_unrefunded(self, shipped: int) -> int:
        """Units never shipped and not refunded: what the customer is still owed.

        Units refunded without restock count against shipped ones first (those not returned),
        then against unshipped ones.
        """
        no_restock = self.refunded_quantity - self.cancelled_quantity - self.returned_quantity
        unshipped_no_restock = max(0, no_restock - max(shipped - self.returned_quantity, 0))
        return max(self.quantity - self.removed_quantity - shipped - self.cancelled_quantity - unshipped_no_restock, 0)

    def cancel_room(self, shipped: int) -> int:
        """Units never shipped and not yet refunded-and-restocked or restocked by a cancel."""
        restocked_by_cancel = self.restocked_quantity - self.cancelled_quantity - self.returned_quantity
        return max(self.unshipped_unrefunded(shipped) - restocked_by_cancel, 0)

    def return_room(self, shipped: int) -> int:
        """Shipped units that have not been returned yet."""
        return max(shipped - self.returned_quantity, 0)

    @property
    def line_price(self) -> MoneyBag:
        return self.price * self.quantity

    @property
    def total_discount(self) -> MoneyBag:
        total = MoneyBag.zero(self.price.shop.currency, self.price.presentment.currency)
        for allocation in self.discount_allocations:
            total = total + allocation.amount
        return total


@dataclass
class ShippingLine:
    title: str
    price: MoneyBag
    code: str | None = None
    source: str | None = None
    carrier_identifier: str | None = None
    phone: str | None = None
    id: int | None = None
    tax_lines: list[TaxLine] = field(default_factory=list)
    discount_allocations: list[DiscountAllocation] = field(default_factory=list)

    @property
    def discounted_price(self) -> MoneyBag:
        price = self.price
        for allocation in self.discount_allocations:
            price = price - allocation.amount
        return price


@dataclass
class DiscountCode:
    code: str
    amount: MoneyBag
    type: str = "fixed_amount"  # fixed_amount | percentage | shipping
    # For percentage codes: the percent given on create (e.g. 10 for 10 %).
    value: Decimal | None = None


@dataclass
class Totals:
    line_items: MoneyBag
    discounts: MoneyBag
    subtotal: MoneyBag
    shipping: MoneyBag
    tax: MoneyBag
    total: MoneyBag
    weight: int


@dataclass
class Order:
    currency: str
    presentment_currency: str
    line_items: list[LineItem]
    totals: Totals
    created_at: datetime
    processed_at: datetime
    updated_at: datetime
    token: str
    id: int | None = None
    number: int | None = None
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    note: str | None = None
    tags: tuple[str, ...] = ()
    note_attributes: list[dict[str, Any]] = field(default_factory=list)
    billing_address: dict[str, Any] | None = None
    shipping_address: dict[str, Any] | None = None
    customer_id: int | None = None
    customer: Customer | None = None
    shipping_lines: list[ShippingLine] = field(default_factory=list)
    tax_lines: list[TaxLine] = field(default_factory=list)
    discount_codes: list[DiscountCode] = field(default_factory=list)
    taxes_included: bool = False
    tax_exempt: bool = False
    buyer_accepts_marketing: bool = False
    test: bool = False
    source_name: str = "web"
    confirmation_number: str | None = None
    closed_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None
    # Provenance fields the client may set and we only store and echo
    # (browser_ip, landing_site, reference, po_number, client_details, ...).
    extra: dict[str, Any] = field(default_factory=dict)
    transactions: list[Transaction] = field(default_factory=list)
    fulfillments: list[Fulfillment] = field(default_factory=list)
    refunds: list[Refund] = field(default_factory=list)
    # Loaded for fulfillment work only; None when not loaded.
    fulfillment_orders: list[FulfillmentOrder] | None = None
    payment_terms: PaymentTerms | None = None
    events: list[OrderEvent] = field(default_factory=list)
    # The statuses as of the last ``take_events`` (or the load for a change, or placing): what
    # the next take compares with. None: not loaded for a change.
    settled: Standing | None = field(default=None, repr=False, compare=False)

    # --- derived statuses -------------------------------------------------

    @property
    def status(self) -> str:
        return status.order_status(self.cancelled_at is not None, self.closed_at is not None)

    @property
    def financial_status(self) -> str:
        return status.financial_status(self.transactions, self.current_totals().total.presentment.amount)

    @property
    def fulfillment_status(self) -> str | None:
        return status.fulfillment_status(self.line_items, self.fulfillments, cancelled=self.cancelled_at is not None)

    @property
    def display_name(self) -> str:
        return self.name or "(new order)"

    # --- what happened --------------------------------------------------------

    def standing(self) -> Standing:
        return Standing(paid=self.financial_status == "paid", fulfillment=self.fulfillment_status)

    def settle(self, standing: Standing | None = None) -> None:
        """Start reporting changes from here (``standing``, else the statuses as they are now)."""
        self.settled = standing if standing is not None else self.standing()

    def take_events(self) -> list[OrderEvent]:
        """The events since the last take, followed by the statuses they brought the order to
        (``status.reached``: paid, fulfilled, partially fulfilled); the next take starts from here.

        Raises RuntimeError for an order that was not loaded for a change (nothing to compare with).
        """
        if self.settled is None:
            raise RuntimeError("the order was not loaded for a change, so its changes are unknown")
        happened, self.events = self.events, []
        before, self.settled = self.settled, self.standing()
        if not happened:
            return []  # statuses move only with facts, and every fact is an event
        return happened + status.reached(before, self.settled, happened[-1].at)

    # --- staff actions ----------------------------------------------------

    def close(self, at: datetime, author: str | None = None) -> None:
        """Archive the order. Closing a closed order changes nothing."""
        if self.closed_at is not None:
            return
        self.closed_at = at
        self.updated_at = at
        self.events.append(OrderClosed(at=at, author=author))

    def reopen(self, at: datetime, author: str | None = None) -> None:
        """Unarchive the order. Opening an open order changes nothing."""
        if self.closed_at is None:
            return
        self.closed_at = None
        self.updated_at = at
        self.events.append(OrderReopened(at=at, author=author))

    def cancel(
        self,
        at: datetime,
        *,
        reason: str | None = None,
        restock: bool = False,
        notify_customer: bool = False,
        author: str | None = None,
    ) -> None:
        """Cancel the order.

        Raises InvalidTransition for a cancelled order, or for one that is paid and has
        fulfillments (Shopify refuses both).
        """
        reason = reason or "other"
        self.check_cancellable(reason)
        self.cancelled_at = at
        self.cancel_reason = reason
        self.updated_at = at
        self.events.append(OrderCancelled(at=at, author=author, reason=reason, restock=restock, notify_customer=notify_customer))
        if restock:
            done = status.fulfilled_quantities(self.fulfillments)
            restocked = []
            for line in self.line_items:
                qty = line.cancel_room(done.get(line.key, 0))
                if qty > 0:
                    line.restocked_quantity += qty
                    restocked.append((line.key, qty))
            if restocked:
                self.events.append(LineItemsRestocked(at=at, author=author, quantities=tuple(restocked)))

    def check_cancellable(self, reason: str = "other") -> None:
        """Raise unless the order can be cancelled now with this reason."""
        if reason not in CANCEL_REASONS:
            raise InvalidInput(f"reason must be one of {', '.join(CANCEL_REASONS)}", field="reason")
        if self.cancelled_at is not None:
            raise InvalidTransition("Order has already been cancelled", field="order")
        if self.financial_status in ("paid", "partially_refunded") and self.fulfillment_status in ("fulfilled", "partial"):
            raise InvalidTransition("Cannot cancel an order that has been paid and has fulfillments", field="order")

    def update_details(self, changes: dict[str, Any], at: datetime, author: str | None = None) -> list[str]:
        """Apply the writable fields a client sent; return the names of those that changed.

        Writable: email, phone, note, tags, note_attributes, shipping_address,
        buyer_accepts_marketing, customer (only to remove it). The billing address is kept
        as placed.
        """
        changed: list[str] = []
        for name, value in changes.items():
            if name == "tags":
                new_tags = parse_tags(value)
                old = set(self.tags)
                if set(new_tags) != old or list(new_tags) != list(self.tags):
                    added = tuple(t for t in new_tags if t not in old)
                    removed = tuple(t for t in self.tags if t not in set(new_tags))
                    self.tags = new_tags
                    changed.append("tags")
                    if added or removed:
                        self.events.append(TagsChanged(at=at, author=author, added=added, removed=removed))
            elif name == "note":
                if value != self.note:
                    self.events.append(NoteChanged(at=at, author=author, old=self.note, new=value))
                    self.note = value
                    changed.append("note")
            elif name == "customer_id":
                if value != self.customer_id:
                    self.customer_id = value
                    self.customer = None
                    changed.append("customer")
            elif name in ("email", "phone", "note_attributes", "shipping_address", "buyer_accepts_marketing"):
                if name == "email" and value is not None:
                    value = addresses.check_contact_email(value)
                if getattr(self, name) != value:
                    setattr(self, name, value)
                    changed.append(name)
            else:
                raise InvalidInput(f"{name} cannot be changed", field=name)
        if changed:
            self.updated_at = at
            self.events.append(OrderUpdated(at=at, author=author, changed=tuple(changed)))
        return changed

    # --- derived amounts --------------------------------------------------

    def in_both(self, amount: Decimal) -> MoneyBag:
        """A presentment amount with its shop-currency value at the order's own rate."""
        total = self.totals.total
        rate = total.shop.amount / total.presentment.amount if total.presentment.amount else Decimal(1)
        return MoneyBag(Money(amount * rate, self.currency).rounded(), Money(amount, self.presentment_currency))

    @property
    def total_outstanding(self) -> Decimal:
        """Presentment money still due: what the order is now worth less what was kept.

        Once nothing is left to buy (``nothing_left``) nothing is due: a fee a refund kept is money
        the merchant already holds (the refund's refund_discrepancy adjustment), never a claim on
        the shopper for goods they no longer get."""
        if self.cancelled_at is not None or self.nothing_left:
            return Decimal(0)
        paid = payment_totals(self.transactions)
        kept = paid.captured - paid.refunded
        return max(self.current_totals().total.presentment.amount - kept, Decimal(0))

    @property
    def nothing_left(self) -> bool:
        """Every line refunded or removed and no shipping left to pay (none charged, or all of it
        refunded): the shopper gets nothing more, so owes nothing more."""
        if any(line.current_quantity > 0 for line in self.line_items):
            return False
        return shipping_maximum(self).presentment.amount <= 0

    @property
    def saved_id(self) -> int:
        """The id of an order the store has: services change only saved orders (placing saves first)."""
        if self.id is None:
            raise LookupError("the order has not been saved yet")
        return self.id

    @property
    def loaded_fulfillment_orders(self) -> list[FulfillmentOrder]:
        """The fulfillment orders of an order loaded with them (for fulfillment work)."""
        if self.fulfillment_orders is None:
            raise LookupError("the order was loaded without its fulfillment orders")
        return self.fulfillment_orders

    def add_fulfillment_order(self, fo: FulfillmentOrder) -> None:
        """A new fulfillment order (a split, a move, a replacement) joins the order's others."""
        if self.fulfillment_orders is None:
            self.fulfillment_orders = []
        self.fulfillment_orders.append(fo)

    def line_fulfillment(self) -> dict[int, int]:
        return status.fulfilled_quantities(self.fulfillments)

    def fulfillable_quantity(self, line: LineItem) -> int:
        """Units never shipped that the customer is still owed.

        Shopify documents ``quantity - max(refunded, fulfilled)``, which guesses whether refunded
        units were shipped ones; the refund's restock type says so, and ``unshipped_unrefunded`` uses it
        (2 of 3 refunded unshipped, then 1 shipped: nothing is left, not 1)."""
        if self.cancelled_at is not None:
            return 0
        return line.unshipped_unrefunded(self.line_fulfillment().get(line.key, 0))

    def current_totals(self) -> Totals:
        """Totals after refunds (Shopify's ``current_*`` fields).

        Refunded lines, their tax and refunded shipping come off. Refund discrepancies stay on:
        money a refund kept (a restocking fee) adds to the total, money refunded beyond the goods'
        worth (goodwill) takes from it, so the current total is what the order is worth to the
        merchant now. The kept part is not owed by the shopper once nothing is left to buy
        (``total_outstanding``)."""
        if not self.refunds:
            return self.totals
        t = self.totals
        zero = MoneyBag.zero(self.currency, self.presentment_currency)
        subtotal, tax, shipping, discounts, adjustments = t.subtotal, t.tax, zero, t.discounts, zero
        for s in self.shipping_lines:
            shipping = shipping + s.discounted_price
        lines = {line.id: line for line in self.line_items}
        for refund in self.refunds:
            for rl in refund.lines:
                subtotal = subtotal - rl.subtotal
                tax = tax - rl.total_tax
                line = lines.get(rl.line_item_id)
                if line is not None and line.quantity:
                    share = line.total_discount * Decimal(rl.quantity) * (Decimal(1) / Decimal(line.quantity))
                    discounts = discounts - share
            for adj in refund.adjustments:
                if adj.kind == "shipping_refund":
                    shipping = shipping + adj.amount
                    tax = tax + adj.tax_amount
                elif adj.kind == "refund_discrepancy":
                    # Money refunded beyond (or short of) what the refunded goods were worth.
                    adjustments = adjustments + adj.amount
        total = subtotal + shipping + (zero if self.taxes_included else tax) + adjustments
        return Totals(
            line_items=t.line_items,
            discounts=discounts.rounded(),
            subtotal=subtotal.rounded(),
            shipping=shipping.rounded(),
            tax=tax.rounded(),
            total=total.rounded(),
            weight=t.weight,
        )

    # --- payments -----------------------------------------------------------

    def add_transaction(self, tx: Transaction, at: datetime, author: str | None = None) -> None:
        """Record a payment fact and its timeline entry."""
        self.transactions.append(tx)
        self.updated_at = at
        self.events.append(PaymentRecorded.of(tx, at, author))

    def expire_authorizations(self, at: datetime) -> list[Transaction]:
        """Mark authorizations past their expiry, uncaptured and unvoided, as expired."""
        expired = []
        for tx in self.transactions:
            if (
                tx.kind == "authorization"
                and tx.succeeded
                and tx.expired_at is None
                and tx.authorization_expires_at is not None
                and at >= tx.authorization_expires_at
                and ledger.capturable(tx, self.transactions) > 0
                and ledger.captured_against(tx, self.transactions) == 0
            ):
                tx.expired_at = at
                expired.append(tx)
                self.events.append(
                    AuthorizationExpired(
                        at=at, amount=tx.amount.presentment.format(), currency=tx.amount.presentment.currency, gateway=tx.gateway
                    )
                )
        if expired:
            self.updated_at = at
        return expired

    def apply_refund(self, refund: Refund, at: datetime, author: str | None = None) -> None:
        """Record a refund whose money (if any) has moved: lines, restock, transactions, events."""
        lines = {line.id: line for line in self.line_items}
        restocked: list[tuple[int, int]] = []
        for rl in refund.lines:
            line = lines[rl.line_item_id]
            line.refunded_quantity += rl.quantity
            if rl.restock_type == "cancel":
                line.cancelled_quantity += rl.quantity
            elif rl.restock_type == "return":
                line.returned_quantity += rl.quantity
            if rl.restock_type in ("cancel", "return"):
                line.restocked_quantity += rl.quantity
                restocked.append((rl.line_item_id, rl.quantity))
        self.refunds.append(refund)
        for tx in refund.transactions:
            self.add_transaction(tx, at, author)
        self.events.append(
            RefundCreated(
                at=at,
                author=author,
                amount=sum((t.amount.presentment.amount for t in refund.transactions if t.succeeded), Decimal(0)),
                currency=self.presentment_currency,
                item_count=sum(rl.quantity for rl in refund.lines),
                note=refund.note,
                kept=sum((a.amount.presentment.amount for a in refund.adjustments if a.kind == "refund_discrepancy"), Decimal(0)),
            )
        )
        if restocked:
            self.events.append(LineItemsRestocked(at=at, author=author, quantities=tuple(restocked)))
        self.updated_at = at
