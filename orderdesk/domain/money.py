"""Money: an exact amount in one currency, and the shop/presentment pair Shopify calls ``*_set``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache

from .currencies import exponent, is_known
from .errors import InvalidInput

# Amounts up to 10^15 in any currency; anything larger is a typo or an attack.
MAX_DIGITS = 15

# One rounding mode everywhere: banker's rounding keeps sums of rounded shares unbiased.
ROUNDING = ROUND_HALF_EVEN


@cache
def quantum(currency: str) -> Decimal:
    """The smallest unit of a currency: 0.01 for USD, 1 for JPY, 0.001 for KWD."""
    return Decimal(1).scaleb(-exponent(currency))


# The one format a decimal string may take, as Shopify writes amounts: an optional minus, ASCII
# digits, and optionally a point followed by more digits ("74.99", "-5", "0.125"). Python's Decimal()
# would also take "1_000", " 1.5 ", "1e3", "+1", ".5", "NaN" and non-ASCII digits such as "١٢";
# none of them is an amount a client means, and "1_000" silently became 1000.00.
DECIMAL_STRING = re.compile(r"-?[0-9]+(?:\.[0-9]+)?", re.ASCII)


def to_decimal(value: object, *, field: str = "amount") -> Decimal:
    """Parse an amount from a Decimal, an int or a string matching ``DECIMAL_STRING``.

    Floats and booleans are refused; Decimals (JSON numbers are parsed as Decimals) must be finite.
    """
    if isinstance(value, bool):
        raise InvalidInput(f"{field} must be a decimal amount, not a boolean", field=field)
    if isinstance(value, float):
        raise InvalidInput(f"{field} must be a decimal string, not a float", field=field)
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, str):
        if DECIMAL_STRING.fullmatch(value) is None:
            raise InvalidInput(f"{field} is not a valid amount: {value[:40]!r} (write it like 74.99)", field=field)
        amount = Decimal(value)
    else:
        raise InvalidInput(f"{field} must be a decimal amount", field=field)
    if not amount.is_finite():
        raise InvalidInput(f"{field} must be a finite amount", field=field)
    if amount.adjusted() > MAX_DIGITS:
        raise InvalidInput(f"{field} is out of range", field=field)
    return amount


def check_currency(code: object, *, field: str = "currency") -> str:
    if not isinstance(code, str) or not is_known(code.upper()) or len(code) != 3:
        raise InvalidInput(f"{field} is not a known ISO 4217 currency: {code!r}", field=field)
    return code.upper()


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if isinstance(self.amount, float):
            raise TypeError("Money refuses floats; pass a Decimal or a string")
        if not isinstance(self.amount, Decimal):
            object.__setattr__(self, "amount", to_decimal(self.amount))
        if not is_known(self.currency):
            raise InvalidInput(f"unknown currency {self.currency!r}", field="currency")

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    @classmethod
    def parse(cls, value: object, currency: str, *, field: str = "amount") -> Money:
        """An amount given by a client: at most the currency's decimals."""
        amount = to_decimal(value, field=field)
        exp = exponent(currency)
        places = amount.as_tuple().exponent  # an int: to_decimal refused NaN and infinity (a letter here)
        if isinstance(places, int) and places < -exp and amount != amount.quantize(Decimal(1).scaleb(-exp)):
            raise InvalidInput(f"{field} has more decimals than {currency} allows ({exp})", field=field)
        return cls(amount, currency).rounded()

    def _check(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise ValueError(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        if isinstance(factor, (float, bool)):
            raise TypeError("Money can only be multiplied by an int or a Decimal")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._check(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._check(other)
        return self.amount >= other.amount

    def __bool__(self) -> bool:
        return bool(self.amount)

    def rounded(self) -> Money:
        return Money(self.amount.quantize(quantum(self.currency), rounding=ROUNDING), self.currency)

    def format(self) -> str:
        """The amount as Shopify writes it: a string with the currency's decimals."""
        return str(self.amount.quantize(quantum(self.currency), rounding=ROUNDING))

    def __str__(self) -> str:
        return f"{self.format()} {self.currency}"

    def display(self) -> str:
        """For people: the currency's symbol, thousands separators and its decimals
        ("€1,234.50 EUR", "¥1,235 JPY"), as Shopify's admin writes money."""
        text = f"{self.amount.quantize(quantum(self.currency), rounding=ROUNDING):,}"
        sign = "-" if text.startswith("-") else ""
        return f"{sign}{SYMBOLS.get(self.currency, '')}{text.lstrip('-')} {self.currency}"


# Symbols shown before amounts; a currency without one is shown by its code alone.
SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "CNY": "¥",
    "CAD": "$",
    "AUD": "$",
    "NZD": "$",
    "CHF": "",
    "SEK": "",
    "NOK": "",
    "DKK": "",
    "INR": "₹",
    "KRW": "₩",
    "BRL": "R$",
    "MXN": "$",
    "PLN": "",
}


def allocate(total: Money, weights: list[Decimal]) -> list[Money]:
    """Split ``total`` in proportion to ``weights`` so the rounded shares add up exactly."""
    total = total.rounded()
    if not weights:
        return []
    weight_sum = sum(weights, Decimal(0))
    if weight_sum == 0:
        weights = [Decimal(1)] * len(weights)
        weight_sum = Decimal(len(weights))
    unit = quantum(total.currency)
    shares = [(total.amount * w / weight_sum).quantize(unit, rounding=ROUNDING) for w in weights]
    # Put the rounding remainder on the largest share so the parts always sum to the total.
    remainder = total.amount - sum(shares, Decimal(0))
    if remainder:
        largest = max(range(len(shares)), key=lambda i: weights[i])
        shares[largest] += remainder
    return [Money(s, total.currency) for s in shares]


@dataclass(frozen=True, slots=True)
class MoneyBag:
    """One amount in the shop currency and in the shopper's (presentment) currency."""

    shop: Money
    presentment: Money

    @classmethod
    def zero(cls, shop_currency: str, presentment_currency: str) -> MoneyBag:
        return cls(Money.zero(shop_currency), Money.zero(presentment_currency))

    @classmethod
    def single(cls, money: Money) -> MoneyBag:
        return cls(money, money)

    def __add__(self, other: MoneyBag) -> MoneyBag:
        return MoneyBag(self.shop + other.shop, self.presentment + other.presentment)

    def __sub__(self, other: MoneyBag) -> MoneyBag:
        return MoneyBag(self.shop - other.shop, self.presentment - other.presentment)

    def __mul__(self, factor: int | Decimal) -> MoneyBag:
        return MoneyBag(self.shop * factor, self.presentment * factor)

    def __neg__(self) -> MoneyBag:
        return MoneyBag(-self.shop, -self.presentment)

    __rmul__ = __mul__

    def rounded(self) -> MoneyBag:
        return MoneyBag(self.shop.rounded(), self.presentment.rounded())


def sum_bags(bags: list[MoneyBag], shop_currency: str, presentment_currency: str) -> MoneyBag:
    total = MoneyBag.zero(shop_currency, presentment_currency)
    for bag in bags:
        total = total + bag
    return total
