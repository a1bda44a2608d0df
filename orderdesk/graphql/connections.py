"""Relay connections as Shopify pages them: ``first``/``after`` or ``last``/``before`` (at most
250 nodes), ``reverse``, opaque cursors, and ``pageInfo``."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import ShopifyError

MAX_PAGE = 250


@dataclass(frozen=True)
class Page:
    """What the arguments ask for: ``size`` nodes after (``forward``) or before the cursor's node."""

    size: int
    forward: bool
    cursor_id: int | None
    reverse: bool


def cursor(node_id: int) -> str:
    # Shopify's cursors are base64 JSON naming the last node; clients treat them as opaque.
    return base64.urlsafe_b64encode(json.dumps({"last_id": node_id}).encode()).decode()


def _cursor_id(value: str | None, argument: str) -> int | None:
    if value is None:
        return None
    try:
        found = json.loads(base64.urlsafe_b64decode(value.encode() + b"==="))
        node_id = found["last_id"]
        if isinstance(node_id, int) and not isinstance(node_id, bool) and 0 < node_id < 2**63:
            return node_id
    except (ValueError, TypeError, KeyError, UnicodeError):
        pass
    raise ShopifyError(f"Invalid cursor for current pagination sort: {argument}", "BAD_REQUEST", argumentName=argument)


def page(first: int | None, after: str | None, last: int | None, before: str | None, reverse: bool | None) -> Page:
    if first is None and last is None:
        raise ShopifyError("you must provide one of first or last", "BAD_REQUEST")
    if first is not None and last is not None:
        raise ShopifyError("providing both first and last is not supported", "BAD_REQUEST")
    size = first if first is not None else last
    assert size is not None
    if size < 0 or size > MAX_PAGE:
        name = "first" if first is not None else "last"
        raise ShopifyError(f"The value of {name} must be between 0 and {MAX_PAGE}", "BAD_REQUEST", argumentName=name)
    forward = first is not None
    return Page(size, forward, _cursor_id(after if forward else before, "after" if forward else "before"), bool(reverse))


def connection(nodes: Sequence[Any], more: bool, p: Page, id_of: Callable[[Any], int], before_start: bool) -> dict[str, Any]:
    """A connection over ``nodes`` (in the order shown); ``more``: nodes follow in the direction
    paged; ``before_start``: the page began at a cursor, so nodes lie behind it."""
    edges = [{"cursor": cursor(id_of(n)), "node": n} for n in nodes]
    return {
        "edges": edges,
        "nodes": list(nodes),
        "pageInfo": {
            "hasNextPage": more if p.forward else before_start,
            "hasPreviousPage": before_start if p.forward else more,
            "startCursor": edges[0]["cursor"] if edges else None,
            "endCursor": edges[-1]["cursor"] if edges else None,
        },
    }


def in_memory(items: Sequence[Any], id_of: Callable[[Any], int], p: Page) -> dict[str, Any]:
    """A connection over a list already loaded (an order's line items, its fulfillment orders)."""
    ordered = list(reversed(items)) if p.reverse else list(items)
    if not p.forward:
        ordered.reverse()
    start = 0
    if p.cursor_id is not None:
        ids = [id_of(i) for i in ordered]
        start = ids.index(p.cursor_id) + 1 if p.cursor_id in ids else len(ordered)
    chosen = ordered[start : start + p.size]
    more = len(ordered) > start + p.size
    if not p.forward:
        chosen.reverse()
    return connection(chosen, more, p, id_of, p.cursor_id is not None)
