"""Table definitions. Migrations under ``migrations/`` create exactly these."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    text,
)

from .types import ExactDecimal, Json, UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# Integer ids from the database: BIGINT identity on PostgreSQL, rowid on SQLite.
Id = BigInteger().with_variant(Integer(), "sqlite")


def _id() -> Column:
    return Column("id", Id, primary_key=True, autoincrement=True)


def _money(name: str, nullable: bool = False) -> Column:
    return Column(name, ExactDecimal(), nullable=nullable)


shop = Table(
    "shop",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(255), nullable=False),
    Column("email", String(255), nullable=False),
    Column("domain", String(255), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("iana_timezone", String(64), nullable=False),
    Column("order_name_prefix", String(20), nullable=False, server_default="#"),
    Column("order_name_suffix", String(20), nullable=False, server_default=""),
    Column("order_number_offset", Integer, nullable=False, server_default="1000"),
    # presentment currency -> shop-currency units per presentment unit, as decimal strings
    Column("exchange_rates", Json, nullable=False),
    # Close orders once paid (or fully refunded) and fulfilled, as Shopify's setting does.
    Column("auto_archive", Boolean, nullable=False, server_default=text("true")),
    # manual | digital (fulfil non-shipping lines once paid) | all (fulfil everything once paid)
    Column("fulfillment_automation", String(16), nullable=False, server_default="manual"),
    # Hold the fulfillment orders of unpaid orders with reason awaiting_payment.
    Column("hold_unpaid_fulfillment", Boolean, nullable=False, server_default=text("false")),
    # The key webhook receivers verify X-Shopify-Hmac-Sha256 with (Shopify: the app's client secret).
    Column("webhook_secret", String(128)),
    # Where shoppers and apps reach this orderdesk; links sent out start with it (NULL: ORDERDESK_PUBLIC_URL).
    Column("public_url", String(2048)),
    # When the logo (shop_logo) last changed; its URL carries it, so caches fetch a new one.
    Column("logo_updated_at", UTCDateTime()),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# The shop's logo, for packing slips and emails: kept in the database so every server of a
# shop serves the same one. One row (id 1) at most.
shop_logo = Table(
    "shop_logo",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("content_type", String(32), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# An app: what access tokens belong to. Its webhook subscriptions and fulfillment services
# outlive any one of its tokens.
apps = Table(
    "apps",
    metadata,
    _id(),
    Column("name", String(255), nullable=False, unique=True),
    # The key its webhook and fulfillment-service receivers verify X-Shopify-Hmac-Sha256 with
    # (Shopify: the app's client secret).
    Column("webhook_secret", String(128), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    sqlite_autoincrement=True,
)

# The merchant's people: they log in to the admin (domain/staff.py).
staff = Table(
    "staff",
    metadata,
    _id(),
    Column("email", String(255), nullable=False, unique=True),
    Column("name", String(255), nullable=False, server_default=""),
    Column("role", String(16), nullable=False),
    # Comma-separated permission names; an owner has every permission whatever this says.
    Column("permissions", Text, nullable=False, server_default=""),
    Column("password_hash", Text, nullable=False),
    Column("disabled_at", UTCDateTime()),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    sqlite_autoincrement=True,
)

# Server-side admin sessions: the cookie holds a secret, this its SHA-256. Logging out,
# disabling the member or resetting the password revokes them in every process.
staff_sessions = Table(
    "staff_sessions",
    metadata,
    _id(),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("staff_id", Id, ForeignKey("staff.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime()),
    sqlite_autoincrement=True,
)

# Failed logins, counted per account and per address over a sliding window (shared by every process).
login_failures = Table(
    "login_failures",
    metadata,
    _id(),
    Column("key", String(300), nullable=False),
    Column("failed_at", UTCDateTime(), nullable=False),
    Index("ix_login_failures_key_failed_at", "key", "failed_at"),
    sqlite_autoincrement=True,
)

api_tokens = Table(
    "api_tokens",
    metadata,
    _id(),
    Column("name", String(255), nullable=False),
    Column("app_id", Id, ForeignKey("apps.id"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("scopes", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime()),
)

customers = Table(
    "customers",
    metadata,
    _id(),
    Column("email", String(255), unique=True),
    Column("first_name", String(255)),
    Column("last_name", String(255)),
    Column("phone", String(64)),
    Column("state", String(20), nullable=False, server_default="disabled"),
    Column("note", Text),
    Column("tags", Text, nullable=False, server_default=""),
    Column("verified_email", Boolean, nullable=False, server_default=text("true")),
    Column("tax_exempt", Boolean, nullable=False, server_default=text("false")),
    Column("accepts_marketing", Boolean, nullable=False, server_default=text("false")),
    Column("currency", String(3)),
    Column("default_address", Json),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

products = Table(
    "products",
    metadata,
    _id(),
    Column("title", String(255), nullable=False),
    Column("body_html", Text),
    Column("vendor", String(255)),
    Column("product_type", String(255), nullable=False, server_default=""),
    Column("handle", String(255), nullable=False, unique=True),
    Column("status", String(20), nullable=False, server_default="active"),
    Column("tags", Text, nullable=False, server_default=""),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("published_at", UTCDateTime()),
)

variants = Table(
    "variants",
    metadata,
    _id(),
    Column("product_id", Id, ForeignKey("products.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("title", String(255), nullable=False),
    Column("sku", String(255)),
    Column("barcode", String(255)),
    _money("price"),
    _money("compare_at_price", nullable=True),
    Column("position", Integer, nullable=False, server_default="1"),
    Column("option1", String(255)),
    Column("option2", String(255)),
    Column("option3", String(255)),
    Column("requires_shipping", Boolean, nullable=False, server_default=text("true")),
    Column("taxable", Boolean, nullable=False, server_default=text("true")),
    Column("grams", Integer, nullable=False, server_default="0"),
    Column("inventory_policy", String(20), nullable=False, server_default="deny"),
    Column("inventory_management", String(40)),
    Column("fulfillment_service", String(255), nullable=False, server_default="manual"),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

orders = Table(
    "orders",
    metadata,
    _id(),
    Column("number", BigInteger().with_variant(Integer(), "sqlite"), nullable=False, unique=True),
    Column("name_prefix", String(20), nullable=False),
    Column("name_suffix", String(20), nullable=False),
    Column("order_number_offset", Integer, nullable=False),
    Column("custom_name", String(255)),
    Column("token", String(64), nullable=False, unique=True),
    Column("confirmation_number", String(32)),
    Column("email", String(255)),
    Column("phone", String(64)),
    Column("note", Text),
    Column("tags", Text, nullable=False, server_default=""),
    Column("note_attributes", Json, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("presentment_currency", String(3), nullable=False),
    Column("billing_address", Json),
    Column("shipping_address", Json),
    Column("customer_id", Id, ForeignKey("customers.id", ondelete="SET NULL"), index=True),
    Column("shipping_lines", Json, nullable=False),
    Column("tax_lines", Json, nullable=False),
    Column("discount_codes", Json, nullable=False),
    Column("taxes_included", Boolean, nullable=False),
    Column("tax_exempt", Boolean, nullable=False),
    Column("buyer_accepts_marketing", Boolean, nullable=False),
    Column("test", Boolean, nullable=False),
    Column("source_name", String(255), nullable=False),
    Column("extra", Json, nullable=False),
    _money("total_line_items_price"),
    _money("total_line_items_price_presentment"),
    _money("total_discounts"),
    _money("total_discounts_presentment"),
    _money("subtotal_price"),
    _money("subtotal_price_presentment"),
    _money("total_shipping_price"),
    _money("total_shipping_price_presentment"),
    _money("total_tax"),
    _money("total_tax_presentment"),
    _money("total_price"),
    _money("total_price_presentment"),
    Column("total_weight", Integer, nullable=False),
    # Copies of derived statuses for filtering; only the domain's derivation writes them.
    Column("financial_status", String(32), nullable=False),
    Column("fulfillment_status", String(32)),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("processed_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("closed_at", UTCDateTime()),
    Column("cancelled_at", UTCDateTime()),
    Column("cancel_reason", String(32)),
    Column("payment_terms", Json),
    # SHA-256 of the order status page key; the key itself is derived with the server secret.
    Column("status_key_hash", String(64), unique=True),
    # How many fulfillment and refund rows exist, so reads skip the tables when none do.
    Column("fulfillment_count", Integer, nullable=False, server_default="0"),
    Column("refund_count", Integer, nullable=False, server_default="0"),
    Column("fulfillment_order_count", Integer, nullable=False, server_default="0"),
    Index("ix_orders_created_at_id", "created_at", "id"),
    Index("ix_orders_updated_at", "updated_at"),
    Index("ix_orders_processed_at", "processed_at"),
    Index("ix_orders_financial_status", "financial_status"),
    Index("ix_orders_fulfillment_status", "fulfillment_status"),
    # Ids are never reused after a delete (SQLite would otherwise hand out the max id again).
    sqlite_autoincrement=True,
)

line_items = Table(
    "line_items",
    metadata,
    _id(),
    Column("order_id", Id, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("title", String(255), nullable=False),
    Column("variant_title", String(255)),
    Column("sku", String(255)),
    Column("vendor", String(255)),
    Column("product_id", Id),
    Column("variant_id", Id),
    Column("quantity", Integer, nullable=False),
    _money("price"),
    _money("price_presentment"),
    Column("grams", Integer, nullable=False),
    Column("requires_shipping", Boolean, nullable=False),
    Column("taxable", Boolean, nullable=False),
    Column("gift_card", Boolean, nullable=False),
    Column("fulfillment_service", String(255), nullable=False),
    Column("variant_inventory_management", String(40)),
    Column("properties", Json, nullable=False),
    Column("tax_lines", Json, nullable=False),
    Column("discount_allocations", Json, nullable=False),
    Column("restocked_quantity", Integer, nullable=False, server_default="0"),
    Column("removed_quantity", Integer, nullable=False, server_default="0"),
    # Where the line's stock was committed, how much, and how much of it was oversold.
    Column("location_id", Id),
    Column("committed_quantity", Integer, nullable=False, server_default="0"),
    Column("oversold_quantity", Integer, nullable=False, server_default="0"),
    sqlite_autoincrement=True,
)

transactions = Table(
    "transactions",
    metadata,
    _id(),
    Column("order_id", Id, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    _money("amount"),
    _money("amount_presentment"),
    Column("gateway", String(64), nullable=False),
    Column("parent_id", Id),
    Column("authorization", String(255)),
    Column("authorization_expires_at", UTCDateTime()),
    Column("error_code", String(64)),
    Column("message", Text),
    Column("test", Boolean, nullable=False),
    Column("source_name", String(64), nullable=False),
    Column("receipt", Json, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("processed_at", UTCDateTime(), nullable=False),
    Column("expired_at", UTCDateTime()),
    Column("refund_id", Id),
    Column("author", String(255)),
    Column("payment_details", Json),
    sqlite_autoincrement=True,
)

refunds = Table(
    "refunds",
    metadata,
    _id(),
    Column("order_id", Id, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("note", Text),
    Column("author", String(255)),
    # [{id, line_item_id, quantity, restock_type, location_id, subtotal: [shop, presentment], total_tax: [...]}]
    Column("lines", Json, nullable=False),
    # [{kind, reason, amount: [shop, presentment], tax_amount: [...]}]
    Column("adjustments", Json, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("processed_at", UTCDateTime(), nullable=False),
    sqlite_autoincrement=True,
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    _id(),
    Column("principal", String(64), nullable=False),
    Column("key", String(255), nullable=False),
    Column("request_hash", String(64), nullable=False),
    Column("response_status", Integer, nullable=False),
    Column("response_body", Json, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_idempotency_keys_principal_key", "principal", "key", unique=True),
    Index("ix_idempotency_keys_created_at", "created_at"),
)

fulfillments = Table(
    "fulfillments",
    metadata,
    _id(),
    Column("order_id", Id, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", String(64), nullable=False),
    Column("status", String(20), nullable=False),
    Column("location_id", Id),
    Column("service", String(255), nullable=False),
    Column("tracking_company", String(255)),
    Column("tracking_numbers", Json, nullable=False),
    Column("tracking_urls", Json, nullable=False),
    Column("shipment_status", String(32)),
    Column("notify_customer", Boolean, nullable=False),
    # line item id -> quantity fulfilled
    Column("quantities", Json, nullable=False),
    Column("fulfillment_order_id", Id),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    sqlite_autoincrement=True,
)

events = Table(
    "events",
    metadata,
    _id(),
    Column("subject_type", String(32), nullable=False),
    Column("subject_id", Id, nullable=False),
    Column("verb", String(64), nullable=False),
    Column("message", Text, nullable=False),
    Column("arguments", Json, nullable=False),
    Column("author", String(255)),
    Column("body", Text),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_events_subject", "subject_type", "subject_id", "id"),
    sqlite_autoincrement=True,
)

outbox = Table(
    "outbox",
    metadata,
    _id(),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),  # webhook | email | job
    Column("topic", String(64), nullable=False),
    Column("subject_id", Id),
    Column("payload", Json, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("available_at", UTCDateTime(), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("locked_until", UTCDateTime()),
    Column("locked_by", String(64)),
    Column("done_at", UTCDateTime()),
    Column("last_error", Text),
    # The claim query filters on exactly this predicate, so the planner uses this index.
    Index(
        "ix_outbox_claimable",
        "available_at",
        "id",
        postgresql_where=text("done_at IS NULL"),
        sqlite_where=text("done_at IS NULL"),
    ),
    sqlite_autoincrement=True,
)


webhook_subscriptions = Table(
    "webhook_subscriptions",
    metadata,
    _id(),
    Column("address", Text, nullable=False),
    Column("topic", String(64), nullable=False),
    Column("format", String(8), nullable=False, server_default="json"),
    Column("fields", Json),
    Column("api_version", String(16), nullable=False),
    # The app that subscribed: only it sees and changes the subscription. Null for those made
    # before owners were recorded (every app's).
    Column("app_id", Id, ForeignKey("apps.id")),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_webhook_subscriptions_topic", "topic"),
    Index("ix_webhook_subscriptions_app_address_topic", "app_id", "address", "topic", unique=True),
)

# One row per delivery attempt: what was sent where, and what came back.
webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    _id(),
    Column("outbox_id", Id),
    Column("subscription_id", Id),
    Column("topic", String(64), nullable=False),
    Column("address", Text, nullable=False),
    Column("event_id", String(36), nullable=False),
    Column("webhook_id", String(36), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("status_code", Integer),
    Column("error", Text),
    Column("duration_ms", Integer),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_webhook_deliveries_event_id", "event_id"),
    Index("ix_webhook_deliveries_created_at", "created_at"),
)

# One row per attempt at the other outbound notifications (outbox kinds ``email`` and
# ``service``), so staff can see what was tried, when, to whom and why it failed; the outbox
# row itself keeps only its last error.
notification_deliveries = Table(
    "notification_deliveries",
    metadata,
    _id(),
    Column("outbox_id", Id),
    Column("event_id", String(36), nullable=False),
    Column("order_id", Id),
    Column("kind", String(16), nullable=False),  # email | service
    Column("topic", String(64), nullable=False),  # template name, or the service notification kind
    Column("recipient", Text),  # email address or callback URL; null when there was none
    Column("attempt", Integer, nullable=False),
    Column("outcome", String(16), nullable=False),  # sent | captured | failed | skipped
    Column("status_code", Integer),  # HTTP status of a service callback
    Column("message_id", String(255)),
    Column("error", Text),
    Column("duration_ms", Integer),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_notification_deliveries_order_id", "order_id", "id"),
    Index("ix_notification_deliveries_event_id", "event_id"),
    Index("ix_notification_deliveries_created_at", "created_at"),
)

# Emails kept instead of sent when no SMTP server is configured (the demo, a fresh install):
# one row per outbox event, so a retried capture does not keep the message twice.
captured_emails = Table(
    "captured_emails",
    metadata,
    _id(),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("order_id", Id),
    Column("template", String(64), nullable=False),
    Column("recipient", Text, nullable=False),
    Column("sender", Text, nullable=False),  # the From header
    Column("reply_to", Text),
    Column("subject", Text, nullable=False),
    Column("html", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("message_id", String(255), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_captured_emails_order_id", "order_id", "id"),
)

# Staff's private comments on an order's timeline. Kept apart from ``events`` on purpose: the
# events table is what the REST events API, webhooks and the shopper's status page read, and a
# comment must never reach any of them.
order_comments = Table(
    "order_comments",
    metadata,
    _id(),
    Column("order_id", Id, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False),
    # The author's account decides who may edit or delete; ``author`` is the name shown.
    Column("staff_id", Id, ForeignKey("staff.id", ondelete="SET NULL")),
    Column("author", String(255), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_order_comments_order_id", "order_id", "id"),
    sqlite_autoincrement=True,
)

# Merchant-edited notification templates; the package's defaults apply where there is no row.
notification_templates = Table(
    "notification_templates",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)


locations = Table(
    "locations",
    metadata,
    _id(),
    Column("name", String(255), nullable=False),
    Column("address1", String(255)),
    Column("address2", String(255)),
    Column("city", String(255)),
    Column("zip", String(32)),
    Column("province", String(255)),
    Column("country_code", String(2)),
    Column("phone", String(64)),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

inventory_items = Table(
    "inventory_items",
    metadata,
    _id(),
    Column("variant_id", Id, ForeignKey("variants.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("sku", String(255)),
    Column("tracked", Boolean, nullable=False, server_default=text("true")),
    Column("requires_shipping", Boolean, nullable=False, server_default=text("true")),
    _money("cost", nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# Stock moves are conditional UPDATEs (available >= quantity) so concurrent orders never
# oversell an item whose policy is deny; "continue" items may go below zero on purpose.
inventory_levels = Table(
    "inventory_levels",
    metadata,
    Column("inventory_item_id", Id, ForeignKey("inventory_items.id", ondelete="CASCADE"), primary_key=True),
    Column("location_id", Id, ForeignKey("locations.id", ondelete="CASCADE"), primary_key=True),
    Column("available", Integer, nullable=False, server_default="0"),
    Column("committed", Integer, nullable=False, server_default="0"),
    Column("updated_at", UTCDateTime(), nullable=False),
)


# Finished outbox rows move here, so the live table (and the claim index) stays small.
outbox_done = Table(
    "outbox_done",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=False),
    Column("event_id", String(36), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("topic", String(64), nullable=False),
    Column("subject_id", Id),
    Column("payload", Json, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("available_at", UTCDateTime(), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("locked_until", UTCDateTime()),
    Column("locked_by", String(64)),
    Column("done_at", UTCDateTime(), nullable=False),
    Column("last_error", Text),
    Index("ix_outbox_done_subject_id", "subject_id"),
    Index("ix_outbox_done_done_at", "done_at"),
)


fulfillment_orders = Table(
    "fulfillment_orders",
    metadata,
    _id(),
    Column("order_id", Id, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("assigned_location_id", Id),
    Column("status", String(20), nullable=False),
    Column("request_status", String(32), nullable=False),
    Column("status_before_hold", String(20)),
    Column("fulfill_at", UTCDateTime()),
    Column("fulfill_by", UTCDateTime()),
    # [{line_item_id, quantity, fulfilled}]; line ids are derived from the row id and position
    Column("lines", Json, nullable=False),
    Column("holds", Json, nullable=False),
    Column("merchant_requests", Json, nullable=False),
    Column("service_id", Id),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_fulfillment_orders_status", "status"),
    sqlite_autoincrement=True,
)

fulfillment_events = Table(
    "fulfillment_events",
    metadata,
    _id(),
    Column("fulfillment_id", Id, ForeignKey("fulfillments.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("order_id", Id, nullable=False),
    Column("status", String(32), nullable=False),
    Column("message", Text),
    Column("happened_at", UTCDateTime(), nullable=False),
    Column("city", String(255)),
    Column("province", String(255)),
    Column("country", String(255)),
    Column("zip", String(32)),
    Column("address1", String(255)),
    Column("latitude", String(32)),
    Column("longitude", String(32)),
    Column("estimated_delivery_at", UTCDateTime()),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    sqlite_autoincrement=True,
)

fulfillment_services = Table(
    "fulfillment_services",
    metadata,
    _id(),
    Column("name", String(255), nullable=False),
    Column("handle", String(255), nullable=False, unique=True),
    Column("callback_url", Text),
    # A manual (custom) service is told of fulfillment requests by email instead of a callback.
    Column("email", String(255)),
    Column("inventory_management", Boolean, nullable=False, server_default=text("false")),
    Column("tracking_support", Boolean, nullable=False, server_default=text("false")),
    Column("requires_shipping_method", Boolean, nullable=False, server_default=text("true")),
    Column("fulfillment_orders_opt_in", Boolean, nullable=False, server_default=text("true")),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=False),
    # Seconds a request may go unanswered before the diagnosis reports it.
    Column("response_deadline_seconds", Integer, nullable=False, server_default="86400"),
    # The app that registered the service: it sees the fulfillment orders assigned to it and
    # answers their requests. Null for services registered before owners were recorded.
    Column("app_id", Id, ForeignKey("apps.id")),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)
