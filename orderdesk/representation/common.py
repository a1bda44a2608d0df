"""Money, time and id formatting as Shopify writes them."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any, overload
from zoneinfo import ZoneInfo

from ..domain.money import Money, MoneyBag


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@overload
def timestamp(value: datetime, tz: str) -> str: ...
@overload
def timestamp(value: None, tz: str) -> None: ...
@overload
def timestamp(value: datetime | None, tz: str) -> str | None: ...
def timestamp(value: datetime | None, tz: str) -> str | None:
    """ISO-8601 in shop time with its offset, e.g. ``2008-01-10T11:00:00-05:00``."""
    if value is None:
        return None
    return value.astimezone(_zone(tz)).isoformat(timespec="seconds")


def money(value: Money) -> dict[str, str]:
    return {"amount": value.format(), "currency_code": value.currency}


def money_set(value: MoneyBag) -> dict[str, dict[str, str]]:
    return {"shop_money": money(value.shop), "presentment_money": money(value.presentment)}


def gid(kind: str, id_: int | None) -> str | None:
    return None if id_ is None else f"gid://shopify/{kind}/{id_}"


def only_fields(data: dict[str, Any], fields: list[str] | None) -> dict[str, Any]:
    if not fields:
        return data
    return {k: data[k] for k in fields if k in data}
