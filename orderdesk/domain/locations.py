"""Locations, and where an item is stocked: the rules of adding, renaming and disconnecting."""

from __future__ import annotations

from .errors import InvalidInput, InvalidTransition

NAME_LIMIT = 255


def check_name(name: object, taken_by: int | None, location_id: int | None = None) -> str:
    """A location's name: required, and unique among the shop's locations (as on Shopify), so
    staff and apps can tell them apart. ``taken_by`` is the location already carrying it."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("name can't be blank", field="name")
    if len(name) > NAME_LIMIT:
        raise InvalidInput(f"name is too long (at most {NAME_LIMIT} characters)", field="name")
    if taken_by is not None and taken_by != location_id:
        raise InvalidInput("name has already been taken", field="name")
    return name.strip()


def check_disconnect(*, stocked_at: int, committed: int) -> None:
    """An item may leave a location only if it stays stocked somewhere (Shopify: every item has
    at least one inventory level) and no order's units wait there (they would lose their place)."""
    if committed > 0:
        raise InvalidTransition(
            f"{committed} unit(s) of this item are committed to orders at this location; ship, move or cancel them first",
            field="location_id",
        )
    if stocked_at <= 1:
        raise InvalidTransition(
            "an inventory item must stay stocked at one location at least; connect it to another location first",
            field="location_id",
        )
