"""Read side: order lists, counts and timelines (one order's, and the shop's), filtered in SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from ..domain.order import Order
from . import tables as t
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
    extra: dict[str, Any] = field(default_factory=dict)


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
        # Tags are stored as ", "-joined text; match a whole tag.
        tag = f.tag.lower()
        tags = func.lower(", " + o.tags + ",")
        conds.append(tags.contains(f", {tag},"))
    if f.search:
        term = f"%{f.search.lower()}%"
        conds.append(
            or_(
                func.lower(o.email).like(term),
                func.lower(o.note).like(term),
                func.lower(o.tags).like(term),
                func.cast(o.number + o.order_number_offset, t.orders.c.tags.type).like(term.replace("#", "")),
                func.lower(t.customers.c.first_name + " " + t.customers.c.last_name).like(term),
            )
        )
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
