"""The demo as a newcomer meets it: what it prints and stores works against the server it starts."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from orderdesk.cli.main import main


@pytest.fixture
def demo(tmp_path, monkeypatch, capsys):
    """A seeded demo in an empty folder, as `orderdesk demo --no-serve` leaves it; returns (url, token)."""
    monkeypatch.chdir(tmp_path)
    for name in ("ORDERDESK_SECRET_KEY", "ORDERDESK_DATA_DIR", "ORDERDESK_SMTP_HOST", "ORDERDESK_MAIL_CAPTURE"):
        monkeypatch.delenv(name, raising=False)
    assert main(["demo", "--no-serve"]) == 0
    out = capsys.readouterr().out
    token = re.search(r"shpat_\w+", out).group(0)
    return "sqlite:///orderdesk-data/demo.db", token


def server_app(url, monkeypatch):
    """The app exactly as the demo's server builds it (uvicorn calls this factory)."""
    from orderdesk.cli.server import app_factory

    monkeypatch.setenv("ORDERDESK_DATABASE_URL", url)
    return app_factory()


def test_seeded_orders_status_links_open_on_the_demo_server(demo, monkeypatch):
    url, token = demo
    client = TestClient(server_app(url, monkeypatch))
    orders = client.get("/admin/api/2024-10/orders.json?status=any&limit=250", headers={"X-Shopify-Access-Token": token}).json()["orders"]
    assert len(orders) == 60
    # one order of each kind the seed makes: fulfilled, cancelled, unpaid
    picks = [
        next(o for o in orders if o["fulfillment_status"] == "fulfilled"),
        next(o for o in orders if o["cancelled_at"]),
        next(o for o in orders if o["financial_status"] == "pending"),
    ]
    for order in picks:
        link = urlsplit(order["order_status_url"])
        assert link.netloc == "127.0.0.1:8000"
        page = client.get(link.path)
        assert page.status_code == 200, (order["name"], page.status_code)
        assert f"Order {order['name']}" in page.text
