"""The admin and the shopper's status page under their Content-Security-Policy, in a real Chromium:
nothing is refused (no violation in the console or as an event), and the styles, now a file
served by orderdesk, still apply. The server runs with ORDERDESK_PUBLIC_URL, so the
order_status_url the API hands out is the address the browser opens."""

from __future__ import annotations

import json
import os
import re
import subprocess
import urllib.request

import pytest

from tests.browser.conftest import serving
from tests.browser.test_admin_pages import _orderdesk, log_in
from tests.loopback import free_port

pytestmark = pytest.mark.browser

# Collects what the browser refuses, in the page itself; init scripts are not subject to the CSP.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory, chromium_path):
    """A seeded demo shop served with ORDERDESK_PUBLIC_URL set to its own address: (base URL, token)."""
    tmp = tmp_path_factory.mktemp("csp")
    url = f"sqlite:///{tmp}/demo.db"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # Seeding stores each order's status key hash, so seeding and serving share the secret.
    env = {**os.environ, "ORDERDESK_SECRET_KEY": "csp-test-secret", "ORDERDESK_DATA_DIR": str(tmp), "ORDERDESK_PUBLIC_URL": base}
    seeded = subprocess.run(
        [*_orderdesk(), "demo", "--no-serve", "--database-url", url], capture_output=True, text=True, timeout=120, env=env
    )
    assert seeded.returncode == 0, seeded.stdout + seeded.stderr
    token = re.search(r"shpat_[0-9a-f]+", seeded.stdout).group(0)
    with serving(url, tmp, env, port=port):
        yield base, token


@pytest.fixture
def page(browser, site):
    context = browser.new_context(base_url=site[0], viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console = []
    page.on("console", lambda message: page.console.append(f"{message.type}: {message.text}"))
    yield page
    context.close()


def _refused(page) -> list[str]:
    """Violations reported as events and in the console (Chromium logs each refusal as an error)."""
    logged = [m for m in page.console if "Content Security Policy" in m or "Refused to" in m]
    return page.evaluate("window.__csp") + logged


def _background(page, selector: str) -> str:
    return page.eval_on_selector(selector, "e => getComputedStyle(e).backgroundColor")


def test_the_order_list_and_an_order_page_render_with_no_csp_violation(page):
    log_in(page)  # the login page itself renders under the policy too
    response = page.goto("/admin/orders")
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
    assert page.locator("#orders tbody tr[data-order-id]").count() >= 50
    assert _background(page, "header.top") == "rgb(31, 42, 36)"  # admin.css applied
    page.screenshot(path="/tmp/orderdesk-csp-order-list.png")
    page.locator("#orders tbody tr[data-order-id] td a").first.click()
    page.wait_for_url(re.compile(r"/admin/orders/\d+$"))
    assert page.locator("#timeline li").count() >= 1
    assert _background(page, ".card") == "rgb(255, 255, 255)"
    page.screenshot(path="/tmp/orderdesk-csp-order-page.png", full_page=True)
    assert _refused(page) == []
    # The check can fail: an inline style is refused and reported.
    page.evaluate("document.head.append(Object.assign(document.createElement('style'), {textContent: 'body{color:red}'}))")
    page.wait_for_function("window.__csp.length > 0")
    assert any("style-src" in v for v in _refused(page))


def test_the_status_page_from_the_api_renders_with_no_csp_violation(page, site):
    base, token = site
    request = urllib.request.Request(f"{base}/admin/api/2024-10/orders.json?status=any&limit=1", headers={"X-Shopify-Access-Token": token})
    with urllib.request.urlopen(request, timeout=5) as r:
        (order,) = json.load(r)["orders"]
    assert order["order_status_url"].startswith(f"{base}/status/")  # ORDERDESK_PUBLIC_URL, not localhost:8000
    response = page.goto(order["order_status_url"])
    assert response.status == 200
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert response.headers["referrer-policy"] == "no-referrer"
    assert page.locator("#order-name").inner_text() == f"Order {order['name']}"
    assert _background(page, ".card") == "rgb(255, 255, 255)"  # status.css applied
    assert _background(page, "body") == "rgb(246, 247, 248)"
    page.screenshot(path="/tmp/orderdesk-csp-status-page.png", full_page=True)
    assert _refused(page) == []


def test_another_page_cannot_frame_the_admin(page, site):
    with page.expect_console_message(lambda m: "frame-ancestors 'none'" in m.text) as refused:
        page.set_content(f'<iframe id="f" src="{site[0]}/admin/orders"></iframe>')
    assert "blocked" in refused.value.text
    assert page.frame_locator("#f").locator("#orders").count() == 0
