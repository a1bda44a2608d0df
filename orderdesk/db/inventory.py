"""Locations, inventory items and stock levels. Every stock move is one conditional UPDATE."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, insert, select, update

from . import tables as t

lv = t.inventory_levels.c


class Inventory:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # --- locations -------------------------------------------------------------

    def add_location(self, values: dict[str, Any], at: datetime) -> int:
        return self.conn.execute(
            insert(t.locations).values(created_at=at, updated_at=at, **values).returning(t.locations.c.id)
        ).scalar_one()

    def locations(self, ids: tuple[int, ...] = ()) -> list[Any]:
        query = select(t.locations).order_by(t.locations.c.id)
        if ids:
            query = query.where(t.locations.c.id.in_(ids))
        return list(self.conn.execute(query).mappings())

    def location(self, location_id: int) -> Any | None:
        if not 0 < location_id <= 2**63 - 1:
            return None
        return self.conn.execute(select(t.locations).where(t.locations.c.id == location_id)).mappings().first()

    # --- items -------------------------------------------------------------------

    def add_items(self, variants: list[Any], at: datetime) -> None:
        """One inventory item per variant, stocked at every active location with zero available."""
        if not variants:
            return
        rows = [
            {
                "variant_id": v["id"],
                "sku": v["sku"],
                "tracked": v["inventory_management"] == "shopify",
                "requires_shipping": v["requires_shipping"],
                "created_at": at,
                "updated_at": at,
            }
            for v in variants
        ]
        item_ids = (
            self.conn.execute(insert(t.inventory_items).returning(t.inventory_items.c.id, sort_by_parameter_order=True), rows)
            .scalars()
            .all()
        )
        location_ids = [loc["id"] for loc in self.locations() if loc["active"]]
        levels = [
            {"inventory_item_id": item_id, "location_id": loc, "available": 0, "committed": 0, "updated_at": at}
            for item_id in item_ids
            for loc in location_ids
        ]
        if levels:
            self.conn.execute(insert(t.inventory_levels), levels)

    def item(self, item_id: int) -> Any | None:
        if not 0 < item_id <= 2**63 - 1:
            return None
        return self.conn.execute(select(t.inventory_items).where(t.inventory_items.c.id == item_id)).mappings().first()

    def items(self, ids: tuple[int, ...]) -> list[Any]:
        return list(
            self.conn.execute(select(t.inventory_items).where(t.inventory_items.c.id.in_(ids)).order_by(t.inventory_items.c.id)).mappings()
        )

    def stock_for_variants(self, variant_ids: list[int]) -> dict[int, dict[str, Any]]:
        """For each tracked variant: its item, policy and levels by location, in one statement."""
        if not variant_ids:
            return {}
        query = (
            select(t.inventory_items.c.id, t.inventory_items.c.variant_id, t.variants.c.inventory_policy, lv.location_id, lv.available)
            .join(t.variants, t.variants.c.id == t.inventory_items.c.variant_id)
            .outerjoin(t.inventory_levels, lv.inventory_item_id == t.inventory_items.c.id)
            .where(t.inventory_items.c.variant_id.in_(variant_ids), t.inventory_items.c.tracked.is_(True))
            .order_by(t.inventory_items.c.id, lv.location_id)
        )
        out: dict[int, dict[str, Any]] = {}
        for item_id, variant_id, policy, location_id, available in self.conn.execute(query):
            entry = out.setdefault(variant_id, {"item_id": item_id, "policy": policy, "levels": []})
            if location_id is not None:
                entry["levels"].append((location_id, available))
        return out

    def items_for_variants(self, variant_ids: list[int]) -> dict[int, tuple[int, str]]:
        """Variant id -> (its inventory item id, its inventory policy), tracked or not."""
        if not variant_ids:
            return {}
        query = (
            select(t.inventory_items.c.variant_id, t.inventory_items.c.id, t.variants.c.inventory_policy)
            .join(t.variants, t.variants.c.id == t.inventory_items.c.variant_id)
            .where(t.inventory_items.c.variant_id.in_(variant_ids))
        )
        return {variant_id: (item_id, policy) for variant_id, item_id, policy in self.conn.execute(query)}

    def level(self, item_id: int, location_id: int) -> Any | None:
        return (
            self.conn.execute(select(t.inventory_levels).where(lv.inventory_item_id == item_id, lv.location_id == location_id))
            .mappings()
            .first()
        )

    def items_by_variant(self, variant_ids: list[int]) -> dict[int, int]:
        if not variant_ids:
            return {}
        query = select(t.inventory_items.c.variant_id, t.inventory_items.c.id).where(t.inventory_items.c.variant_id.in_(variant_ids))
        return dict(self.conn.execute(query).all())

    # --- stock moves ---------------------------------------------------------------

    def commit(self, item_id: int, location_id: int, quantity: int, *, allow_negative: bool, at: datetime) -> int | None:
        """Move ``quantity`` from available to committed; the new available, or None if short."""
        condition = and_(lv.inventory_item_id == item_id, lv.location_id == location_id)
        if not allow_negative:
            condition = and_(condition, lv.available >= quantity)
        return self.conn.execute(
            update(t.inventory_levels)
            .where(condition)
            .values(available=lv.available - quantity, committed=lv.committed + quantity, updated_at=at)
            .returning(lv.available)
        ).scalar()

    def release(self, item_id: int, location_id: int, quantity: int, at: datetime) -> None:
        """Committed stock goes back to available (a cancel or a cancel-type refund)."""
        self.conn.execute(
            update(t.inventory_levels)
            .where(lv.inventory_item_id == item_id, lv.location_id == location_id)
            .values(
                available=lv.available + quantity,
                committed=func.max(lv.committed - quantity, 0)
                if self.conn.dialect.name == "sqlite"
                else func.greatest(lv.committed - quantity, 0),
                updated_at=at,
            )
        )

    def move_committed(self, item_id: int, location_id: int, delta: int, at: datetime) -> None:
        """Shipped goods leave the committed count (delta < 0); an undone shipment returns them."""
        self.conn.execute(
            update(t.inventory_levels)
            .where(lv.inventory_item_id == item_id, lv.location_id == location_id)
            .values(committed=lv.committed + delta, updated_at=at)
        )

    def restock(self, item_id: int, location_id: int, quantity: int, at: datetime) -> None:
        """Returned goods are available again (at a location that did not stock the item, it does now)."""
        if self.adjust(item_id, location_id, quantity, at) is None and self.location(location_id) is not None:
            self.set(item_id, location_id, quantity, at)

    def adjust(self, item_id: int, location_id: int, delta: int, at: datetime) -> Any | None:
        return (
            self.conn.execute(
                update(t.inventory_levels)
                .where(lv.inventory_item_id == item_id, lv.location_id == location_id)
                .values(available=lv.available + delta, updated_at=at)
                .returning(*t.inventory_levels.c)
            )
            .mappings()
            .first()
        )

    def set(self, item_id: int, location_id: int, available: int, at: datetime) -> Any:
        row = (
            self.conn.execute(
                update(t.inventory_levels)
                .where(lv.inventory_item_id == item_id, lv.location_id == location_id)
                .values(available=available, updated_at=at)
                .returning(*t.inventory_levels.c)
            )
            .mappings()
            .first()
        )
        if row is None:
            row = (
                self.conn.execute(
                    insert(t.inventory_levels)
                    .values(inventory_item_id=item_id, location_id=location_id, available=available, committed=0, updated_at=at)
                    .returning(*t.inventory_levels.c)
                )
                .mappings()
                .one()
            )
        return row

    def levels(self, *, item_ids: tuple[int, ...] = (), location_ids: tuple[int, ...] = (), limit: int = 250) -> list[Any]:
        query = select(t.inventory_levels).order_by(lv.inventory_item_id, lv.location_id).limit(limit)
        if item_ids:
            query = query.where(lv.inventory_item_id.in_(item_ids))
        if location_ids:
            query = query.where(lv.location_id.in_(location_ids))
        return list(self.conn.execute(query).mappings())

    def available_by_variant(self, variant_ids: list[int]) -> dict[int, int]:
        if not variant_ids:
            return {}
        query = (
            select(t.inventory_items.c.variant_id, func.coalesce(func.sum(lv.available), 0))
            .outerjoin(t.inventory_levels, lv.inventory_item_id == t.inventory_items.c.id)
            .where(t.inventory_items.c.variant_id.in_(variant_ids))
            .group_by(t.inventory_items.c.variant_id)
        )
        return {vid: int(total) for vid, total in self.conn.execute(query)}
