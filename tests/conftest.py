"""Test infrastructure: one migrated database per engine, emptied before each test.

API and db tests run against SQLite and PostgreSQL (127.0.0.1:5432, user postgres,
database test). Choose with ``--db=sqlite``, ``--db=postgres`` or ``--db=all`` (default),
or ORDERDESK_TEST_DB. PostgreSQL tests are skipped with a reason when the server is
unreachable, except under CI, where that is a failure.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from orderdesk.api.app import create_app
from orderdesk.db.engine import make_engine
from orderdesk.db.migrate import upgrade
from orderdesk.db.tables import metadata
from orderdesk.db.uow import Database
from orderdesk.domain.shop import Shop
from orderdesk.services.clock import SystemClock
from orderdesk.services.context import Services
from orderdesk.services.setup import init_shop
from orderdesk.services.tokens import create_token

PG_URL = os.environ.get("ORDERDESK_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
ALL_SCOPES = [
    "read_orders",
    "write_orders",
    "read_all_orders",
    "read_products",
    "write_products",
    "read_customers",
    "write_customers",
    "read_locations",
    "read_inventory",
    "write_inventory",
    "write_merchant_managed_fulfillment_orders",
    "write_third_party_fulfillment_orders",
]
# What a fulfillment service's app holds besides: its services, and the fulfillment orders assigned to them.
SERVICE_SCOPES = ["read_fulfillments", "write_fulfillments", "write_assigned_fulfillment_orders"]


def pytest_addoption(parser):
    parser.addoption("--db", default=os.environ.get("ORDERDESK_TEST_DB", "all"), choices=["sqlite", "postgres", "all"])


def _backends(config) -> list[str]:
    choice = config.getoption("--db")
    return ["sqlite", "postgres"] if choice == "all" else [choice]


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        backends = _backends(metafunc.config)
        if metafunc.definition.get_closest_marker("postgres_only"):
            backends = [b for b in backends if b == "postgres"]
        metafunc.parametrize("backend", backends, scope="session")


_engines: dict[str, object] = {}


def _engine_for(backend: str, tmp_path_factory):
    if backend in _engines:
        return _engines[backend]
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("db") / "test.db"
        engine = make_engine(f"sqlite:///{path}")
    else:
        worker = os.environ.get("PYTEST_XDIST_WORKER")
        engine = make_engine(PG_URL)
        try:
            with engine.connect() as conn:
                conn.execute(text("select 1"))
        except Exception as exc:  # pragma: no cover - depends on the machine
            if os.environ.get("CI"):
                raise
            pytest.skip(f"PostgreSQL at {PG_URL} is unreachable: {exc}")
        schema = f"t_{worker}" if worker else "public"
        with engine.connect() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {schema}"))
            conn.commit()
        if worker:
            engine.dispose()
            engine = make_engine(PG_URL)
            from sqlalchemy import event

            @event.listens_for(engine, "connect")
            def _search_path(dbapi_conn, _record, schema=schema):
                cur = dbapi_conn.cursor()
                cur.execute(f"SET search_path TO {schema}")
                cur.close()
                dbapi_conn.commit()

    upgrade(engine)
    _engines[backend] = engine
    return engine


def _empty(engine) -> None:
    names = [t.name for t in reversed(metadata.sorted_tables)]
    with engine.connect() as conn:
        conn.info["write"] = True
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(names) + " RESTART IDENTITY CASCADE"))
            conn.execute(text("ALTER SEQUENCE order_number_seq RESTART WITH 1"))
        else:
            for name in names:
                conn.execute(text(f"DELETE FROM {name}"))
            conn.execute(text("DELETE FROM sqlite_sequence")) if conn.execute(
                text("SELECT 1 FROM sqlite_master WHERE name='sqlite_sequence'")
            ).first() else None
        conn.commit()


@pytest.fixture
def engine(backend, tmp_path_factory):
    engine = _engine_for(backend, tmp_path_factory)
    _empty(engine)
    return engine


SHOP = Shop(
    name="Test Outfitters",
    email="shop@example.com",
    domain="test-shop.example",
    currency="USD",
    iana_timezone="America/New_York",
    exchange_rates={"EUR": "1.10", "JPY": "0.0067", "GBP": "1.25"},
)


@pytest.fixture
def services(engine) -> Services:
    services = Services(db=Database(engine), clock=SystemClock())
    init_shop(services, SHOP)
    return services


@pytest.fixture
def app(services):
    return create_app(services)


@pytest.fixture
def token(services) -> str:
    return create_token(services, "tests", ALL_SCOPES)


@pytest.fixture
def api(app, token):
    """An HTTP client for /admin/api/2024-10 with a token holding every scope."""
    client = TestClient(app, base_url="http://testserver")
    client.headers["X-Shopify-Access-Token"] = token
    client.base = "/admin/api/2024-10"
    return client


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


OWNER_EMAIL, OWNER_PASSWORD = "owner@test-shop.example", "correct horse battery staple"


def log_in(client: TestClient, email: str = OWNER_EMAIL, password: str = OWNER_PASSWORD) -> TestClient:
    """Log ``client`` in to the admin through the login form; it keeps the session cookie."""
    response = client.post("/admin/login", data={"email": email, "password": password, "next": "/admin/orders"}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def csrf_of(client: TestClient) -> str:
    """The CSRF token the admin's pages carry for this client's session."""
    import re as _re

    page = client.get("/admin/orders")
    found = _re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


@pytest.fixture
def owner(services):
    from orderdesk.services.staff import create_staff

    return create_staff(services, OWNER_EMAIL, OWNER_PASSWORD, role="owner", name="Olivia Owner")


@pytest.fixture
def admin(app, owner) -> TestClient:
    """A browser-like client logged in to the admin as the shop's owner."""
    return log_in(TestClient(app, base_url="http://testserver"))
