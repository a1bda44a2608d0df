"""What happened to a product, as timeline facts with Shopify's event verbs and messages
(``GET /events.json?filter=Product`` lists them beside the orders' events)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class ProductEvent:
    at: datetime
    title: str
    author: str | None = None

    verb = "update"
    done = "updated"

    def message(self) -> str:
        return f"Product was {self.done}: {self.title}."

    def arguments(self) -> dict[str, Any]:
        # Shopify's arguments for a product event are its title alone.
        return {"title": self.title}


@dataclass(frozen=True)
class ProductCreated(ProductEvent):
    verb = "create"
    done = "created"


@dataclass(frozen=True)
class ProductUpdated(ProductEvent):
    verb = "update"
    done = "updated"


@dataclass(frozen=True)
class ProductDeleted(ProductEvent):
    verb = "destroy"
    done = "deleted"
