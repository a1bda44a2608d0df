"""Inventory use cases for the REST API: locations, levels, adjustments."""

from __future__ import annotations

from typing import Any

from ..db.uow import UnitOfWork
from ..domain import locations as rules
from ..domain.errors import InvalidInput, NotFound
from ..representation import places
from .context import Services
from .transaction import writing

ADDRESS_FIELDS = ("address1", "address2", "city", "zip", "phone")


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


def primary_location(services: Services) -> Any | None:
    with services.db.reading() as uow:
        return uow.inventory.primary_location()


def _address(values: dict[str, Any], country_now: str | None) -> dict[str, Any]:
    """The columns to write from what the client sent: the country as its ISO code (a name is
    accepted too), the province by name (its code is accepted too, looked up in the country)."""
    out = {k: values[k] for k in ADDRESS_FIELDS if k in values}
    sent = values.get("country_code") or values.get("country")
    if sent is not None:
        code = places.country_code(sent)
        if code is None:
            raise InvalidInput(f"country_code is not a known ISO 3166 country: {sent[:40]!r}", field="country_code")
        out["country_code"] = code
    country = out.get("country_code", country_now)
    if values.get("province_code"):
        name = places.province_name(country, values["province_code"]) if country else None
        if name is None:
            raise InvalidInput(
                f"province_code {values['province_code'][:20]!r} is not a province of {country or 'the location’s country'}",
                field="province_code",
            )
        out["province"] = name
    elif "province" in values:
        out["province"] = values["province"]
    elif country != country_now:
        out["province"] = None  # the old province belongs to the old country
    return out


def add_location(services: Services, values: dict[str, Any], *, uow: UnitOfWork | None = None) -> Any:
    """A location of the merchant's own (a fulfillment service's comes with the service)."""
    at = services.clock.now()
    with writing(services, uow) as uow:
        name = rules.check_name(values.get("name"), uow.inventory.location_named(str(values.get("name") or "")))
        address = _address(values, None)
        if not address.get("country_code"):
            raise InvalidInput("country_code can't be blank", field="country_code")
        location_id = uow.inventory.add_location({**address, "name": name}, at)
        return uow.inventory.location(location_id)


def update_location(services: Services, location_id: int, values: dict[str, Any], *, uow: UnitOfWork | None = None) -> Any:
    """Rename a location or change its address; what is not sent stays."""
    at = services.clock.now()
    with writing(services, uow) as uow:
        row = uow.inventory.location(location_id)
        if row is None:
            raise NotFound("Not Found")
        changes = _address(values, row["country_code"])
        if "name" in values:
            changes["name"] = rules.check_name(values["name"], uow.inventory.location_named(str(values["name"] or "")), location_id)
        if not changes:
            return row
        return uow.inventory.update_location(location_id, changes, at)


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


def connect(services: Services, item_id: int, location_id: int, *, uow: UnitOfWork | None = None) -> tuple[Any, bool]:
    """Stock the item at the location (nothing available yet); the level, and whether it is new.
    Connecting an item that is stocked there already changes nothing."""
    with writing(services, uow) as uow:
        _check(uow, item_id, location_id)
        uow.inventory.lock_item(item_id)
        existing = uow.inventory.level(item_id, location_id)
        if existing is not None:
            return existing, False
        return uow.inventory.connect(item_id, location_id, services.clock.now()), True


def disconnect(services: Services, item_id: int, location_id: int, *, uow: UnitOfWork | None = None) -> None:
    """The item is no longer stocked at the location (Shopify's DELETE inventory_levels)."""
    with writing(services, uow) as uow:
        _check(uow, item_id, location_id)
        uow.inventory.lock_item(item_id)
        level = uow.inventory.level(item_id, location_id)
        if level is None:
            raise NotFound("Not Found")
        rules.check_disconnect(stocked_at=uow.inventory.stocked_at(item_id), committed=level["committed"])
        uow.inventory.disconnect(item_id, location_id)
