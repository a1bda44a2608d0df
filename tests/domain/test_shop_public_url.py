"""The shop's public URL: what every link the system sends starts with."""

from __future__ import annotations

import pytest

from orderdesk.domain.errors import InvalidInput
from orderdesk.domain.shop import Shop, check_public_url


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("https://orders.example.com", "https://orders.example.com"),
        ("https://orders.example.com/", "https://orders.example.com"),
        ("HTTPS://orders.example.com/desk/", "https://orders.example.com/desk"),
        ("http://192.0.2.10:8080", "http://192.0.2.10:8080"),
        ("http://[2001:db8::1]:8000/", "http://[2001:db8::1]:8000"),
        ("  https://orders.example.com  ", "https://orders.example.com"),
    ],
)
def test_an_absolute_http_url_is_kept_without_its_trailing_slash(given, kept):
    assert check_public_url(given) == kept


@pytest.mark.parametrize(
    "given",
    [
        "orders.example.com",
        "/status",
        "ftp://orders.example.com",
        "javascript:alert(1)",
        "https://",
        "https:///path",
        "https://orders.example.com/?shop=1",
        "https://orders.example.com/?",
        "https://orders.example.com/#top",
        "https://user:secret@orders.example.com",
        "https://orders.example.com:99999",
        "https://orders.example.com:port",
        "https://orders.example.com/a b",
        "https://orders.example.com/\nX-Injected: 1",
    ],
)
def test_anything_else_is_refused_with_a_clear_message(given):
    with pytest.raises(InvalidInput, match="absolute http") as caught:
        check_public_url(given)
    assert caught.value.field == "public_url"


def _shop(**kw) -> Shop:
    return Shop(name="S", email="s@example.com", domain=kw.pop("domain", "localhost:8000"), currency="EUR", **kw)


def test_the_shop_setting_wins_then_the_server_setting_then_the_domain():
    assert _shop().base_url == "http://localhost:8000"
    assert _shop(domain="shop.example").base_url == "https://shop.example"
    assert _shop(server_public_url="https://env.example").base_url == "https://env.example"
    assert _shop(public_url="https://own.example/", server_public_url="https://env.example").base_url == "https://own.example"
    with pytest.raises(InvalidInput):
        _shop(public_url="own.example")


def test_a_local_domain_is_no_address_for_shoppers_once_a_public_url_is_known():
    assert _shop(public_url="https://own.example").url == "https://own.example"
    assert _shop().url == "http://localhost:8000"
    # A real domain is the shop's own (its storefront) and stays.
    assert _shop(domain="shop.example", public_url="https://orders.shop.example").url == "https://shop.example"


def test_cookies_must_be_secure_when_the_public_url_is_https():
    assert _shop(public_url="https://own.example").secure_cookies
    assert not _shop(public_url="http://192.0.2.10:8000").secure_cookies
    assert not _shop().secure_cookies
