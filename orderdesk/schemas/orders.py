"""Order input as Shopify clients send it (POST and PUT bodies), and the domain values it
stands for: ``new_order`` (a placed order) and ``order_changes`` (a PUT)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from ..domain import money
from ..domain.customer import Customer
from ..domain.errors import InvalidInput
from ..domain.money import DECIMAL_STRING, MoneyBag, check_currency, to_decimal
from ..domain.order import DiscountCode, ShippingLine, TaxLine
from ..domain.placement import NewLine, NewOrder, TermsSpec, TransactionSpec
from ..domain.shop import Shop
from ..domain.tags import parse_tags
from ..domain.tracking import tracking_urls

# Every field of Shopify's order resource. Clients (the ShopifyAPI package among them) send
# back whole objects, so read-only fields among these are accepted and ignored; anything
# else is an unknown field and refused.
SHOPIFY_ORDER_FIELDS = frozenset(
    [
        "id",
        "admin_graphql_api_id",
        "app_id",
        "browser_ip",
        "buyer_accepts_marketing",
        "cancel_reason",
        "cancelled_at",
        "cart_token",
        "checkout_id",
        "checkout_token",
        "client_details",
        "closed_at",
        "confirmation_number",
        "confirmed",
        "contact_email",
        "created_at",
        "currency",
        "current_subtotal_price",
        "current_subtotal_price_set",
        "current_total_additional_fees_set",
        "current_total_discounts",
        "current_total_discounts_set",
        "current_total_duties_set",
        "current_total_price",
        "current_total_price_set",
        "current_total_tax",
        "current_total_tax_set",
        "customer_locale",
        "device_id",
        "discount_codes",
        "email",
        "estimated_taxes",
        "financial_status",
        "fulfillment_status",
        "landing_site",
        "landing_site_ref",
        "location_id",
        "merchant_of_record_app_id",
        "name",
        "note",
        "note_attributes",
        "number",
        "order_number",
        "order_status_url",
        "original_total_additional_fees_set",
        "original_total_duties_set",
        "payment_gateway_names",
        "phone",
        "po_number",
        "presentment_currency",
        "processed_at",
        "reference",
        "referring_site",
        "source_identifier",
        "source_name",
        "source_url",
        "subtotal_price",
        "subtotal_price_set",
        "tags",
        "tax_exempt",
        "tax_lines",
        "taxes_included",
        "test",
        "token",
        "total_discounts",
        "total_discounts_set",
        "total_line_items_price",
        "total_line_items_price_set",
        "total_outstanding",
        "total_price",
        "total_price_set",
        "total_shipping_price_set",
        "total_tax",
        "total_tax_set",
        "total_tip_received",
        "total_weight",
        "updated_at",
        "user_id",
        "billing_address",
        "customer",
        "discount_applications",
        "fulfillments",
        "line_items",
        "payment_terms",
        "refunds",
        "shipping_address",
        "shipping_lines",
        "transactions",
        "inventory_behaviour",
        "send_receipt",
        "send_fulfillment_receipt",
        "metafields",
        "company",
        "gateway",
        "processing_method",
        "total_price_usd",
        "payment_details",
        "source",
        "checkout_id",
        "order_adjustments",
        "payment_gateway",
        "shipping_address_attributes",
        "errors",
    ]
)


def _amount(value: Decimal | int | str, info: ValidationInfo) -> Decimal | int | str:
    """Check the format where the error can name the field's path (``line_items.0.price``).

    Services parse the value later with the currency's rules; some (transactions sent to a
    gateway) would otherwise see it only as an already-built Decimal.
    """
    try:
        to_decimal(value, field=info.field_name or "amount")
    except InvalidInput as exc:
        raise ValueError(exc.message) from None
    return value


Money = Annotated[Decimal | int | str, AfterValidator(_amount)]


def _ratio(value: Any) -> Any:
    """A rate as a string takes the same format as amounts ("0.06", not "6e-2" or "0_06")."""
    if isinstance(value, str) and DECIMAL_STRING.fullmatch(value) is None:
        raise ValueError(f"rate is not a valid decimal: {value[:40]!r} (write it like 0.06)")
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class Loose(BaseModel):
    """Nested Shopify objects: read-only keys a client echoes back are ignored."""

    model_config = ConfigDict(extra="ignore")


class MoneyIn(Loose):
    amount: Money
    currency_code: str


class MoneySetIn(Loose):
    shop_money: MoneyIn
    presentment_money: MoneyIn


class TaxLineIn(Loose):
    title: str = Field(default="Tax", max_length=255)
    price: Money | None = None
    price_set: MoneySetIn | None = None
    rate: Annotated[Decimal, BeforeValidator(_ratio)] = Decimal(0)
    channel_liable: bool | None = None

    @field_validator("rate")
    @classmethod
    def _rate(cls, v: Decimal) -> Decimal:
        if not v.is_finite() or v < 0 or v > 1:
            raise ValueError("rate must be a ratio between 0 and 1")
        return v


class PropertyIn(Loose):
    name: str
    value: Any = None


class LineItemIn(Loose):
    variant_id: int | None = None
    product_id: int | None = None
    title: str | None = Field(default=None, max_length=255)
    variant_title: str | None = Field(default=None, max_length=255)
    sku: str | None = Field(default=None, max_length=255)
    vendor: str | None = Field(default=None, max_length=255)
    quantity: int = Field(ge=1, le=100_000)
    price: Money | None = None
    price_set: MoneySetIn | None = None
    grams: int | None = Field(default=None, ge=0, le=10_000_000)
    requires_shipping: bool | None = None
    taxable: bool | None = None
    gift_card: bool = False
    fulfillment_service: str | None = None
    properties: list[PropertyIn] = Field(default_factory=list, max_length=100)
    tax_lines: list[TaxLineIn] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _needs_identity(self) -> LineItemIn:
        if self.variant_id is None and (self.title is None or (self.price is None and self.price_set is None)):
            raise ValueError("a line item needs a variant_id, or a title and a price")
        return self


class ShippingLineIn(Loose):
    title: str = Field(max_length=255)
    price: Money | None = None
    price_set: MoneySetIn | None = None
    code: str | None = None
    source: str | None = None
    carrier_identifier: str | None = None
    phone: str | None = None
    tax_lines: list[TaxLineIn] = Field(default_factory=list, max_length=50)


class DiscountCodeIn(Loose):
    code: str = Field(max_length=255)
    amount: Money
    type: Literal["fixed_amount", "percentage", "shipping"] = "fixed_amount"


class AddressIn(Loose):
    first_name: str | None = None
    last_name: str | None = None
    name: str | None = None
    company: str | None = None
    address1: str | None = None
    address2: str | None = None
    city: str | None = None
    province: str | None = None
    province_code: str | None = None
    country: str | None = None
    country_code: str | None = None
    zip: str | None = None
    phone: str | None = None
    latitude: Decimal | float | None = None
    longitude: Decimal | float | None = None

    def to_dict(self) -> dict[str, Any]:
        data = self.model_dump()
        for k in ("latitude", "longitude"):
            if data[k] is not None:
                data[k] = float(data[k])
        return data


class CustomerIn(Loose):
    id: int | None = None
    email: str | None = Field(default=None, max_length=255)
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    tags: str | None = None
    note: str | None = None
    accepts_marketing: bool | None = None


class TransactionIn(Loose):
    kind: Literal["authorization", "capture", "sale", "void", "refund"]
    # Left out with a card on a processing gateway (bogus), the gateway decides; otherwise success.
    status: Literal["pending", "failure", "success", "error"] | None = None
    credit_card_number: str | None = Field(default=None, max_length=32)
    payment_details: dict[str, Any] | None = None
    amount: Money | None = None
    gateway: str = Field(default="manual", max_length=64)
    authorization: str | None = None
    test: bool = False
    message: str | None = None
    error_code: str | None = None


class FulfillmentIn(Loose):
    location_id: int | None = None
    tracking_number: str | None = None
    tracking_numbers: list[str] | None = None
    tracking_company: str | None = None
    tracking_url: str | None = None
    tracking_urls: list[str] | None = None


class PaymentScheduleIn(Loose):
    due_at: str | None = None


class PaymentTermsIn(Loose):
    """Shopify's shape (payment_terms_type NET/RECEIPT/FIXED/FULFILLMENT, due_in_days, schedules)."""

    payment_terms_type: str
    due_in_days: int | None = Field(default=None, ge=0, le=365)
    payment_schedules: list[PaymentScheduleIn] = Field(default_factory=list, max_length=1)


class NoteAttributeIn(Loose):
    name: str = Field(max_length=255)
    value: Any = None


class OrderCreate(BaseModel):
    """Body of ``POST /orders.json`` (inside the ``order`` key)."""

    model_config = ConfigDict(extra="allow")

    line_items: list[LineItemIn] = Field(min_length=1, max_length=250)
    email: str | None = Field(default=None, max_length=255)
    phone: str | None = Field(default=None, max_length=64)
    name: str | None = Field(default=None, max_length=255)
    note: str | None = Field(default=None, max_length=5000)
    tags: str | list[str] | None = None
    note_attributes: list[NoteAttributeIn] = Field(default_factory=list, max_length=100)
    currency: str | None = None
    presentment_currency: str | None = None
    billing_address: AddressIn | None = None
    shipping_address: AddressIn | None = None
    customer: CustomerIn | None = None
    shipping_lines: list[ShippingLineIn] = Field(default_factory=list, max_length=20)
    tax_lines: list[TaxLineIn] = Field(default_factory=list, max_length=50)
    discount_codes: list[DiscountCodeIn] = Field(default_factory=list, max_length=20)
    transactions: list[TransactionIn] = Field(default_factory=list, max_length=50)
    financial_status: str | None = None
    payment_terms: PaymentTermsIn | None = None
    fulfillment_status: str | None = None
    fulfillments: list[FulfillmentIn] = Field(default_factory=list, max_length=10)
    taxes_included: bool = False
    tax_exempt: bool = False
    buyer_accepts_marketing: bool = False
    test: bool = False
    source_name: str | None = Field(default=None, max_length=255)
    processed_at: str | None = None
    confirmation_number: str | None = Field(default=None, max_length=32)
    send_receipt: bool = False
    send_fulfillment_receipt: bool = False
    inventory_behaviour: Literal["bypass", "decrement_ignoring_policy", "decrement_obeying_policy"] = "bypass"
    browser_ip: str | None = None
    landing_site: str | None = None
    landing_site_ref: str | None = None
    referring_site: str | None = None
    reference: str | None = None
    source_identifier: str | None = None
    source_url: str | None = None
    po_number: str | None = None
    cart_token: str | None = None
    checkout_token: str | None = None
    customer_locale: str | None = None
    client_details: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _no_unknown_fields(self) -> OrderCreate:
        unknown = sorted(set(self.model_extra or {}) - SHOPIFY_ORDER_FIELDS)
        if unknown:
            raise ValueError(f"unknown field(s): {', '.join(unknown)}")
        return self


# Fields PUT may change. Everything else in a PUT body is read-only and ignored.
WRITABLE_ON_UPDATE = (
    "email",
    "phone",
    "note",
    "tags",
    "note_attributes",
    "shipping_address",
    "buyer_accepts_marketing",
    "customer",
)


class OrderUpdate(BaseModel):
    """The writable part of ``PUT /orders/{id}.json``; read-only fields are dropped before this."""

    model_config = ConfigDict(extra="ignore")

    email: str | None = Field(default=None, max_length=255)
    phone: str | None = Field(default=None, max_length=64)
    note: str | None = Field(default=None, max_length=5000)
    tags: str | list[str] | None = None
    note_attributes: list[NoteAttributeIn] | None = Field(default=None, max_length=100)
    shipping_address: AddressIn | None = None
    buyer_accepts_marketing: bool | None = None
    customer: CustomerIn | None = None


# --- the domain values a body stands for ---------------------------------------------------

# A status given on create must be one of these (placement says which it can import).
GIVEN_FINANCIAL_STATUSES = ("pending", "authorized", "paid", "refunded", "voided", "partially_paid", "partially_refunded")
# Provenance fields the order only stores and echoes.
PROVENANCE = (
    "browser_ip",
    "landing_site",
    "landing_site_ref",
    "referring_site",
    "reference",
    "source_identifier",
    "source_url",
    "po_number",
    "cart_token",
    "checkout_token",
    "customer_locale",
    "client_details",
)


class _Pricer:
    """Reads client amounts in the order's presentment currency and pairs them with shop money."""

    def __init__(self, shop: Shop, presentment: str) -> None:
        self.shop = shop
        self.presentment = presentment
        self.rate = shop.rate(presentment)

    def bag(self, value: Any, money_set: MoneySetIn | None, field: str) -> MoneyBag:
        if money_set is not None:
            shop_money = money_set.shop_money
            pres_money = money_set.presentment_money
            if shop_money.currency_code != self.shop.currency or pres_money.currency_code != self.presentment:
                raise InvalidInput(
                    f"{field} currencies must be {self.shop.currency} (shop) and {self.presentment} (presentment)",
                    field=field,
                )
            return MoneyBag(
                money.Money.parse(shop_money.amount, self.shop.currency, field=field),
                money.Money.parse(pres_money.amount, self.presentment, field=field),
            )
        amount = money.Money.parse(value if value is not None else 0, self.presentment, field=field)
        if amount.amount < 0:
            raise InvalidInput(f"{field} must not be negative", field=field)
        return self.shop.in_both(amount)

    def tax_lines(self, lines: list[TaxLineIn], field: str) -> list[TaxLine]:
        return [TaxLine(t.title, t.rate, self.bag(t.price, t.price_set, field), t.channel_liable) for t in lines]

    def discount_code(self, d: DiscountCodeIn) -> DiscountCode:
        if d.type == "percentage":
            zero = self.shop.in_both(money.Money.zero(self.presentment))
            return DiscountCode(code=d.code, amount=zero, type="percentage", value=to_decimal(d.amount, field="discount_codes"))
        return DiscountCode(code=d.code, amount=self.bag(d.amount, None, "discount_codes"), type=d.type)


def _time(value: str, shop: Shop, field: str) -> datetime:
    """An ISO-8601 timestamp; one without an offset is in the shop's time zone."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"{field} is not an ISO-8601 timestamp", field=field) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(shop.iana_timezone))
    return parsed


def _address(value: AddressIn | None) -> dict[str, Any] | None:
    return value.to_dict() if value is not None else None


def _line(item: LineItemIn, pricer: _Pricer) -> NewLine:
    given_price = item.price is not None or item.price_set is not None
    return NewLine(
        quantity=item.quantity,
        variant_id=item.variant_id,
        price=pricer.bag(item.price, item.price_set, "line_items") if given_price else None,
        title=item.title,
        variant_title=item.variant_title,
        sku=item.sku,
        vendor=item.vendor,
        product_id=item.product_id,
        grams=item.grams,
        requires_shipping=item.requires_shipping,
        taxable=item.taxable,
        gift_card=item.gift_card,
        fulfillment_service=item.fulfillment_service,
        properties=[p.model_dump() for p in item.properties],
        tax_lines=pricer.tax_lines(item.tax_lines, "line_items"),
    )


def _transaction(tx: TransactionIn, presentment: str) -> TransactionSpec:
    card = tx.credit_card_number or (tx.payment_details or {}).get("credit_card_number")
    return TransactionSpec(
        kind=tx.kind,
        status=tx.status,
        # The currency's decimals are checked where the payment is recorded or charged.
        amount=None if tx.amount is None else money.Money(to_decimal(tx.amount, field="transactions"), presentment),
        gateway=tx.gateway,
        authorization=tx.authorization,
        test=tx.test,
        message=tx.message,
        error_code=tx.error_code,
        credit_card_number=card,
    )


def _terms(given: PaymentTermsIn | None, shop: Shop) -> TermsSpec | None:
    if given is None:
        return None
    kind = given.payment_terms_type.strip().lower()
    due_at = None
    if given.payment_schedules and given.payment_schedules[0].due_at:
        due_at = _time(given.payment_schedules[0].due_at, shop, "payment_terms")
    return TermsSpec(type=kind, due_in_days=given.due_in_days if kind == "net" else None, fixed_due_at=due_at if kind == "fixed" else None)


def _tracking(f: FulfillmentIn | None) -> dict[str, Any]:
    if f is None:
        return {}
    numbers = f.tracking_numbers or ([f.tracking_number] if f.tracking_number else [])
    urls = f.tracking_urls or ([f.tracking_url] if f.tracking_url else [])
    return {
        "tracking_company": f.tracking_company,
        "tracking_numbers": numbers,
        "tracking_urls": tracking_urls(f.tracking_company, numbers, urls),
    }


def _customer(given: CustomerIn | None) -> Customer | None:
    if given is None:
        return None
    return Customer(
        id=given.id,
        email=given.email,
        first_name=given.first_name,
        last_name=given.last_name,
        phone=given.phone,
        tags=given.tags or "",
        note=given.note,
        accepts_marketing=bool(given.accepts_marketing),
    )


def new_order(data: OrderCreate, shop: Shop) -> NewOrder:
    """The order a validated POST body asks for, in domain values: money in the order's
    presentment currency paired with shop money at the shop's rate, timestamps in the shop's
    time zone, tags, payment terms and tracking. Lines keep what the catalog is to fill in.

    Raises InvalidInput for an unknown currency or one without an exchange rate, an unknown
    financial status, and amounts, timestamps or tags that do not parse.
    """
    presentment = check_currency(data.presentment_currency or data.currency or shop.currency, field="currency")
    if data.presentment_currency and data.currency and check_currency(data.currency) not in (shop.currency, presentment):
        raise InvalidInput(f"currency must be the shop currency {shop.currency}", field="currency")
    pricer = _Pricer(shop, presentment)
    if data.financial_status is not None and data.financial_status not in GIVEN_FINANCIAL_STATUSES:
        raise InvalidInput(f"financial_status {data.financial_status!r} is not a financial status", field="financial_status")
    processed_at = _time(data.processed_at, shop, "processed_at") if data.processed_at else None
    details: dict[str, Any] = {
        "email": data.email.strip() if data.email else (data.customer.email if data.customer and data.customer.email else None),
        "phone": data.phone,
        "note": data.note,
        "tags": parse_tags(data.tags),
        "note_attributes": [a.model_dump() for a in data.note_attributes],
        "billing_address": _address(data.billing_address),
        "shipping_address": _address(data.shipping_address),
        "tax_exempt": data.tax_exempt,
        "buyer_accepts_marketing": data.buyer_accepts_marketing,
        "test": data.test,
        "source_name": data.source_name or "api",
        "confirmation_number": data.confirmation_number,
        "extra": {k: getattr(data, k) for k in PROVENANCE if getattr(data, k) is not None},
    }
    if data.name:
        details["name"] = data.name
        details["extra"]["custom_name"] = True
    fulfillment = data.fulfillments[0] if data.fulfillments else None
    return NewOrder(
        currency=shop.currency,
        presentment_currency=presentment,
        rate=pricer.rate,
        lines=[_line(item, pricer) for item in data.line_items],
        shipping_lines=[
            ShippingLine(
                title=s.title,
                price=pricer.bag(s.price, s.price_set, "shipping_lines"),
                code=s.code,
                source=s.source,
                carrier_identifier=s.carrier_identifier,
                phone=s.phone,
                tax_lines=pricer.tax_lines(s.tax_lines, "shipping_lines"),
            )
            for s in data.shipping_lines
        ],
        tax_lines=pricer.tax_lines(data.tax_lines, "tax_lines"),
        discount_codes=[pricer.discount_code(d) for d in data.discount_codes],
        transactions=[_transaction(tx, presentment) for tx in data.transactions],
        financial_status=data.financial_status,
        payment_terms=_terms(data.payment_terms, shop),
        fulfillment_status=data.fulfillment_status,
        fulfillment_location_id=fulfillment.location_id if fulfillment else None,
        fulfillment_tracking=_tracking(fulfillment),
        taxes_included=data.taxes_included,
        processed_at=processed_at,
        customer=_customer(data.customer),
        inventory_behaviour=data.inventory_behaviour,
        send_receipt=data.send_receipt,
        send_fulfillment_receipt=data.send_fulfillment_receipt,
        details=details,
    )


def order_from_body(body: Any, shop: Shop) -> NewOrder:
    """``new_order`` for an order body (what is inside ``{"order": ...}``), validated here: for
    the CLI, benchmarks and tests; the route validates first, to refuse a bad body before it
    looks at the Idempotency-Key."""
    return new_order(OrderCreate.model_validate(body), shop)


def order_changes(body: dict[str, Any]) -> dict[str, Any]:
    """The changes a PUT body makes to the writable fields (``Order.update_details`` takes
    them); read-only fields are ignored. Shopify only lets PUT remove the customer, so a
    customer object is ignored too and ``"customer": null`` becomes ``customer_id: None``."""
    writable = {k: body[k] for k in WRITABLE_ON_UPDATE if k in body}
    data = OrderUpdate.model_validate(writable)
    changes: dict[str, Any] = {}
    for name in writable:
        if name == "customer":
            if writable["customer"] is None:
                changes["customer_id"] = None
        elif name == "tags":
            changes["tags"] = parse_tags(data.tags)
        elif name == "note_attributes":
            changes["note_attributes"] = [a.model_dump() for a in data.note_attributes or []]
        elif name == "shipping_address":
            changes["shipping_address"] = _address(data.shipping_address)
        elif name == "buyer_accepts_marketing":
            changes[name] = bool(data.buyer_accepts_marketing)
        else:
            changes[name] = getattr(data, name)
    return changes
