"""Every error answers in its path's shape: Shopify's ``{"errors": ...}`` JSON under /admin/api,
an HTML page for the admin and the status page; never plain text, never a traceback."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from orderdesk.api.edge import MAX_BODY

BASE = "/admin/api/2024-10"
SECRET = "database password is hunter2"


def boom() -> dict:
    raise RuntimeError(SECRET)


@pytest.fixture
def raising_app(app):
    """The real app with three routes that fail unexpectedly: in the API, the admin, and elsewhere."""
    app.add_api_route("/admin/api/{version}/boom.json", boom, methods=["GET", "POST"])
    app.add_api_route("/admin/boom", boom, methods=["GET"])
    app.add_api_route("/status/boom/now", boom, methods=["GET"])
    return app


def assert_json_error(response, status: int):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"errors"} and body["errors"], body


def assert_html_error(response, status: int):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.lstrip().lower().startswith("<!doctype html>")
    assert f"<h1>{status} " in response.text
    assert "Traceback" not in response.text


def test_a_route_that_raises_answers_json_500_and_logs_the_traceback(raising_app, token, caplog):
    # raise_server_exceptions stays on: the error must be answered, not passed on to the server.
    client = TestClient(raising_app, headers={"X-Shopify-Access-Token": token})
    with caplog.at_level(logging.ERROR, logger="orderdesk.api"):
        response = client.get(f"{BASE}/boom.json")
    assert_json_error(response, 500)
    assert response.json() == {"errors": "Internal Server Error"}
    assert SECRET not in response.text and "Traceback" not in response.text
    logged = [r for r in caplog.records if r.name == "orderdesk.api" and r.exc_info]
    assert logged and isinstance(logged[0].exc_info[1], RuntimeError)
    assert "/admin/api/2024-10/boom.json" in logged[0].getMessage()


def test_a_failure_after_reading_the_body_is_json_500_too(raising_app, token):
    client = TestClient(raising_app, headers={"X-Shopify-Access-Token": token})
    assert_json_error(client.post(f"{BASE}/boom.json", json={"order": {}}), 500)


@pytest.mark.parametrize("path", ["/admin/boom", "/status/boom/now"])
def test_a_page_that_raises_answers_an_html_500_without_a_traceback(raising_app, path, caplog):
    with caplog.at_level(logging.ERROR, logger="orderdesk.api"):
        response = TestClient(raising_app).get(path)
    assert_html_error(response, 500)
    assert SECRET not in response.text
    assert any(isinstance(r.exc_info[1], RuntimeError) for r in caplog.records if r.exc_info)


def test_the_status_page_key_is_not_logged(raising_app, caplog):
    with caplog.at_level(logging.ERROR, logger="orderdesk.api"):
        TestClient(raising_app).get("/status/boom/now")
    assert all("boom/now" not in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", f"{BASE}/nothing_here.json"),
        ("GET", f"{BASE}/orders/1/nothing.json"),
        ("POST", f"{BASE}/nothing.json"),
        ("GET", "/admin/api"),
    ],
)
def test_unknown_api_paths_are_json_404(api, method, path):
    response = api.request(method, path)
    assert_json_error(response, 404)
    assert response.json() == {"errors": "Not Found"}


@pytest.mark.parametrize(
    "method, path",
    [("DELETE", f"{BASE}/orders.json"), ("PATCH", f"{BASE}/orders/1.json"), ("DELETE", f"{BASE}/shop.json"), ("POST", f"{BASE}/shop.json")],
)
def test_wrong_methods_are_json_405_with_allow(api, method, path):
    response = api.request(method, path)
    assert_json_error(response, 405)
    assert response.json() == {"errors": "Method Not Allowed"}
    assert "GET" in response.headers["allow"] or "POST" in response.headers["allow"]


def test_a_body_over_the_limit_is_json_413(api):
    response = api.post(f"{BASE}/orders.json", content=b" " * (MAX_BODY + 1), headers={"Content-Type": "application/json"})
    assert_json_error(response, 413)


def test_a_body_over_the_limit_on_an_admin_page_is_an_html_413(app):
    assert_html_error(TestClient(app).post("/admin/orders", content=b"x" * (MAX_BODY + 1)), 413)


@pytest.mark.parametrize("path", ["/admin/nothing", "/admin/orders/1/nothing", "/nothing", "/status/"])
def test_unknown_pages_are_html_404(app, path):
    assert_html_error(TestClient(app).get(path), 404)


def test_wrong_method_on_an_admin_page_is_an_html_405(app):
    assert_html_error(TestClient(app).delete("/admin/orders"), 405)


def test_a_malformed_admin_order_id_is_an_html_page(admin):
    response = admin.get("/admin/orders/abc")
    assert_html_error(response, 400)


def test_missing_token_on_an_unknown_api_path_is_json_401(app):
    response = TestClient(app).get(f"{BASE}/nothing_here.json")
    assert_json_error(response, 401)
