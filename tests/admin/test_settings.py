"""Settings → General and Order processing without a browser: a save changes what the REST API
and the services answer; bad input is said next to its field and changes nothing; a member
without the settings permission is refused; a form without the CSRF token is refused."""

from __future__ import annotations

import html as html_module
import re

import pytest
from fastapi.testclient import TestClient

from orderdesk.services import staff as staff_service
from tests.conftest import csrf_of, log_in

GENERAL = {
    "name": "Test Outfitters",
    "email": "shop@example.com",
    "currency": "USD",
    "iana_timezone": "America/New_York",
    "exchange_rates": "EUR=1.10\nGBP=1.25\nJPY=0.0067",
    "public_url": "",
}


def member(app, services, email: str, *permissions: str) -> TestClient:
    """A logged-in client for a staff member holding only ``permissions``."""
    staff_service.create_staff(services, email, "member password 1", permissions=list(permissions))
    return log_in(TestClient(app, base_url="http://testserver"), email, "member password 1")


def field_error(html: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="{re.escape(field)}-error" role="alert">([^<]*)</p>', html)
    assert found, f"no message element for {field}"
    return html_module.unescape(found.group(1))


def shop(api) -> dict:
    return api.get(f"{api.base}/shop.json").json()["shop"]


def test_saving_general_settings_changes_the_shop_the_api_shows(admin, api):
    data = {**GENERAL, "csrf_token": csrf_of(admin), "name": "Harbour Goods", "iana_timezone": "Europe/Berlin"}
    data["exchange_rates"] = "eur = 1.2\nJPY=0.0061"
    response = admin.post("/admin/settings/general", data=data, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/admin/settings/general"
    saved = shop(api)
    assert saved["name"] == "Harbour Goods" and saved["iana_timezone"] == "Europe/Berlin"
    assert api.get(f"{api.base}/shop/exchange_rates.json").json()["exchange_rates"] == {"EUR": "1.2", "JPY": "0.0061"}
    page = admin.get("/admin/settings/general")
    assert 'role="status">Settings saved.' in page.text
    assert 'value="Europe/Berlin"' in page.text and "EUR=1.2\nJPY=0.0061</textarea>" in page.text


def test_the_public_url_is_checked_saved_and_cleared(admin, services):
    token = csrf_of(admin)
    admin.post("/admin/settings/general", data={**GENERAL, "csrf_token": token, "public_url": "https://orders.example.com/"})
    assert services.shop().public_url == "https://orders.example.com"
    assert services.shop().base_url == "https://orders.example.com"
    refused = admin.post("/admin/settings/general", data={**GENERAL, "csrf_token": token, "public_url": "ftp://x"})
    assert refused.status_code == 422 and "absolute http:// or https:// URL" in field_error(refused.text, "public_url")
    assert services.shop().public_url == "https://orders.example.com"
    admin.post("/admin/settings/general", data={**GENERAL, "csrf_token": token, "public_url": ""})
    assert services.shop().public_url is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("iana_timezone", "Mars/Olympus", "not a known IANA time zone"),
        ("iana_timezone", "Europe", "not a known IANA time zone"),
        ("currency", "XYZ", "not a known ISO 4217 currency"),
        ("exchange_rates", "EUR=-1", "must be a positive decimal"),
        ("exchange_rates", "EUR 1.10", "write each rate as CODE=RATE"),
        ("exchange_rates", "USD=1", "USD is the shop's currency"),
        ("exchange_rates", "EUR=abc", "exchange rate for EUR"),
        ("exchange_rates", "EUR=1,10", "exchange rate for EUR"),
        ("name", "   ", "shop name"),
        ("email", "not an address", "email address"),
    ],
)
def test_bad_general_input_is_said_next_to_its_field_and_changes_nothing(admin, api, field, value, message):
    before = shop(api)
    data = {**GENERAL, "csrf_token": csrf_of(admin), "name": "Renamed", field: value}
    response = admin.post("/admin/settings/general", data=data)
    assert response.status_code == 422
    assert message in field_error(response.text, field)
    assert re.search(rf'id="{field}" name="{field}"[^>]*aria-invalid="true"', response.text)
    # what was typed stays in the form
    assert field == "name" or "Renamed" in response.text
    assert shop(api) == before


def test_order_processing_settings_are_saved_and_used(admin, services):
    assert services.shop().fulfillment_automation == "manual" and services.shop().auto_archive is True
    data = {"csrf_token": csrf_of(admin), "fulfillment_automation": "digital", "hold_unpaid_fulfillment": "1"}
    response = admin.post("/admin/settings/automation", data=data, follow_redirects=False)
    assert response.status_code == 303
    saved = services.shop()
    assert (saved.fulfillment_automation, saved.hold_unpaid_fulfillment, saved.auto_archive) == ("digital", True, False)
    page = admin.get("/admin/settings/general")
    assert re.search(r'id="automation-digital"[^>]*checked', page.text)
    assert re.search(r'id="hold_unpaid_fulfillment"[^>]*checked', page.text)
    assert not re.search(r'id="auto_archive"[^>]*checked', page.text)


def test_held_unpaid_orders_follow_the_saved_setting(admin, api):
    from tests.builders import create_order

    admin.post(
        "/admin/settings/automation",
        data={"csrf_token": csrf_of(admin), "fulfillment_automation": "manual", "hold_unpaid_fulfillment": "1", "auto_archive": "1"},
    )
    order = create_order(api, financial_status="pending")
    fos = api.get(f"{api.base}/orders/{order['id']}/fulfillment_orders.json").json()["fulfillment_orders"]
    assert {fo["status"] for fo in fos} == {"on_hold"}


def test_an_unknown_automation_mode_is_refused_next_to_its_choices(admin, services):
    response = admin.post("/admin/settings/automation", data={"csrf_token": csrf_of(admin), "fulfillment_automation": "robots"})
    assert response.status_code == 422
    assert "choose one of manual, digital, all" in field_error(response.text, "fulfillment_automation")
    assert services.shop().fulfillment_automation == "manual"


def test_a_member_without_the_settings_permission_is_refused_and_sees_no_link(app, services, owner, api):
    client = member(app, services, "clerk@test-shop.example", "orders")
    page = client.get("/admin/orders")
    assert 'href="/admin/settings"' not in page.text and 'href="/admin/emails"' in page.text
    assert client.get("/admin/settings/general").status_code == 403
    assert client.get("/admin/settings", follow_redirects=False).status_code == 403
    data = {**GENERAL, "csrf_token": csrf_of(client), "iana_timezone": "Asia/Tokyo"}
    assert client.post("/admin/settings/general", data=data).status_code == 403
    assert (
        client.post("/admin/settings/automation", data={"csrf_token": csrf_of(client), "fulfillment_automation": "all"}).status_code == 403
    )
    assert shop(api)["iana_timezone"] == "America/New_York"
    assert services.shop().fulfillment_automation == "manual"


def test_settings_opens_the_first_section_the_member_may_use(app, services, owner):
    client = member(app, services, "hr@test-shop.example", "staff")
    page = client.get("/admin/settings", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/admin/settings/staff"
    staff_page = client.get("/admin/settings/staff")
    assert 'href="/admin/settings/staff"' in staff_page.text and 'href="/admin/settings/general"' not in staff_page.text


def test_a_settings_form_without_the_csrf_token_is_refused(admin, api):
    response = admin.post("/admin/settings/general", data={**GENERAL, "iana_timezone": "Asia/Tokyo"})
    assert response.status_code == 403 and "This form was sent from another page" in response.text
    other_site = admin.post(
        "/admin/settings/general",
        data={**GENERAL, "csrf_token": csrf_of(admin), "iana_timezone": "Asia/Tokyo"},
        headers={"Origin": "https://evil.example"},
    )
    assert other_site.status_code == 403
    assert shop(api)["iana_timezone"] == "America/New_York"


def test_settings_pages_are_not_kept_by_the_browser(admin):
    for path in ("/admin/settings/general", "/admin/settings/webhooks", "/admin/settings/tokens", "/admin/settings/staff"):
        response = admin.get(path)
        assert response.status_code == 200 and response.headers["cache-control"] == "no-store", path


def test_the_time_zone_field_offers_the_iana_names_and_fields_keep_their_attributes(admin):
    # Attributes were once escaped into the value of the previous one (list="&#34;timezones&#34;"), so
    # the time zone suggestions, the currency's length and the text areas' sizes were lost.
    page = admin.get("/admin/settings/general").text
    assert re.search(r'id="iana_timezone" [^>]*list="timezones"', page)
    assert '<option value="Europe/Berlin">' in page and '<option value="America/New_York">' in page
    assert re.search(r'id="currency" [^>]*maxlength="3"', page)
    assert re.search(r'<textarea id="exchange_rates" [^>]*rows="4"', page)
    assert "&#34;" not in page


def test_a_member_who_may_not_see_orders_lands_in_settings_after_logging_in(app, services, owner):
    staff_service.create_staff(services, "hr@test-shop.example", "member password 1", permissions=["staff"])
    client = TestClient(app, base_url="http://testserver")
    response = client.post(
        "/admin/login",
        data={"email": "hr@test-shop.example", "password": "member password 1", "next": "/admin/orders"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/admin/settings"
    assert client.get("/admin/settings", follow_redirects=False).headers["location"] == "/admin/settings/staff"
