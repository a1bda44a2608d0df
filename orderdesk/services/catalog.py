"""Catalog use cases: products and variants. Each change writes its timeline event (Shopify's
Product events) in the same transaction."""

from __future__ import annotations

import re
from typing import Any

from ..db.uow import UnitOfWork
from ..domain.access import Caller
from ..domain.errors import NotFound
from ..domain.product_events import ProductCreated, ProductDeleted, ProductEvent, ProductUpdated
from .context import Services
from .transaction import writing


def _handle(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "product"


def _record(uow: UnitOfWork, product_id: int, event: ProductEvent) -> None:
    uow.timeline.add_many(
        [
            {
                "subject_type": "Product",
                "subject_id": product_id,
                "verb": event.verb,
                "message": event.message(),
                "arguments": [[k, v] for k, v in event.arguments().items()],
                "author": event.author,
                "body": None,
                "created_at": event.at,
            }
        ]
    )


def _author(caller: Caller | None) -> str | None:
    return caller.name if caller is not None else None


def create_product(
    services: Services,
    product: dict[str, Any],
    variants: list[dict[str, Any]],
    *,
    uow: UnitOfWork | None = None,
    caller: Caller | None = None,
) -> int:
    at = services.clock.now()
    with writing(services, uow) as uow:
        base = product.get("handle") or _handle(product["title"])
        handle, n = base, 1
        while uow.products.handle_taken(handle):
            n += 1
            handle = f"{base}-{n}"
        product_id = uow.products.add({**product, "handle": handle}, variants, at)
        added = uow.products.get(product_id)
        assert added is not None, "the product was added in this transaction"
        _, rows = added
        uow.inventory.add_items(rows, at)
        _record(uow, product_id, ProductCreated(at=at, title=product["title"], author=_author(caller)))
    return product_id


def get_product(services: Services, product_id: int):
    with services.db.reading() as uow:
        found = uow.products.get(product_id)
    if found is None:
        raise NotFound("Not Found")
    return found


def update_product(services: Services, product_id: int, values: dict[str, Any], *, caller: Caller | None = None) -> None:
    at = services.clock.now()
    with services.db.writing() as uow:
        found = uow.products.get(product_id)
        if found is None:
            raise NotFound("Not Found")
        uow.products.update(product_id, values, at)
        _record(uow, product_id, ProductUpdated(at=at, title=values.get("title") or found[0]["title"], author=_author(caller)))
        uow.commit()


def delete_product(services: Services, product_id: int, *, caller: Caller | None = None) -> None:
    at = services.clock.now()
    with services.db.writing() as uow:
        found = uow.products.get(product_id)
        if found is None or not uow.products.delete(product_id):
            raise NotFound("Not Found")
        # The product is gone; its timeline stays, as Shopify's "destroy" events do.
        _record(uow, product_id, ProductDeleted(at=at, title=found[0]["title"], author=_author(caller)))
        uow.commit()


def list_products(services: Services, *, limit: int, since_id: int = 0, ids: tuple[int, ...] = ()):
    with services.db.reading() as uow:
        found = [uow.products.get(pid) for pid in uow.products.page_ids(limit=limit, since_id=since_id, ids=ids)]
    return [f for f in found if f is not None]


def count_products(services: Services) -> int:
    with services.db.reading() as uow:
        return uow.products.count()


def get_variant(services: Services, variant_id: int):
    with services.db.reading() as uow:
        row = uow.products.variant(variant_id)
    if row is None:
        raise NotFound("Not Found")
    return row


def stock_for(services: Services, variant_ids: list[int]) -> dict[int, dict[str, int]]:
    """Each variant's inventory item and what is available across locations."""
    with services.db.reading() as uow:
        items = uow.inventory.items_by_variant(variant_ids)
        available = uow.inventory.available_by_variant(variant_ids)
    return {vid: {"item_id": items[vid], "available": available.get(vid, 0)} for vid in items}
