"""Cursor pagination: opaque ``page_info`` values and absolute ``Link`` headers."""

from __future__ import annotations

import base64
import json
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
