"""Fulfillment services (third-party warehouses) and the fulfillment orders assigned to them."""

from __future__ import annotations

import builtins  # the repository has a method named list: its class body spells the type builtins.list
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from . import tables as t

s = t.fulfillment_services.c
fo = t.fulfillment_orders.c

MAX_ID = 2**63 - 1


def _owned_by(app_id: int | None):
    """The services the app ``app_id`` owns, plus those with no recorded owner."""
    if app_id is None:
        return s.app_id.is_(None)
    return (s.app_id == app_id) | s.app_id.is_(None)


class FulfillmentServiceRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        # by_location() for this unit of work: a fulfillment is checked against the services'
        # locations and then saved with them, and both need the same map.
        self._by_location: dict[int, tuple[int, str]] | None = None
        self._owners: dict[int, int | None] = {}

    def list(self, *, owner: int | None = None, every: bool = True) -> list[Any]:
        """All the shop's services (``every``), or only those the app ``owner`` sees: the ones
        it registered and those with no recorded owner."""
        query = select(t.fulfillment_services).order_by(s.id)
        if not every:
            query = query.where(_owned_by(owner))
        return list(self.conn.execute(query).mappings())

    def get(self, service_id: int) -> Any | None:
        if not 0 < service_id <= MAX_ID:
            return None
        return self.conn.execute(select(t.fulfillment_services).where(s.id == service_id)).mappings().first()

    def many(self, ids: builtins.list[int]) -> dict[int, Any]:
        if not ids:
            return {}
        rows = self.conn.execute(select(t.fulfillment_services).where(s.id.in_(ids))).mappings()
        return {r["id"]: r for r in rows}

    def find(self, *, name: str | None = None, handle: str | None = None) -> Any | None:
        query = select(t.fulfillment_services)
        if name is not None:
            query = query.where(s.name == name)
        if handle is not None:
            query = query.where(s.handle == handle)
        return self.conn.execute(query.limit(1)).mappings().first()

    def by_location(self) -> dict[int, tuple[int, str]]:
        """Location id -> (id, handle) of the service that owns it, read once per unit of work."""
        if self._by_location is None:
            rows = list(self.conn.execute(select(s.id, s.location_id, s.handle, s.app_id)))
            self._by_location = {loc: (sid, handle) for sid, loc, handle, _ in rows}
            self._owners = {sid: app for sid, _, _, app in rows}
        return self._by_location

    def owner(self, service_id: int) -> int | None:
        """The app that registered the service (None: nobody recorded), from the same read as by_location."""
        self.by_location()
        return self._owners.get(service_id)

    def visible_to(self, app_id: int | None) -> builtins.list[int]:
        """Ids of the services an app sees the work of: those it registered, and those nobody
        is recorded as owning (registered before owners were recorded)."""
        return [sid for (sid,) in self.conn.execute(select(s.id).where(_owned_by(app_id)).order_by(s.id))]

    def add(self, values: dict[str, Any]) -> int:
        self._by_location = None
        return int(self.conn.execute(insert(t.fulfillment_services).values(**values).returning(s.id)).scalar_one())

    def update(self, service_id: int, values: dict[str, Any]) -> None:
        self._by_location = None
        self.conn.execute(update(t.fulfillment_services).where(s.id == service_id).values(**values))

    def update_location(self, location_id: int, values: dict[str, Any]) -> None:
        """The service's own location follows its name, and is deactivated when it goes."""
        self.conn.execute(update(t.locations).where(t.locations.c.id == location_id).values(**values))

    def delete(self, service_id: int) -> None:
        """Remove the service; its live fulfillment orders become the merchant's to fulfil."""
        self._by_location = None
        self.conn.execute(
            update(t.fulfillment_orders)
            .where(fo.service_id == service_id, fo.status.not_in(("closed", "cancelled", "incomplete")))
            .values(service_id=None, request_status="unsubmitted")
        )
        self.conn.execute(delete(t.fulfillment_services).where(s.id == service_id))

    def assigned_order_ids(
        self,
        service_ids: builtins.list[int],
        request_statuses: tuple[str, ...] | None,
        location_ids: tuple[int, ...] = (),
        limit: int = 250,
    ) -> builtins.list[tuple[int, int]]:
        """(fulfillment order id, order id) of the fulfillment orders at these services'
        locations, closed ones left out (as Shopify does)."""
        if not service_ids:
            return []
        at_services = select(s.location_id).where(s.id.in_(service_ids))
        query = (
            select(fo.id, fo.order_id).where(fo.assigned_location_id.in_(at_services), fo.status != "closed").order_by(fo.id).limit(limit)
        )
        if request_statuses:
            query = query.where(fo.request_status.in_(request_statuses))
        if location_ids:
            query = query.where(fo.assigned_location_id.in_(location_ids))
        return [(a, b) for a, b in self.conn.execute(query)]
