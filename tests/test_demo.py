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


def test_the_worker_captures_the_demos_emails_and_orderdesk_emails_lists_them(demo, capsys):
    url, _token = demo
    # when the worker handles what the seed queued, with no SMTP server configured
    assert main(["worker", "--once", "--database-url", url]) == 0
    capsys.readouterr()
    assert main(["emails", "--database-url", url, "--limit", "500"]) == 0
    listed = capsys.readouterr().out.strip().splitlines()
    rows = [line.split("\t") for line in listed if "\t" in line]
    # then every order's confirmation was kept, plus shipping and cancellation emails
    templates = [row[3] for row in rows]
    assert templates.count("order_confirmation") == 60
    assert "shipping_confirmation" in templates and "order_cancelled" in templates
    assert [int(row[0]) for row in rows] == sorted((int(row[0]) for row in rows), reverse=True)  # newest first
    # and one can be read in full
    newest = rows[0]
    assert main(["emails", "--database-url", url, "--show", newest[0]]) == 0
    shown = capsys.readouterr().out
    assert f"To:       {newest[4]}" in shown and f"Subject:  {newest[5]}" in shown and "View your order" in shown
    order_id = newest[2].removeprefix("order ")
    assert main(["emails", "--database-url", url, "--order", order_id]) == 0
    assert all(f"order {order_id}\t" in line for line in capsys.readouterr().out.splitlines() if "\t" in line)


def test_a_demo_run_on_another_port_moves_its_status_links_there(demo, monkeypatch, capsys):
    url, _ = demo
    assert main(["demo", "--no-serve", "--port", "8765"]) == 0
    token = re.search(r"shpat_\w+", capsys.readouterr().out).group(0)
    client = TestClient(server_app(url, monkeypatch))
    [order] = client.get("/admin/api/2024-10/orders.json?limit=1", headers={"X-Shopify-Access-Token": token}).json()["orders"]
    link = urlsplit(order["order_status_url"])
    assert link.netloc == "127.0.0.1:8765"
    assert client.get(link.path).status_code == 200
