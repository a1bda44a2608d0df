"""Staff log in to the admin: sessions, permissions, CSRF and throttled failures."""

from __future__ import annotations

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from orderdesk import admin as admin_package
from orderdesk.admin import auth, login
from orderdesk.services import staff as staff_service
from tests.conftest import OWNER_EMAIL, OWNER_PASSWORD, csrf_of, log_in


def _client(app, base="http://testserver") -> TestClient:
    return TestClient(app, base_url=base)


def test_every_admin_route_declares_a_permission_or_is_the_login_form():
    routes = [r for router in admin_package.ROUTERS for r in router.routes if isinstance(r, APIRoute)]
    assert routes
    assert {r.path for r in routes if not auth.declared(r)} == login.PUBLIC  # GET and POST /admin/login


def test_without_a_session_pages_redirect_to_the_login_form(app, owner):
    response = _client(app).get("/admin/orders?tab=unpaid", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/login?next=%2Fadmin%2Forders%3Ftab%3Dunpaid"
    page = _client(app).get(response.headers["location"])
    assert '<label for="email">Email</label>' in page.text and '<label for="password">Password</label>' in page.text
    assert ">Log in</button>" in page.text


def test_htmx_requests_without_a_session_are_told_where_to_log_in(app, owner):
    response = _client(app).get("/admin/orders", headers={"HX-Request": "true"}, follow_redirects=False)
    assert response.status_code == 401 and response.headers["hx-redirect"].startswith("/admin/login")


def test_a_wrong_password_says_so_next_to_the_field_and_sets_no_cookie(app, owner):
    client = _client(app)
    response = client.post("/admin/login", data={"email": OWNER_EMAIL, "password": "wrong password!"}, follow_redirects=False)
    assert response.status_code == 401
    assert 'role="alert">The email or password is not right.' in response.text
    assert auth.COOKIE not in response.cookies
    assert client.get("/admin/orders", follow_redirects=False).status_code == 303


def test_logging_in_sets_an_httponly_samesite_cookie_and_opens_the_page_asked_for(app, owner):
    response = _client(app).post(
        "/admin/login",
        data={"email": "OWNER@test-shop.example ", "password": OWNER_PASSWORD, "next": "/admin/orders?tab=open"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/admin/orders?tab=open"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http on this machine


def test_the_cookie_is_secure_when_the_public_url_is_https(app, services, owner, monkeypatch):
    shop = services.shop()
    monkeypatch.setattr(shop, "server_public_url", "https://orders.example.com")
    response = _client(app).post("/admin/login", data={"email": OWNER_EMAIL, "password": OWNER_PASSWORD}, follow_redirects=False)
    assert "Secure" in response.headers["set-cookie"]


def test_a_login_link_never_sends_the_member_to_another_site(app, owner):
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
        response = _client(app).post(
            "/admin/login", data={"email": OWNER_EMAIL, "password": OWNER_PASSWORD, "next": target}, follow_redirects=False
        )
        assert response.headers["location"] == "/admin/orders", target


def test_log_out_ends_the_session_and_needs_the_csrf_token(app, owner):
    client = log_in(_client(app))
    token = csrf_of(client)
    stale_cookie = client.cookies.get(auth.COOKIE)
    assert client.post("/admin/logout", follow_redirects=False).status_code == 403  # no token: refused, still logged in
    assert client.get("/admin/orders", follow_redirects=False).status_code == 200
    response = client.post("/admin/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/admin/login"
    replay = _client(app)
    replay.cookies.set(auth.COOKIE, stale_cookie)
    assert replay.get("/admin/orders", follow_redirects=False).status_code == 303  # the old cookie is dead


def test_a_form_from_another_site_or_another_session_is_refused(app, services, owner):
    client = log_in(_client(app))
    token = csrf_of(client)
    forged = client.post("/admin/logout", data={"csrf_token": token}, headers={"Origin": "https://evil.example"}, follow_redirects=False)
    assert forged.status_code == 403 and "sent from another page" in forged.text
    staff_service.create_staff(services, "sam@test-shop.example", "another long password", permissions=["orders"])
    other = log_in(_client(app), "sam@test-shop.example", "another long password")
    assert other.post("/admin/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 403
    assert client.get("/admin/orders", follow_redirects=False).status_code == 200


def test_disabling_a_member_or_resetting_their_password_ends_their_sessions_at_once(app, services, owner):
    sam = staff_service.create_staff(services, "sam@test-shop.example", "another long password", permissions=["orders"])
    client = log_in(_client(app), "sam@test-shop.example", "another long password")
    assert client.get("/admin/orders", follow_redirects=False).status_code == 200
    staff_service.reset_password(services, sam.id, "a brand new password")
    assert client.get("/admin/orders", follow_redirects=False).status_code == 303
    client = log_in(_client(app), "sam@test-shop.example", "a brand new password")
    staff_service.disable_staff(services, sam.id)
    assert client.get("/admin/orders", follow_redirects=False).status_code == 303
    refused = _client(app).post("/admin/login", data={"email": "sam@test-shop.example", "password": "a brand new password"})
    assert refused.status_code == 401


def test_the_shop_keeps_an_active_owner(services, owner):
    import pytest

    from orderdesk.domain.errors import InvalidInput

    with pytest.raises(InvalidInput):
        staff_service.disable_staff(services, owner.id)
    with pytest.raises(InvalidInput):
        staff_service.update_staff(services, owner.id, role="staff")


def test_a_member_without_the_orders_permission_gets_a_403_page(app, services, owner):
    staff_service.create_staff(services, "pat@test-shop.example", "pat's long password", permissions=["settings"])
    client = log_in(_client(app), "pat@test-shop.example", "pat's long password")
    response = client.get("/admin/orders")
    assert response.status_code == 403 and "does not have the <strong>orders</strong> permission" in response.text
    assert 'href="/admin/orders">Orders</a>' not in response.text  # no link to what they may not open


def test_failed_logins_are_throttled_per_account(app, owner):
    client = _client(app)
    for _ in range(5):
        client.post("/admin/login", data={"email": OWNER_EMAIL, "password": "guessing wrong"})
    response = client.post("/admin/login", data={"email": OWNER_EMAIL, "password": OWNER_PASSWORD}, follow_redirects=False)
    assert response.status_code == 401 and "Too many failed attempts" in response.text


def test_failed_logins_are_throttled_per_address_across_accounts(app, owner):
    client = _client(app)
    for n in range(20):
        client.post("/admin/login", data={"email": f"nobody{n}@test-shop.example", "password": "guessing wrong"})
    response = client.post("/admin/login", data={"email": OWNER_EMAIL, "password": OWNER_PASSWORD}, follow_redirects=False)
    assert response.status_code == 401 and "Too many failed attempts" in response.text


def test_passwords_are_stored_as_argon2_hashes(services, owner):
    with services.db.reading() as uow:
        row = uow.staff.by_email(OWNER_EMAIL)
    assert row["password_hash"].startswith("$argon2id$") and OWNER_PASSWORD not in row["password_hash"]
