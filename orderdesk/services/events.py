"""The shop's timeline (Shopify's Event resource): the events of orders and products together.

A caller sees the events of what it may read and nothing else: Order events need read_orders
and are as visible as their order (not at all past the 60-day window without read_all_orders),
Product events need read_products. Subjects it may not read are left out, never refused, so a
filter naming them just finds nothing.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..db import queries
from ..db.queries import Cursor, EventFilter
from ..domain.access import Caller
from ..domain.errors import NotFound
from .context import Services
from .loading import visible_since

# Each subject type with events, and the scope that reads it.
READ_SCOPES = {"Order": "read_orders", "Product": "read_products"}


def event_filter(services: Services, caller: Caller, subject_types: tuple[str, ...] = (), **filters: Any) -> EventFilter:
    """The filter a caller's query becomes: ``subject_types`` (all if empty) narrowed to what it may read."""
    readable = tuple(t for t, scope in READ_SCOPES.items() if caller.has(scope))
    wanted = tuple(t for t in readable if not subject_types or t in subject_types)
    return EventFilter(subject_types=wanted, orders_visible_since=visible_since(services, caller), **filters)


def list_events(services: Services, f: EventFilter, *, limit: int, cursor: Cursor | None = None) -> tuple[list[dict[str, Any]], bool]:
    if not f.subject_types:
        return [], False
    with services.db.reading() as uow:
        return queries.list_events(uow.conn, f, limit=limit, cursor=cursor)


def count_events(services: Services, f: EventFilter) -> int:
    if not f.subject_types:
        return 0
    with services.db.reading() as uow:
        return queries.count_events(uow.conn, f)


def get_event(services: Services, event_id: int, *, caller: Caller) -> dict[str, Any]:
    f = replace(event_filter(services, caller), ids=(event_id,))
    rows, _ = list_events(services, f, limit=1)
    if not rows:
        raise NotFound("Not Found")
    return rows[0]


def product_events(services: Services, product_id: int, f: EventFilter, *, limit: int) -> list[dict[str, Any]]:
    """A product's events, which outlive it (its "destroy" event among them)."""
    rows, _ = list_events(services, replace(f, subject_id=product_id), limit=limit)
    if not rows:
        with services.db.reading() as uow:
            if uow.products.get(product_id) is None:
                raise NotFound("Not Found")
    return rows
