"""What the admin shows about an order's fulfillment: each fulfillment order with the names
staff know (locations, fulfillment services, line titles), what may be done with it now, and
the stock of its items at the locations it could move to. A read: it changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..domain.fulfillment_summary import FulfillmentOrderSummary, summarize
from ..domain.order import Order
from .context import Services


@dataclass(frozen=True)
class LineStock:
    title: str
    # Units available there; None when the item is not stocked there, or not tracked at all.
    available: int | None
    tracked: bool


@dataclass(frozen=True)
class MoveTarget:
    location_id: int
    name: str
    stock: list[LineStock]

    @property
    def summary(self) -> str:
        """One line for a select's option: each line's item and what is available there."""
        parts = []
        for s in self.stock:
            if not s.tracked:
                parts.append(f"{s.title}: not tracked")
            elif s.available is None:
                parts.append(f"{s.title}: not stocked")
            else:
                parts.append(f"{s.title}: {s.available} available")
        return " · ".join(parts)


@dataclass(frozen=True)
class FulfillmentOverview:
    cards: list[FulfillmentOrderSummary]
    location_names: dict[int, str]
    service_names: dict[int, str]  # by service id
    move_targets: dict[int, list[MoveTarget]]  # by fulfillment order id
    line_names: dict[int, str]  # the order's lines by id, as a shipment lists them

    def card(self, fo_id: int) -> FulfillmentOrderSummary | None:
        return next((c for c in self.cards if c.fo.id == fo_id), None)

    def location_name(self, location_id: int | None) -> str:
        if location_id is None:
            return "No location"
        return self.location_names.get(location_id, f"Location {location_id}")


def overview(services: Services, order: Order) -> FulfillmentOverview:
    """``order`` must have been loaded with its fulfillment orders (the caller's own read)."""
    cards = summarize(order)
    with services.db.reading() as uow:
        locations = uow.inventory.locations()
        service_rows: list[Any] = uow.fulfillment_services.list(every=True)
        variant_ids = sorted({line.variant_id for c in cards if c.may("move") for line in c.lines if line.variant_id is not None})
        stock = uow.inventory.stock_for_variants(variant_ids)
    names = {row["id"]: row["name"] for row in locations}
    service_names = {row["id"]: row["name"] for row in service_rows}
    service_at = {row["location_id"]: row["name"] for row in service_rows}
    targets: dict[int, list[MoveTarget]] = {}
    for c in cards:
        if not c.may("move") or c.fo.id is None:
            continue
        out = []
        for loc in locations:
            if not loc["active"] or loc["id"] == c.fo.assigned_location_id:
                continue
            levels = []
            for line in c.lines:
                if not line.to_fulfill:
                    continue
                entry = stock.get(line.variant_id) if line.variant_id is not None else None
                if entry is None:
                    levels.append(LineStock(line.title, None, False))
                else:
                    available = dict(entry["levels"]).get(loc["id"])
                    levels.append(LineStock(line.title, available, True))
            label = loc["name"] if loc["id"] not in service_at else f"{loc['name']} (fulfillment service)"
            out.append(MoveTarget(loc["id"], label, levels))
        targets[c.fo.id] = out
    line_names = {li.id: li.name for li in order.line_items if li.id is not None}
    return FulfillmentOverview(cards, names, service_names, targets, line_names)


def service_name(services: Services, service_id: int | None) -> str:
    """The fulfillment service's name, for a note of what was asked of it."""
    with services.db.reading() as uow:
        row = uow.fulfillment_services.get(service_id) if service_id is not None else None
    return row["name"] if row is not None else "the fulfillment service"
