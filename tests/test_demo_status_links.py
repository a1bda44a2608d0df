"""The demo's seeded orders open their status pages on the server that seeded them."""

from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

from fastapi.testclient import TestClient

from orderdesk.api.app import create_app
from orderdesk.cli.demo import DEMO_SHOP, seed
from orderdesk.db import queries
from orderdesk.db.engine import make_engine
from orderdesk.db.migrate import upgrade
from orderdesk.db.queries import OrderFilter
from orderdesk.db.uow import Database
from orderdesk.representation.orders import status_url
from orderdesk.services.context import Services
from orderdesk.services.setup import init_shop


def test_seeded_orders_status_links_open(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/demo.db")
    upgrade(engine)
    services = Services(db=Database(engine), secret_key="not-the-development-default", public_url="https://demo.example")
    init_shop(services, dataclasses.replace(DEMO_SHOP))
    seed(services)
    with services.db.reading() as uow:
        orders, _ = queries.list_orders(uow.conn, OrderFilter(status="any"), limit=3)
    shopper = TestClient(create_app(services))
    for order in orders:
        link = status_url(order, services.shop())
        assert link.startswith("https://demo.example/status/")
        assert shopper.get(urlsplit(link).path).status_code == 200, order.name
