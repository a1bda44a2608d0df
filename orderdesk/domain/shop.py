"""The shop: its currency, time zone, order naming, presentment exchange rates and public address."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from .errors import InvalidInput
from .money import Money, MoneyBag, check_currency, to_decimal


def check_timezone(name: object, *, field: str = "iana_timezone") -> str:
    """An IANA time zone name this machine knows (``Europe/Berlin``); order times are shown in it."""
    if isinstance(name, str) and name.strip():
        try:
            ZoneInfo(name.strip())
            return name.strip()
        except (KeyError, ValueError, OSError):  # unknown, malformed, or a folder such as "Europe"
            pass
    raise InvalidInput(f"{field} is not a known IANA time zone such as Europe/Berlin: {name!r}", field=field)


# How paid orders are fulfilled without anyone pressing a button (domain/fulfillment_automation.py).
FULFILLMENT_AUTOMATION: dict[str, str] = {
    "manual": "Fulfill every order by hand",
    "digital": "Fulfill digital goods (lines that need no shipping) once paid",
    "all": "Fulfill every line once paid",
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_fulfillment_automation(mode: object, *, field: str = "fulfillment_automation") -> str:
    if mode not in FULFILLMENT_AUTOMATION:
        raise InvalidInput(f"choose one of {', '.join(FULFILLMENT_AUTOMATION)}", field=field)
    return str(mode)


def check_shop_name(name: object, *, field: str = "name") -> str:
    text = name.strip() if isinstance(name, str) else ""
    if not text or len(text) > 255:
        raise InvalidInput("a shop name of 1 to 255 characters is required", field=field)
    return text


def check_shop_email(email: object, *, field: str = "email") -> str:
    """Where customers' replies go (emails are sent with it as Reply-To)."""
    text = email.strip() if isinstance(email, str) else ""
    if not _EMAIL.match(text) or len(text) > 255:
        raise InvalidInput("enter an email address like orders@example.com", field=field)
    return text


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
    updated_at: datetime | None = None
    auto_archive: bool = True
    fulfillment_automation: str = "manual"  # manual | digital | all
    hold_unpaid_fulfillment: bool = False
    webhook_secret: str | None = None
    # The server's secret for signing links; comes from the server's settings, never the database.
    link_secret: str = field(default="", repr=False)
    # Where shoppers, apps and services reach this orderdesk (e.g. https://orders.example.com);
    # the shop's own setting. None: the server's ORDERDESK_PUBLIC_URL, else the domain.
    public_url: str | None = None
    # ORDERDESK_PUBLIC_URL; comes from the server's settings, like link_secret.
    server_public_url: str | None = None
    # When the logo last changed (None: no logo); part of its address, so caches refetch it.
    logo_updated_at: datetime | None = None

    def __post_init__(self) -> None:
        # The same rules for every way a shop is set up: the CLI, the API and the admin settings.
        self.currency = check_currency(self.currency)
        self.public_url = check_public_url(self.public_url) if self.public_url else None
        self.iana_timezone = check_timezone(self.iana_timezone)
        self.exchange_rates = check_rates(self.exchange_rates, self.currency)
        self.fulfillment_automation = check_fulfillment_automation(self.fulfillment_automation)

    @property
    def url(self) -> str:
        """The shop's URL. A local domain names only the machine it runs on, which no shopper can
        reach, so the public URL stands in for it when there is one."""
        return self.base_url if self._local_domain else self._domain_url

    @property
    def base_url(self) -> str:
        """What every link the system sends starts with (status pages in JSON, webhooks, emails)."""
        return self.public_url or self.server_public_url or self._domain_url

    @property
    def _local_domain(self) -> bool:
        return self.domain.startswith(("localhost", "127.", "[::1]"))

    @property
    def _domain_url(self) -> str:
        # Plain http only for a shop served on this machine.
        return f"{'http' if self._local_domain else 'https'}://{self.domain}"

    @property
    def logo_path(self) -> str | None:
        """Where this server serves the logo, or None without one."""
        if self.logo_updated_at is None:
            return None
        return f"/shop/logo?v={int(self.logo_updated_at.timestamp())}"

    @property
    def logo_url(self) -> str | None:
        """The logo's absolute address, for emails read far from this server."""
        return self.base_url.rstrip("/") + self.logo_path if self.logo_path else None

    @property
    def secure_cookies(self) -> bool:
        """Cookies set by this server must be Secure when it is reached over https: a public URL
        configured with https says so (the domain alone does not: a shop may be served on its
        own network over http while its domain names the storefront)."""
        return (self.public_url or self.server_public_url or "").startswith("https://")

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


def check_public_url(value: str, *, field: str = "public_url") -> str:
    """An absolute http(s) URL without query, fragment or credentials; returned without a trailing slash,
    so links are ``base + "/status/..."``."""
    text = value.strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or "@" in parts.netloc
        or "?" in text
        or "#" in text
        or any(c.isspace() or ord(c) < 32 for c in text)
    ):
        raise InvalidInput(
            f"{field} must be an absolute http:// or https:// URL without query, fragment or credentials, like https://orders.example.com",
            field=field,
        )
    return f"{parts.scheme.lower()}://{parts.netloc}{parts.path.rstrip('/')}"


# More presentment currencies than any shop sells in; a bound keeps the settings row small.
MAX_RATES = 200


def check_exchange_rates(rates: object, shop_currency: str) -> dict[str, str]:
    """Presentment currency -> what one unit of it is worth in the shop's currency, as decimal
    strings: known ISO 4217 codes other than the shop's own, positive decimal amounts (a JSON
    number or a string like "0.92"; never a float). Orders keep the rate they were placed at,
    so a change applies to new orders only."""
    if not isinstance(rates, dict):
        raise InvalidInput('exchange_rates must be an object like {"EUR": "1.10"}', field="exchange_rates")
    if len(rates) > MAX_RATES:
        raise InvalidInput(f"at most {MAX_RATES} exchange rates", field="exchange_rates")
    checked: dict[str, str] = {}
    for code, rate in rates.items():
        currency = check_currency(code, field="exchange_rates")
        if currency == shop_currency:
            raise InvalidInput(f"{currency} is the shop's currency; it needs no exchange rate", field="exchange_rates")
        value = to_decimal(rate, field=f"exchange rate for {currency}")
        if value <= 0:
            raise InvalidInput(f"exchange rate for {currency} must be a positive decimal", field="exchange_rates")
        checked[currency] = str(value)
    return checked
