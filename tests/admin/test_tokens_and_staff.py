"""Settings → API tokens and Staff without a browser: a token is shown once and works, a revoked
one is refused at once; members are added (with a password the owner sets or one shown once),
changed, disabled (their session ends), enabled and given new passwords; a member who manages
staff without being an owner can't raise anyone above themselves."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from orderdesk.admin import auth
from orderdesk.services import staff as staff_service
from orderdesk.services import tokens as token_service
from tests.admin.test_settings import field_error, member
from tests.conftest import OWNER_EMAIL, csrf_of, log_in

BASE = "/admin/api/2024-10"


def new_client(app) -> TestClient:
    return TestClient(app, base_url="http://testserver")


def shown_token(html: str) -> str:
    found = re.search(r'<code class="secret" id="new-token">(shpat_[0-9a-f]+)</code>', html)
    assert found, "no token shown"
    return found.group(1)


def test_a_token_is_shown_once_works_and_is_refused_at_once_when_revoked(admin, app):
    data = {"csrf_token": csrf_of(admin), "name": "Warehouse sync", "scopes": ["read_orders", "write_fulfillments"]}
    response = admin.post("/admin/settings/tokens", data=data)
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    secret = shown_token(response.text)
    api = new_client(app)
    assert api.get(f"{BASE}/orders.json", headers={"X-Shopify-Access-Token": secret}).status_code == 200
    [row] = [t for t in token_service.list_tokens(app.state.services) if t["app_name"] == "Warehouse sync"]
    assert row["scopes"] == "read_orders,write_fulfillments"
    # Listed, never shown again.
    listing = admin.get("/admin/settings/tokens")
    assert "Warehouse sync" in listing.text and secret not in listing.text
    revoke = admin.post(f"/admin/settings/tokens/{row['id']}/revoke", data={"csrf_token": csrf_of(admin)}, follow_redirects=False)
    assert revoke.status_code == 303
    assert api.get(f"{BASE}/orders.json", headers={"X-Shopify-Access-Token": secret}).status_code == 401
    assert "Revoked" in admin.get("/admin/settings/tokens").text


def test_a_token_without_scopes_or_name_is_refused_next_to_the_field(admin, services):
    before = token_service.list_tokens(services)
    no_scopes = admin.post("/admin/settings/tokens", data={"csrf_token": csrf_of(admin), "name": "Sync"})
    assert no_scopes.status_code == 422 and field_error(no_scopes.text, "scopes") == "give at least one scope"
    assert 'value="Sync"' in no_scopes.text
    no_name = admin.post("/admin/settings/tokens", data={"csrf_token": csrf_of(admin), "name": " ", "scopes": ["read_orders"]})
    assert no_name.status_code == 422 and "app name" in field_error(no_name.text, "name")
    assert re.search(r'id="scope-read_orders"[^>]*checked', no_name.text)
    forged = admin.post("/admin/settings/tokens", data={"csrf_token": csrf_of(admin), "name": "X", "scopes": ["root"]})
    assert forged.status_code == 422 and "unknown scope(s): root" in field_error(forged.text, "scopes")
    assert token_service.list_tokens(services) == before


def test_tokens_need_the_tokens_permission(app, services, owner, token):
    client = member(app, services, "clerk@test-shop.example", "orders", "settings")
    before = token_service.list_tokens(services)
    assert client.get("/admin/settings/tokens").status_code == 403
    created = client.post("/admin/settings/tokens", data={"csrf_token": csrf_of(client), "name": "Mine", "scopes": ["read_orders"]})
    assert created.status_code == 403
    assert client.post(f"/admin/settings/tokens/{before[0]['id']}/revoke", data={"csrf_token": csrf_of(client)}).status_code == 403
    assert token_service.list_tokens(services) == before
    assert 'href="/admin/settings/tokens"' not in client.get("/admin/settings/general").text


def test_revoking_needs_the_csrf_token(admin, services, token):
    [row] = token_service.list_tokens(services)
    assert admin.post(f"/admin/settings/tokens/{row['id']}/revoke").status_code == 403
    assert token_service.list_tokens(services)[0]["revoked_at"] is None


def add_form(admin, **fields) -> dict:
    return {
        "csrf_token": csrf_of(admin),
        "email": "sam@test-shop.example",
        "name": "Sam Packer",
        "role": "staff",
        "permissions": ["orders", "fulfillment"],
        "password_choice": "set",
        "password": "packing all day 1",
        **fields,
    }


def test_an_added_member_logs_in_with_the_password_set_and_has_only_their_permissions(admin, app, services):
    response = admin.post("/admin/settings/staff", data=add_form(admin), follow_redirects=False)
    assert response.status_code == 303
    sam = staff_service.find(services, "sam@test-shop.example")
    assert (sam.name, sam.role, sam.permissions) == ("Sam Packer", "staff", ("orders", "fulfillment"))
    client = log_in(new_client(app), "sam@test-shop.example", "packing all day 1")
    assert client.get("/admin/orders").status_code == 200
    assert client.get("/admin/settings/general").status_code == 403
    listing = admin.get("/admin/settings/staff")
    assert "sam@test-shop.example" in listing.text and "orders, fulfillment" in listing.text


def test_a_one_time_password_is_shown_once_and_works(admin, app, services):
    response = admin.post("/admin/settings/staff", data=add_form(admin, password_choice="generate", password=""))
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    found = re.search(r'<code class="secret" id="one-time-password">([^<]+)</code>', response.text)
    assert found
    log_in(new_client(app), "sam@test-shop.example", found.group(1))
    assert found.group(1) not in admin.get("/admin/settings/staff").text


def test_bad_member_input_is_said_next_to_the_field_and_adds_nobody(admin, services):
    before = staff_service.list_staff(services)
    cases = [
        ({"email": "not-an-email"}, "email", "enter an email address"),
        ({"email": OWNER_EMAIL}, "email", "already has an account"),
        ({"password": "short"}, "password", "at least 10 characters"),
        ({"password": ""}, "password", "enter a password"),
        ({"permissions": ["orders", "launch_rockets"]}, "permissions", "unknown permission(s) launch_rockets"),
    ]
    for fields, field, message in cases:
        response = admin.post("/admin/settings/staff", data=add_form(admin, **fields))
        assert response.status_code == 422, fields
        assert message in field_error(response.text, field), fields
    assert staff_service.list_staff(services) == before


def test_disabling_a_member_ends_their_open_session_and_enabling_lets_them_back(admin, app, services):
    sam = staff_service.create_staff(services, "sam@test-shop.example", "packing all day 1", permissions=["orders"])
    client = log_in(new_client(app), "sam@test-shop.example", "packing all day 1")
    assert client.get("/admin/orders").status_code == 200
    url = f"/admin/settings/staff/{sam.id}"
    assert admin.post(f"{url}/disable", data={"csrf_token": csrf_of(admin)}, follow_redirects=False).status_code == 303
    assert staff_service.get_staff(services, sam.id).disabled
    assert client.get("/admin/orders", follow_redirects=False).status_code == 303  # back to the login form
    refused = new_client(app).post("/admin/login", data={"email": "sam@test-shop.example", "password": "packing all day 1"})
    assert refused.status_code == 401
    assert admin.post(f"{url}/enable", data={"csrf_token": csrf_of(admin)}, follow_redirects=False).status_code == 303
    log_in(new_client(app), "sam@test-shop.example", "packing all day 1")


def test_changing_permissions_applies_at_once(admin, app, services):
    sam = staff_service.create_staff(services, "sam@test-shop.example", "packing all day 1", permissions=["orders"])
    client = log_in(new_client(app), "sam@test-shop.example", "packing all day 1")
    data = {"csrf_token": csrf_of(admin), "role": "staff", "permissions": ["orders", "settings"]}
    assert admin.post(f"/admin/settings/staff/{sam.id}/permissions", data=data, follow_redirects=False).status_code == 303
    assert staff_service.get_staff(services, sam.id).permissions == ("orders", "settings")
    assert client.get("/admin/orders", follow_redirects=False).status_code == 303  # the old session ended
    again = log_in(new_client(app), "sam@test-shop.example", "packing all day 1")
    assert again.get("/admin/settings/general").status_code == 200


def test_resetting_a_password_ends_sessions_and_the_new_one_works(admin, app, services):
    sam = staff_service.create_staff(services, "sam@test-shop.example", "packing all day 1", permissions=["orders"])
    client = log_in(new_client(app), "sam@test-shop.example", "packing all day 1")
    url = f"/admin/settings/staff/{sam.id}/password"
    short = admin.post(url, data={"csrf_token": csrf_of(admin), "password_choice": "set", "password": "short"})
    assert short.status_code == 422 and "at least 10 characters" in field_error(short.text, "new-password")
    assert client.get("/admin/orders", follow_redirects=False).status_code == 200  # nothing changed
    ok = admin.post(
        url, data={"csrf_token": csrf_of(admin), "password_choice": "set", "password": "a new password 2"}, follow_redirects=False
    )
    assert ok.status_code == 303
    assert client.get("/admin/orders", follow_redirects=False).status_code == 303
    log_in(new_client(app), "sam@test-shop.example", "a new password 2")


def test_the_last_owner_and_one_self_cannot_be_disabled(admin, services, owner):
    response = admin.post(f"/admin/settings/staff/{owner.id}/disable", data={"csrf_token": csrf_of(admin)})
    assert response.status_code == 422 and "your own account" in response.text
    assert not staff_service.get_staff(services, owner.id).disabled


def test_a_staff_manager_who_is_not_an_owner_cannot_raise_anyone(app, services, owner):
    manager = member(app, services, "hr@test-shop.example", "staff", "orders")
    before = staff_service.list_staff(services)
    owner_made = manager.post("/admin/settings/staff", data=add_form(manager, role="owner", permissions=[]))
    assert owner_made.status_code == 422 and "only an owner" in field_error(owner_made.text, "role")
    more = manager.post("/admin/settings/staff", data=add_form(manager, permissions=["orders", "tokens"]))
    assert more.status_code == 422 and "not tokens" in field_error(more.text, "permissions")
    assert staff_service.list_staff(services) == before
    disable_owner = manager.post(f"/admin/settings/staff/{owner.id}/disable", data={"csrf_token": csrf_of(manager)})
    assert disable_owner.status_code == 422 and not staff_service.get_staff(services, owner.id).disabled
    reset_owner = manager.post(
        f"/admin/settings/staff/{owner.id}/password", data={"csrf_token": csrf_of(manager), "password_choice": "generate"}
    )
    assert reset_owner.status_code == 422 and "only an owner" in reset_owner.text
    # Within their own permissions they may add staff.
    ok = manager.post("/admin/settings/staff", data=add_form(manager, permissions=["orders"]), follow_redirects=False)
    assert ok.status_code == 303


def test_staff_pages_need_the_staff_permission(app, services, owner):
    client = member(app, services, "clerk@test-shop.example", "orders", "settings")
    before = staff_service.list_staff(services)
    assert client.get("/admin/settings/staff").status_code == 403
    assert client.get(f"/admin/settings/staff/{owner.id}").status_code == 403
    assert client.post("/admin/settings/staff", data=add_form(client)).status_code == 403
    assert client.post(f"/admin/settings/staff/{owner.id}/disable", data={"csrf_token": csrf_of(client)}).status_code == 403
    assert staff_service.list_staff(services) == before
    assert auth.COOKIE in client.cookies
