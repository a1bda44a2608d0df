"""``node(id:)`` and ``nodes(ids:)``: any global id orderdesk serves, as the caller may see it.

An id of a known type naming nothing the caller may see answers null, as Shopify's does; an
id that is not a global id is an error. Children of an order (line items, transactions,
fulfillments, fulfillment orders) are reached through their order, so the order's scope and
60-day window apply to them too.
"""

from __future__ import annotations

from ariadne import InterfaceType, ObjectType

from ..db import queries
from . import ids
from .errors import require
from .ids import gid
from .orders import (
    FulfillmentNode,
    FulfillmentOrderNode,
    LineNode,
    TransactionNode,
    batch,
    load_order,
)
from .shop import SHOP_ID

query = ObjectType("QueryRoot")
node_type = InterfaceType("Node")

CHILDREN = ("LineItem", "OrderTransaction", "Fulfillment", "FulfillmentOrder")


def _node(info, value):
    kind, number = ids.parse(value)
    if kind == "Shop":
        return info.context["shop"] if number == SHOP_ID else None
    if kind == "Order":
        require(info, "read_orders")
        return load_order(info, number)
    if kind not in CHILDREN:
        return None
    require(info, "read_orders")
    with info.context["services"].db.reading() as uow:
        order_id = queries.order_id_of(uow.conn, kind, number)
    order = load_order(info, order_id) if order_id is not None else None
    if order is None:
        return None
    if kind == "LineItem":
        return next((LineNode(order, line) for line in order.line_items if line.id == number), None)
    if kind == "OrderTransaction":
        return next((TransactionNode(order, tx) for tx in order.transactions if tx.id == number), None)
    if kind == "Fulfillment":
        return next((FulfillmentNode(order, f) for f in order.fulfillments if f.id == number), None)
    return next((n for n in batch(info).fulfillment_orders_of(info, order) if n.fo.id == number), None)


@query.field("fulfillment")
def resolve_fulfillment(_, info, id):
    return _node(info, gid("Fulfillment", ids.expect(id, "Fulfillment")))


@query.field("fulfillmentOrder")
def resolve_fulfillment_order(_, info, id):
    # Null unless the caller holds the read scope of the fulfillment order's kind, as in a list.
    return _node(info, gid("FulfillmentOrder", ids.expect(id, "FulfillmentOrder")))


@query.field("node")
def resolve_node(_, info, id):
    return _node(info, id)


@query.field("nodes")
def resolve_nodes(_, info, ids):
    return [_node(info, value) for value in ids]


_TYPE_NAMES = {
    LineNode: "LineItem",
    TransactionNode: "OrderTransaction",
    FulfillmentNode: "Fulfillment",
    FulfillmentOrderNode: "FulfillmentOrder",
}


@node_type.type_resolver
def resolve_node_type(obj, *_):
    from ..domain.order import Order
    from ..domain.shop import Shop

    if isinstance(obj, Order):
        return "Order"
    if isinstance(obj, Shop):
        return "Shop"
    return _TYPE_NAMES.get(type(obj))


TYPES = [query, node_type]
