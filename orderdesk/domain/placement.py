"""Placing an order: totals, discount allocation, and the facts an imported order brings along."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from . import status
from .customer import Customer
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
    """A payment given on create; ``amount`` (presentment money) defaults to the order total.

    ``status`` None: none was given, so a gateway that processes payments is asked to charge
    it (services decide which gateways do); a payment only recorded is a success.
    """

    kind: str
    status: str | None = "success"
    amount: Money | None = None
    gateway: str = "manual"
    authorization: str | None = None
    test: bool = False
    message: str | None = None
    error_code: str | None = None
    credit_card_number: str | None = None


@dataclass(frozen=True)
class TermsSpec:
    """Payment terms given on create; they are issued when the order is placed."""

    type: str
    due_in_days: int | None = None
    fixed_due_at: datetime | None = None

    def issue(self, at: datetime) -> PaymentTerms:
        return PaymentTerms(type=self.type, issued_at=at, due_in_days=self.due_in_days, fixed_due_at=self.fixed_due_at)


@dataclass(frozen=True)
class Variant:
    """What the catalog says about a variant a line names; ``price`` is in shop money."""

    price: Decimal
    title: str
    product_title: str
    product_id: int | None = None
    sku: str | None = None
    vendor: str | None = None
    grams: int | None = None
    requires_shipping: bool | None = None
    taxable: bool | None = None
    fulfillment_service: str | None = None
    inventory_management: str | None = None


@dataclass
class NewLine:
    """A line as the client asked for it; what it leaves out comes from its variant (``with_catalog``).

    ``price`` None: the variant's price."""

    quantity: int
    variant_id: int | None = None
    price: MoneyBag | None = None
    title: str | None = None
    variant_title: str | None = None
    sku: str | None = None
    vendor: str | None = None
    product_id: int | None = None
    grams: int | None = None
    requires_shipping: bool | None = None
    taxable: bool | None = None
    gift_card: bool = False
    fulfillment_service: str | None = None
    properties: list[dict[str, Any]] = field(default_factory=list)
    tax_lines: list[TaxLine] = field(default_factory=list)

    def item(self, variant: Variant | None, currency: str, presentment_currency: str, rate: Decimal) -> LineItem:
        """The line item, taking from ``variant`` what the client left out."""
        price = self.price
        if price is None:
            if variant is None:
                raise InvalidInput("a line item needs a variant_id, or a title and a price", field="line_items")
            # The catalog price is in shop money; present it at the order's rate.
            price = MoneyBag(Money(variant.price, currency).rounded(), Money(variant.price / rate, presentment_currency).rounded())

        def pick(given: Any, name: str, default: Any) -> Any:
            if given is not None:
                return given
            known = getattr(variant, name) if variant is not None else None
            return known if known is not None else default

        variant_title = self.variant_title
        if variant_title is None and variant is not None and variant.title != "Default Title":
            variant_title = variant.title
        return LineItem(
            title=self.title or (variant.product_title if variant is not None else ""),
            variant_title=variant_title,
            sku=pick(self.sku, "sku", None),
            vendor=pick(self.vendor, "vendor", None),
            product_id=pick(self.product_id, "product_id", None),
            variant_id=self.variant_id,
            quantity=self.quantity,
            price=price,
            grams=pick(self.grams, "grams", 0),
            requires_shipping=pick(self.requires_shipping, "requires_shipping", True),
            taxable=pick(self.taxable, "taxable", True),
            gift_card=self.gift_card,
            fulfillment_service=pick(self.fulfillment_service, "fulfillment_service", "manual"),
            variant_inventory_management=variant.inventory_management if variant is not None else None,
            properties=self.properties,
            tax_lines=self.tax_lines,
        )


@dataclass
class NewOrder:
    """Everything a client may give when it places (or imports) an order."""

    currency: str
    presentment_currency: str
    line_items: list[LineItem] = field(default_factory=list)
    # Lines still to complete from the catalog (``with_catalog`` makes them line items).
    lines: list[NewLine] = field(default_factory=list)
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
    payment_terms: TermsSpec | None = None
    processed_at: datetime | None = None  # when it was really placed, for imported orders
    # The customer as given: an existing one by id, or contact details to find or add one by.
    customer: Customer | None = None
    inventory_behaviour: str = "bypass"  # bypass | decrement_ignoring_policy | decrement_obeying_policy
    send_receipt: bool = False
    send_fulfillment_receipt: bool = False
    # Contact details, addresses, tags, notes and provenance, as the Order takes them.
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def variant_ids(self) -> list[int]:
        """The catalog variants the lines still to complete name."""
        return [line.variant_id for line in self.lines if line.variant_id is not None]


def with_catalog(new: NewOrder, variants: Mapping[int, Variant]) -> NewOrder:
    """The order with its lines completed from their variants (``variants`` by id).

    Raises InvalidInput for a line naming a variant that does not exist.
    """
    items = []
    for asked in new.lines:
        variant = variants.get(asked.variant_id) if asked.variant_id is not None else None
        if asked.variant_id is not None and variant is None:
            raise InvalidInput(f"variant {asked.variant_id} does not exist", field="line_items")
        items.append(asked.item(variant, new.currency, new.presentment_currency, new.rate))
    return replace(new, line_items=[*new.line_items, *items], lines=[])


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
            for shipping_line, share in zip(new.shipping_lines, _allocate_bag(amount, weights)):
                shipping_line.discount_allocations.append(DiscountAllocation(share, index))
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
        presentment = Money.parse(spec.amount.amount, new.presentment_currency, field="transactions")
        shop = Money(presentment.amount * new.rate, new.currency).rounded()
        amount = MoneyBag(shop, presentment)
    return Transaction(
        kind=spec.kind,
        status=spec.status or "success",
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


def place_order(new: NewOrder, *, at: datetime, token: str) -> Order:
    """Build a new order from what the client gave, with totals and its first events.

    Raises InvalidInput for payment terms that do not exist, an order without lines, tax
    lines given on both the order and its lines, or payment facts that contradict each other.
    """
    terms = new.payment_terms.issue(at) if new.payment_terms is not None else None
    if new.lines:
        raise ValueError("complete the lines from the catalog first (with_catalog)")
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
        processed_at=new.processed_at or at,
        updated_at=at,
        token=token,
        transactions=transactions,
        fulfillments=fulfillments,
        payment_terms=terms,
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
