"""The shop's settings row (one shop per installation)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from ..domain.shop import Shop
from . import tables as t


def _from_row(row: Any) -> Shop:
    return Shop(
        name=row["name"],
        email=row["email"],
        domain=row["domain"],
        currency=row["currency"],
        iana_timezone=row["iana_timezone"],
        order_name_prefix=row["order_name_prefix"],
        order_name_suffix=row["order_name_suffix"],
        order_number_offset=row["order_number_offset"],
        exchange_rates=dict(row["exchange_rates"] or {}),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        auto_archive=row["auto_archive"],
        fulfillment_automation=row["fulfillment_automation"],
        hold_unpaid_fulfillment=row["hold_unpaid_fulfillment"],
        webhook_secret=row["webhook_secret"],
        public_url=row["public_url"],
        logo_updated_at=row["logo_updated_at"],
    )


class ShopRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self) -> Shop | None:
        row = self.conn.execute(select(t.shop).where(t.shop.c.id == 1)).mappings().first()
        return _from_row(row) if row else None

    def put(self, shop: Shop, at: datetime) -> None:
        values = {
            "name": shop.name,
            "email": shop.email,
            "domain": shop.domain,
            "currency": shop.currency,
            "iana_timezone": shop.iana_timezone,
            "order_name_prefix": shop.order_name_prefix,
            "order_name_suffix": shop.order_name_suffix,
            "order_number_offset": shop.order_number_offset,
            "exchange_rates": shop.exchange_rates,
            "auto_archive": shop.auto_archive,
            "fulfillment_automation": shop.fulfillment_automation,
            "hold_unpaid_fulfillment": shop.hold_unpaid_fulfillment,
            "webhook_secret": shop.webhook_secret,
            "public_url": shop.public_url,
            "updated_at": at,
        }
        if self.get() is None:
            self.conn.execute(insert(t.shop).values(id=1, created_at=at, **values))
        else:
            self.conn.execute(update(t.shop).where(t.shop.c.id == 1).values(**values))

    def logo(self) -> tuple[str, bytes] | None:
        """The logo's content type and bytes, or None."""
        row = self.conn.execute(select(t.shop_logo.c.content_type, t.shop_logo.c.data).where(t.shop_logo.c.id == 1)).first()
        return (row.content_type, bytes(row.data)) if row else None

    # The logo (and logo_updated_at) change only here, never through put(): re-running
    # `shop init` keeps the logo.
    def put_logo(self, content_type: str, data: bytes, at: datetime) -> None:
        self.conn.execute(delete(t.shop_logo))
        self.conn.execute(insert(t.shop_logo).values(id=1, content_type=content_type, data=data, updated_at=at))
        self.conn.execute(update(t.shop).where(t.shop.c.id == 1).values(logo_updated_at=at, updated_at=at))

    def remove_logo(self, at: datetime) -> None:
        self.conn.execute(delete(t.shop_logo))
        self.conn.execute(update(t.shop).where(t.shop.c.id == 1).values(logo_updated_at=None, updated_at=at))
