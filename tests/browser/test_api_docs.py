"""/docs (Swagger UI) and /redoc (ReDoc) in a real Chromium with every other origin blocked: the
pages render every operation of /openapi.json from this server's own files, ask no other origin
for anything, and break no rule of their Content-Security-Policy."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.browser.test_admin_pages import server  # noqa: F401 - a fixture

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture(scope="module")
def operations(server):  # noqa: F811 - the imported fixture
    with urllib.request.urlopen(f"{server}/openapi.json", timeout=10) as response:
        document = json.load(response)
    return [(method, path) for path, ops in document["paths"].items() for method in ops]


@pytest.fixture
def offline(browser, server):  # noqa: F811 - the imported fixtures
    """A page whose requests to any other origin are refused and recorded, as on a machine without internet."""
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    elsewhere: list[str] = []

    def only_this_server(route):
        url = route.request.url
        if url.startswith((server + "/", "data:", "blob:")):
            route.continue_()
        else:
            elsewhere.append(url)
            route.abort()

    context.route("**/*", only_this_server)
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page, elsewhere, errors
    context.close()


def test_swagger_ui_renders_every_operation_offline(offline, operations):
    page, elsewhere, errors = offline
    page.goto("/docs")
    blocks = page.locator(".opblock")
    blocks.first.wait_for()
    page.wait_for_function(f"document.querySelectorAll('.opblock').length >= {len(operations)}")
    assert blocks.count() == len(operations)
    assert page.locator(".opblock-summary-path", has_text="/admin/api/{version}/orders.json").count() == 2  # list and create
    # The token scheme is there to fill in.
    assert page.locator("button.authorize").count() == 1
    assert elsewhere == [] and errors == []
    assert page.evaluate("window.__csp") == []


def test_redoc_renders_every_operation_offline(offline, operations):
    page, elsewhere, errors = offline
    page.goto("/redoc")
    page.locator("[data-section-id^='operation/']").first.wait_for()
    rendered = "new Set(Array.from(document.querySelectorAll(\"[data-section-id^='operation/']\")).map(e => e.dataset.sectionId)).size"
    page.wait_for_function(f"{rendered} >= {len(operations)}")
    assert page.evaluate(rendered) == len(operations)
    assert page.get_by_text("Create an order (accepts Idempotency-Key)").count() >= 1
    assert elsewhere == [] and errors == []
    # ReDoc's menu footer always asks for Redocly's logo from its CDN: the policy refuses it
    # before it leaves the browser (so it is not in ``elsewhere``), and ReDoc hides the image.
    assert set(page.evaluate("window.__csp")) <= {"img-src https://cdn.redoc.ly/redoc/logo-mini.svg"}
