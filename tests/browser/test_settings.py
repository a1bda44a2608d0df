"""Settings and the Emails page in Chromium, each effect checked through the REST API or the CLI:
change the time zone, edit a template with its live preview, create and revoke a token, rotate a
webhook signing secret, add a member who then logs in and disable them (their open session ends),
read the emails orderdesk kept. Screenshots of every page at 1400 and 390 px go to /tmp."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.browser.conftest import orderdesk, sign_in

pytestmark = pytest.mark.browser
SHOTS = "/tmp/adminsettings-shots"


def shoot(page, name: str) -> None:
    page.screenshot(path=f"{SHOTS}/{name}-{page.viewport_size['width']}.png", full_page=True)


def test_change_the_time_zone(shop, page):
    page.goto("/admin/orders")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    page.wait_for_url(re.compile(r"/admin/settings/general$"))
    zone = page.get_by_label("Time zone")
    assert zone.input_value() == "Europe/Berlin"
    zone.fill("Mars/Olympus")
    page.get_by_role("button", name="Save", exact=True).click()
    assert "not a known IANA time zone" in page.locator("#iana_timezone-error").inner_text()
    assert page.get_by_label("Time zone").get_attribute("aria-invalid") == "true"
    assert shop.get("/shop.json")["shop"]["iana_timezone"] == "Europe/Berlin"
    page.get_by_label("Time zone").fill("Asia/Tokyo")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("status").filter(has_text="Settings saved.").wait_for()
    assert shop.get("/shop.json")["shop"]["iana_timezone"] == "Asia/Tokyo"
    page.get_by_label("Time zone").fill("Europe/Berlin")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("status").filter(has_text="Settings saved.").wait_for()
    assert shop.get("/shop.json")["shop"]["iana_timezone"] == "Europe/Berlin"


def test_turn_on_holding_unpaid_orders(shop, page):
    page.goto("/admin/settings/general")
    page.get_by_label("Hold fulfillment of unpaid orders").check()
    page.get_by_role("button", name="Save order processing").click()
    page.get_by_role("status").filter(has_text="Order processing settings saved.").wait_for()
    order = shop.order(financial_status="pending")
    try:
        statuses = {fo["status"] for fo in shop.get(f"/orders/{order['id']}/fulfillment_orders.json")["fulfillment_orders"]}
        assert statuses == {"on_hold"}
    finally:
        page.get_by_label("Hold fulfillment of unpaid orders").uncheck()
        page.get_by_role("button", name="Save order processing").click()
        page.get_by_role("status").filter(has_text="Order processing settings saved.").wait_for()


def test_edit_a_template_with_its_live_preview(shop, page):
    order = shop.order()
    page.goto("/admin/settings/notifications")
    page.get_by_role("link", name="Order confirmation").click()
    page.get_by_label("Preview with order").select_option(str(order["id"]))
    page.get_by_label("Subject").fill("Thanks for {{ order_name }}!")
    page.locator("#preview-subject").filter(has_text=f"Thanks for {order['name']}!").wait_for()
    body = page.get_by_label("Body")
    body.fill(body.input_value().replace("Thank you for your purchase!", "Your goodies are on their way"))
    frame = page.frame_locator("#preview-frame")
    frame.get_by_text("Your goodies are on their way").wait_for()
    assert frame.get_by_text(order["name"]).first.is_visible()
    # A broken template says where, next to the field, while typing.
    body.fill(body.input_value() + "\n{% if %}")
    page.locator("#body-error").filter(has_text="line").wait_for()
    assert "column" in page.locator("#body-error").inner_text()
    body.fill(body.input_value().replace("\n{% if %}", ""))
    page.locator("#preview-subject").wait_for()
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("status").filter(has_text="Order confirmation saved.").wait_for()
    saved = shop.get("/notification_templates/order_confirmation.json")["notification_template"]
    assert saved["subject"] == "Thanks for {{ order_name }}!" and "Your goodies are on their way" in saved["body"]
    page.get_by_role("button", name="Reset to default").click()
    page.get_by_role("status").filter(has_text="back to the default").wait_for()
    assert shop.get("/notification_templates/order_confirmation.json")["notification_template"]["customized"] is False


def test_create_a_token_then_revoke_it(shop, page):
    page.goto("/admin/settings/tokens")
    page.get_by_label("App name").fill("Label printer")
    page.get_by_label("read_orders").check()
    page.get_by_role("button", name="Create token").click()
    token = page.locator("#new-token").inner_text().strip()
    assert token.startswith("shpat_")
    client = httpx.Client(base_url=f"{shop.base}/admin/api/2024-10", headers={"X-Shopify-Access-Token": token})
    assert client.get("/orders.json").status_code == 200
    assert client.get("/products.json").status_code == 403  # only the scope chosen
    row = page.locator("#tokens tr", has_text="Label printer")
    row.get_by_role("button", name=re.compile("^Revoke")).click()
    page.get_by_role("status").filter(has_text="Token revoked").wait_for()
    assert client.get("/orders.json").status_code == 401
    assert "revoked" in orderdesk("token", "list", database_url=shop.database_url).split("Label printer")[1].splitlines()[0]


def test_rotate_a_webhook_signing_secret(shop, page):
    before = orderdesk("app", "secret", "tests", database_url=shop.database_url).strip()
    page.goto("/admin/settings/webhooks")
    card = page.locator("section.app", has_text="tests")
    assert card.locator("code.secret").inner_text().strip() == before
    card.get_by_role("button", name="Rotate secret").click()
    page.get_by_role("status").filter(has_text="Signing secret rotated").wait_for()
    after = orderdesk("app", "secret", "tests", database_url=shop.database_url).strip()
    assert after != before
    assert page.locator("section.app", has_text="tests").locator("code.secret").inner_text().strip() == after


def test_add_a_member_who_logs_in_then_disable_them(shop, page, new_page):
    page.goto("/admin/settings/staff")
    page.get_by_label("Email").fill("pat@shop.example")
    page.get_by_label("Name").fill("Pat Picker")
    page.get_by_label("Orders", exact=True).check()
    page.get_by_label("Password", exact=True).fill("picking password 9")
    page.get_by_role("button", name="Add staff member").click()
    page.get_by_role("status").filter(has_text="pat@shop.example can now log in.").wait_for()
    listed = orderdesk("staff", "list", database_url=shop.database_url)
    assert "pat@shop.example" in listed
    pat = new_page("pat@shop.example", "picking password 9")
    pat.goto("/admin/orders")
    assert pat.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").count() == 0
    page.get_by_role("link", name="Pat Picker").click()
    page.get_by_role("button", name="Disable account").click()
    page.get_by_role("status").filter(has_text="disabled").wait_for()
    # Pat's open session is refused at once.
    pat.goto("/admin/orders")
    pat.wait_for_url(re.compile(r"/admin/login"))
    assert pat.get_by_role("button", name="Log in").is_visible()
    assert "disabled" in orderdesk("staff", "list", database_url=shop.database_url).split("pat@shop.example")[1].splitlines()[0]


def test_a_one_time_password_is_shown_once(shop, page, browser):
    page.goto("/admin/settings/staff")
    page.get_by_label("Email").fill("robin@shop.example")
    page.get_by_label("Fulfillment", exact=True).check()
    page.get_by_label("Make a one-time password (shown once)").check()
    page.get_by_role("button", name="Add staff member").click()
    password = page.locator("#one-time-password").inner_text().strip()
    context = browser.new_context(base_url=shop.base)
    try:
        robin = context.new_page()
        sign_in(robin, "robin@shop.example", password)
        assert "/admin/login" not in robin.url
    finally:
        context.close()


def test_without_the_settings_permissions_there_is_no_settings_link_and_the_server_refuses(shop, new_page):
    shop.staff("clerk@shop.example", "clerk password 1", "orders")
    page = new_page("clerk@shop.example", "clerk password 1")
    page.goto("/admin/orders")
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="Settings").count() == 0 and nav.get_by_role("link", name="Emails").count() == 1
    token = page.locator('form.logout input[name="csrf_token"]').input_value()
    response = page.request.post("/admin/settings/tokens", form={"csrf_token": token, "name": "Mine", "scopes": "read_orders"})
    assert response.status == 403
    assert "Mine" not in orderdesk("token", "list", database_url=shop.database_url)
    assert page.request.get("/admin/settings/general").status == 403
    secret = orderdesk("app", "secret", "tests", database_url=shop.database_url).strip()
    for path, form in [
        ("/admin/settings/general", {"iana_timezone": "Asia/Tokyo"}),
        ("/admin/settings/automation", {"fulfillment_automation": "all"}),
        ("/admin/settings/notifications/refund", {"subject": "Hacked", "body": "x"}),
        ("/admin/settings/webhooks/1/rotate", {}),
        ("/admin/settings/staff", {"email": "mallory@shop.example", "password": "mallory password", "role": "owner"}),
    ]:
        assert page.request.post(path, form={"csrf_token": token, **form}).status == 403, path
    assert shop.get("/shop.json")["shop"]["iana_timezone"] == "Europe/Berlin"
    assert orderdesk("app", "secret", "tests", database_url=shop.database_url).strip() == secret
    assert "mallory" not in orderdesk("staff", "list", database_url=shop.database_url)
    assert shop.get("/notification_templates/refund.json")["notification_template"]["customized"] is False


def test_a_member_with_the_settings_permission_sees_only_the_sections_they_may_use(shop, new_page):
    shop.staff("editor@shop.example", "editor password 1", "settings")
    page = new_page("editor@shop.example", "editor password 1")
    page.goto("/admin/settings")
    page.wait_for_url(re.compile(r"/admin/settings/general$"))
    menu = page.get_by_role("navigation", name="Settings")
    assert [menu.get_by_role("link", name=n).count() for n in ("General", "Notifications", "Webhooks", "API tokens", "Staff")] == [
        1,
        1,
        1,
        0,
        0,
    ]
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Emails").count() == 0
    assert page.request.get("/admin/settings/staff").status == 403 and page.request.get("/admin/emails").status == 403


def test_the_emails_page_shows_the_kept_emails(shop, page):
    order = shop.order(send_receipt=True)
    orderdesk("worker", "--once", database_url=shop.database_url)
    page.goto("/admin/orders")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Emails").click()
    row = page.locator("#emails tr", has_text=order["name"]).first
    assert "bob.norman@example.com" in row.inner_text()
    row.get_by_role("link", name=re.compile(re.escape(order["name"]))).first.wait_for()
    row.locator("td[data-label=Subject] a").click()
    frame = page.frame_locator("iframe.email-frame")
    frame.get_by_text("Thank you for your purchase!").wait_for()
    assert "bob.norman@example.com" in page.locator("dl.email-headers").inner_text()
    page.get_by_role("link", name=order["name"]).click()
    page.wait_for_url(re.compile(rf"/admin/orders/{order['id']}$"))


@pytest.mark.parametrize("width", [1400, 390])
def test_screenshots(shop, new_page, width):
    import os

    os.makedirs(SHOTS, exist_ok=True)
    shop.order(send_receipt=True)
    orderdesk("worker", "--once", database_url=shop.database_url)
    page = new_page(width=width)
    for name, path in [
        ("general", "/admin/settings/general"),
        ("notifications", "/admin/settings/notifications"),
        ("notification", "/admin/settings/notifications/order_confirmation"),
        ("webhooks", "/admin/settings/webhooks"),
        ("tokens", "/admin/settings/tokens"),
        ("staff", "/admin/settings/staff"),
        ("emails", "/admin/emails"),
    ]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        if name == "notification":
            # The frame below the fold is painted once scrolled to (Chromium draws it in its own process).
            page.locator("#preview-frame").scroll_into_view_if_needed()
            page.frame_locator("#preview-frame").get_by_text("Thank you for your purchase!").wait_for()
        shoot(page, name)
    page.goto("/admin/settings/staff")
    page.locator("#staff a").first.click()
    shoot(page, "member")
    page.goto("/admin/emails")
    page.locator("#emails td[data-label=Subject] a").first.click()
    page.wait_for_load_state("networkidle")
    shoot(page, "email")
    # Wide pages do not scroll sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1


# Controls without an accessible name (main's tests/browser/test_keyboard_and_labels.py checks
# every admin page the same way once it knows a sample name, staff_id and email_id).
UNNAMED = """() => Array.from(document.querySelectorAll('input, select, textarea, button, a[href], summary'))
  .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
  .filter(el => !((el.getAttribute('aria-label') || '').trim() || el.getAttribute('aria-labelledby')
      || (el.labels && Array.from(el.labels).map(l => l.textContent).join('').trim())
      || (['BUTTON', 'A', 'SUMMARY'].includes(el.tagName) && el.textContent.trim())))
  .map(el => el.outerHTML.slice(0, 160))"""


def test_every_control_on_the_settings_and_email_pages_has_a_name(shop, page):
    from orderdesk import admin as admin_package

    shop.order(send_receipt=True)
    orderdesk("worker", "--once", database_url=shop.database_url)
    page.goto("/admin/emails")
    email_id = page.locator("#emails tr[data-email-id]").first.get_attribute("data-email-id")
    page.goto("/admin/settings/staff")
    staff_id = page.locator("#staff tr[data-staff-id]").first.get_attribute("data-staff-id")
    values = {"name": "order_confirmation", "staff_id": staff_id, "email_id": email_id}
    paths = sorted(
        {
            r.path
            for router in (admin_package.settings.router, admin_package.notifications.router, admin_package.webhooks.router,
                           admin_package.tokens.router, admin_package.staff.router, admin_package.emails.router)
            for r in router.routes
            if "GET" in r.methods
        }
    )  # fmt: skip
    assert len(paths) >= 12
    for path in paths:
        url = re.sub(r"{(\w+)}", lambda m: values[m.group(1)], path)
        response = page.goto(url)
        assert response is not None and response.status < 400, (url, response and response.status)
        assert page.evaluate(UNNAMED) == [], url
