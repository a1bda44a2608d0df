"""Customers with their order count and total spent, and the writes the customer API makes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from ..domain.customer import Customer
from . import tables as t
from .mapping import customer_from_row

CustomerStats = tuple[Customer, int, Decimal]


class CustomerDirectory:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def _stats(self, ids: list[int]) -> dict[int, tuple[int, Decimal]]:
        if not ids:
            return {}
        o = t.orders.c
        live = (o.customer_id.in_(ids), o.cancelled_at.is_(None))
        if self.conn.dialect.name == "sqlite":
            # SUM over decimal text would go through REAL on SQLite; add exact Decimals here.
            totals: dict[int, tuple[int, Decimal]] = {}
            for cid, amount in self.conn.execute(select(o.customer_id, o.total_price).where(*live)):
                n, s = totals.get(cid, (0, Decimal(0)))
                totals[cid] = (n + 1, s + amount)
            return totals
        query = select(o.customer_id, func.count(), func.sum(o.total_price)).where(*live).group_by(o.customer_id)
        return {cid: (n, Decimal(s or 0)) for cid, n, s in self.conn.execute(query)}

    def _with_stats(self, rows: list[Any]) -> list[CustomerStats]:
        stats = self._stats([r["id"] for r in rows])
        return [(customer_from_row(r), *stats.get(r["id"], (0, Decimal(0)))) for r in rows]

    def get(self, customer_id: int) -> CustomerStats | None:
        row = self.conn.execute(select(t.customers).where(t.customers.c.id == customer_id)).mappings().first()
        return self._with_stats([row])[0] if row else None

    def page(self, *, limit: int, since_id: int = 0, ids: tuple[int, ...] = ()) -> list[CustomerStats]:
        query = select(t.customers).where(t.customers.c.id > since_id).order_by(t.customers.c.id).limit(limit)
        if ids:
            query = query.where(t.customers.c.id.in_(ids))
        return self._with_stats(list(self.conn.execute(query).mappings()))

    def count(self) -> int:
        return self.conn.execute(select(func.count()).select_from(t.customers)).scalar_one()

    def id_for_email(self, email: str) -> int | None:
        return self.conn.execute(select(t.customers.c.id).where(t.customers.c.email == email)).scalar()

    def create(self, values: dict[str, Any], at: datetime) -> int:
        return self.conn.execute(
            insert(t.customers).values(created_at=at, updated_at=at, **values).returning(t.customers.c.id)
        ).scalar_one()

    def lock(self, customer_id: int) -> bool:
        query = select(t.customers.c.id).where(t.customers.c.id == customer_id)
        if self.conn.dialect.name == "postgresql":
            query = query.with_for_update()
        return self.conn.execute(query).scalar() is not None

    def update(self, customer_id: int, values: dict[str, Any], at: datetime) -> None:
        self.conn.execute(update(t.customers).where(t.customers.c.id == customer_id).values(updated_at=at, **values))
