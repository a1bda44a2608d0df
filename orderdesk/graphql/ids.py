"""Global ids: ``gid://shopify/Order/123`` names the order REST calls 123.

A malformed id, or one naming another type than the argument wants, is refused with a
GraphQL error in Shopify's shape; an id of the right type that names nothing is not an error
(the field answers null), as on Shopify.
"""

from __future__ import annotations

import re

from .errors import ShopifyError

MAX_ID = 2**63 - 1
_GID = re.compile(r"gid://shopify/([A-Za-z]+)/([0-9]+)(\?[^\s]*)?")


def gid(kind: str, id_: int | None) -> str | None:
    return None if id_ is None else f"gid://shopify/{kind}/{id_}"


def parse(value: object) -> tuple[str, int]:
    """(type name, REST id) of a global id, or a GraphQL error if it is not one."""
    found = _GID.fullmatch(value) if isinstance(value, str) else None
    if found is None or int(found.group(2)) > MAX_ID:
        raise ShopifyError(f"Invalid global id '{value}'", "argumentLiteralsIncompatible", typeName="CoercionError")
    return found.group(1), int(found.group(2))


def expect(value: object, kind: str) -> int:
    """The REST id of a global id that must name a ``kind``."""
    found_kind, number = parse(value)
    if found_kind != kind:
        raise ShopifyError(f"Invalid id: {value} is not a {kind} id", "RESOURCE_NOT_FOUND", expectedType=kind)
    return number
