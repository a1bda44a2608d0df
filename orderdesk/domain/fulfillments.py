"""Fulfillment facts: which quantities of which lines left which location."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

FULFILLMENT_STATUSES = ("pending", "open", "success", "cancelled", "error", "failure")


@dataclass
class Fulfillment:
    # line item id (or its position before ids exist) -> quantity
    quantities: dict[int, int]
    status: str = "success"
    id: int | None = None
    name: str | None = None
    location_id: int | None = None
    service: str = "manual"
    tracking_company: str | None = None
    tracking_numbers: list[str] = field(default_factory=list)
    tracking_urls: list[str] = field(default_factory=list)
    shipment_status: str | None = None
    notify_customer: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None
    fulfillment_order_id: int | None = None

    def line_ids(self) -> dict[int, int]:
        """Line item id -> its fulfillment line item id.

        The lines live inside the fulfillment row, so their ids are derived from it (as refund
        lines' are). They follow line item ids, not storage order: PostgreSQL's JSONB reorders keys.
        """
        if self.id is None:
            return {}
        return {key: self.id * 1000 + n for n, key in enumerate(sorted(self.quantities), start=1)}

    @property
    def counts(self) -> bool:
        """Whether this fulfillment's quantities count as fulfilled."""
        return self.status in ("success", "open", "pending")
