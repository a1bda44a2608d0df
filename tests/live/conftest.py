"""One real ``orderdesk serve`` per test module and backend, and the official client pointed at it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest
import shopify

from tests.loopback import free_port

API_VERSION = "2024-10"
PG_ADMIN_URL = os.environ.get("ORDERDESK_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
SCOPES = (
    "read_orders,write_orders,read_all_orders,read_products,write_products,read_customers,write_customers,"
    "write_merchant_managed_fulfillment_orders,write_third_party_fulfillment_orders"
)


def _cli(*args: str, database_url: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "orderdesk", *args, "--database-url", database_url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"orderdesk {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _pg_database(admin_url: str):
    """Create a fresh database; return (url, drop callback). Skip if PostgreSQL is unreachable."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(admin_url)
    conninfo = dict(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        dbname=url.database or "postgres",
        autocommit=True,
        connect_timeout=5,
    )
    if url.password:
        conninfo["password"] = url.password
    try:
        admin = psycopg.connect(**conninfo)
    except Exception as exc:  # pragma: no cover - depends on the machine
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL at {admin_url} is unreachable: {exc}")
    name = f"orderdesk_live_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(**conninfo) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url.set(database=name).render_as_string(hide_password=False), drop


def _wait_until_up(proc: subprocess.Popen, port: int, token: str, log_path) -> None:
    deadline = time.monotonic() + 60
    url = f"http://127.0.0.1:{port}/admin/api/{API_VERSION}/shop.json"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"orderdesk serve exited with {proc.returncode}:\n{log_path.read_text()}")
        try:
            request = urllib.request.Request(url, headers={"X-Shopify-Access-Token": token})
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"orderdesk serve did not answer within 60s:\n{log_path.read_text()}")


@pytest.fixture(scope="module")
def live_server(backend, tmp_path_factory):
    """(base url, token) of a running ``orderdesk serve`` on a fresh database."""
    tmp = tmp_path_factory.mktemp(f"live_{backend}")
    drop = None
    if backend == "sqlite":
        database_url = f"sqlite:///{tmp / 'live.db'}"
    else:
        database_url, drop = _pg_database(PG_ADMIN_URL)
    proc = None
    try:
        _cli("db", "upgrade", database_url=database_url)
        _cli(
            "shop",
            "init",
            "--name",
            "T",
            "--email",
            "t@example.com",
            "--currency",
            "USD",
            "--timezone",
            "America/New_York",
            "--rate",
            "EUR=1.10",
            database_url=database_url,
        )
        token = _cli("token", "create", "--scopes", SCOPES, database_url=database_url).strip().splitlines()[-1]
        port = free_port()
        log_path = tmp / "server.log"
        with open(log_path, "w") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "orderdesk", "serve", "--database-url", database_url, "--host", "127.0.0.1", "--port", str(port)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        _wait_until_up(proc, port, token, log_path)
        yield f"http://127.0.0.1:{port}", token
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        if drop is not None:
            drop()


@pytest.fixture
def client(live_server):
    base, token = live_server
    shopify.ShopifyResource.site = f"{base}/admin/api/{API_VERSION}"
    shopify.ShopifyResource.headers["X-Shopify-Access-Token"] = token
    yield shopify
    shopify.ShopifyResource.clear_session()
    shopify.ShopifyResource.headers.pop("X-Shopify-Access-Token", None)
