"""Read side: order lists, counts and timelines (one order's, and the shop's), filtered in SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, case, exists, func, not_, or_, select

from ..domain.order import Order
from . import tables as t
from .mapping import fulfillment_order_from_row
from .repositories import load_orders, order_select

UNPAID = ("authorized", "partially_paid", "pending")


@dataclass(frozen=True)
class OrderFilter:
    """Shopify's list filters. ``status`` defaults to open, as on Shopify."""

    status: str = "open"  # open | closed | cancelled | any
    financial_status: str = "any"
    fulfillment_status: str = "any"
    ids: tuple[int, ...] = ()
    since_id: int | None = None
    created_at_min: datetime | None = None
    created_at_max: datetime | None = None
    updated_at_min: datetime | None = None
    updated_at_max: datetime | None = None
    processed_at_min: datetime | None = None
    processed_at_max: datetime | None = None
    customer_id: int | None = None
    visible_since: datetime | None = None
    tag: str | None = None
    search: str | None = None
    # Shopify's search syntax, parsed (Term, AllOf, AnyOf, Not): GraphQL's ``query:`` argument.
    matching: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Term:
    """One ``field:value`` of Shopify's search syntax. ``op`` is ``:`` (equals, or contains for
    text), ``=`` (an exact time), ``>`` ``>=`` ``<`` ``<=``, or ``exists`` (``field:*``)."""

    field: str
    value: Any
    op: str = ":"


@dataclass(frozen=True)
class AllOf:
    terms: tuple[Any, ...]


@dataclass(frozen=True)
class AnyOf:
    terms: tuple[Any, ...]


@dataclass(frozen=True)
class Not:
    term: Any


TIME_FIELDS = ("created_at", "updated_at", "processed_at")
SEARCH_FIELDS = (
    "default",
    "financial_status",
    "fulfillment_status",
    "status",
    "tag",
    "tag_not",
    "name",
    "email",
    "id",
    "sku",
    "customer_id",
    "test",
    "source_name",
    "gateway",
    *TIME_FIELDS,
)
# fulfillment_status values the fulfillment orders decide, not the order's own column.
_FULFILLMENT_ORDER_STATES = {"on_hold": "on_hold", "scheduled": "scheduled"}


def _tag_condition(tag: str) -> Any:
    # Tags are stored as ", "-joined text; match a whole tag.
    tags = func.lower(", " + t.orders.c.tags + ",")
    return tags.contains(f", {tag.lower()},")


def _text_condition(text: str) -> Any:
    term = f"%{text.lower()}%"
    o = t.orders.c
    return or_(
        func.lower(o.email).like(term),
        func.lower(o.note).like(term),
        func.lower(o.tags).like(term),
        func.cast(o.number + o.order_number_offset, t.orders.c.tags.type).like(term.replace("#", "")),
        func.lower(t.customers.c.first_name + " " + t.customers.c.last_name).like(term),
    )


def _compare(column: Any, op: str, value: Any) -> Any:
    return {
        ":": column == value,
        "=": column == value,
        ">": column > value,
        ">=": column >= value,
        "<": column < value,
        "<=": column <= value,
    }[op]


def _status_condition(field_name: str, value: str) -> Any:
    """A status term as the REST filter of the same name reads it (one meaning for both APIs)."""
    if field_name == "status":
        read = OrderFilter(status=value)
    elif field_name == "financial_status":
        read = OrderFilter(status="any", financial_status=value)
    else:
        read = OrderFilter(status="any", fulfillment_status=value)
    conds = _conditions(read)
    return and_(*conds) if conds else and_(t.orders.c.id.is_not(None))


def _term_condition(term: Term) -> Any:
    o = t.orders.c
    name, value, op = term.field, term.value, term.op
    if op == "exists":
        column = {"email": o.email, "customer_id": o.customer_id, "processed_at": o.processed_at}.get(name)
        return column.is_not(None) if column is not None else (o.tags != "" if name == "tag" else o.id.is_not(None))
    text = str(value).lower()
    if name in TIME_FIELDS:
        return _compare(getattr(o, name), op, value)
    if name == "id" or name == "customer_id":
        digits = text.rsplit("/", 1)[-1]
        return _compare(getattr(o, name), op, int(digits)) if digits.isdigit() else o.id.is_(None)
    if name == "default":
        return _text_condition(str(value))
    if name == "financial_status":
        return _status_condition("financial_status", text) if text in _FINANCIAL else o.id.is_(None)
    if name == "fulfillment_status":
        if text in _FULFILLMENT_ORDER_STATES:
            fo = t.fulfillment_orders.c
            return exists().where(fo.order_id == o.id, fo.status == _FULFILLMENT_ORDER_STATES[text])
        if text == "request_declined":
            fo = t.fulfillment_orders.c
            return exists().where(fo.order_id == o.id, fo.request_status == "rejected")
        return _status_condition("fulfillment_status", text) if text in _FULFILLMENT else o.id.is_(None)
    if name == "status":
        if text == "not_closed":
            return o.closed_at.is_(None)
        return _status_condition("status", text) if text in ("open", "closed", "cancelled") else o.id.is_(None)
    if name == "tag":
        return _tag_condition(str(value))
    if name == "tag_not":
        return not_(_tag_condition(str(value)))
    if name == "name":
        number = text.lstrip("#")
        by_number = func.cast(o.number + o.order_number_offset, o.tags.type) == number
        return or_(func.lower(o.custom_name) == text, by_number) if number.isdigit() else func.lower(o.custom_name) == text
    if name == "email":
        if text.endswith("*"):
            return func.lower(o.email).like(text[:-1].replace("%", "").replace("_", "") + "%")
        return func.lower(o.email) == text
    if name == "sku":
        li = t.line_items.c
        return exists().where(li.order_id == o.id, func.lower(li.sku) == text)
    if name == "gateway":
        tx = t.transactions.c
        return exists().where(tx.order_id == o.id, func.lower(tx.gateway) == text)
    if name == "test":
        return o.test.is_(text == "true")
    if name == "source_name":
        return func.lower(o.source_name) == text
    raise ValueError(f"unknown search field {name}")


_FINANCIAL = ("authorized", "pending", "paid", "partially_paid", "refunded", "voided", "partially_refunded", "expired", "unpaid")
_FULFILLMENT = ("shipped", "partial", "unshipped", "unfulfilled", "fulfilled", "restocked")


def _matching(node: Any) -> Any:
    if isinstance(node, Term):
        return _term_condition(node)
    if isinstance(node, AllOf):
        return and_(*(_matching(n) for n in node.terms))
    if isinstance(node, AnyOf):
        return or_(*(_matching(n) for n in node.terms))
    if isinstance(node, Not):
        return not_(_matching(node.term))
    raise TypeError(f"not a search term: {node!r}")


def _conditions(f: OrderFilter) -> list[Any]:
    o = t.orders.c
    conds: list[Any] = []
    if f.status == "open":
        conds += [o.closed_at.is_(None), o.cancelled_at.is_(None)]
    elif f.status == "closed":
        conds.append(o.closed_at.is_not(None))
    elif f.status == "cancelled":
        conds.append(o.cancelled_at.is_not(None))
    if f.financial_status == "unpaid":
        conds.append(o.financial_status.in_(UNPAID))
    elif f.financial_status != "any":
        conds.append(o.financial_status == f.financial_status)
    if f.fulfillment_status in ("shipped", "fulfilled"):
        conds.append(o.fulfillment_status == "fulfilled")
    elif f.fulfillment_status == "partial":
        conds.append(o.fulfillment_status == "partial")
    elif f.fulfillment_status == "unshipped":
        conds.append(o.fulfillment_status.is_(None))
    elif f.fulfillment_status == "unfulfilled":
        conds.append(or_(o.fulfillment_status.is_(None), o.fulfillment_status == "partial"))
    elif f.fulfillment_status == "restocked":
        conds.append(o.fulfillment_status == "restocked")
    if f.ids:
        conds.append(o.id.in_(f.ids))
    if f.since_id is not None:
        conds.append(o.id > f.since_id)
    for column, low, high in (
        (o.created_at, f.created_at_min, f.created_at_max),
        (o.updated_at, f.updated_at_min, f.updated_at_max),
        (o.processed_at, f.processed_at_min, f.processed_at_max),
    ):
        if low is not None:
            conds.append(column >= low)
        if high is not None:
            conds.append(column <= high)
    if f.customer_id is not None:
        conds.append(o.customer_id == f.customer_id)
    if f.visible_since is not None:
        conds.append(o.created_at >= f.visible_since)
    if f.tag:
        conds.append(_tag_condition(f.tag))
    if f.search:
        conds.append(_text_condition(f.search))
    if f.matching is not None:
        conds.append(_matching(f.matching))
    return conds


@dataclass(frozen=True)
class Cursor:
    """Where the last page ended, in list order (newest first unless since_id is used)."""

    created_at: datetime
    id: int
    direction: str = "next"  # next | previous


def list_orders(conn: Connection, f: OrderFilter, *, limit: int, cursor: Cursor | None = None) -> tuple[list[Order], bool]:
    """One page of orders and whether more follow in the same direction."""
    o = t.orders.c
    query = order_select().where(*_conditions(f))
    ascending = f.since_id is not None
    if cursor is not None:
        older = and_(o.created_at == cursor.created_at, o.id < cursor.id) | (o.created_at < cursor.created_at)
        newer = and_(o.created_at == cursor.created_at, o.id > cursor.id) | (o.created_at > cursor.created_at)
        if ascending:
            query = query.where(o.id > cursor.id if cursor.direction == "next" else o.id < cursor.id)
        else:
            query = query.where(older if cursor.direction == "next" else newer)
    backwards = cursor is not None and cursor.direction == "previous"
    if ascending:
        order_by = [o.id.desc()] if backwards else [o.id.asc()]
    else:
        order_by = [o.created_at.asc(), o.id.asc()] if backwards else [o.created_at.desc(), o.id.desc()]
    rows = list(conn.execute(query.order_by(*order_by).limit(limit + 1)).mappings())
    more = len(rows) > limit
    rows = rows[:limit]
    if backwards:
        rows.reverse()
    return load_orders(conn, rows), more


# GraphQL's OrderSortKeys that have a column to sort by; the others sort by id.
SORT_COLUMNS = {
    "CREATED_AT": t.orders.c.created_at,
    "UPDATED_AT": t.orders.c.updated_at,
    "PROCESSED_AT": t.orders.c.processed_at,
    "ORDER_NUMBER": t.orders.c.number,
    "TOTAL_PRICE": t.orders.c.total_price,
    "FINANCIAL_STATUS": t.orders.c.financial_status,
    "ID": t.orders.c.id,
}


def sorted_orders(
    conn: Connection, f: OrderFilter, *, sort_key: str, descending: bool, after_id: int | None, limit: int
) -> tuple[list[Order], bool]:
    """One page of orders sorted by ``sort_key`` (then id), starting after the order ``after_id``
    in that order, and whether more follow. The cursor order's own sort value is read inside the
    same statement, so a cursor is just an id."""
    o = t.orders.c
    column = SORT_COLUMNS.get(sort_key, o.id)
    query = order_select().where(*_conditions(f))
    if after_id is not None:
        mark = select(column).where(o.id == after_id).scalar_subquery()
        if column is o.id:
            query = query.where(o.id < after_id if descending else o.id > after_id)
        elif descending:
            query = query.where(or_(column < mark, and_(column == mark, o.id < after_id)))
        else:
            query = query.where(or_(column > mark, and_(column == mark, o.id > after_id)))
    order_by = [column.desc(), o.id.desc()] if descending else [column.asc(), o.id.asc()]
    if column is o.id:
        order_by = order_by[:1]
    rows = list(conn.execute(query.order_by(*order_by).limit(limit + 1)).mappings())
    return load_orders(conn, rows[:limit]), len(rows) > limit


def fulfillment_orders_of(conn: Connection, order_ids: list[int]) -> dict[int, list[tuple[Any, Any]]]:
    """Each order's fulfillment orders with their location and who fulfils them, in one statement:
    (fulfillment order, row with ``location_*`` columns, ``kind_service_id`` and ``kind_owner_app_id``,
    the service the fulfillment order is at, directly or through its location, and that service's app)."""
    if not order_ids:
        return {}
    fos, loc = t.fulfillment_orders, t.locations
    svc = t.fulfillment_services.alias("svc")
    at_location = t.fulfillment_services.alias("at_location")
    query = (
        select(
            fos,
            svc.c.handle.label("service_handle"),
            *(c.label(f"location_{c.name}") for c in loc.c),
            func.coalesce(fos.c.service_id, at_location.c.id).label("kind_service_id"),
            case((fos.c.service_id.is_not(None), svc.c.app_id), else_=at_location.c.app_id).label("kind_owner_app_id"),
        )
        .select_from(
            fos.outerjoin(svc, svc.c.id == fos.c.service_id)
            .outerjoin(loc, loc.c.id == fos.c.assigned_location_id)
            .outerjoin(at_location, at_location.c.location_id == fos.c.assigned_location_id)
        )
        .where(fos.c.order_id.in_(order_ids))
        .order_by(fos.c.id)
    )
    out: dict[int, list[tuple[Any, Any]]] = {i: [] for i in order_ids}
    for row in conn.execute(query).mappings():
        out[row["order_id"]].append((fulfillment_order_from_row(row), row))
    return out


# What belongs to an order, by the name GraphQL's global ids give it.
_ORDER_CHILDREN = {
    "LineItem": t.line_items,
    "OrderTransaction": t.transactions,
    "Fulfillment": t.fulfillments,
    "FulfillmentOrder": t.fulfillment_orders,
}


def order_id_of(conn: Connection, kind: str, child_id: int) -> int | None:
    """The order a line item, transaction, fulfillment or fulfillment order belongs to (None: no such)."""
    table = _ORDER_CHILDREN.get(kind)
    if table is None:
        return None
    return conn.execute(select(table.c.order_id).where(table.c.id == child_id)).scalar()


def count_orders(conn: Connection, f: OrderFilter) -> int:
    query = (
        select(func.count()).select_from(t.orders.outerjoin(t.customers, t.orders.c.customer_id == t.customers.c.id)).where(*_conditions(f))
    )
    return conn.execute(query).scalar_one()


def order_events(conn: Connection, order_id: int, *, limit: int = 250, since_id: int | None = None) -> list[Any]:
    query = select(t.events).where(t.events.c.subject_type == "Order", t.events.c.subject_id == order_id)
    if since_id is not None:
        query = query.where(t.events.c.id > since_id)
    return list(conn.execute(query.order_by(t.events.c.id).limit(limit)).mappings())


@dataclass(frozen=True)
class EventFilter:
    """Shopify's event filters, and what the caller may see: events of ``subject_types`` only,
    and an order's events only if the order was created at ``orders_visible_since`` or later."""

    subject_types: tuple[str, ...]
    orders_visible_since: datetime | None = None
    subject_id: int | None = None
    verb: str | None = None
    since_id: int | None = None
    created_at_min: datetime | None = None
    created_at_max: datetime | None = None
    ids: tuple[int, ...] = ()


def _event_query(columns: list[Any], f: EventFilter) -> Any:
    e, o = t.events.c, t.orders.c
    source = t.events.outerjoin(t.orders, and_(e.subject_type == "Order", o.id == e.subject_id))
    conds: list[Any] = [e.subject_type.in_(f.subject_types)]
    # An order's events are as visible as the order: not at all once it is past the caller's window.
    visible = o.id.is_not(None) if f.orders_visible_since is None else o.created_at >= f.orders_visible_since
    conds.append(or_(e.subject_type != "Order", visible))
    if f.subject_id is not None:
        conds.append(e.subject_id == f.subject_id)
    if f.verb:
        conds.append(e.verb == f.verb)
    if f.since_id is not None:
        conds.append(e.id > f.since_id)
    if f.created_at_min is not None:
        conds.append(e.created_at >= f.created_at_min)
    if f.created_at_max is not None:
        conds.append(e.created_at <= f.created_at_max)
    if f.ids:
        conds.append(e.id.in_(f.ids))
    return select(*columns).select_from(source).where(*conds)


def _with_subject_name(row: Any) -> dict[str, Any]:
    out = dict(row)
    number = out.pop("order_number")
    prefix, offset, suffix, custom = out.pop("name_prefix"), out.pop("order_number_offset"), out.pop("name_suffix"), out.pop("custom_name")
    out["subject_name"] = custom or (f"{prefix}{number + offset}{suffix}" if number is not None else None)
    return out


def list_events(conn: Connection, f: EventFilter, *, limit: int, cursor: Cursor | None = None) -> tuple[list[dict[str, Any]], bool]:
    """One page of events, oldest first, each with its subject's name (an order's), and whether
    more follow in the same direction."""
    e, o = t.events.c, t.orders.c
    columns = [*t.events.c, o.number.label("order_number"), o.name_prefix, o.order_number_offset, o.name_suffix, o.custom_name]
    query = _event_query(columns, f)
    backwards = cursor is not None and cursor.direction == "previous"
    if cursor is not None:
        query = query.where(e.id < cursor.id if backwards else e.id > cursor.id)
    rows = list(conn.execute(query.order_by(e.id.desc() if backwards else e.id.asc()).limit(limit + 1)).mappings())
    more = len(rows) > limit
    rows = rows[:limit]
    if backwards:
        rows.reverse()
    return [_with_subject_name(r) for r in rows], more


def count_events(conn: Connection, f: EventFilter) -> int:
    return conn.execute(_event_query([func.count()], f)).scalar_one()


def outbox_rows(conn: Connection, *, subject_id: int | None = None) -> list[Any]:
    """Every outbox row, waiting or finished, in the order they were written."""
    rows = []
    for table in (t.outbox, t.outbox_done):
        query = select(table)
        if subject_id is not None:
            query = query.where(table.c.subject_id == subject_id)
        rows += list(conn.execute(query).mappings())
    return sorted(rows, key=lambda r: r["id"])


def shop_tags(conn: Connection, *, rows: int = 2000) -> list[str]:
    """Tags in use on the shop's most recent tagged orders, for suggestions (case-insensitively unique, sorted)."""
    query = select(t.orders.c.tags).where(t.orders.c.tags != "").order_by(t.orders.c.id.desc()).limit(rows)
    seen: dict[str, str] = {}
    for (value,) in conn.execute(query):
        for tag in value.split(","):
            tag = tag.strip()
            if tag:
                seen.setdefault(tag.lower(), tag)
    return sorted(seen.values(), key=str.lower)


def email_topics(conn: Connection, order_id: int) -> list[tuple[str, datetime]]:
    """The emails an order has had (queued or done), each template once with when it was last queued."""
    last: dict[str, datetime] = {}
    for table in (t.outbox, t.outbox_done):
        query = (
            select(table.c.topic, func.max(table.c.created_at))
            .where(table.c.kind == "email", table.c.subject_id == order_id)
            .group_by(table.c.topic)
        )
        for topic, at in conn.execute(query):
            if topic not in last or at > last[topic]:
                last[topic] = at
    return sorted(last.items(), key=lambda pair: pair[1])


def order_webhook_attempts(conn: Connection, order_id: int, *, limit: int = 250) -> list[Any]:
    """Attempts at delivering the order's webhooks (every topic an order's change sends), newest first."""
    d = t.webhook_deliveries.c
    ids = select(t.outbox.c.event_id).where(t.outbox.c.kind == "webhook", t.outbox.c.subject_id == order_id)
    done = select(t.outbox_done.c.event_id).where(t.outbox_done.c.kind == "webhook", t.outbox_done.c.subject_id == order_id)
    query = select(t.webhook_deliveries).where(or_(d.event_id.in_(ids), d.event_id.in_(done))).order_by(d.id.desc()).limit(limit)
    return list(conn.execute(query).mappings())
