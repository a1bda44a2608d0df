"""The admin pages in a real Chromium against a real server seeded with the demo shop."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from orderdesk.cli.demo import DEMO_OWNER
from tests.browser.conftest import serving
from tests.loopback import free_port

pytestmark = pytest.mark.browser

SCREENSHOT = Path("/tmp/orderdesk-admin-order-list.png")


def _orderdesk() -> list[str]:
    exe = shutil.which("orderdesk", path=str(Path(sys.executable).parent)) or shutil.which("orderdesk")
    return [exe] if exe else [sys.executable, "-m", "orderdesk"]


@pytest.fixture(scope="module")
def server(tmp_path_factory, chromium_path):
    """A seeded demo database served by ``orderdesk serve``; yields its base URL."""
    tmp = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{tmp}/demo.db"
    seeded = subprocess.run(
        [*_orderdesk(), "demo", "--no-serve", "--database-url", url, "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert seeded.returncode == 0, seeded.stdout + seeded.stderr
    # The worker sends (captures) the seeded orders' emails, so order pages list their notifications.
    worked = subprocess.run([*_orderdesk(), "worker", "--once", "--database-url", url], capture_output=True, text=True, timeout=120)
    assert worked.returncode == 0, worked.stdout + worked.stderr
    with serving(url, tmp) as base:
        yield base


def log_in(page, email: str = DEMO_OWNER[0], password: str = DEMO_OWNER[1]) -> None:
    """Log in through the form, as a member of staff does."""
    page.goto("/admin/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/orders"))


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page)
    yield page
    context.close()


def order_rows(page):
    return page.locator("#orders tbody tr[data-order-id]")


def row_texts(page) -> list[str]:
    return [t.strip() for t in order_rows(page).all_inner_texts()]


def test_order_list_shows_name_date_customer_total_and_status_badges(page):
    page.goto("/admin/orders")
    assert page.locator("h1").inner_text() == "Orders"
    rows = order_rows(page)
    assert rows.count() >= 50  # one page of the 60 demo orders
    first = rows.first
    cells = first.locator("td")
    assert cells.count() == 6
    assert re.fullmatch(r"#\d+", cells.nth(0).locator("a").inner_text().strip())
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", cells.nth(1).inner_text())
    assert cells.nth(2).inner_text().strip() not in ("", "No customer")
    assert re.search(r"\d+\.\d{2} EUR", cells.nth(3).inner_text())
    assert cells.nth(4).locator(".badge").count() == 1
    assert cells.nth(5).locator(".badge").count() == 1
    payment = set(rows.locator("td:nth-child(5) .badge").all_inner_texts())
    fulfillment = set(rows.locator("td:nth-child(6) .badge").all_inner_texts())
    assert "Paid" in payment and len(payment) >= 3
    assert "Fulfilled" in fulfillment and "Unfulfilled" in fulfillment
    page.screenshot(path=str(SCREENSHOT), full_page=False)


def test_archived_tab_shows_only_archived_orders(page):
    page.goto("/admin/orders")
    page.get_by_role("link", name="Archived", exact=True).click()
    page.wait_for_url(re.compile(r"tab=archived"))
    assert page.locator("nav.tabs a.active").inner_text() == "Archived"
    rows = order_rows(page)
    assert rows.count() > 0
    for i in range(rows.count()):
        assert rows.nth(i).locator("td").first.locator(".badge.closed").count() == 1, rows.nth(i).inner_text()
    all_count = _count(page, "/admin/orders")
    assert rows.count() < all_count


def _count(page, url: str) -> int:
    page.goto(url)
    return int(re.match(r"(\d+)", page.locator("form.search .muted").inner_text()).group(1))


def test_searching_by_customer_email_narrows_the_list(page):
    total = _count(page, "/admin/orders")
    email = "hiro.tanaka@example.com"
    box = page.get_by_role("searchbox", name="Search orders")
    box.fill(email)
    box.press("Enter")
    page.wait_for_url(re.compile(r"q=hiro"))
    texts = row_texts(page)
    assert 0 < len(texts) < total
    assert all("Hiro Tanaka" in t or email in t for t in texts)
    assert page.get_by_role("searchbox", name="Search orders").input_value() == email


def test_order_page_shows_lines_totals_addresses_and_timeline(page):
    page.goto("/admin/orders")
    link = order_rows(page).first.locator("td").first.locator("a")
    name = link.inner_text().strip()
    link.click()
    page.wait_for_url(re.compile(r"/admin/orders/\d+$"))
    assert page.locator("h1").inner_text().startswith(name)
    assert page.title().startswith(name)
    lines = page.locator("#line-items tbody tr")
    assert lines.count() >= 1
    assert lines.first.locator("td").first.inner_text().strip() != ""
    totals = page.locator("#totals").inner_text() + page.locator("#payment-summary").inner_text()
    for label in ("Subtotal", "Shipping", "Taxes", "Total", "Paid", "Outstanding"):
        assert label in totals
    assert re.search(r"\d+\.\d{2} EUR", totals)
    for section in ("#shipping-address", "#billing-address"):
        text = page.locator(section).inner_text()
        assert "Harbour Street" in text, text
    assert page.locator("#customer").inner_text().count("@example.com") >= 1
    timeline = page.locator("#timeline li")
    assert timeline.count() >= 1
    assert "Order was placed." in page.locator("#timeline").inner_text()
    page.screenshot(path="/tmp/orderdesk-admin-order-page.png", full_page=True)


def test_cancelled_order_shows_the_cancelled_badge(page):
    page.goto("/admin/orders?tab=cancelled")
    rows = order_rows(page)
    assert rows.count() > 0
    assert rows.first.locator(".badge.cancelled").inner_text() == "Cancelled"
    rows.first.locator("td").first.locator("a").click()
    page.wait_for_url(re.compile(r"/admin/orders/\d+$"))
    assert page.locator("h1 .badge.cancelled").inner_text() == "Cancelled"
    assert "cancelled" in page.locator("main p.muted").first.inner_text()


def test_unknown_order_is_a_not_found_page(page):
    response = page.goto("/admin/orders/999999")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Order not found"


def test_order_pages_fit_a_phone_screen(browser, server):
    """At 390 px nothing is cut off: no page scrolls sideways (wide tables scroll inside their card)."""
    context = browser.new_context(base_url=server, viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page)
    try:
        ids = page.locator("#orders tbody tr[data-order-id]").evaluate_all("rows => rows.map(r => r.dataset.orderId)")
        # Orders of every kind: fulfilled, archived, cancelled, refunded, foreign currency.
        for order_id in ids[:: max(1, len(ids) // 12)]:
            page.goto(f"/admin/orders/{order_id}")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, order_id
    finally:
        context.close()
