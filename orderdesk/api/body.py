"""Request bodies: JSON parsed with exact decimals, unwrapped from Shopify's root key."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from fastapi import Request

from .errors import ApiError

MAX_BODY = 1_000_000


async def json_body(request: Request) -> Any:
    raw = await request.body()
    request.state.raw_body = raw
    if len(raw) > MAX_BODY:
        raise ApiError(413, "Request body is too large")
    if not raw.strip():
        return None
    try:
        # Money arrives as JSON numbers from some clients (74.99); never let it become a float.
        return json.loads(raw, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, {"base": ["Request body is not valid JSON"]}) from None


def unwrap(body: Any, root: str, *, required: bool = True) -> dict[str, Any]:
    if body is None and not required:
        return {}
    if not isinstance(body, dict) or not isinstance(body.get(root), dict):
        if not required and isinstance(body, dict) and root not in body:
            return {}
        raise ApiError(400, {root: "Required parameter missing or invalid"})
    return body[root]
