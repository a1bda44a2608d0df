"""The shop's exchange rates through the API (GET/PUT /shop/exchange_rates.json, an orderdesk
extension under Shopify's Markets scopes): checked in the domain, used by new orders only."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient

from orderdesk.services.tokens import create_token
from tests.builders import create_order

BASE = "/admin/api/2024-10"
PATH = f"{BASE}/shop/exchange_rates.json"


def _eur_order(api) -> dict:
    return create_order(
        api,
        currency="EUR",
        line_items=[{"title": "Mug", "price": "10.00", "quantity": 1}],
        shipping_lines=[],
        tax_lines=[],
        discount_codes=[],
        financial_status="pending",
    )


def test_new_rates_price_new_orders_and_leave_placed_ones_alone(api):
    assert api.get(PATH).json() == {"exchange_rates": {"EUR": "1.10", "JPY": "0.0067", "GBP": "1.25"}}
    before = _eur_order(api)
    assert before["total_price_set"]["shop_money"]["amount"] == "11.00"

    r = api.put(PATH, json={"exchange_rates": {"EUR": "1.20", "CHF": 1.05}})
    assert r.status_code == 200, r.text
    assert r.json() == {"exchange_rates": {"EUR": "1.20", "CHF": "1.05"}}
    assert api.get(PATH).json() == r.json()
    assert api.get(f"{BASE}/shop.json").json()["shop"]["enabled_presentment_currencies"] == ["CHF", "EUR", "USD"]

    after = _eur_order(api)
    assert after["total_price_set"]["shop_money"]["amount"] == "12.00"
    again = api.get(f"{BASE}/orders/{before['id']}.json").json()["order"]
    assert again["total_price_set"]["shop_money"]["amount"] == "11.00"
    # A payment on the placed order still converts at the rate it was placed at.
    tx = api.post(
        f"{BASE}/orders/{before['id']}/transactions.json", json={"transaction": {"kind": "sale", "amount": "10.00", "source": "external"}}
    ).json()["transaction"]
    assert Decimal(tx["amount_set"]["shop_money"]["amount"]) == Decimal("11.00")
    # A currency without a rate any more is refused for new orders, with a clear message.
    r = api.post(
        f"{BASE}/orders.json", json={"order": {"currency": "JPY", "line_items": [{"title": "Mug", "price": "100", "quantity": 1}]}}
    )
    assert r.status_code == 422 and "JPY" in r.text


def test_bad_rates_are_refused_and_nothing_changes(api):
    before = api.get(PATH).json()
    for rates in (
        {"EUR": "-1"},
        {"EUR": "0"},
        {"EUR": "abc"},
        {"EUR": "1e3"},
        {"EUR": True},
        {"XYZ": "1.00"},
        {"USD": "1.00"},
        ["EUR", "1.10"],
        "EUR=1.10",
    ):
        r = api.put(PATH, json={"exchange_rates": rates})
        assert r.status_code == 422, (rates, r.text)
        assert "exchange" in r.text
    assert api.put(PATH, json={"rates": {"EUR": "1.2"}}).status_code == 400
    assert api.get(PATH).json() == before


def test_rates_need_the_markets_scopes(app, services):
    client = TestClient(app, base_url="http://testserver")
    client.headers["X-Shopify-Access-Token"] = create_token(services, "reader", ["read_markets"])
    assert client.get(PATH).status_code == 200
    assert client.put(PATH, json={"exchange_rates": {"EUR": "2.00"}}).status_code == 403
    client.headers["X-Shopify-Access-Token"] = create_token(services, "orders", ["read_orders"])
    assert client.get(PATH).status_code == 403
