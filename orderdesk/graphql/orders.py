"""Orders in GraphQL: ``order``, ``orders``, ``ordersCount`` and the Order type with its line
items, transactions, fulfillments and fulfillment orders.

Orders are read with the queries REST uses (db/queries.py) and the caller's 60-day window
(services/loading.py). An order's children come loaded with it for a whole page at once
(``load_orders``: one statement per kind of child), and fulfillment orders, read only when asked
for, are read for every order of the page in one statement: a page costs the same few statements
whatever its size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast
from zoneinfo import ZoneInfo

from ariadne import ObjectType

from ..db import queries
from ..db.queries import OrderFilter
from ..domain import ledger
from ..domain.fulfillment_orders import FulfillmentOrder, FulfillmentOrderLine
from ..domain.fulfillments import Fulfillment
from ..domain.money import MoneyBag
from ..domain.order import LineItem, Order
from ..domain.payments import Transaction
from ..representation.orders import outstanding_set, status_url
from ..services import fulfillment as fulfillment_service
from ..services.loading import visible_since
from . import connections, ids, search
from .errors import ShopifyError, require

query = ObjectType("QueryRoot")
order_type = ObjectType("Order")
line_item_type = ObjectType("LineItem")
transaction_type = ObjectType("OrderTransaction")
fulfillment_type = ObjectType("Fulfillment")
fulfillment_order_type = ObjectType("FulfillmentOrder")
fulfillment_order_line_type = ObjectType("FulfillmentOrderLineItem")
address_type = ObjectType("MailingAddress")


# --- what resolvers pass down: each child with the order it belongs to -----------------------


@dataclass
class LineNode:
    order: Order
    line: LineItem


@dataclass
class TransactionNode:
    order: Order
    tx: Transaction


@dataclass
class FulfillmentNode:
    order: Order
    fulfillment: Fulfillment


@dataclass
class FulfillmentOrderNode:
    order: Order
    fo: FulfillmentOrder
    row: Any  # the fulfillment order's row, with its location's columns


@dataclass
class FulfillmentOrderLineNode:
    order: Order
    fo: FulfillmentOrder
    line: FulfillmentOrderLine


@dataclass
class AddressNode:
    order: Order
    kind: str
    address: dict[str, Any]


def money_bag(bag: MoneyBag) -> dict[str, Any]:
    return {
        "shopMoney": {"amount": bag.shop.format(), "currencyCode": bag.shop.currency},
        "presentmentMoney": {"amount": bag.presentment.format(), "currencyCode": bag.presentment.currency},
    }


def timestamp(value):
    # DateTime is ISO-8601 in UTC with a Z, as Shopify's GraphQL writes it.
    return None if value is None else value.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- loading ----------------------------------------------------------------------------------


class Batch:
    """The orders one request has read, so that what each of them lacks is read for all at once."""

    def __init__(self) -> None:
        self.orders: dict[int, Order] = {}
        self.fulfillment_orders: dict[int, list[FulfillmentOrderNode]] = {}

    def add(self, orders: list[Order]) -> list[Order]:
        for order in orders:
            self.orders.setdefault(order.id, order)  # type: ignore[arg-type]
        return orders

    def fulfillment_orders_of(self, info, order: Order) -> list[FulfillmentOrderNode]:
        if order.id not in self.fulfillment_orders:
            services, caller = info.context["services"], info.context["caller"]
            wanted = [i for i in self.orders if i not in self.fulfillment_orders] or [cast(int, order.id)]
            with services.db.reading() as uow:
                found = queries.fulfillment_orders_of(uow.conn, wanted)
            for order_id, pairs in found.items():
                owner = self.orders.get(order_id, order)
                self.fulfillment_orders[order_id] = [
                    FulfillmentOrderNode(owner, fo, row)
                    for fo, row in pairs
                    # Each kind of fulfillment order needs its own read scope, as in REST.
                    if caller.may_fulfillment_order(
                        "read", fulfillment_service.kind_at(caller, row["kind_service_id"], row["kind_owner_app_id"])
                    )
                ]
        return self.fulfillment_orders[order.id]  # type: ignore[index]


def batch(info) -> Batch:
    return info.context.setdefault("batch", Batch())


def _filter(info, query_text: str | None) -> OrderFilter:
    services, caller = info.context["services"], info.context["caller"]
    shop = info.context["shop"]
    parsed = search.parse(query_text, ZoneInfo(shop.iana_timezone), services.clock.now())
    if parsed.warnings:
        info.context.setdefault("search_warnings", []).append({"path": [info.field_name], "query": query_text, "warnings": parsed.warnings})
    # GraphQL lists every order by default (REST's list shows open ones).
    return OrderFilter(status="any", visible_since=visible_since(services, caller), matching=parsed.terms)


def load_order(info, order_id: int) -> Order | None:
    """The order as the caller may see it, or None (unknown, or past the caller's window)."""
    services, caller = info.context["services"], info.context["caller"]
    with services.db.reading() as uow:
        found = uow.orders.get(order_id, created_since=visible_since(services, caller))
    return batch(info).add([found])[0] if found is not None else None


# --- roots ------------------------------------------------------------------------------------


@query.field("order")
def resolve_order(_, info, id):
    require(info, "read_orders")
    return load_order(info, ids.expect(id, "Order"))


@query.field("orders")
def resolve_orders(_, info, first=None, after=None, last=None, before=None, reverse=False, sortKey="ID", query=None, savedSearchId=None):
    require(info, "read_orders")
    p = connections.page(first, after, last, before, reverse)
    flt = _filter(info, query)
    descending = p.reverse if p.forward else not p.reverse
    services = info.context["services"]
    with services.db.reading() as uow:
        orders, more = queries.sorted_orders(
            uow.conn, flt, sort_key=sortKey or "ID", descending=descending, after_id=p.cursor_id, limit=p.size
        )
    if not p.forward:
        orders.reverse()
    batch(info).add(orders)
    return connections.connection(orders, more, p, lambda o: o.id, p.cursor_id is not None)


@query.field("ordersCount")
def resolve_orders_count(_, info, query=None, savedSearchId=None, limit=10000):
    require(info, "read_orders")
    if limit is not None and limit < 0:
        raise ShopifyError("The value of limit must not be negative", "BAD_REQUEST", argumentName="limit")
    flt = _filter(info, query)
    with info.context["services"].db.reading() as uow:
        count = queries.count_orders(uow.conn, flt)
    if limit is not None and count > limit:
        return {"count": limit, "precision": "AT_LEAST"}
    return {"count": count, "precision": "EXACT"}


# --- Order ------------------------------------------------------------------------------------

_DISPLAY_FULFILLMENT = {None: "UNFULFILLED", "partial": "PARTIALLY_FULFILLED", "fulfilled": "FULFILLED", "restocked": "RESTOCKED"}


def _upper(value: str | None) -> str | None:
    return None if value is None else value.upper()


_ORDER_FIELDS = {
    "id": lambda o, info: ids.gid("Order", o.id),
    "legacyResourceId": lambda o, info: str(o.id),
    "name": lambda o, info: o.name,
    "email": lambda o, info: o.email,
    "phone": lambda o, info: o.phone,
    "createdAt": lambda o, info: timestamp(o.created_at),
    "updatedAt": lambda o, info: timestamp(o.updated_at),
    "processedAt": lambda o, info: timestamp(o.processed_at),
    "closed": lambda o, info: o.closed_at is not None,
    "closedAt": lambda o, info: timestamp(o.closed_at),
    "cancelledAt": lambda o, info: timestamp(o.cancelled_at),
    "cancelReason": lambda o, info: _upper(o.cancel_reason),
    "confirmed": lambda o, info: True,
    "confirmationNumber": lambda o, info: o.confirmation_number,
    "displayFinancialStatus": lambda o, info: _upper(o.financial_status),
    "displayFulfillmentStatus": lambda o, info: _DISPLAY_FULFILLMENT.get(o.fulfillment_status, "UNFULFILLED"),
    "totalPriceSet": lambda o, info: money_bag(o.totals.total),
    "subtotalPriceSet": lambda o, info: money_bag(o.totals.subtotal),
    "totalTaxSet": lambda o, info: money_bag(o.totals.tax),
    "totalDiscountsSet": lambda o, info: money_bag(o.totals.discounts),
    "totalShippingPriceSet": lambda o, info: money_bag(o.totals.shipping),
    "totalOutstandingSet": lambda o, info: money_bag(outstanding_set(o)),
    "currentTotalPriceSet": lambda o, info: money_bag(o.current_totals().total),
    "currentSubtotalPriceSet": lambda o, info: money_bag(o.current_totals().subtotal),
    "currentTotalTaxSet": lambda o, info: money_bag(o.current_totals().tax),
    "currentTotalDiscountsSet": lambda o, info: money_bag(o.current_totals().discounts),
    "currencyCode": lambda o, info: o.currency,
    "presentmentCurrencyCode": lambda o, info: o.presentment_currency,
    "tags": lambda o, info: list(o.tags),
    "note": lambda o, info: o.note,
    "customAttributes": lambda o, info: [{"key": a.get("name"), "value": a.get("value")} for a in o.note_attributes],
    "billingAddress": lambda o, info: AddressNode(o, "billing", o.billing_address) if o.billing_address else None,
    "shippingAddress": lambda o, info: AddressNode(o, "shipping", o.shipping_address) if o.shipping_address else None,
    "statusPageUrl": lambda o, info: status_url(o, info.context["shop"]),
    "test": lambda o, info: o.test,
    "sourceName": lambda o, info: o.source_name,
    "poNumber": lambda o, info: o.extra.get("po_number"),
    "taxesIncluded": lambda o, info: o.taxes_included,
    "taxExempt": lambda o, info: o.tax_exempt,
    "paymentGatewayNames": lambda o, info: list(dict.fromkeys(tx.gateway for tx in o.transactions if tx.kind != "refund")),
    "subtotalLineItemsQuantity": lambda o, info: sum(line.quantity for line in o.line_items),
    "currentSubtotalLineItemsQuantity": lambda o, info: sum(
        line.current_quantity if o.cancelled_at is None else 0 for line in o.line_items
    ),
    "customer": lambda o, info: o.customer,
}


def _field(resolve):
    return lambda obj, info, **_: resolve(obj, info)


for _name, _resolve in _ORDER_FIELDS.items():
    order_type.set_field(_name, _field(_resolve))


@order_type.field("lineItems")
def resolve_line_items(order: Order, info, first=None, after=None, last=None, before=None, reverse=False):
    p = connections.page(first, after, last, before, reverse)
    return connections.in_memory([LineNode(order, line) for line in order.line_items], lambda n: n.line.id, p)


def _first(items: list, first: int | None) -> list:
    """A plain list's ``first`` argument."""
    if first is None:
        return items
    if first < 0:
        raise ShopifyError("The value of first must not be negative", "BAD_REQUEST", argumentName="first")
    return items[:first]


@order_type.field("transactions")
def resolve_transactions(order: Order, info, first=None, capturable=None, manuallyResolvable=None):
    txs = [TransactionNode(order, tx) for tx in order.transactions]
    if capturable:
        # Authorizations still open (not voided, expired or wholly captured), as cancelling sees them.
        still_open = {t.id for t in ledger.open_authorizations(order.transactions, info.context["services"].clock.now())}
        txs = [n for n in txs if n.tx.id in still_open]
    return _first(txs, first)


@order_type.field("fulfillments")
def resolve_fulfillments(order: Order, info, first=None):
    return _first([FulfillmentNode(order, f) for f in order.fulfillments], first)


@order_type.field("fulfillmentOrders")
def resolve_fulfillment_orders(
    order: Order, info, displayable=False, first=None, after=None, last=None, before=None, reverse=False, query=None
):
    p = connections.page(first, after, last, before, reverse)
    found = batch(info).fulfillment_orders_of(info, order)
    if displayable:
        found = [n for n in found if n.fo.status not in ("cancelled", "closed", "incomplete")]
    return connections.in_memory(found, lambda n: n.fo.id, p)


# --- customer, addresses ----------------------------------------------------------------------

customer_type = ObjectType("Customer")
customer_type.set_field("id", lambda c, info: ids.gid("Customer", c.id))
customer_type.set_field("legacyResourceId", lambda c, info: str(c.id))
customer_type.set_field("email", lambda c, info: c.email)
customer_type.set_field("firstName", lambda c, info: c.first_name)
customer_type.set_field("lastName", lambda c, info: c.last_name)
customer_type.set_field("phone", lambda c, info: c.phone)
customer_type.set_field("displayName", lambda c, info: " ".join(p for p in (c.first_name, c.last_name) if p) or c.email or c.phone or "")

_ADDRESS_FIELDS = {
    "address1": "address1",
    "address2": "address2",
    "city": "city",
    "company": "company",
    "country": "country",
    "countryCodeV2": "country_code",
    "firstName": "first_name",
    "lastName": "last_name",
    "phone": "phone",
    "province": "province",
    "provinceCode": "province_code",
    "zip": "zip",
    "latitude": "latitude",
    "longitude": "longitude",
}
for _name, _key in _ADDRESS_FIELDS.items():
    address_type.set_field(_name, lambda a, info, _key=_key: a.address.get(_key))
# An order's address has no id of its own: Shopify names it after its owner.
address_type.set_field("id", lambda a, info: f"gid://shopify/MailingAddress/{a.order.id}?model_name=Order&kind={a.kind}")
address_type.set_field(
    "name",
    lambda a, info: a.address.get("name") or " ".join(p for p in (a.address.get("first_name"), a.address.get("last_name")) if p) or None,
)


# --- line items ---------------------------------------------------------------------------------

line_item_type.set_field("id", lambda n, info: ids.gid("LineItem", n.line.id))
line_item_type.set_field("name", lambda n, info: n.line.name)
line_item_type.set_field("title", lambda n, info: n.line.title)
line_item_type.set_field("sku", lambda n, info: n.line.sku)
line_item_type.set_field("vendor", lambda n, info: n.line.vendor)
line_item_type.set_field("variantTitle", lambda n, info: n.line.variant_title)
line_item_type.set_field("quantity", lambda n, info: n.line.quantity)
line_item_type.set_field("currentQuantity", lambda n, info: n.line.current_quantity if n.order.cancelled_at is None else 0)
line_item_type.set_field("requiresShipping", lambda n, info: n.line.requires_shipping)
line_item_type.set_field("taxable", lambda n, info: n.line.taxable)
line_item_type.set_field("isGiftCard", lambda n, info: n.line.gift_card)
line_item_type.set_field("fulfillableQuantity", lambda n, info: n.order.fulfillable_quantity(n.line))
line_item_type.set_field("unfulfilledQuantity", lambda n, info: n.order.fulfillable_quantity(n.line))
line_item_type.set_field("originalUnitPriceSet", lambda n, info: money_bag(n.line.price))
line_item_type.set_field(
    "discountedUnitPriceSet",
    lambda n, info: (
        money_bag(n.order.in_both(n.line.price.presentment.amount - n.line.total_discount.presentment.amount / n.line.quantity))
        if n.line.quantity
        else money_bag(n.line.price)
    ),
)
line_item_type.set_field("originalTotalSet", lambda n, info: money_bag(n.line.line_price))
line_item_type.set_field("totalDiscountSet", lambda n, info: money_bag(n.line.total_discount))
line_item_type.set_field("customAttributes", lambda n, info: [{"key": p.get("name"), "value": p.get("value")} for p in n.line.properties])
line_item_type.set_field(
    "variant",
    lambda n, info: (
        {"id": ids.gid("ProductVariant", n.line.variant_id), "legacyResourceId": str(n.line.variant_id)} if n.line.variant_id else None
    ),
)


# --- transactions -------------------------------------------------------------------------------

transaction_type.set_field("id", lambda n, info: ids.gid("OrderTransaction", n.tx.id))
transaction_type.set_field("kind", lambda n, info: n.tx.kind.upper())
transaction_type.set_field("status", lambda n, info: n.tx.status.upper())
transaction_type.set_field("amountSet", lambda n, info: money_bag(n.tx.amount))
transaction_type.set_field("gateway", lambda n, info: n.tx.gateway)
transaction_type.set_field("createdAt", lambda n, info: timestamp(n.tx.created_at))
transaction_type.set_field("processedAt", lambda n, info: timestamp(n.tx.processed_at or n.tx.created_at))
transaction_type.set_field("authorizationCode", lambda n, info: n.tx.authorization)
transaction_type.set_field("authorizationExpiresAt", lambda n, info: timestamp(n.tx.authorization_expires_at))
transaction_type.set_field("test", lambda n, info: n.tx.test)
transaction_type.set_field("errorCode", lambda n, info: _error_code(info, n.tx.error_code))
transaction_type.set_field(
    "parentTransaction",
    lambda n, info: (
        next((TransactionNode(n.order, t) for t in n.order.transactions if t.id == n.tx.parent_id), None) if n.tx.parent_id else None
    ),
)


def _error_code(info, code: str | None) -> str | None:
    if not code:
        return None
    values = info.schema.get_type("OrderTransactionErrorCode").values
    return code.upper() if code.upper() in values else "GENERIC_ERROR"


# --- fulfillments -------------------------------------------------------------------------------

fulfillment_type.set_field("id", lambda n, info: ids.gid("Fulfillment", n.fulfillment.id))
fulfillment_type.set_field("legacyResourceId", lambda n, info: str(n.fulfillment.id))
fulfillment_type.set_field("name", lambda n, info: n.fulfillment.name)
fulfillment_type.set_field("status", lambda n, info: n.fulfillment.status.upper())
fulfillment_type.set_field("createdAt", lambda n, info: timestamp(n.fulfillment.created_at))
fulfillment_type.set_field("updatedAt", lambda n, info: timestamp(n.fulfillment.updated_at or n.fulfillment.created_at))
fulfillment_type.set_field("totalQuantity", lambda n, info: sum(n.fulfillment.quantities.values()))


@fulfillment_type.field("trackingInfo")
def resolve_tracking_info(n: FulfillmentNode, info, first=None):
    f = n.fulfillment
    found = [
        {"company": f.tracking_company, "number": number, "url": f.tracking_urls[i] if i < len(f.tracking_urls) else None}
        for i, number in enumerate(f.tracking_numbers)
    ]
    return found[:first] if first is not None else found


# --- fulfillment orders -------------------------------------------------------------------------

fulfillment_order_type.set_field("id", lambda n, info: ids.gid("FulfillmentOrder", n.fo.id))
fulfillment_order_type.set_field("status", lambda n, info: n.fo.status.upper())
fulfillment_order_type.set_field("requestStatus", lambda n, info: n.fo.request_status.upper())
fulfillment_order_type.set_field("createdAt", lambda n, info: timestamp(n.fo.created_at))
fulfillment_order_type.set_field("updatedAt", lambda n, info: timestamp(n.fo.updated_at))
fulfillment_order_type.set_field("fulfillAt", lambda n, info: timestamp(n.fo.fulfill_at))
fulfillment_order_type.set_field("fulfillBy", lambda n, info: timestamp(n.fo.fulfill_by))
fulfillment_order_type.set_field("orderId", lambda n, info: ids.gid("Order", n.order.id))
fulfillment_order_type.set_field("orderName", lambda n, info: n.order.name)


@fulfillment_order_type.field("assignedLocation")
def resolve_assigned_location(n: FulfillmentOrderNode, info):
    row = n.row
    location = (
        {"id": ids.gid("Location", row["location_id"]), "legacyResourceId": str(row["location_id"]), "name": row["location_name"]}
        if row["location_id"] is not None
        else None
    )
    return {
        "name": row["location_name"] or "",
        "address1": row["location_address1"],
        "address2": row["location_address2"],
        "city": row["location_city"],
        # CountryCode is required; ZZ is its "unknown region".
        "countryCode": row["location_country_code"] or "ZZ",
        "province": row["location_province"],
        "zip": row["location_zip"],
        "phone": row["location_phone"],
        "location": location,
    }


@fulfillment_order_type.field("lineItems")
def resolve_fulfillment_order_lines(n: FulfillmentOrderNode, info, first=None, after=None, last=None, before=None, reverse=False):
    p = connections.page(first, after, last, before, reverse)
    nodes = [FulfillmentOrderLineNode(n.order, n.fo, line) for line in n.fo.lines]
    return connections.in_memory(nodes, lambda x: x.line.id, p)


def _order_line(n: FulfillmentOrderLineNode) -> LineItem:
    for line in n.order.line_items:
        if line.id == n.line.line_item_id:
            return line
    raise LookupError(f"fulfillment order line {n.line.id} names no line of order {n.order.id}")


fulfillment_order_line_type.set_field("id", lambda n, info: ids.gid("FulfillmentOrderLineItem", n.line.id))
fulfillment_order_line_type.set_field("totalQuantity", lambda n, info: n.line.quantity)
fulfillment_order_line_type.set_field("remainingQuantity", lambda n, info: n.line.fulfillable_quantity)
fulfillment_order_line_type.set_field("lineItem", lambda n, info: LineNode(n.order, _order_line(n)))
fulfillment_order_line_type.set_field("sku", lambda n, info: _order_line(n).sku)
fulfillment_order_line_type.set_field("productTitle", lambda n, info: _order_line(n).title)
fulfillment_order_line_type.set_field("variantTitle", lambda n, info: _order_line(n).variant_title)
fulfillment_order_line_type.set_field("vendor", lambda n, info: _order_line(n).vendor)
fulfillment_order_line_type.set_field("requiresShipping", lambda n, info: _order_line(n).requires_shipping)

TYPES = [
    query,
    order_type,
    line_item_type,
    transaction_type,
    fulfillment_type,
    fulfillment_order_type,
    fulfillment_order_line_type,
    address_type,
    customer_type,
]
