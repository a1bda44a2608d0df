"""Request bodies: JSON parsed with exact decimals, unwrapped from Shopify's root key.

Every route reads its body here, so this is where a body is refused before any route or
service sees it: nested deeper than ``MAX_DEPTH`` (400, checked on the raw bytes, before the
recursive parser could overflow the stack), or holding a NUL character or an unpaired
surrogate anywhere (422 naming the path, e.g. ``order.line_items.0.title``). PostgreSQL cannot
store either in text, and SQLite would store what PostgreSQL refuses, so both engines refuse
them here alike. The body size limit is enforced earlier, while the body streams in
(``edge.RequestEdge``).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from itertools import accumulate
from typing import Any

from fastapi import Request

from .errors import ApiError

# Shopify's deepest documented bodies nest about 8 levels; 64 leaves room for any client's
# metafields while keeping the parser, validators and the walk below far from Python's stack limit.
MAX_DEPTH = 64

NUL_MESSAGE = "must not contain NUL characters (\\u0000)"
SURROGATE_MESSAGE = "must be valid Unicode (it holds an unpaired surrogate escape)"

# A JSON string (escapes honoured; an unterminated one runs to the end) and the bytes that are
# not brackets: what is left after removing both is the body's bracket structure.
_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"?', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}

# Only escapes can put a NUL or a lone surrogate into a parsed string: json.loads refuses raw
# control characters, and the body is decoded as UTF-8 (which has no surrogates).
_SUSPECT_ESCAPE = re.compile(r"\\u(?:0000|[dD][89abcdefABCDEF])")
_SURROGATE = re.compile("[\ud800-\udfff]")


def nests_too_deep(raw: bytes) -> bool:
    """Whether arrays and objects in ``raw`` nest deeper than ``MAX_DEPTH`` (brackets in strings do not count)."""
    if raw.count(b"[") + raw.count(b"{") <= MAX_DEPTH:
        return False  # too few brackets to be too deep: ordinary bodies skip the scan
    brackets = _STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    # Running sum of +1/-1 steps, all in C: fast enough for a body at the size limit.
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0) > MAX_DEPTH


def _refuse_bad_text(value: Any, path: str) -> None:
    """Raise 422 naming the first string (or key) under ``value`` holding a NUL or lone surrogate."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ApiError(422, {path or "base": [NUL_MESSAGE]})
        if _SURROGATE.search(value):
            raise ApiError(422, {path or "base": [SURROGATE_MESSAGE]})
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else key
            if "\x00" in key or _SURROGATE.search(key):
                _refuse_bad_text(key, where.replace("\x00", "\\u0000").encode("utf-8", "backslashreplace").decode())
            _refuse_bad_text(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_bad_text(item, f"{path}.{index}" if path else str(index))


async def json_body(request: Request) -> Any:
    raw = await request.body()
    request.state.raw_body = raw
    if not raw.strip():
        return None
    if nests_too_deep(raw):
        raise ApiError(400, {"base": [f"Request body nests arrays and objects more than {MAX_DEPTH} levels deep"]})
    try:
        text = raw.decode("utf-8-sig")
        # Money arrives as JSON numbers from some clients (74.99); never let it become a float.
        value = json.loads(text, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, {"base": ["Request body is not valid JSON"]}) from None
    if _SUSPECT_ESCAPE.search(text):
        _refuse_bad_text(value, "")
    return value


def unwrap(body: Any, root: str, *, required: bool = True) -> dict[str, Any]:
    if body is None and not required:
        return {}
    if not isinstance(body, dict) or not isinstance(body.get(root), dict):
        if not required and isinstance(body, dict) and root not in body:
            return {}
        raise ApiError(400, {root: "Required parameter missing or invalid"})
    return body[root]
