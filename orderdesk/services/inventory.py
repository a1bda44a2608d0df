"""Inventory use cases for the REST API: locations, levels, adjustments."""

from __future__ import annotations

from typing import Any

from ..domain.errors import InvalidInput, NotFound
from .context import Services
from .transaction import writing


def locations(services: Services, ids: tuple[int, ...] = ()) -> list[Any]:
    with services.db.reading() as uow:
        return uow.inventory.locations(ids)


def location(services: Services, location_id: int) -> Any:
    with services.db.reading() as uow:
        row = uow.inventory.location(location_id)
    if row is None:
        raise NotFound("Not Found")
    return row


def create_location(services: Services, values: dict[str, Any]) -> Any:
    with writing(services, None) as uow:
        location_id = uow.inventory.add_location(values, services.clock.now())
        return uow.inventory.location(location_id)


def levels(services: Services, *, item_ids: tuple[int, ...] = (), location_ids: tuple[int, ...] = (), limit: int = 50) -> list[Any]:
    if not item_ids and not location_ids:
        raise InvalidInput("inventory_item_ids or location_ids is required", field="inventory_item_ids")
    with services.db.reading() as uow:
        return uow.inventory.levels(item_ids=item_ids, location_ids=location_ids, limit=limit)


def items(services: Services, ids: tuple[int, ...]) -> list[Any]:
    with services.db.reading() as uow:
        return uow.inventory.items(ids)


def item(services: Services, item_id: int) -> Any:
    with services.db.reading() as uow:
        row = uow.inventory.item(item_id)
    if row is None:
        raise NotFound("Not Found")
    return row


def _check(uow, item_id: int, location_id: int) -> None:
    if uow.inventory.item(item_id) is None:
        raise InvalidInput(f"inventory item {item_id} does not exist", field="inventory_item_id")
    if uow.inventory.location(location_id) is None:
        raise InvalidInput(f"location {location_id} does not exist", field="location_id")


def adjust(services: Services, item_id: int, location_id: int, delta: int, *, uow=None) -> Any:
    """Add ``delta`` (may be negative) to what is available. One conditional UPDATE."""
    with writing(services, uow) as uow:
        _check(uow, item_id, location_id)
        row = uow.inventory.adjust(item_id, location_id, delta, services.clock.now())
        if row is None:
            raise InvalidInput("the item is not stocked at that location; set a level first", field="location_id")
        return row


def set_available(services: Services, item_id: int, location_id: int, available: int, *, uow=None) -> Any:
    with writing(services, uow) as uow:
        _check(uow, item_id, location_id)
        return uow.inventory.set(item_id, location_id, available, services.clock.now())
