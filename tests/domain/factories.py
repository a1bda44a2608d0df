"""Small builders for domain objects (no database)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from orderdesk.domain.money import Money, MoneyBag
from orderdesk.domain.order import LineItem
from orderdesk.domain.payments import Transaction

AT = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def usd_bag(amount: str | Decimal) -> MoneyBag:
    return MoneyBag.single(Money(Decimal(amount), "USD"))


def tx(kind: str, amount: str = "100.00", status: str = "success", **kw) -> Transaction:
    return Transaction(kind=kind, status=status, amount=usd_bag(amount), **kw)


def line(title: str = "Boots", price: str = "10.00", quantity: int = 1, *, id: int | None = None, **kw) -> LineItem:
    return LineItem(title=title, quantity=quantity, price=usd_bag(price), id=id, **kw)
