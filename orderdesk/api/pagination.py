"""Cursor pagination: opaque ``page_info`` values and absolute ``Link`` headers."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import Request

from ..db.queries import Cursor
from .errors import ApiError

DEFAULT_LIMIT = 50
MAX_LIMIT = 250


def parse_limit(value: str | None) -> int:
    if value is None:
        return DEFAULT_LIMIT
    try:
        limit = int(value)
    except ValueError:
        raise ApiError(400, {"limit": "limit must be an integer"}) from None
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(400, {"limit": f"limit must be between 1 and {MAX_LIMIT}"})
    return limit


def encode(cursor: Cursor, filters: dict[str, Any]) -> str:
    data = {"c": cursor.created_at.isoformat(), "i": cursor.id, "d": cursor.direction, "f": filters}
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")


def decode(page_info: str) -> tuple[Cursor, dict[str, Any]]:
    try:
        padded = page_info + "=" * (-len(page_info) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        cursor = Cursor(datetime.fromisoformat(data["c"]), int(data["i"]), data["d"])
        if cursor.direction not in ("next", "previous") or not isinstance(data["f"], dict):
            raise ValueError
        return cursor, data["f"]
    except (ValueError, KeyError, TypeError):
        raise ApiError(400, {"page_info": "Invalid value."}) from None


def link_header(request: Request, links: dict[str, dict[str, Any]]) -> str | None:
    """``<url>; rel="next", <url>; rel="previous"``, the exact form the Python client parses."""
    parts = []
    base = str(request.url.replace(query=""))
    for rel in ("previous", "next"):
        if rel in links:
            parts.append(f'<{base}?{urlencode(links[rel])}>; rel="{rel}"')
    return ", ".join(parts) or None


@dataclass(frozen=True)
class Page:
    """What a list request asks for: how many, which fields, from where, and its filters (the
    ones given, or those the cursor carries: with ``page_info`` no other filter may be given)."""

    limit: int
    fields: list[str] | None
    cursor: Cursor | None
    filters: dict[str, Any]


def page_of(request: Request, filter_params: Iterable[str]) -> Page:
    from .params import field_list

    query = dict(request.query_params)
    names = set(filter_params)
    cursor = None
    if "page_info" in query:
        extra = sorted(set(query) - {"page_info", "limit", "fields"})
        if extra:
            raise ApiError(400, {extra[0]: f"{extra[0]} cannot be passed when page_info is present"})
        cursor, saved = decode(query["page_info"])
        filters = {k: v for k, v in saved.items() if k in names}
    else:
        filters = {k: v for k, v in query.items() if k in names}
    return Page(parse_limit(query.get("limit")), field_list(query.get("fields")), cursor, filters)


def links_for(
    request: Request, page: Page, first: tuple[datetime, int] | None, last: tuple[datetime, int] | None, more: bool
) -> dict[str, str]:
    """The ``Link`` header (as a headers dict) for a page whose first and last rows are
    (created_at, id), ``more`` telling whether rows follow in the direction it went."""
    keep = {"limit": str(page.limit), **({"fields": ",".join(page.fields)} if page.fields else {})}
    links: dict[str, dict[str, Any]] = {}
    going_back = page.cursor is not None and page.cursor.direction == "previous"
    if last is not None and (more or going_back):
        links["next"] = {**keep, "page_info": encode(Cursor(last[0], last[1], "next"), page.filters)}
    if first is not None and page.cursor is not None and (more or not going_back):
        links["previous"] = {**keep, "page_info": encode(Cursor(first[0], first[1], "previous"), page.filters)}
    link = link_header(request, links)
    return {"Link": link} if link else {}
