"""Customers as orders see them: who placed the order and how to reach them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Customer:
    id: int | None
    email: str | None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    state: str = "disabled"
    note: str | None = None
    tags: str = ""
    verified_email: bool = True
    tax_exempt: bool = False
    accepts_marketing: bool = False
    currency: str | None = None
    default_address: dict[str, Any] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def display_name(self) -> str:
        name = " ".join(p for p in (self.first_name, self.last_name) if p)
        return name or self.email or f"Customer {self.id}"
