"""What the Admin API answers, as models for the OpenAPI document (and client generators).

One model per resource, with Shopify's field names and the JSON types the representation
modules (orderdesk/representation) write. They document; nothing validates responses against
them at runtime. The fuzz test (tests/api/test_openapi_fuzz.py) checks real answers against
them, so a type written here that the server does not keep fails there.

Every key is optional in the document, because ``fields=`` leaves any of them out, and more
keys may come (``extra="allow"``): Shopify adds fields, and a client should ignore the ones it
does not know. Amounts are decimal strings (``"74.99"``), never JSON numbers, except where
Shopify itself writes numbers (tax ``rate``, refund line ``subtotal``/``total_tax``, weights).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..services.fulfillment_services import MAX_DEADLINE, MIN_DEADLINE
from ..services.notifications import MAX_SUBJECT_CHARS, MAX_TEMPLATE_CHARS
from ..services.webhooks import ORDER_TOPICS

MAX_ID = 2**63 - 1

# A field's default is never shown: "absent" is what an optional key means here, not null.
OPTIONAL: Any = None


def _no_defaults(schema: dict[str, Any]) -> None:
    for prop in schema.get("properties", {}).values():
        prop.pop("default", None)


class Shape(BaseModel):
    """A JSON object the API writes: Shopify's keys, each optional, more allowed."""

    model_config = ConfigDict(extra="allow", json_schema_extra=_no_defaults)


# --- money, addresses, taxes ---------------------------------------------------------------


class MoneyAmount(Shape):
    amount: str = OPTIONAL
    currency_code: str = OPTIONAL


class MoneySet(Shape):
    """An amount in the shop's currency and in the currency the customer saw."""

    shop_money: MoneyAmount = OPTIONAL
    presentment_money: MoneyAmount = OPTIONAL


class UnsettledAmount(Shape):
    amount: str = OPTIONAL
    currency: str = OPTIONAL


class UnsettledSet(Shape):
    shop_money: UnsettledAmount = OPTIONAL
    presentment_money: UnsettledAmount = OPTIONAL


class Address(Shape):
    first_name: str | None = OPTIONAL
    last_name: str | None = OPTIONAL
    name: str | None = OPTIONAL
    company: str | None = OPTIONAL
    address1: str | None = OPTIONAL
    address2: str | None = OPTIONAL
    city: str | None = OPTIONAL
    province: str | None = OPTIONAL
    province_code: str | None = OPTIONAL
    country: str | None = OPTIONAL
    country_code: str | None = OPTIONAL
    zip: str | None = OPTIONAL
    phone: str | None = OPTIONAL
    latitude: float | None = OPTIONAL
    longitude: float | None = OPTIONAL


class TaxLine(Shape):
    title: str = OPTIONAL
    price: str = OPTIONAL
    price_set: MoneySet = OPTIONAL
    rate: float = OPTIONAL
    channel_liable: bool | None = OPTIONAL


class DiscountAllocation(Shape):
    amount: str = OPTIONAL
    amount_set: MoneySet = OPTIONAL
    discount_application_index: int = OPTIONAL


class DiscountCode(Shape):
    code: str = OPTIONAL
    amount: str = OPTIONAL
    type: str = OPTIONAL


class DiscountApplication(Shape):
    target_type: str = OPTIONAL
    type: str = OPTIONAL
    value: str = OPTIONAL
    value_type: str = OPTIONAL
    allocation_method: str = OPTIONAL
    target_selection: str = OPTIONAL
    code: str | None = OPTIONAL


class NoteAttribute(Shape):
    name: str = OPTIONAL
    value: Any = OPTIONAL


# --- orders ----------------------------------------------------------------------------------


class LineItem(Shape):
    id: int = OPTIONAL
    admin_graphql_api_id: str = OPTIONAL
    title: str = OPTIONAL
    name: str = OPTIONAL
    variant_title: str | None = OPTIONAL
    sku: str | None = OPTIONAL
    vendor: str | None = OPTIONAL
    product_id: int | None = OPTIONAL
    product_exists: bool = OPTIONAL
    variant_id: int | None = OPTIONAL
    variant_inventory_management: str | None = OPTIONAL
    quantity: int = OPTIONAL
    current_quantity: int = OPTIONAL
    fulfillable_quantity: int = OPTIONAL
    fulfillment_service: str = OPTIONAL
    fulfillment_status: str | None = OPTIONAL
    gift_card: bool = OPTIONAL
    grams: int = OPTIONAL
    price: str = OPTIONAL
    price_set: MoneySet = OPTIONAL
    total_discount: str = OPTIONAL
    total_discount_set: MoneySet = OPTIONAL
    requires_shipping: bool = OPTIONAL
    taxable: bool = OPTIONAL
    properties: list[NoteAttribute] = OPTIONAL
    tax_lines: list[TaxLine] = OPTIONAL
    duties: list[Any] = OPTIONAL
    discount_allocations: list[DiscountAllocation] = OPTIONAL
    # Only on a fulfillment's own lines.
    fulfillment_line_item_id: int | None = OPTIONAL


class ShippingLine(Shape):
    id: int | None = OPTIONAL
    title: str = OPTIONAL
    code: str | None = OPTIONAL
    source: str | None = OPTIONAL
    carrier_identifier: str | None = OPTIONAL
    phone: str | None = OPTIONAL
    requested_fulfillment_service_id: int | None = OPTIONAL
    price: str = OPTIONAL
    price_set: MoneySet = OPTIONAL
    discounted_price: str = OPTIONAL
    discounted_price_set: MoneySet = OPTIONAL
    tax_lines: list[TaxLine] = OPTIONAL
    discount_allocations: list[DiscountAllocation] = OPTIONAL


class MarketingConsent(Shape):
    state: str = OPTIONAL
    opt_in_level: str | None = OPTIONAL
    consent_updated_at: datetime | None = OPTIONAL


class Customer(Shape):
    id: int = OPTIONAL
    admin_graphql_api_id: str = OPTIONAL
    email: str | None = OPTIONAL
    first_name: str | None = OPTIONAL
    last_name: str | None = OPTIONAL
    phone: str | None = OPTIONAL
    state: str = OPTIONAL
    note: str | None = OPTIONAL
    tags: str = OPTIONAL
    currency: str = OPTIONAL
    verified_email: bool = OPTIONAL
    tax_exempt: bool = OPTIONAL
    tax_exemptions: list[str] = OPTIONAL
    multipass_identifier: str | None = OPTIONAL
    email_marketing_consent: MarketingConsent | None = OPTIONAL
    sms_marketing_consent: MarketingConsent | None = OPTIONAL
    default_address: dict[str, Any] | None = OPTIONAL
    created_at: datetime = OPTIONAL
    updated_at: datetime = OPTIONAL
    # Only where customers are listed or read on their own.
    orders_count: int = OPTIONAL
    total_spent: str | None = OPTIONAL


class PaymentSchedule(Shape):
    id: int = OPTIONAL
    amount: str = OPTIONAL
    currency: str = OPTIONAL
    issued_at: datetime | None = OPTIONAL
    due_at: datetime | None = OPTIONAL
    completed_at: datetime | None = OPTIONAL
    expected_payment_method: str | None = OPTIONAL


class PaymentTerms(Shape):
    id: int = OPTIONAL
    amount: str = OPTIONAL
    currency: str = OPTIONAL
    payment_terms_name: str = OPTIONAL
    payment_terms_type: str = OPTIONAL
    due_in_days: int | None = OPTIONAL
    payment_schedules: list[PaymentSchedule] = OPTIONAL


class PaymentDetails(Shape):
    credit_card_bin: str | None = OPTIONAL
    avs_result_code: str | None = OPTIONAL
    cvv_result_code: str | None = OPTIONAL
    credit_card_number: str | None = OPTIONAL
    credit_card_company: str | None = OPTIONAL
    buyer_action_info: Any = OPTIONAL
    credit_card_name: str | None = OPTIONAL
    credit_card_wallet: str | None = OPTIONAL
    credit_card_expiration_month: int | None = OPTIONAL
    credit_card_expiration_year: int | None = OPTIONAL
    payment_method_name: str | None = OPTIONAL


class Transaction(Shape):
    id: int = OPTIONAL
    admin_graphql_api_id: str = OPTIONAL
    order_id: int = OPTIONAL
    kind: str = OPTIONAL
    gateway: str = OPTIONAL
    status: str = OPTIONAL
    message: str | None = OPTIONAL
    error_code: str | None = OPTIONAL
    test: bool = OPTIONAL
    authorization: str | None = OPTIONAL
    authorization_expires_at: datetime | None = OPTIONAL
    extended_authorization_attributes: dict[str, Any] = OPTIONAL
    parent_id: int | None = OPTIONAL
    location_id: int | None = OPTIONAL
    user_id: int | None = OPTIONAL
    device_id: int | None = OPTIONAL
    receipt: dict[str, Any] = OPTIONAL
    source_name: str | None = OPTIONAL
    payment_details: PaymentDetails | None = OPTIONAL
    payment_id: str | None = OPTIONAL
    amount: str = OPTIONAL
    currency: str = OPTIONAL
    amount_set: MoneySet = OPTIONAL
    total_unsettled_set: UnsettledSet = OPTIONAL
    currency_exchange_adjustment: Any = OPTIONAL
    manual_payment_gateway: bool = OPTIONAL
    amount_rounding: Any = OPTIONAL
    created_at: datetime | None = OPTIONAL
    processed_at: datetime | None = OPTIONAL


class RefundLineItem(Shape):
    id: int | None = OPTIONAL
    line_item_id: int = OPTIONAL
    location_id: int | None = OPTIONAL
    quantity: int = OPTIONAL
    restock_type: str = OPTIONAL
    # Shopify writes a refund's line amounts as JSON numbers, and a calculated refund's as strings.
    subtotal: float | str = OPTIONAL
    subtotal_set: MoneySet = OPTIONAL
    total_tax: float | str = OPTIONAL
    total_tax_set: MoneySet = OPTIONAL
    line_item: LineItem | None = OPTIONAL
    price: str = OPTIONAL
    discounted_price: str = OPTIONAL
    discounted_total_price: str = OPTIONAL
    total_cart_discount_amount: str = OPTIONAL


class OrderAdjustment(Shape):
    id: int | None = OPTIONAL
    order_id: int = OPTIONAL
    refund_id: int | None = OPTIONAL
    amount: str = OPTIONAL
    tax_amount: str = OPTIONAL
    kind: str = OPTIONAL
    reason: str | None = OPTIONAL
    amount_set: MoneySet = OPTIONAL
    tax_amount_set: MoneySet = OPTIONAL


class RefundShipping(Shape):
    amount: str = OPTIONAL
    tax: str = OPTIONAL
    maximum_refundable: str = OPTIONAL


class SuggestedTransaction(Shape):
    order_id: int = OPTIONAL
    kind: str = OPTIONAL
    gateway: str = OPTIONAL
    parent_id: int | None = OPTIONAL
    amount: str = OPTIONAL
    currency: str = OPTIONAL
    maximum_refundable: str = OPTIONAL


class Refund(Shape):
    id: int = OPTIONAL
    admin_graphql_api_id: str = OPTIONAL
    order_id: int = OPTIONAL
    note: str | None = OPTIONAL
    restock: bool = OPTIONAL
    user_id: int | None = OPTIONAL
    duties: list[Any] = OPTIONAL
    additional_fees: list[Any] = OPTIONAL
    total_duties_set: MoneySet | None = OPTIONAL
    total_additional_fees_set: MoneySet | None = OPTIONAL
    return_: dict[str, Any] | None = Field(OPTIONAL, alias="return")
    refund_line_items: list[RefundLineItem] = OPTIONAL
    transactions: list[Transaction] = OPTIONAL
    order_adjustments: list[OrderAdjustment] = OPTIONAL
    created_at: datetime | None = OPTIONAL
    processed_at: datetime | None = OPTIONAL


class RefundCalculation(Shape):
    """``POST /orders/{order_id}/refunds/calculate.json``: the refund that would be made."""

    currency: str = OPTIONAL
    shipping: RefundShipping = OPTIONAL
    refund_line_items: list[RefundLineItem] = OPTIONAL
    transactions: list[SuggestedTransaction] = OPTIONAL
    duties: list[Any] = OPTIONAL
    additional_fees: list[Any] = OPTIONAL
    total_duties_set: MoneySet | None = OPTIONAL
    total_additional_fees_set: MoneySet | None = OPTIONAL
    return_: dict[str, Any] | None = Field(OPTIONAL, alias="return")


class Fulfillment(Shape):
    id: int = OPTIONAL
    admin_graphql_api_id: str = OPTIONAL
    order_id: int = OPTIONAL
    location_id: int | None = OPTIONAL
    name: str = OPTIONAL
    service: str | None = OPTIONAL
    status: str = OPTIONAL
    shipment_status: str | None = OPTIONAL
    tracking_company: str | None = OPTIONAL
    tracking_number: str | None = OPTIONAL
    tracking_numbers: list[str] = OPTIONAL
    tracking_url: str | None = OPTIONAL
    tracking_urls: list[str] = OPTIONAL
    origin_address: dict[str, Any] = OPTIONAL
    receipt: dict[str, Any] = OPTIONAL
    line_items: list[LineItem] = OPTIONAL
    created_at: datetime | None = OPTIONAL
    updated_at: datetime | None = OPTIONAL


class Order(Shape):
    """Shopify's order resource (REST Admin API 2024-10), as orderdesk writes it."""

    id: int = OPTIONAL
    admin_graphql_api_id: str = OPTIONAL
    name: str = OPTIONAL
    number: int | None = OPTIONAL
    order_number: int | None = OPTIONAL
    confirmation_number: str | None = OPTIONAL
    token: str = OPTIONAL
    order_status_url: str = OPTIONAL
    email: str | None = OPTIONAL
    contact_email: str | None = OPTIONAL
    phone: str | None = OPTIONAL
    note: str | None = OPTIONAL
    note_attributes: list[NoteAttribute] = OPTIONAL
    tags: str = OPTIONAL
    currency: str = OPTIONAL
    presentment_currency: str = OPTIONAL
    financial_status: str = OPTIONAL
    fulfillment_status: str | None = OPTIONAL
    cancel_reason: str | None = OPTIONAL
    cancelled_at: datetime | None = OPTIONAL
    closed_at: datetime | None = OPTIONAL
    confirmed: bool = OPTIONAL
    test: bool = OPTIONAL
    taxes_included: bool = OPTIONAL
    tax_exempt: bool = OPTIONAL
    estimated_taxes: bool = OPTIONAL
    buyer_accepts_marketing: bool = OPTIONAL
    source_name: str | None = OPTIONAL
    app_id: int | None = OPTIONAL
    user_id: int | None = OPTIONAL
    location_id: int | None = OPTIONAL
    device_id: int | None = OPTIONAL
    merchant_of_record_app_id: int | None = OPTIONAL
    browser_ip: str | None = OPTIONAL
    cart_token: str | None = OPTIONAL
    checkout_id: int | None = OPTIONAL
    checkout_token: str | None = OPTIONAL
    client_details: dict[str, Any] | None = OPTIONAL
    customer_locale: str | None = OPTIONAL
    landing_site: str | None = OPTIONAL
    landing_site_ref: str | None = OPTIONAL
    referring_site: str | None = OPTIONAL
    reference: str | None = OPTIONAL
    source_identifier: str | None = OPTIONAL
    source_url: str | None = OPTIONAL
    po_number: str | None = OPTIONAL
    payment_gateway_names: list[str] = OPTIONAL
    subtotal_price: str = OPTIONAL
    subtotal_price_set: MoneySet = OPTIONAL
    total_discounts: str = OPTIONAL
    total_discounts_set: MoneySet = OPTIONAL
    total_line_items_price: str = OPTIONAL
    total_line_items_price_set: MoneySet = OPTIONAL
    total_outstanding: str = OPTIONAL
    total_price: str = OPTIONAL
    total_price_set: MoneySet = OPTIONAL
    total_shipping_price_set: MoneySet = OPTIONAL
    total_tax: str = OPTIONAL
    total_tax_set: MoneySet = OPTIONAL
    total_tip_received: str = OPTIONAL
    total_weight: int = OPTIONAL
    current_subtotal_price: str = OPTIONAL
    current_subtotal_price_set: MoneySet = OPTIONAL
    current_total_discounts: str = OPTIONAL
    current_total_discounts_set: MoneySet = OPTIONAL
    current_total_price: str = OPTIONAL
    current_total_price_set: MoneySet = OPTIONAL
    current_total_tax: str = OPTIONAL
    current_total_tax_set: MoneySet = OPTIONAL
    current_total_additional_fees_set: MoneySet | None = OPTIONAL
    current_total_duties_set: MoneySet | None = OPTIONAL
    original_total_additional_fees_set: MoneySet | None = OPTIONAL
    original_total_duties_set: MoneySet | None = OPTIONAL
    tax_lines: list[TaxLine] = OPTIONAL
    discount_codes: list[DiscountCode] = OPTIONAL
    discount_applications: list[DiscountApplication] = OPTIONAL
    billing_address: Address | None = OPTIONAL
    shipping_address: Address | None = OPTIONAL
    customer: Customer | None = OPTIONAL
    line_items: list[LineItem] = OPTIONAL
    shipping_lines: list[ShippingLine] = OPTIONAL
    fulfillments: list[Fulfillment] = OPTIONAL
    refunds: list[Refund] = OPTIONAL
    payment_terms: PaymentTerms | None = OPTIONAL
    processed_at: datetime | None = OPTIONAL
    created_at: datetime = OPTIONAL
    updated_at: datetime | None = OPTIONAL


class Event(Shape):
    id: int = OPTIONAL
    subject_id: int = OPTIONAL
    subject_type: str = OPTIONAL
    verb: str = OPTIONAL
    arguments: list[str] = OPTIONAL
    body: str | None = OPTIONAL
    message: str | None = OPTIONAL
    description: str | None = OPTIONAL
    author: str = OPTIONAL
    path: str | None = OPTIONAL
    created_at: datetime = OPTIONAL


class DiagnosisReason(Shape):
    area: str = OPTIONAL
    code: str = OPTIONAL
    message: str = OPTIONAL
    action: str | None = OPTIONAL


class Diagnosis(Shape):
    """Why an order is still unpaid, unfulfilled or open, and what would move it on (orderdesk's own)."""

    order_id: int = OPTIONAL
    financial_status: str = OPTIONAL
    fulfillment_status: str | None = OPTIONAL
    status: str = OPTIONAL
    reasons: list[DiagnosisReason] = OPTIONAL


# --- fulfillment orders -------------------------------------------------------------------------


class FulfillmentOrderLocation(Shape):
    location_id: int | None = OPTIONAL
    name: str | None = OPTIONAL
    address1: str | None = OPTIONAL
    address2: str | None = OPTIONAL
    city: str | None = OPTIONAL
    province: str | None = OPTIONAL
    zip: str | None = OPTIONAL
    country_code: str | None = OPTIONAL
    phone: str | None = OPTIONAL


class FulfillmentOrderDestination(Address):
    id: int = OPTIONAL
    email: str | None = OPTIONAL


class FulfillmentOrderLineItem(Shape):
    id: int = OPTIONAL
    shop_id: int = OPTIONAL
    fulfillment_order_id: int = OPTIONAL
    line_item_id: int = OPTIONAL
    inventory_item_id: int | None = OPTIONAL
    variant_id: int | None = OPTIONAL
    quantity: int = OPTIONAL
    fulfillable_quantity: int = OPTIONAL


class FulfillmentHold(Shape):
    reason: str = OPTIONAL
    reason_notes: str | None = OPTIONAL


class DeliveryMethod(Shape):
    id: int | None = OPTIONAL
    method_type: str = OPTIONAL
    min_delivery_date_time: datetime | None = OPTIONAL
    max_delivery_date_time: datetime | None = OPTIONAL


class FulfillmentOrder(Shape):
    id: int = OPTIONAL
    admin_graphql_api_id: str = OPTIONAL
    shop_id: int = OPTIONAL
    order_id: int = OPTIONAL
    assigned_location_id: int | None = OPTIONAL
    assigned_location: FulfillmentOrderLocation = OPTIONAL
    origin: FulfillmentOrderLocation = OPTIONAL
    destination: FulfillmentOrderDestination | None = OPTIONAL
    status: str = OPTIONAL
    request_status: str = OPTIONAL
    supported_actions: list[str] = OPTIONAL
    fulfill_at: datetime | None = OPTIONAL
    fulfill_by: datetime | None = OPTIONAL
    line_items: list[FulfillmentOrderLineItem] = OPTIONAL
    fulfillment_holds: list[FulfillmentHold] = OPTIONAL
    fulfillment_service_handle: str | None = OPTIONAL
    merchant_requests: list[dict[str, Any]] = OPTIONAL
    outgoing_requests: list[dict[str, Any]] = OPTIONAL
    international_duties: Any = OPTIONAL
    delivery_method: DeliveryMethod = OPTIONAL
    created_at: datetime | None = OPTIONAL
    updated_at: datetime | None = OPTIONAL


class FulfillmentEvent(Shape):
    id: int = OPTIONAL
    admin_graphql_api_id: str = OPTIONAL
    fulfillment_id: int = OPTIONAL
    order_id: int = OPTIONAL
    shop_id: int = OPTIONAL
    status: str = OPTIONAL
    message: str | None = OPTIONAL
    city: str | None = OPTIONAL
    province: str | None = OPTIONAL
    country: str | None = OPTIONAL
    zip: str | None = OPTIONAL
    address1: str | None = OPTIONAL
    latitude: float | None = OPTIONAL
    longitude: float | None = OPTIONAL
    happened_at: datetime | None = OPTIONAL
    estimated_delivery_at: datetime | None = OPTIONAL
    created_at: datetime | None = OPTIONAL
    updated_at: datetime | None = OPTIONAL


class FulfillmentService(Shape):
    id: int = OPTIONAL
    admin_graphql_api_id: str = OPTIONAL
    name: str = OPTIONAL
    service_name: str = OPTIONAL
    handle: str = OPTIONAL
    email: str | None = OPTIONAL
    callback_url: str | None = OPTIONAL
    location_id: int | None = OPTIONAL
    provider_id: int | None = OPTIONAL
    format: str = OPTIONAL
    fulfillment_orders_opt_in: bool = OPTIONAL
    include_pending_stock: bool = OPTIONAL
    tracking_support: bool = OPTIONAL
    inventory_management: bool = OPTIONAL
    requires_shipping_method: bool = OPTIONAL
    permits_sku_sharing: bool = OPTIONAL
    # orderdesk's own: how long the service has to answer a request before the diagnosis reports it.
    response_deadline_seconds: int | None = OPTIONAL


# --- catalog, customers, inventory ------------------------------------------------------------


class Variant(Shape):
    id: int = OPTIONAL
    admin_graphql_api_id: str = OPTIONAL
    product_id: int = OPTIONAL
    inventory_item_id: int | None = OPTIONAL
    inventory_quantity: int = OPTIONAL
    title: str = OPTIONAL
    price: str = OPTIONAL
    compare_at_price: str | None = OPTIONAL
    sku: str | None = OPTIONAL
    barcode: str | None = OPTIONAL
    position: int = OPTIONAL
    option1: str | None = OPTIONAL
    option2: str | None = OPTIONAL
    option3: str | None = OPTIONAL
    requires_shipping: bool = OPTIONAL
    taxable: bool = OPTIONAL
    grams: int = OPTIONAL
    weight: float = OPTIONAL
    weight_unit: str = OPTIONAL
    inventory_policy: str = OPTIONAL
    inventory_management: str | None = OPTIONAL
    fulfillment_service: str = OPTIONAL
    created_at: datetime | None = OPTIONAL
    updated_at: datetime | None = OPTIONAL


class ProductOption(Shape):
    name: str = OPTIONAL
    position: int = OPTIONAL
    values: list[str] = OPTIONAL


class Product(Shape):
    id: int = OPTIONAL
    admin_graphql_api_id: str = OPTIONAL
    title: str = OPTIONAL
    body_html: str | None = OPTIONAL
    vendor: str | None = OPTIONAL
    product_type: str = OPTIONAL
    handle: str = OPTIONAL
    status: str = OPTIONAL
    tags: str = OPTIONAL
    variants: list[Variant] = OPTIONAL
    options: list[ProductOption] = OPTIONAL
    images: list[dict[str, Any]] = OPTIONAL
    image: dict[str, Any] | None = OPTIONAL
    published_at: datetime | None = OPTIONAL
    created_at: datetime | None = OPTIONAL
    updated_at: datetime | None = OPTIONAL


class Location(Shape):
    id: int = OPTIONAL
    admin_graphql_api_id: str = OPTIONAL
    name: str = OPTIONAL
    address1: str | None = OPTIONAL
    address2: str | None = OPTIONAL
    city: str | None = OPTIONAL
    zip: str | None = OPTIONAL
    province: str | None = OPTIONAL
    country: str | None = OPTIONAL
    country_code: str | None = OPTIONAL
    localized_country_name: str | None = OPTIONAL
    localized_province_name: str | None = OPTIONAL
    phone: str | None = OPTIONAL
    active: bool = OPTIONAL
    legacy: bool = OPTIONAL
    created_at: datetime | None = OPTIONAL
    updated_at: datetime | None = OPTIONAL


class InventoryLevel(Shape):
    admin_graphql_api_id: str = OPTIONAL
    inventory_item_id: int = OPTIONAL
    location_id: int = OPTIONAL
    available: int = OPTIONAL
    committed: int = OPTIONAL
    on_hand: int = OPTIONAL
    updated_at: datetime | None = OPTIONAL


class InventoryItem(Shape):
    id: int = OPTIONAL
    admin_graphql_api_id: str = OPTIONAL
    sku: str | None = OPTIONAL
    tracked: bool = OPTIONAL
    requires_shipping: bool = OPTIONAL
    cost: str | None = OPTIONAL
    country_code_of_origin: str | None = OPTIONAL
    province_code_of_origin: str | None = OPTIONAL
    harmonized_system_code: str | None = OPTIONAL
    country_harmonized_system_codes: list[dict[str, Any]] = OPTIONAL
    created_at: datetime | None = OPTIONAL
    updated_at: datetime | None = OPTIONAL


# --- the shop, webhooks, notifications ---------------------------------------------------------


class Shop(Shape):
    id: int = OPTIONAL
    admin_graphql_api_id: str = OPTIONAL
    name: str = OPTIONAL
    email: str = OPTIONAL
    customer_email: str = OPTIONAL
    shop_owner: str = OPTIONAL
    domain: str = OPTIONAL
    myshopify_domain: str = OPTIONAL
    currency: str = OPTIONAL
    enabled_presentment_currencies: list[str] = OPTIONAL
    iana_timezone: str = OPTIONAL
    timezone: str = OPTIONAL
    money_format: str = OPTIONAL
    money_with_currency_format: str = OPTIONAL
    multi_location_enabled: bool = OPTIONAL
    taxes_included: bool = OPTIONAL
    order_name_prefix: str = OPTIONAL
    plan_name: str = OPTIONAL
    # orderdesk's own: where this orderdesk is reached; every order_status_url starts with it.
    public_url: str = OPTIONAL
    created_at: datetime | None = OPTIONAL


class Webhook(Shape):
    id: int = OPTIONAL
    address: str = OPTIONAL
    topic: str = OPTIONAL
    format: str = OPTIONAL
    api_version: str = OPTIONAL
    fields: list[str] = OPTIONAL
    metafield_namespaces: list[str] = OPTIONAL
    private_metafield_namespaces: list[str] = OPTIONAL
    created_at: datetime | None = OPTIONAL
    updated_at: datetime | None = OPTIONAL


class NotificationTemplate(Shape):
    """A customer email (Liquid), editable by the merchant (orderdesk's own)."""

    name: str = OPTIONAL
    title: str = OPTIONAL
    subject: str = OPTIONAL
    body: str = OPTIONAL
    customized: bool = OPTIONAL
    updated_at: datetime | None = OPTIONAL


class NotificationPreview(Shape):
    name: str = OPTIONAL
    subject: str = OPTIONAL
    html: str = OPTIONAL


class Notification(Shape):
    """An email queued for the customer (sent by the worker)."""

    id: str = OPTIONAL
    template: str = OPTIONAL
    to: str | None = OPTIONAL
    order_id: int = OPTIONAL


class NotificationDelivery(Shape):
    """One attempt at an email or a fulfillment-service callback (orderdesk's own)."""

    id: int = OPTIONAL
    order_id: int | None = OPTIONAL
    kind: str = OPTIONAL
    topic: str | None = OPTIONAL
    recipient: str | None = OPTIONAL
    attempt: int = OPTIONAL
    outcome: str = OPTIONAL
    status_code: int | None = OPTIONAL
    message_id: str | None = OPTIONAL
    error: str | None = OPTIONAL
    duration_ms: int | None = OPTIONAL
    outbox_id: int | None = OPTIONAL
    event_id: str | None = OPTIONAL
    created_at: datetime | None = OPTIONAL


class Errors(BaseModel):
    """Every error: Shopify's ``{"errors": ...}``, a message or messages by field."""

    errors: str | dict[str, Any] | list[Any]


# --- bodies the routes read key by key -------------------------------------------------------------
# Where a route validates its body with a model of its own, the document names that model; these
# describe the bodies routes read a key at a time, with the same rules the routes apply.


class ProductUpdate(BaseModel):
    """``PUT /products/{product_id}.json``: the details that may change; other keys are ignored."""

    model_config = ConfigDict(extra="allow")
    title: str | None = Field(default=None, min_length=1, max_length=255)
    body_html: str | None = None
    vendor: str | None = None
    product_type: str | None = None
    status: Literal["active", "archived", "draft"] | None = None
    tags: str | None = None


class FulfillmentOrderLineQuantity(BaseModel):
    id: int = Field(ge=1, le=MAX_ID)
    quantity: int | None = Field(default=None, ge=1, le=100_000)


class Reschedule(BaseModel):
    new_fulfill_at: datetime


class CloseNote(BaseModel):
    message: str | None = None


class Move(BaseModel):
    new_location_id: int = Field(ge=1, le=MAX_ID)
    fulfillment_order_line_items: list[FulfillmentOrderLineQuantity] | None = Field(
        default=None, description="Move only these units; all of them when absent."
    )


class WebhookCreate(BaseModel):
    address: str = Field(min_length=1, max_length=2000, description="An https URL on a public address.")
    topic: Literal[ORDER_TOPICS]  # type: ignore[valid-type]
    format: Literal["json"] = "json"
    fields: list[str] | None = Field(default=None, description="Send only these fields of the resource.")
    api_version: str | None = Field(default=None, description="The version the payloads follow; the request's when absent.")


class WebhookUpdate(BaseModel):
    address: str | None = Field(default=None, min_length=1, max_length=2000)
    topic: Literal[ORDER_TOPICS] | None = None  # type: ignore[valid-type]
    format: Literal["json"] | None = None
    fields: list[str] | None = None
    api_version: str | None = None


class TemplateText(BaseModel):
    """A Liquid subject and body; either may be left out to keep (or preview) the saved one."""

    subject: str | None = Field(default=None, max_length=MAX_SUBJECT_CHARS)
    body: str | None = Field(default=None, max_length=MAX_TEMPLATE_CHARS)


class ContactEmail(BaseModel):
    subject: str | None = None
    body: str | None = None


class FulfillmentServiceUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=255)
    callback_url: str | None = Field(
        default=None, max_length=2000, description="Where requests are posted; an https URL on a public address."
    )
    email: str | None = Field(default=None, description="Where requests are emailed.")
    format: Literal["json"] | None = None
    inventory_management: bool | None = None
    tracking_support: bool | None = None
    requires_shipping_method: bool | None = None
    fulfillment_orders_opt_in: bool | None = None
    response_deadline_seconds: int | None = Field(default=None, ge=MIN_DEADLINE, le=MAX_DEADLINE)


class FulfillmentServiceCreate(FulfillmentServiceUpdate):
    name: str = Field(min_length=1, max_length=255)


class GraphQLRequest(BaseModel):
    """``POST /graphql.json``: a GraphQL request as every GraphQL client sends it."""

    model_config = ConfigDict(extra="allow")
    query: str = Field(min_length=1, description="The query or mutation, in GraphQL (Shopify's schema: introspect it)")
    variables: dict[str, Any] | None = None
    operationName: str | None = None


class GraphQLAnswer(Shape):
    """A GraphQL answer: ``data`` (null or partial when ``errors`` says why), and ``extensions.cost``."""

    data: dict[str, Any] | None = OPTIONAL
    errors: list[dict[str, Any]] = OPTIONAL
    extensions: dict[str, Any] = OPTIONAL
