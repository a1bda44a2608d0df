"""Shopify's official JavaScript client ``@shopify/admin-api-client`` (npm), run under Node against
a real ``orderdesk serve``, pointed at it through the client's own ``customFetchApi`` option.

The client is installed from tests/js/package-lock.json (``npm ci``) the first time; Node and npm
come from the machine (Debian's ``nodejs``/``npm``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import shopify

from tests.builders import order_body

pytestmark = pytest.mark.live

JS = Path(__file__).resolve().parent.parent / "js"


@pytest.fixture(scope="module")
def node_client() -> Path:
    if shutil.which("node") is None or shutil.which("npm") is None:
        if os.environ.get("CI"):
            raise RuntimeError("node and npm are needed for the JavaScript client test")
        pytest.skip("node and npm are not installed")
    if not (JS / "node_modules" / "@shopify" / "admin-api-client").is_dir():
        done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=JS, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    return JS / "client.mjs"


def test_the_javascript_client_reads_and_tags_an_order(client, live_server, node_client):
    base, token = live_server
    created = shopify.Order.create(order_body(tags="js"))
    gid = f"gid://shopify/Order/{created.id}"
    run = subprocess.run(["node", str(node_client), base, token, gid], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["seen"][0] == "https://test-shop.myshopify.com/admin/api/2025-01/graphql.json"
    order = out["read"]["data"]["order"]
    assert order["id"] == gid and order["name"] == created.name and order["displayFinancialStatus"] == "PAID"
    assert order["totalPriceSet"]["shopMoney"] == {"amount": created.total_price, "currencyCode": "USD"}
    assert [n["title"] for n in order["lineItems"]["nodes"]] == ["Big Brown Bear Boots", "Raspberry Beret"]
    assert out["read"]["extensions"]["cost"]["requestedQueryCost"] > 0
    assert out["tagged"]["data"]["tagsAdd"] == {"node": {"id": gid}, "userErrors": []}
    assert shopify.Order.find(created.id).tags == "js, from-js"
    # The client hands GraphQL errors back to the caller as Shopify's server sends them.
    assert out["refused"]["errors"]["graphQLErrors"][0]["extensions"]["code"] == "argumentLiteralsIncompatible"
