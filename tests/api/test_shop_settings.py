"""services/setup.update_shop: the settings the admin changes, checked as a whole before any is saved."""

from __future__ import annotations

import pytest

from orderdesk.domain.errors import InvalidInput
from orderdesk.services import apps
from orderdesk.services.setup import update_shop


def test_settings_are_saved_together_and_the_api_shows_them(services, api):
    saved = update_shop(services, name="Harbour Goods", iana_timezone="Europe/Berlin", exchange_rates={"EUR": "1.2"})
    assert (saved.name, saved.iana_timezone, saved.exchange_rates) == ("Harbour Goods", "Europe/Berlin", {"EUR": "1.2"})
    shop = api.get(f"{api.base}/shop.json").json()["shop"]
    assert shop["name"] == "Harbour Goods" and shop["iana_timezone"] == "Europe/Berlin"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"iana_timezone": "Europe"}, "iana_timezone"),
        ({"currency": "EUR"}, "exchange_rates"),  # the shop's own currency among its rates
        ({"exchange_rates": {"EUR": "0"}}, "exchange_rates"),
        ({"fulfillment_automation": "sometimes"}, "fulfillment_automation"),
        ({"public_url": "https://user:pw@orders.example.com"}, "public_url"),
        ({"email": "nobody"}, "email"),
        ({"name": ""}, "name"),
    ],
)
def test_one_bad_setting_saves_none_of_them(services, changes, field):
    before = services.shop()
    with pytest.raises(InvalidInput) as refused:
        update_shop(services, **{"name": "Renamed", **changes})
    assert refused.value.field == field
    services.forget_shop()
    after = services.shop()
    assert (after.name, after.currency, after.iana_timezone, after.exchange_rates) == (
        before.name,
        before.currency,
        before.iana_timezone,
        before.exchange_rates,
    )


def test_only_settings_can_be_changed(services):
    with pytest.raises(ValueError, match="webhook_secret"):
        update_shop(services, webhook_secret="x")


def test_an_apps_subscriptions_are_its_own(services, api, token):
    from orderdesk.services.tokens import create_token

    create_token(services, "other app", ["read_orders"])
    body = {"webhook": {"topic": "orders/paid", "address": "https://hooks.example.com/paid", "format": "json"}}
    assert api.post(f"{api.base}/webhooks.json", json=body).status_code == 201
    by_name = {a["name"]: a["id"] for a in apps.list_apps(services)}
    assert [s["topic"] for s in apps.subscriptions_of(services, by_name["tests"])] == ["orders/paid"]
    assert apps.subscriptions_of(services, by_name["other app"]) == []
