"""A real ``orderdesk serve`` on a fresh shop, an API client for its Admin API, and Chromium
pages logged in to its admin as the owner (or as a member with some permissions)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.loopback import free_port

CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OWNER = ("owner@shop.example", "owner password 123")
API_SCOPES = ",".join(
    [
        "read_orders", "write_orders", "read_all_orders", "read_products", "write_products", "read_customers", "write_customers",
        "read_locations", "write_locations", "read_inventory", "write_inventory", "read_fulfillments", "write_fulfillments",
        "write_merchant_managed_fulfillment_orders", "write_third_party_fulfillment_orders", "write_assigned_fulfillment_orders",
    ]
)  # fmt: skip


def orderdesk(*args: str, database_url: str, stdin: str | None = None, env: dict | None = None) -> str:
    exe = shutil.which("orderdesk", path=os.path.dirname(sys.executable)) or shutil.which("orderdesk")
    command = [exe] if exe else [sys.executable, "-m", "orderdesk"]
    result = subprocess.run(
        [*command, *args, "--database-url", database_url], input=stdin, capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode == 0, f"orderdesk {' '.join(args)}: {result.stdout}{result.stderr}"
    return result.stdout


@contextmanager
def serving(database_url: str, tmp: Path, env: dict | None = None, port: int | None = None):
    """``orderdesk serve`` on the database until the block ends; yields its base URL once it answers."""
    port = port or free_port()
    log = open(tmp / "server.log", "w+")  # noqa: SIM115 - the server writes it until the block ends
    proc = subprocess.Popen(
        [sys.executable, "-m", "orderdesk", "serve", "--database-url", database_url, "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/admin/login", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"server did not start:\n{log.read()}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not on PATH (required under CI)")
        pytest.skip("chromium is not on PATH; install Debian's chromium to run browser tests")
    return CHROMIUM


class Shop:
    """The running server: its base URL, database URL and an API client with every scope."""

    def __init__(self, base: str, database_url: str, token: str) -> None:
        self.base, self.database_url, self.token = base, database_url, token
        self.api = httpx.Client(base_url=f"{base}/admin/api/2024-10", headers={"X-Shopify-Access-Token": token}, timeout=30)

    def order(self, **overrides) -> dict:
        from tests.builders import order_body

        response = self.api.post("/orders.json", json={"order": order_body(**overrides)})
        assert response.status_code == 201, response.text
        return response.json()["order"]

    def get(self, path: str) -> dict:
        response = self.api.get(path)
        assert response.status_code == 200, response.text
        return response.json()

    def staff(self, email: str, password: str, *permissions: str) -> None:
        args = ["staff", "create", "--email", email, "--name", email.split("@")[0].title()]
        for p in permissions:
            args += ["--permission", p]
        orderdesk(*args, database_url=self.database_url, stdin=password + "\n")


@pytest.fixture(scope="module")
def shop(tmp_path_factory, chromium_path):
    tmp = tmp_path_factory.mktemp("admin")
    url = f"sqlite:///{tmp}/shop.db"
    env = {**os.environ, "ORDERDESK_SECRET_KEY": "browser-test-secret", "ORDERDESK_RATE_LIMIT": "off"}
    orderdesk("db", "upgrade", database_url=url, env=env)
    orderdesk("shop", "init", "--name", "Harbour Goods", "--email", "shop@harbour.example", "--currency", "EUR",
              "--timezone", "Europe/Berlin", "--rate", "USD=0.92", "--rate", "JPY=0.0061", database_url=url, env=env)  # fmt: skip
    token = orderdesk("token", "create", "--name", "tests", "--scopes", API_SCOPES, database_url=url, env=env).strip().splitlines()[-1]
    orderdesk(
        "staff",
        "create",
        "--email",
        OWNER[0],
        "--name",
        "Olivia Owner",
        "--role",
        "owner",
        database_url=url,
        stdin=OWNER[1] + "\n",
        env=env,
    )
    with serving(url, tmp, env) as base:
        yield Shop(base, url, token)


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def sign_in(page, email: str, password: str) -> None:
    page.goto("/admin/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/"))


@pytest.fixture
def new_page(browser, shop):
    """Pages on their own browser context (their own cookies), closed after the test."""
    contexts = []

    def make(email: str = OWNER[0], password: str = OWNER[1], *, width: int = 1280):
        context = browser.new_context(base_url=shop.base, viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        sign_in(page, email, password)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """The owner's page."""
    return new_page()
