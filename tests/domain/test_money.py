"""Money: exact decimal amounts, one currency at a time, rounded to ISO 4217 exponents."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderdesk.domain.errors import InvalidInput
from orderdesk.domain.money import Money, MoneyBag, allocate, sum_bags, to_decimal


def usd(value: str) -> Money:
    return Money(Decimal(value), "USD")


# --- construction ---------------------------------------------------------


def test_money_refuses_a_float_amount():
    with pytest.raises((TypeError, InvalidInput)):
        Money(1.5, "USD")  # type: ignore[arg-type]


def test_to_decimal_refuses_floats_and_booleans():
    with pytest.raises(InvalidInput):
        to_decimal(0.1)
    with pytest.raises(InvalidInput):
        to_decimal(True)


def test_money_accepts_strings_and_ints_as_exact_decimals():
    assert Money("0.10", "USD").amount == Decimal("0.10")  # type: ignore[arg-type]
    assert Money(3, "JPY").amount == Decimal(3)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["abc", "NaN", "Infinity", ""])
def test_money_refuses_non_numeric_and_non_finite_strings(bad):
    with pytest.raises(InvalidInput):
        Money(bad, "USD")  # type: ignore[arg-type]


@pytest.mark.parametrize("code", ["XXX", "usd", "US", ""])
def test_money_refuses_unknown_currencies(code):
    with pytest.raises(InvalidInput):
        Money(Decimal(1), code)


def test_multiplying_by_a_float_is_refused():
    with pytest.raises(TypeError):
        usd("1.00") * 1.5  # type: ignore[operator]


# --- currencies do not mix ------------------------------------------------


@pytest.mark.parametrize(
    "op",
    [
        lambda a, b: a + b,
        lambda a, b: a - b,
        lambda a, b: a < b,
        lambda a, b: a <= b,
        lambda a, b: a > b,
        lambda a, b: a >= b,
    ],
)
def test_combining_two_currencies_is_refused(op):
    with pytest.raises(ValueError):
        op(usd("1.00"), Money(Decimal("1.00"), "EUR"))


def test_combining_money_with_a_plain_number_is_refused():
    with pytest.raises(TypeError):
        usd("1.00") + Decimal(1)  # type: ignore[operator]


def test_same_currency_arithmetic_is_exact():
    assert usd("0.10") + usd("0.20") == usd("0.30")
    assert usd("1.00") - usd("0.01") == usd("0.99")
    assert usd("19.99") * 3 == usd("59.97")
    assert 3 * usd("19.99") == usd("59.97")
    assert -usd("2.50") == usd("-2.50")
    assert usd("1.00") < usd("1.01")
    assert not Money.zero("USD")


# --- rounding to ISO 4217 exponents --------------------------------------


@pytest.mark.parametrize(
    "currency, raw, rounded, formatted",
    [
        ("JPY", "1234.5", Decimal("1234"), "1234"),  # half-even: .5 goes to the even neighbour
        ("JPY", "1235.5", Decimal("1236"), "1236"),
        ("USD", "10.005", Decimal("10.00"), "10.00"),
        ("USD", "10.015", Decimal("10.02"), "10.02"),
        ("USD", "7", Decimal("7.00"), "7.00"),
        ("KWD", "1.23456", Decimal("1.235"), "1.235"),
        ("KWD", "2", Decimal("2.000"), "2.000"),
    ],
)
def test_rounding_uses_the_currency_exponent(currency, raw, rounded, formatted):
    money = Money(Decimal(raw), currency)
    assert money.rounded().amount == rounded
    assert money.rounded().amount.as_tuple().exponent == rounded.as_tuple().exponent
    assert money.format() == formatted
    assert str(money) == f"{formatted} {currency}"


# --- parsing client amounts ----------------------------------------------


@pytest.mark.parametrize(
    "currency, value",
    [("JPY", "100.5"), ("USD", "1.005"), ("KWD", "1.0001"), ("USD", "0.001")],
)
def test_parse_rejects_more_decimals_than_the_currency_allows(currency, value):
    with pytest.raises(InvalidInput):
        Money.parse(value, currency)


@pytest.mark.parametrize(
    "currency, value, expected",
    [
        ("JPY", "100", "100"),
        ("JPY", "100.00", "100"),  # trailing zeros carry no extra precision
        ("USD", "1.5", "1.50"),
        ("USD", 12, "12.00"),
        ("KWD", "1.005", "1.005"),
    ],
)
def test_parse_accepts_amounts_within_the_currency_precision(currency, value, expected):
    assert Money.parse(value, currency).format() == expected


def test_parse_refuses_a_float():
    with pytest.raises(InvalidInput):
        Money.parse(1.5, "USD")


def test_parse_names_the_field_in_its_error():
    with pytest.raises(InvalidInput) as info:
        Money.parse("1.234", "USD", field="price")
    assert info.value.field == "price"


# --- allocation -----------------------------------------------------------


def test_allocate_splits_in_proportion_and_keeps_the_total():
    shares = allocate(usd("10.00"), [Decimal(1), Decimal(1), Decimal(1)])
    assert sum(s.amount for s in shares) == Decimal("10.00")
    assert sorted(s.amount for s in shares) == [Decimal("3.33"), Decimal("3.33"), Decimal("3.34")]


def test_allocate_with_all_zero_weights_splits_evenly():
    shares = allocate(usd("1.00"), [Decimal(0), Decimal(0)])
    assert [s.amount for s in shares] == [Decimal("0.50"), Decimal("0.50")]


def test_allocate_with_no_weights_returns_no_shares():
    assert allocate(usd("1.00"), []) == []


CURRENCIES = st.sampled_from(["USD", "JPY", "KWD", "EUR", "CLF"])


@given(
    currency=CURRENCIES,
    minor_units=st.integers(min_value=-(10**9), max_value=10**12),
    weights=st.lists(
        st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
        min_size=1,
        max_size=12,
    ),
)
def test_allocated_shares_always_sum_to_the_total(currency, minor_units, weights):
    from orderdesk.domain.currencies import exponent

    total = Money(Decimal(minor_units).scaleb(-exponent(currency)), currency)
    shares = allocate(total, weights)
    assert len(shares) == len(weights)
    assert all(s.currency == currency for s in shares)
    assert sum((s.amount for s in shares), Decimal(0)) == total.amount
    # every share is expressed in whole minor units
    assert all(s.rounded().amount == s.amount for s in shares)


@given(
    amount=st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False),
    weights=st.lists(st.integers(min_value=1, max_value=1000).map(Decimal), min_size=1, max_size=8),
)
def test_allocate_rounds_an_unrounded_total_first(amount, weights):
    total = Money(amount, "USD")
    shares = allocate(total, weights)
    assert sum((s.amount for s in shares), Decimal(0)) == total.rounded().amount


# --- MoneyBag -------------------------------------------------------------


def bag(shop: str, presentment: str) -> MoneyBag:
    return MoneyBag(Money(Decimal(shop), "USD"), Money(Decimal(presentment), "EUR"))


def test_money_bag_adds_and_subtracts_both_sides():
    assert bag("1.00", "0.90") + bag("2.00", "1.80") == bag("3.00", "2.70")
    assert bag("3.00", "2.70") - bag("1.00", "0.90") == bag("2.00", "1.80")


def test_money_bag_multiplies_both_sides():
    assert bag("1.25", "1.10") * 4 == bag("5.00", "4.40")
    assert 2 * bag("1.25", "1.10") == bag("2.50", "2.20")


def test_money_bag_rounds_both_sides_to_their_currency():
    rounded = MoneyBag(Money(Decimal("1.005"), "USD"), Money(Decimal("150.5"), "JPY")).rounded()
    assert rounded.shop.amount == Decimal("1.00")
    assert rounded.presentment.amount == Decimal("150")


def test_money_bag_zero_and_single():
    zero = MoneyBag.zero("USD", "EUR")
    assert zero.shop == Money.zero("USD") and zero.presentment == Money.zero("EUR")
    one = MoneyBag.single(Money(Decimal("5.00"), "USD"))
    assert one.shop == one.presentment == Money(Decimal("5.00"), "USD")


def test_sum_bags_totals_each_side_and_starts_at_zero():
    assert sum_bags([], "USD", "EUR") == MoneyBag.zero("USD", "EUR")
    assert sum_bags([bag("1.00", "0.90"), bag("2.00", "1.80")], "USD", "EUR") == bag("3.00", "2.70")


def test_money_bags_in_different_presentment_currencies_do_not_mix():
    other = MoneyBag(Money(Decimal(1), "USD"), Money(Decimal(1), "GBP"))
    with pytest.raises(ValueError):
        bag("1.00", "1.00") + other


# --- the one accepted format for decimal strings -----------------------------

shopify_decimals = st.from_regex(r"\A-?[0-9]{1,15}(\.[0-9]{1,6})?\Z")


@given(shopify_decimals)
def test_to_decimal_accepts_every_string_in_shopifys_format_exactly(text):
    assert to_decimal(text) == Decimal(text)
    # Exact: the digits and the scale survive (0.10 stays 0.10, not 0.1).
    assert to_decimal(text).as_tuple() == Decimal(text).as_tuple()


# Each of these turns a well-formed amount into one Python's Decimal() would still parse.
MANGLINGS = {
    "underscore": lambda s, i: s[:i] + "_" + s[i:],
    "space inside": lambda s, i: s[:i] + " " + s[i:],
    "leading space": lambda s, i: " " + s,
    "trailing newline": lambda s, i: s + "\n",
    "exponent": lambda s, i: s + "e" + str(i),
    "capital exponent": lambda s, i: s + "E-" + str(i),
    "leading plus": lambda s, i: "+" + s.lstrip("-"),
    "second point": lambda s, i: s + ".5" if "." in s else s + ".5.5",
    "bare leading point": lambda s, i: "." + s.lstrip("-").replace(".", ""),
    "bare trailing point": lambda s, i: s.replace(".", "") + ".",
    "arabic-indic digit": lambda s, i: s + "\u0663",
    "fullwidth digit": lambda s, i: "\uff11" + s.lstrip("-"),
}


@given(shopify_decimals, st.sampled_from(sorted(MANGLINGS)), st.integers(min_value=1, max_value=20))
def test_to_decimal_refuses_strings_python_would_parse_but_shopify_would_not(text, mangling, position):
    mangled = MANGLINGS[mangling](text, min(position, len(text)))
    with pytest.raises(InvalidInput) as refused:
        to_decimal(mangled, field="price")
    assert refused.value.field == "price"


@given(st.text(max_size=30))
def test_to_decimal_on_any_text_either_refuses_cleanly_or_returns_the_exact_amount(text):
    try:
        amount = to_decimal(text)
    except InvalidInput:
        return
    assert set(text) <= set("-0123456789.")
    assert amount == Decimal(text)


@pytest.mark.parametrize(
    "bad", ["1_000", " 1.00", "1.00 ", "1e3", "1E3", "+1", "1.0.0", "NaN", "-Infinity", "inf", "", "-", ".", "0x10", "١٢"]
)
def test_to_decimal_refuses_each_format_the_probe_found(bad):
    with pytest.raises(InvalidInput):
        to_decimal(bad)


@pytest.mark.parametrize("good, exact", [("1000", "1000"), ("74.99", "74.99"), ("-5", "-5"), ("0.10", "0.10"), ("007.5", "7.5")])
def test_to_decimal_accepts_plain_decimal_strings(good, exact):
    assert to_decimal(good) == Decimal(exact)


def test_to_decimal_still_takes_ints_and_finite_decimals_from_json_numbers():
    assert to_decimal(1000) == Decimal(1000)
    assert to_decimal(Decimal("74.99")) == Decimal("74.99")
    with pytest.raises(InvalidInput):
        to_decimal(Decimal("NaN"))
    with pytest.raises(InvalidInput):
        to_decimal(Decimal("1E+400"))
