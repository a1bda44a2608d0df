"""The shop's settings are checked by the shop itself, whoever sets them (CLI, API, admin)."""

import pytest

from orderdesk.domain.errors import InvalidInput
from orderdesk.domain.shop import Shop


def shop(**overrides) -> Shop:
    return Shop(**{"name": "S", "email": "s@example.com", "domain": "s.example", "currency": "EUR", **overrides})


@pytest.mark.parametrize("zone", ["Mars/Base", "Europe", "", "europe/berlin", "/".join(["..", "etc", "passwd"]), None])
def test_an_unknown_time_zone_is_refused(zone):
    with pytest.raises(InvalidInput) as refused:
        shop(iana_timezone=zone)
    assert refused.value.field == "iana_timezone" and "IANA time zone" in refused.value.message


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"])
def test_iana_time_zones_are_accepted(zone):
    assert shop(iana_timezone=zone).iana_timezone == zone


@pytest.mark.parametrize(
    ("rates", "says"),
    [
        ({"XYZ": "1.0"}, "not a known ISO 4217 currency"),
        ({"USD": "abc"}, "USD must be a positive decimal"),
        ({"USD": "0"}, "USD must be a positive decimal"),
        ({"USD": "-0.9"}, "USD must be a positive decimal"),
        ({"USD": "NaN"}, "USD must be a positive decimal"),
        ({"USD": 0.92}, "USD must be a positive decimal"),  # a float is never exact money
        ({"EUR": "1"}, "EUR is the shop's currency"),
    ],
)
def test_bad_exchange_rates_are_refused(rates, says):
    with pytest.raises(InvalidInput) as refused:
        shop(exchange_rates=rates)
    assert refused.value.field == "exchange_rates" and says in refused.value.message


def test_rates_are_kept_as_decimal_strings_under_upper_case_codes():
    assert shop(exchange_rates={"usd": "0.92", "JPY": " 0.0061 "}).exchange_rates == {"USD": "0.92", "JPY": "0.0061"}
