"""Timeline events as Shopify's Event resource."""

from __future__ import annotations

from typing import Any

from ..domain.shop import Shop
from .common import timestamp

# Where the admin shows each kind of subject.
PATHS = {"Order": "/admin/orders/{}", "Product": "/admin/products/{}"}


def event_json(row: Any, shop: Shop, subject_name: str | None = None) -> dict[str, Any]:
    arguments = [subject_name] if subject_name else []
    stored = row["arguments"] or []
    pairs = stored.items() if isinstance(stored, dict) else stored
    arguments += [str(v) for _, v in pairs if v not in (None, "", [], {})]
    return {
        "id": row["id"],
        "subject_id": row["subject_id"],
        "created_at": timestamp(row["created_at"], shop.iana_timezone),
        "subject_type": row["subject_type"],
        "verb": row["verb"],
        "arguments": arguments,
        "body": row["body"],
        "message": row["message"],
        "author": row["author"] or "Shopify",
        "description": row["message"],
        "path": PATHS[row["subject_type"]].format(row["subject_id"]) if row["subject_type"] in PATHS else None,
    }
