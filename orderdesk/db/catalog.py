"""Products and variants: the catalog orders refer to."""

from __future__ import annotations

from datetime import datetime
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from ..domain.placement import Variant
from . import tables as t

VARIANT_FIELDS = (
    "title",
    "sku",
    "barcode",
    "price",
    "compare_at_price",
    "position",
    "option1",
    "option2",
    "option3",
    "requires_shipping",
    "taxable",
    "grams",
    "inventory_policy",
    "inventory_management",
    "fulfillment_service",
)
PRODUCT_FIELDS = ("title", "body_html", "vendor", "product_type", "handle", "status", "tags", "published_at")


class ProductRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def variants_for_order(self, variant_ids: list[int]) -> dict[int, Variant]:
        """Variants with their product's title and vendor, in one statement."""
        variant_ids = [i for i in variant_ids if 0 < i <= 2**63 - 1]  # beyond BIGINT names no row
        if not variant_ids:
            return {}
        query = (
            select(t.variants, t.products.c.title.label("product_title"), t.products.c.vendor.label("product_vendor"))
            .join(t.products, t.products.c.id == t.variants.c.product_id)
            .where(t.variants.c.id.in_(variant_ids))
        )
        return {
            r["id"]: Variant(
                price=r["price"],
                title=r["title"],
                product_title=r["product_title"],
                product_id=r["product_id"],
                sku=r["sku"],
                vendor=r["product_vendor"],
                grams=r["grams"],
                requires_shipping=r["requires_shipping"],
                taxable=r["taxable"],
                fulfillment_service=r["fulfillment_service"],
                inventory_management=r["inventory_management"],
            )
            for r in self.conn.execute(query).mappings()
        }

    def add(self, product: dict[str, Any], variants: list[dict[str, Any]], at: datetime) -> int:
        values = {k: product.get(k) for k in PRODUCT_FIELDS if product.get(k) is not None}
        product_id = self.conn.execute(
            insert(t.products).values(created_at=at, updated_at=at, **values).returning(t.products.c.id)
        ).scalar_one()
        rows = [
            {
                **{k: v.get(k) for k in VARIANT_FIELDS if v.get(k) is not None},
                "product_id": product_id,
                "position": v.get("position") or i,
                "created_at": at,
                "updated_at": at,
            }
            for i, v in enumerate(variants, start=1)
        ]
        # A field left out takes the column's default, so rows may name different columns; one
        # multi-row INSERT needs the same ones in every row: consecutive rows alike go together, in order.
        for _, batch in groupby(rows, key=lambda row: sorted(row)):
            self.conn.execute(insert(t.variants), list(batch))
        return product_id

    def update(self, product_id: int, product: dict[str, Any], at: datetime) -> None:
        values = {k: product[k] for k in PRODUCT_FIELDS if k in product}
        self.conn.execute(update(t.products).where(t.products.c.id == product_id).values(updated_at=at, **values))

    def update_variant(self, variant_id: int, variant: dict[str, Any], at: datetime) -> None:
        values = {k: variant[k] for k in VARIANT_FIELDS if k in variant}
        self.conn.execute(update(t.variants).where(t.variants.c.id == variant_id).values(updated_at=at, **values))

    def delete(self, product_id: int) -> bool:
        return self.conn.execute(delete(t.products).where(t.products.c.id == product_id)).rowcount > 0

    def get(self, product_id: int) -> tuple[Any, list[Any]] | None:
        row = self.conn.execute(select(t.products).where(t.products.c.id == product_id)).mappings().first()
        if row is None:
            return None
        variants = list(
            self.conn.execute(
                select(t.variants).where(t.variants.c.product_id == product_id).order_by(t.variants.c.position, t.variants.c.id)
            ).mappings()
        )
        return row, variants

    def handle_taken(self, handle: str) -> bool:
        return self.conn.execute(select(t.products.c.id).where(t.products.c.handle == handle)).first() is not None

    def page_ids(self, *, limit: int, since_id: int = 0, ids: tuple[int, ...] = ()) -> list[int]:
        query = select(t.products.c.id).where(t.products.c.id > since_id).order_by(t.products.c.id).limit(limit)
        if ids:
            query = query.where(t.products.c.id.in_(ids))
        return list(self.conn.execute(query).scalars())

    def variant(self, variant_id: int) -> Any | None:
        if not 0 < variant_id <= 2**63 - 1:
            return None
        return self.conn.execute(select(t.variants).where(t.variants.c.id == variant_id)).mappings().first()

    def count(self) -> int:
        return self.conn.execute(select(func.count()).select_from(t.products)).scalar_one()
