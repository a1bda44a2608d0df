"""Links the system sends start at the public URL (ORDERDESK_PUBLIC_URL, or the shop's public_url),
not at the address orderdesk happens to think it has; Link pagination headers keep the request's URL."""

from __future__ import annotations

import dataclasses
import re
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from orderdesk.api.app import create_app
from orderdesk.domain.errors import InvalidInput
from orderdesk.services.context import Services
from orderdesk.services.setup import init_shop
from orderdesk.worker.runner import Worker, default_handlers
from tests.builders import create_order
from tests.conftest import SHOP

PUBLIC = "https://orders.maple.example/desk"


def _client(app, token) -> TestClient:
    client = TestClient(app, base_url="http://testserver")
    client.headers["X-Shopify-Access-Token"] = token
    client.base = "/admin/api/2024-10"
    return client


def _key(order) -> str:
    return urlsplit(order["order_status_url"]).path.rsplit("/", 1)[1]


@pytest.fixture
def public(services):
    services.public_url = PUBLIC
    services.forget_shop()
    return services


def test_order_status_url_starts_with_orderdesk_public_url_from_the_environment(services, token, monkeypatch):
    monkeypatch.setenv("ORDERDESK_PUBLIC_URL", PUBLIC + "/")
    served = Services(db=services.db, secret_key=services.secret_key)
    assert served.public_url == PUBLIC  # the trailing slash is dropped so links do not get "//"
    api = _client(create_app(served), token)
    order = create_order(api)
    assert re.fullmatch(re.escape(PUBLIC) + r"/status/[A-Za-z0-9_-]{43}", order["order_status_url"])
    again = api.get(f"{api.base}/orders/{order['id']}.json").json()["order"]
    assert again["order_status_url"] == order["order_status_url"]
    # The key in the public link opens the page (a proxy maps /desk/status/... to /status/...).
    page = TestClient(create_app(served)).get(f"/status/{_key(order)}")
    assert page.status_code == 200 and order["name"] in page.text
    assert api.get(f"{api.base}/shop.json").json()["shop"]["public_url"] == PUBLIC


def test_the_shops_public_url_wins_over_the_environment(services, token, monkeypatch):
    monkeypatch.setenv("ORDERDESK_PUBLIC_URL", "https://from-the-environment.example")
    init_shop(services, dataclasses.replace(SHOP, public_url="https://status.maple.example"))
    served = Services(db=services.db)
    api = _client(create_app(served), token)
    assert create_order(api)["order_status_url"].startswith("https://status.maple.example/status/")
    assert api.get(f"{api.base}/shop.json").json()["shop"]["public_url"] == "https://status.maple.example"
    # Unset again: the environment's applies.
    init_shop(services, dataclasses.replace(SHOP, public_url=None))
    served.forget_shop()
    assert create_order(api)["order_status_url"].startswith("https://from-the-environment.example/status/")


def test_a_bad_orderdesk_public_url_is_refused_with_its_name():
    with pytest.raises(InvalidInput, match="ORDERDESK_PUBLIC_URL"):
        Services(db=None, public_url="orders.example.com")  # type: ignore[arg-type]


def test_webhooks_carry_the_public_link(api, public, receiver, allow_private):
    response = api.post(f"{api.base}/webhooks.json", json={"webhook": {"address": receiver.url + "/o", "topic": "orders/create"}})
    assert response.status_code == 201, response.text
    order = create_order(api)
    assert order["order_status_url"].startswith(PUBLIC + "/status/")
    Worker(public, kinds=("webhook",)).run_once()
    (got,) = receiver.requests
    assert got.json()["order_status_url"] == order["order_status_url"]


def test_emails_link_to_the_public_status_page(api, public, inbox):
    order = create_order(api, send_receipt=True)
    Worker(public, handlers=default_handlers(), kinds=("email",)).run_once()
    (message,) = inbox.messages
    html = message.get_body(("html",)).get_content()
    assert f'href="{PUBLIC}/status/{_key(order)}"' in html
    assert "localhost" not in html and "127.0.0.1" not in html


def test_link_pagination_headers_keep_the_requests_own_url(api, public):
    create_order(api)
    create_order(api)
    response = api.get(f"{api.base}/orders.json", params={"limit": 1, "status": "any"})
    assert response.headers["Link"].startswith("<http://testserver/admin/api/2024-10/orders.json?")
    assert PUBLIC not in response.headers["Link"]
