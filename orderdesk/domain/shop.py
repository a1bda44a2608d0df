"""The shop: its currency, time zone, order naming and presentment exchange rates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from .errors import InvalidInput
from .money import Money, MoneyBag, check_currency


def check_timezone(name: object, *, field: str = "iana_timezone") -> str:
    """An IANA time zone name this machine knows (``Europe/Berlin``); order times are shown in it."""
    if isinstance(name, str) and name.strip():
        try:
            ZoneInfo(name.strip())
            return name.strip()
        except (KeyError, ValueError, OSError):  # unknown, malformed, or a folder such as "Europe"
            pass
    raise InvalidInput(f"{field} is not a known IANA time zone such as Europe/Berlin: {name!r}", field=field)


def check_rates(rates: object, shop_currency: str, *, field: str = "exchange_rates") -> dict[str, str]:
    """Presentment currency -> positive shop-currency units per unit, as decimal strings."""
    if not isinstance(rates, dict):
        raise InvalidInput("exchange rates must map currency codes to rates", field=field)
    checked = {}
    for code, rate in rates.items():
        code = check_currency(code, field=field)
        try:
            value = Decimal(str(rate).strip()) if not isinstance(rate, float | bool) else None
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or value <= 0:
            raise InvalidInput(f"exchange rate for {code} must be a positive decimal, got {rate!r}", field=field)
        if code == shop_currency:
            raise InvalidInput(f"{code} is the shop's currency; it needs no exchange rate", field=field)
        checked[code] = str(rate).strip()
    return checked


@dataclass
class Shop:
    name: str
    email: str
    domain: str
    currency: str
    iana_timezone: str = "UTC"
    order_name_prefix: str = "#"
    order_name_suffix: str = ""
    order_number_offset: int = 1000
    # presentment currency -> shop-currency amount for one unit of it, as a decimal string
    exchange_rates: dict[str, str] = field(default_factory=dict)
    created_at: datetime | None = None
    auto_archive: bool = True
    fulfillment_automation: str = "manual"  # manual | digital | all
    hold_unpaid_fulfillment: bool = False
    webhook_secret: str | None = None
    # The server's secret for signing links; comes from the server's settings, never the database.
    link_secret: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        # The same rules for every way a shop is set up: the CLI, the API and the admin settings.
        self.currency = check_currency(self.currency)
        self.iana_timezone = check_timezone(self.iana_timezone)
        self.exchange_rates = check_rates(self.exchange_rates, self.currency)

    @property
    def url(self) -> str:
        """The shop's base URL; plain http only for a shop served on this machine."""
        local = self.domain.startswith(("localhost", "127.", "[::1]"))
        return f"{'http' if local else 'https'}://{self.domain}"

    def rate(self, presentment_currency: str) -> Decimal:
        """Shop-currency units per presentment unit. Raises InvalidInput if none is configured."""
        if presentment_currency == self.currency:
            return Decimal(1)
        try:
            return Decimal(self.exchange_rates[presentment_currency])
        except KeyError:
            raise InvalidInput(
                f"No exchange rate from {presentment_currency} to {self.currency} is configured",
                field="presentment_currency",
            ) from None

    def in_both(self, presentment: Money) -> MoneyBag:
        """A presentment amount together with its shop-currency equivalent."""
        shop_amount = Money(presentment.amount * self.rate(presentment.currency), self.currency)
        return MoneyBag(shop_amount.rounded(), presentment)
