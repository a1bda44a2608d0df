"""Security headers on the pages a browser shows: the shopper's status page and the admin.

What the browser makes of these headers (no violation reported, styles applied) is checked in
tests/browser/test_content_security.py; here: every page family gets them, their policies allow
nothing inline and no other origin, and the pages hold nothing the policies would block.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.builders import create_order


def _directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def _assert_strict(response, referrer: str) -> dict[str, list[str]]:
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == referrer
    policy = _directives(headers["content-security-policy"])
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    for name in ("default-src", "script-src", "style-src", "img-src", "connect-src"):
        sources = policy.get(name, policy["default-src"])
        # Only this server's own files: nothing inline, no eval, no other origin or scheme.
        assert set(sources) <= {"'self'", "'none'"}, (name, sources)
    return policy


class _Inline(HTMLParser):
    """What a CSP without 'unsafe-inline' would block, and the stylesheets the page links."""

    def __init__(self) -> None:
        super().__init__()
        self.blocked: list[str] = []
        self.stylesheets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "style" or (tag == "script" and "src" not in attrs):
            self.blocked.append(f"inline <{tag}>")
        for name in attrs:
            if name == "style" or name.startswith("on"):
                self.blocked.append(f"{name}= on <{tag}>")
        if tag == "a" and (attrs.get("href") or "").lower().startswith("javascript:"):
            self.blocked.append("javascript: link")
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append(attrs["href"])


def _assert_nothing_inline_and_styles_served(client: TestClient, html: str) -> None:
    page = _Inline()
    page.feed(html)
    assert page.blocked == []
    assert page.stylesheets, "the page lost its stylesheet"
    for href in page.stylesheets:
        assert not urlsplit(href).netloc  # served by orderdesk itself
        css = client.get(href)
        assert css.status_code == 200, href
        assert css.headers["content-type"].startswith("text/css")
        assert css.headers["x-content-type-options"] == "nosniff"


def _status_path(order) -> str:
    return urlsplit(order["order_status_url"]).path


def test_the_status_page_allows_only_its_own_stylesheet_and_no_framing(api, app):
    order = create_order(api)
    shopper = TestClient(app, base_url="http://testserver")
    page = shopper.get(_status_path(order))
    assert page.status_code == 200
    policy = _assert_strict(page, referrer="no-referrer")
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src" if "script-src" in policy else "default-src"] == ["'none'"]  # the page has no script
    assert policy["form-action"] == ["'none'"]
    _assert_nothing_inline_and_styles_served(shopper, page.text)
    for path in ("/status/" + "x" * 43, "/status/x"):  # the not-found page too
        missing = shopper.get(path)
        assert missing.status_code == 404
        _assert_strict(missing, referrer="no-referrer")
        _assert_nothing_inline_and_styles_served(shopper, missing.text)


def test_the_rate_limited_status_page_has_the_same_headers(api, app):
    shopper = TestClient(app, base_url="http://testserver")
    responses = [shopper.get(f"/status/guess-{i:040d}") for i in range(31)]
    assert responses[-1].status_code == 429
    _assert_strict(responses[-1], referrer="no-referrer")
    _assert_nothing_inline_and_styles_served(shopper, responses[-1].text)


@pytest.mark.parametrize("path", ["/admin/orders", "/admin/orders?tab=unpaid&q=bear", "/admin/orders/{id}", "/admin/orders/999999"])
def test_admin_pages_allow_only_this_servers_files_and_no_framing(api, admin, path):
    order = create_order(api)
    response = admin.get(path.format(id=order["id"]))
    assert response.status_code in (200, 404)
    assert response.headers["content-type"].startswith("text/html")
    policy = _assert_strict(response, referrer="same-origin")
    assert policy["object-src"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]  # the search and log-out forms
    _assert_nothing_inline_and_styles_served(admin, response.text)


def test_the_admin_api_is_left_alone(api):
    response = api.get(f"{api.base}/orders.json")
    assert response.status_code == 200
    assert "content-security-policy" not in response.headers
    assert "x-frame-options" not in response.headers


# ReDoc writes its styles into the page as it renders (no hash can name them): /redoc allows
# inline styles. Scripts are this server's files and hashed blocks on both pages.
@pytest.mark.parametrize(("page", "inline_styles"), [("/docs", False), ("/redoc", True)])
def test_the_api_docs_load_only_this_servers_files_and_their_own_inline_block(app, page, inline_styles):
    client = TestClient(app, base_url="http://testserver")
    response = client.get(page)
    assert response.status_code == 200
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    policy = _directives(response.headers["content-security-policy"])
    assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    for name in ("default-src", "script-src", "style-src", "connect-src", "font-src"):
        sources = policy.get(name, policy["default-src"])
        if name == "style-src" and inline_styles:
            assert sources == ["'self'", "'unsafe-inline'"]
            continue
        # This server's files and hashes of the page's own inline blocks: no other origin, nothing else inline.
        assert all(s == "'self'" or s.startswith("'sha256-") for s in sources), (name, sources)
    assert set(policy["img-src"]) == {"'self'", "data:"}
    # Every inline block the page carries is one the policy allows, by hash unless inline styles are on.
    inline = re.findall(r"<(script|style)>(.*?)</\1>", response.text, re.DOTALL)
    assert inline, "the page's own start-up block"
    for tag, body in inline:
        if tag == "style" and inline_styles:
            continue
        digest = "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        assert digest in policy["script-src" if tag == "script" else "style-src"], tag
    # Every script and stylesheet comes from this server.
    for url in re.findall(r'(?:src|href)="([^"]+)"', response.text):
        assert url.startswith("/"), url
        assert client.get(url).status_code == 200, url
    assert client.get("/openapi.json").status_code == 200


def test_a_route_that_sets_its_own_policy_keeps_it(app):
    from fastapi.responses import PlainTextResponse

    @app.get("/admin/own-policy")
    def own():
        return PlainTextResponse("x", headers={"Content-Security-Policy": "default-src 'none'"})

    response = TestClient(app).get("/admin/own-policy")
    assert response.headers.get_list("content-security-policy") == ["default-src 'none'"]
    assert response.headers["x-frame-options"] == "DENY"
