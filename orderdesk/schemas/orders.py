"""Order input as Shopify clients send it (POST and PUT bodies)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from ..domain.errors import InvalidInput
from ..domain.money import DECIMAL_STRING, to_decimal

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
