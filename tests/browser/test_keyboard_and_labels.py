"""Every admin screen works with the keyboard and names every control (what screen readers and
browser tests find them by). The screens come from the admin's route table, so a new page is
checked without anyone remembering to add it."""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from fastapi.routing import APIRoute

from orderdesk import admin as admin_package

pytestmark = pytest.mark.browser

# Controls without an accessible name: a label, aria-label(ledby), or (buttons, links) their text.
UNNAMED = """() => Array.from(document.querySelectorAll('input, select, textarea, button, a[href], summary'))
  .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
  .filter(el => {
    const text = (el.getAttribute('aria-label') || '').trim()
      || (el.getAttribute('aria-labelledby') ? 'x' : '')
      || (el.labels && Array.from(el.labels).map(l => l.textContent).join('').trim())
      || (['BUTTON', 'A', 'SUMMARY'].includes(el.tagName) ? el.textContent.trim() : '')
      || (el.type === 'submit' ? el.value : '');
    return !text;
  })
  .map(el => el.outerHTML.slice(0, 160))"""


def admin_pages() -> list[str]:
    paths = []
    for router in admin_package.ROUTERS:
        for route in router.routes:
            if isinstance(route, APIRoute) and "GET" in route.methods and route.path.startswith("/admin"):
                paths.append(route.path)
    return sorted(set(paths))


def _sample_values(shop) -> dict[str, str]:
    """A value for each path parameter the admin's pages take; a page with a parameter missing
    here fails the test (add a value, so the new page is checked too)."""
    order = shop.order(financial_status="authorized")
    fo = shop.get(f"/orders/{order['id']}/fulfillment_orders.json")["fulfillment_orders"][0]
    # A captured email (the order's receipt, sent by one worker pass) and the owner's account.
    import os

    from tests.browser.conftest import orderdesk

    resent = shop.api.post(f"/orders/{order['id']}/notifications/order_confirmation/resend.json")
    assert resent.status_code == 201, resent.text
    env = {**os.environ, "ORDERDESK_SECRET_KEY": "browser-test-secret", "ORDERDESK_RATE_LIMIT": "off"}
    env.pop("ORDERDESK_SMTP_HOST", None)
    orderdesk("worker", "--once", database_url=shop.database_url, env=env)
    import sqlalchemy

    with sqlalchemy.create_engine(shop.database_url).connect() as conn:
        email_id = conn.execute(sqlalchemy.text("SELECT max(id) FROM captured_emails")).scalar()
        staff_id = conn.execute(sqlalchemy.text("SELECT min(id) FROM staff")).scalar()
    return {
        "order_id": str(order["id"]),
        "fo_id": str(fo["id"]),
        "name": "order_confirmation",
        "staff_id": str(staff_id),
        "email_id": str(email_id),
    }


def test_every_control_on_every_admin_page_has_a_name(shop, page):
    values = _sample_values(shop)
    pages = admin_pages()
    assert {"/admin/orders", "/admin/orders/{order_id}", "/admin/orders/{order_id}/refund"} <= set(pages)
    for path in pages:
        names = re.findall(r"{(\w+)}", path)
        missing = [n for n in names if n not in values]
        assert not missing, f"no sample value for {missing} in {path}: add one to _sample_values"
        url = re.sub(r"{(\w+)}", lambda m: values[m.group(1)], path)
        response = page.goto(url)
        assert response is not None and response.status < 400, (url, response and response.status)
        assert page.evaluate(UNNAMED) == [], url


def test_a_member_logs_in_and_captures_a_payment_with_the_keyboard_alone(shop, browser):
    from tests.browser.conftest import OWNER

    order = shop.order(financial_status="authorized")
    context = browser.new_context(base_url=shop.base, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto("/admin/login?next=" + f"/admin/orders/{order['id']}")
        page.keyboard.press("Tab")
        _tab_to(page, "Email")
        page.keyboard.type(OWNER[0])
        _tab_to(page, "Password")
        page.keyboard.type(OWNER[1])
        page.keyboard.press("Enter")
        # (A pattern would match the login page's own ?next=... address.)
        page.wait_for_url(lambda url: urlsplit(url).path == f"/admin/orders/{order['id']}")
        _tab_to(page, "Capture payment")
        # The focused control is visibly marked (an outline), so a keyboard user sees where they are.
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
        page.keyboard.press("Enter")
        page.get_by_role("status").filter(has_text="Captured").wait_for()
    finally:
        context.close()
    transactions = shop.get(f"/orders/{order['id']}/transactions.json")["transactions"]
    captured = sum(Decimal(t["amount"]) for t in transactions if t["kind"] == "capture" and t["status"] == "success")
    assert captured == Decimal(order["total_price"])


def _tab_to(page, name: str, limit: int = 80) -> None:
    """Press Tab until the focused control's accessible name is ``name``."""
    for _ in range(limit):
        focused = page.evaluate(
            """() => { const el = document.activeElement; if (!el) return '';
                 const label = el.labels && el.labels.length ? el.labels[0].textContent : '';
                 return (label || el.getAttribute('aria-label') || el.textContent || el.value || '').trim(); }"""
        )
        if focused == name:
            return
        page.keyboard.press("Tab")
    pytest.fail(f"{name!r} cannot be reached with Tab")
