"""Order use cases: place, change details, close, reopen, cancel, delete."""

from __future__ import annotations

import secrets
import string
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from ..db.uow import UnitOfWork
from ..domain import routing
from ..domain.access import SYSTEM, Caller
from ..domain.customer import Customer
from ..domain.errors import InvalidInput, InvalidTransition
from ..domain.money import Money, MoneyBag, check_currency
from ..domain.order import DiscountCode, LineItem, Order, ShippingLine, TaxLine
from ..domain.placement import NewOrder, TransactionSpec, place_order
from ..domain.shop import Shop
from ..domain.status_links import key_hash, status_key
from ..domain.tags import parse_tags
from ..domain.terms import PaymentTerms
from ..domain.tracking import tracking_urls as carrier_urls
from ..gateways import PaymentMethod
from ..schemas.orders import (
    WRITABLE_ON_UPDATE,
    CustomerIn,
    LineItemIn,
    MoneySetIn,
    OrderCreate,
    OrderUpdate,
    TaxLineIn,
)
from . import cancellation, outbox, payments, stock
from . import fulfillment as fulfillment_service
from .context import Services
from .loading import load_for_change, read_order
from .transaction import writing

DELETABLE_GATEWAYS = {"manual", "", "cash", "bogus"}

_CONFIRMATION_ALPHABET = string.ascii_uppercase + string.digits


def _confirmation_number() -> str:
    return "".join(secrets.choice(_CONFIRMATION_ALPHABET) for _ in range(9))


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
                Money.parse(shop_money.amount, self.shop.currency, field=field),
                Money.parse(pres_money.amount, self.presentment, field=field),
            )
        amount = Money.parse(value if value is not None else 0, self.presentment, field=field)
        if amount.amount < 0:
            raise InvalidInput(f"{field} must not be negative", field=field)
        return self.shop.in_both(amount)

    def tax_lines(self, lines: list[TaxLineIn], field: str) -> list[TaxLine]:
        return [TaxLine(t.title, t.rate, self.bag(t.price, t.price_set, field), t.channel_liable) for t in lines]


def _line_items(uow: UnitOfWork, items: list[LineItemIn], pricer: _Pricer) -> list[LineItem]:
    variants = uow.products.variants_for_order([i.variant_id for i in items if i.variant_id is not None])
    lines = []
    for position, item in enumerate(items):
        variant = variants.get(item.variant_id) if item.variant_id is not None else None
        if item.variant_id is not None and variant is None:
            raise InvalidInput(f"variant {item.variant_id} does not exist", field="line_items")
        if variant is not None and item.price is None and item.price_set is None:
            price = (
                pricer.shop.in_both(Money(variant["price"], pricer.shop.currency).rounded())
                if pricer.presentment == pricer.shop.currency
                else None
            )
            if price is None:
                # The catalog price is in shop money; present it at the configured rate.
                pres = Money(variant["price"] / pricer.rate, pricer.presentment).rounded()
                price = MoneyBag(Money(variant["price"], pricer.shop.currency).rounded(), pres)
        else:
            price = pricer.bag(item.price, item.price_set, "line_items")

        def pick(given: Any, key: str, default: Any, variant: Any = variant) -> Any:
            if given is not None:
                return given
            if variant is not None and variant[key] is not None:
                return variant[key]
            return default

        variant_title = item.variant_title
        if variant_title is None and variant is not None and variant["title"] != "Default Title":
            variant_title = variant["title"]
        lines.append(
            LineItem(
                position=position,
                title=item.title or (variant["product_title"] if variant is not None else ""),
                variant_title=variant_title,
                sku=item.sku if item.sku is not None else (variant["sku"] if variant is not None else None),
                vendor=item.vendor if item.vendor is not None else (variant["product_vendor"] if variant is not None else None),
                product_id=item.product_id if item.product_id is not None else (variant["product_id"] if variant is not None else None),
                variant_id=item.variant_id,
                quantity=item.quantity,
                price=price,
                grams=pick(item.grams, "grams", 0),
                requires_shipping=pick(item.requires_shipping, "requires_shipping", True),
                taxable=pick(item.taxable, "taxable", True),
                gift_card=item.gift_card,
                fulfillment_service=pick(item.fulfillment_service, "fulfillment_service", "manual"),
                variant_inventory_management=variant["inventory_management"] if variant is not None else None,
                properties=[p.model_dump() for p in item.properties],
                tax_lines=pricer.tax_lines(item.tax_lines, "line_items"),
            )
        )
    return lines


def _resolve_customer(uow: UnitOfWork, given: CustomerIn | None, email: str | None, at: datetime, currency: str) -> Customer | None:
    if given is not None and given.id is not None:
        customer = uow.customers.get(given.id)
        if customer is None:
            raise InvalidInput(f"customer {given.id} does not exist", field="customer")
        return customer
    email = (given.email if given is not None and given.email else email) or None
    wanted = Customer(
        id=None,
        email=email.strip().lower() if email else None,
        first_name=given.first_name if given else None,
        last_name=given.last_name if given else None,
        phone=given.phone if given else None,
        tags=given.tags or "" if given else "",
        note=given.note if given else None,
        accepts_marketing=bool(given.accepts_marketing) if given else False,
        currency=currency,
    )
    if wanted.email:
        return uow.customers.upsert_by_email(wanted, at)
    if given is not None and (given.first_name or given.last_name or given.phone):
        return uow.customers.add(wanted, at)
    return None


def _parse_time(value: str, shop: Shop, field: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"{field} is not an ISO-8601 timestamp", field=field) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(shop.iana_timezone))
    return parsed


def _address(value) -> dict[str, Any] | None:
    return value.to_dict() if value is not None else None


def create_order(
    services: Services, data: OrderCreate, *, caller: Caller = SYSTEM, at: datetime | None = None, uow: UnitOfWork | None = None
) -> Order:
    """Place an order from a client's body: one transaction with its timeline and webhooks.
    (Placing reads nothing the caller might not see, so the write scope checked by the route
    is all the access it needs; ``caller`` names the author.)"""
    shop = services.shop()
    at = at or services.clock.now()
    presentment = check_currency(data.presentment_currency or data.currency or shop.currency, field="currency")
    if data.presentment_currency and data.currency and check_currency(data.currency) not in (shop.currency, presentment):
        raise InvalidInput(f"currency must be the shop currency {shop.currency}", field="currency")
    pricer = _Pricer(shop, presentment)
    financial_status = data.financial_status
    if financial_status is not None and financial_status not in (
        "pending",
        "authorized",
        "paid",
        "refunded",
        "voided",
        "partially_paid",
        "partially_refunded",
    ):
        raise InvalidInput(f"financial_status {financial_status!r} is not a financial status", field="financial_status")
    processed_at = _parse_time(data.processed_at, shop, "processed_at") if data.processed_at else None
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
        "confirmation_number": data.confirmation_number or _confirmation_number(),
        "extra": {
            k: getattr(data, k)
            for k in (
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
            if getattr(data, k) is not None
        },
    }
    if data.name:
        details["name"] = data.name
        details["extra"]["custom_name"] = True
    fulfillment = data.fulfillments[0] if data.fulfillments else None
    charged = [
        payments.TransactionSpec(
            kind=tx.kind,
            amount=None if tx.amount is None else Decimal(str(tx.amount)),
            gateway=tx.gateway,
            method=PaymentMethod(credit_card_number=tx.credit_card_number or (tx.payment_details or {}).get("credit_card_number")),
            test=tx.test,
        )
        for tx in data.transactions
        if tx.status is None and tx.kind in ("authorization", "sale") and payments.processes(tx.gateway)
    ]
    recorded = [
        tx
        for tx in data.transactions
        if not (tx.status is None and tx.kind in ("authorization", "sale") and payments.processes(tx.gateway))
    ]
    with writing(services, uow) as uow:
        new = NewOrder(
            currency=shop.currency,
            presentment_currency=presentment,
            rate=pricer.rate,
            line_items=_line_items(uow, data.line_items, pricer),
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
            discount_codes=[_discount_code(d, pricer) for d in data.discount_codes],
            transactions=[
                TransactionSpec(
                    kind=tx.kind,
                    status=tx.status or "success",
                    amount=None if tx.amount is None else Money.parse(tx.amount, presentment, field="transactions"),
                    gateway=tx.gateway,
                    authorization=tx.authorization,
                    test=tx.test,
                    message=tx.message,
                    error_code=tx.error_code,
                )
                for tx in recorded
            ],
            financial_status="pending" if charged and not recorded else financial_status,
            payment_terms=_terms(data, shop, at),
            fulfillment_status=data.fulfillment_status,
            fulfillment_location_id=fulfillment.location_id if fulfillment else None,
            fulfillment_tracking=_tracking(fulfillment),
            taxes_included=data.taxes_included,
            details=details,
        )
        order = place_order(new, at=at, token=secrets.token_hex(16), processed_at=processed_at)
        order.extra["status_key_hash"] = key_hash(status_key(services.secret_key, order.token))
        for spec in charged:
            # Payments the shopper makes now go through the gateway; a decline leaves the order pending.
            payments.charge(order, spec, at, caller.name)
        payments.set_expiry(order)
        stock.commit_for_order(uow, order, data.inventory_behaviour, at)
        routing.assign_fulfillment_orders(order, services.default_location_id(), at)
        customer = _resolve_customer(uow, data.customer, order.email, at, shop.currency)
        if customer is not None:
            order.customer_id, order.customer = customer.id, customer
            if not order.email and customer.email:
                order.email = customer.email
        uow.orders.add(order, name_prefix=shop.order_name_prefix, name_suffix=shop.order_name_suffix, offset=shop.order_number_offset)
        jobs = payments.scheduled_jobs(order, at)
        fulfillment_service.automate(uow, services, order, at)
        emails = []
        if data.send_receipt:
            emails.append("order_confirmation")
        if data.send_fulfillment_receipt and order.fulfillments:
            emails.append("shipping_confirmation")
        outbox.record(uow, order, shop, at, emails=emails, extra_rows=jobs)
    return order


def _terms(data: OrderCreate, shop: Shop, at: datetime) -> PaymentTerms | None:
    given = data.payment_terms
    if given is None:
        return None
    kind = given.payment_terms_type.strip().lower()
    due_at = None
    if given.payment_schedules and given.payment_schedules[0].due_at:
        due_at = _parse_time(given.payment_schedules[0].due_at, shop, "payment_terms")
    return PaymentTerms(
        type=kind, issued_at=at, due_in_days=given.due_in_days if kind == "net" else None, fixed_due_at=due_at if kind == "fixed" else None
    )


def _discount_code(d, pricer: _Pricer) -> DiscountCode:
    if d.type == "percentage":
        from ..domain.money import to_decimal

        value = to_decimal(d.amount, field="discount_codes")
        zero = pricer.shop.in_both(Money.zero(pricer.presentment))
        return DiscountCode(code=d.code, amount=zero, type="percentage", value=value)
    return DiscountCode(code=d.code, amount=pricer.bag(d.amount, None, "discount_codes"), type=d.type)


def _tracking(f) -> dict[str, Any]:
    if f is None:
        return {}
    numbers = f.tracking_numbers or ([f.tracking_number] if f.tracking_number else [])
    urls = f.tracking_urls or ([f.tracking_url] if f.tracking_url else [])
    return {
        "tracking_company": f.tracking_company,
        "tracking_numbers": numbers,
        "tracking_urls": carrier_urls(f.tracking_company, numbers, urls),
    }


def get_order(services: Services, order_id: int, *, caller: Caller) -> Order:
    return read_order(services, caller, order_id)


def update_order(
    services: Services,
    order_id: int,
    body: dict[str, Any],
    *,
    caller: Caller,
    uow: UnitOfWork | None = None,
) -> Order:
    """Apply the writable fields of a PUT body; read-only fields are ignored."""
    writable = {k: body[k] for k in WRITABLE_ON_UPDATE if k in body}
    data = OrderUpdate.model_validate(writable)
    changes: dict[str, Any] = {}
    for name in writable:
        if name == "customer":
            if writable["customer"] is not None:
                continue  # Shopify only lets PUT remove the customer; anything else is ignored.
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
    shop = services.shop()
    at = services.clock.now()
    with writing(services, uow) as uow:
        order = load_for_change(uow, services, caller, order_id)
        if "shipping_address" in changes and changes["shipping_address"] is not None and order.shipping_address:
            # A partial address updates the fields it names, as Shopify's examples do.
            changes["shipping_address"] = {
                **order.shipping_address,
                **{k: v for k, v in changes["shipping_address"].items() if v is not None},
            }
        if order.update_details(changes, at, author=caller.name):
            uow.orders.save(order)
            outbox.record(uow, order, shop, at)
    if "customer_id" in changes:
        order.customer = None
    return order


def _act(
    services: Services,
    order_id: int,
    action,
    *,
    caller: Caller,
    lines: bool = False,
    emails: list[str] = (),
    uow: UnitOfWork | None = None,
) -> Order:
    shop = services.shop()
    at = services.clock.now()
    with writing(services, uow) as uow:
        order = load_for_change(uow, services, caller, order_id)
        action(order, at)
        if order.events:
            uow.orders.save(order, lines=lines)
            outbox.record(uow, order, shop, at, emails=emails)
    return order


def close_order(services: Services, order_id: int, *, caller: Caller, uow: UnitOfWork | None = None) -> Order:
    return _act(services, order_id, lambda o, at: o.close(at, caller.name), caller=caller, uow=uow)


def open_order(services: Services, order_id: int, *, caller: Caller, uow: UnitOfWork | None = None) -> Order:
    return _act(services, order_id, lambda o, at: o.reopen(at, caller.name), caller=caller, uow=uow)


def cancel_order(services: Services, order_id: int, **options: Any) -> Order:
    """Cancel an order (see ``cancellation.cancel_order``: voids, refunds, restock, notice)."""
    return cancellation.cancel_order(services, order_id, **options).order


def delete_order(services: Services, order_id: int, *, caller: Caller, uow: UnitOfWork | None = None) -> None:
    """Delete an order. Orders paid through an online gateway can't be deleted (Shopify's rule)."""
    at = services.clock.now()
    with writing(services, uow) as uow:
        order = load_for_change(uow, services, caller, order_id)
        online = [t for t in order.transactions if t.succeeded and t.gateway not in DELETABLE_GATEWAYS]
        if online:
            raise InvalidTransition(
                "Orders that interact with an online gateway can't be deleted; cancel and archive it instead",
                field="order",
            )
        uow.orders.delete(order_id)
        outbox.record_deleted(uow, order_id, at)
