"""Our JSON has the keys and value types of Shopify's documented examples (API 2024-10).

The examples live in tests/golden (see its README for their source)."""

from tests.builders import create_order
from tests.golden import assert_same_shape, example

# Kept for the test modules that import them from here.
_example = example
__all__ = ["_example", "assert_same_shape"]


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
