"""Our JSON has the keys and value types of Shopify's documented examples (API 2024-10)."""

import json
from pathlib import Path

import pytest

from tests.builders import create_order

EXAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "shopify_rest_examples_2024_10.json"


def _example(resource: str, test: str) -> dict:
    if not EXAMPLES.exists():
        pytest.skip(f"{EXAMPLES} is not beside the repository")
    for e in json.loads(EXAMPLES.read_text()):
        if e["resource"] == resource and e["test"] == test:
            return e["response"]
    raise LookupError(test)


def _kind(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return bool
    if isinstance(value, (int, float)):
        return "number"
    return type(value)


def assert_same_shape(ours: dict, golden: dict, path: str = "") -> None:
    missing = sorted(set(golden) - set(ours))
    assert not missing, f"{path or 'root'} lacks {missing}"
    for key, value in golden.items():
        mine = ours[key]
        if value is None or mine is None:
            continue
        assert _kind(mine) == _kind(value), f"{path}{key}: {type(mine).__name__} vs {type(value).__name__}"
        if isinstance(value, dict) and key not in ("receipt", "origin_address", "client_details"):
            assert_same_shape(mine, value, f"{path}{key}.")
        if isinstance(value, list) and value and mine and isinstance(value[0], dict):
            assert_same_shape(mine[0], value[0], f"{path}{key}[0].")


def test_order_get_matches_the_documented_order_shape(api):
    golden = _example("order", "test_8")["order"]
    order = create_order(
        api,
        fulfillment_status="fulfilled",
        fulfillments=[{"tracking_company": "USPS", "tracking_number": "1Z2345"}],
        note_attributes=[{"name": "colour", "value": "green"}],
    )
    ours = api.get(f"{api.base}/orders/{order['id']}.json").json()["order"]
    # Refunds arrive with the payments work; their shape is checked there.
    golden = {k: v for k, v in golden.items() if k != "refunds"}
    assert_same_shape(ours, golden)


def test_order_list_and_count_match_the_documented_shapes(api):
    create_order(api)
    listed = api.get(f"{api.base}/orders.json", params={"status": "any"}).json()
    assert set(listed) == set(_example("order", "test_1"))
    assert set(api.get(f"{api.base}/orders/count.json").json()) == set(_example("order", "test_9"))


def test_order_create_response_matches_the_documented_shape(api):
    golden = _example("order", "test_17")["order"]
    response = api.post(
        f"{api.base}/orders.json",
        json={
            "order": {
                "line_items": [{"title": "IPod Nano", "price": "199.00", "quantity": 1}],
                "customer": {"first_name": "Paul", "last_name": "Norman", "email": "paul.norman@example.com"},
                "billing_address": {"first_name": "John", "last_name": "Smith", "address1": "123 Fake Street", "city": "Fakecity"},
            }
        },
    )
    assert response.status_code == 201
    ours = response.json()["order"]
    assert_same_shape(ours, {k: v for k, v in golden.items() if k not in ("refunds",)})
