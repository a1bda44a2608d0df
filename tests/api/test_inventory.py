"""Locations and stock: orders commit stock, cancels and refunds give it back, deny never oversells."""

import threading

import pytest
from fastapi.testclient import TestClient

BASE = "/admin/api/2024-10"


def _product(api, policy="deny", stock=5, management="shopify"):
    product = api.post(
        f"{BASE}/products.json",
        json={
            "product": {
                "title": "Lantern",
                "variants": [
                    {
                        "title": "Default Title",
                        "sku": "LAN-1",
                        "price": "20.00",
                        "inventory_policy": policy,
                        "inventory_management": management,
                    }
                ],
            }
        },
    ).json()["product"]
    variant = product["variants"][0]
    location = api.get(f"{BASE}/locations.json").json()["locations"][0]
    if stock is not None:
        r = api.post(
            f"{BASE}/inventory_levels/set.json",
            json={"location_id": location["id"], "inventory_item_id": variant["inventory_item_id"], "available": stock},
        )
        assert r.status_code == 200, r.text
    return variant, location


def _level(api, variant, location):
    levels = api.get(
        f"{BASE}/inventory_levels.json", params={"inventory_item_ids": variant["inventory_item_id"], "location_ids": location["id"]}
    ).json()["inventory_levels"]
    return levels[0]


def _buy(api, variant, qty, behaviour="decrement_obeying_policy"):
    return api.post(
        f"{BASE}/orders.json",
        json={"order": {"line_items": [{"variant_id": variant["id"], "quantity": qty}], "inventory_behaviour": behaviour}},
    )


def test_a_shop_starts_with_one_location_and_variants_get_inventory_items(api):
    variant, location = _product(api, stock=None)
    assert location["name"] == "Main warehouse" and location["active"] is True
    item = api.get(f"{BASE}/inventory_items/{variant['inventory_item_id']}.json").json()["inventory_item"]
    assert item["sku"] == "LAN-1" and item["tracked"] is True
    assert _level(api, variant, location)["available"] == 0


def test_placing_an_order_commits_stock_and_cancel_with_restock_returns_it(api):
    variant, location = _product(api, stock=5)
    order = _buy(api, variant, 2).json()["order"]
    level = _level(api, variant, location)
    assert (level["available"], level["committed"]) == (3, 2)
    assert api.get(f"{BASE}/variants/{variant['id']}.json").json()["variant"]["inventory_quantity"] == 3
    api.post(f"{BASE}/orders/{order['id']}/cancel.json", json={"restock": True})
    level = _level(api, variant, location)
    assert (level["available"], level["committed"]) == (5, 0)


def test_the_api_default_bypasses_inventory_as_on_shopify(api):
    variant, location = _product(api, stock=1)
    assert _buy(api, variant, 3, behaviour="bypass").status_code == 201
    assert _level(api, variant, location)["available"] == 1


def test_deny_refuses_to_oversell_and_writes_nothing(api):
    variant, location = _product(api, stock=1)
    refused = _buy(api, variant, 2)
    assert refused.status_code == 422 and "out of stock" in str(refused.json()["errors"])
    assert api.get(f"{BASE}/orders/count.json", params={"status": "any"}).json() == {"count": 0}
    assert _level(api, variant, location)["available"] == 1


def test_continue_oversells_and_the_order_records_it(api, services):
    variant, location = _product(api, policy="continue", stock=1)
    order = _buy(api, variant, 3)
    assert order.status_code == 201
    assert _level(api, variant, location)["available"] == -2
    with services.db.reading() as uow:
        line = uow.orders.get(order.json()["order"]["id"], created_since=None).line_items[0]
    assert line.oversold_quantity == 2


def test_cancel_type_refund_releases_committed_stock(api):
    variant, location = _product(api, stock=4)
    order = _buy(api, variant, 3).json()["order"]
    line = order["line_items"][0]
    r = api.post(
        f"{BASE}/orders/{order['id']}/refunds.json",
        json={"refund": {"refund_line_items": [{"line_item_id": line["id"], "quantity": 1, "restock_type": "cancel"}]}},
    )
    assert r.status_code == 201, r.text
    level = _level(api, variant, location)
    assert (level["available"], level["committed"]) == (2, 2)


def test_adjust_and_set_validate_their_input(api):
    variant, location = _product(api, stock=2)
    ok = api.post(
        f"{BASE}/inventory_levels/adjust.json",
        json={"location_id": location["id"], "inventory_item_id": variant["inventory_item_id"], "available_adjustment": 3},
    )
    assert ok.json()["inventory_level"]["available"] == 5
    assert (
        api.post(
            f"{BASE}/inventory_levels/adjust.json",
            json={"location_id": 999999, "inventory_item_id": variant["inventory_item_id"], "available_adjustment": 1},
        ).status_code
        == 422
    )
    assert (
        api.post(
            f"{BASE}/inventory_levels/set.json", json={"location_id": location["id"], "inventory_item_id": "x", "available": 1}
        ).status_code
        == 422
    )
    assert api.get(f"{BASE}/inventory_levels.json").status_code == 422


@pytest.mark.postgres_only
def test_sixteen_threads_buying_the_last_hundred_units_sell_exactly_one_hundred(api, app, token):
    variant, location = _product(api, stock=100)
    barrier = threading.Barrier(16)
    sold = []

    def buyer():
        client = TestClient(app)
        client.headers["X-Shopify-Access-Token"] = token
        barrier.wait()
        for _ in range(10):
            if _buy(client, variant, 1).status_code == 201:
                sold.append(1)

    threads = [threading.Thread(target=buyer) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(sold) == 100
    level = _level(api, variant, location)
    assert (level["available"], level["committed"]) == (0, 100)


@pytest.mark.postgres_only
def test_the_race_test_can_fail_a_naive_read_check_write_oversells(api, services):
    """The test of the test: the same 16 buyers against a read-then-write stock update oversell,
    so the race test above would catch a regression to that pattern."""
    import time

    from sqlalchemy import text

    variant, location = _product(api, stock=100)
    item = variant["inventory_item_id"]
    engine = services.db.engine
    sold = []
    barrier = threading.Barrier(16)

    def naive_buyer():
        barrier.wait()
        for _ in range(10):
            with engine.begin() as conn:
                available = conn.execute(
                    text("SELECT available FROM inventory_levels WHERE inventory_item_id = :i"), {"i": item}
                ).scalar_one()
                time.sleep(0.0005)
                if available >= 1:
                    conn.execute(
                        text("UPDATE inventory_levels SET available = :a WHERE inventory_item_id = :i"), {"a": available - 1, "i": item}
                    )
                    sold.append(1)

    threads = [threading.Thread(target=naive_buyer) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    final = _level(api, variant, location)["available"]
    # Lost updates: more units "sold" than stock went down, so stock no longer reconciles.
    assert len(sold) > 100 or len(sold) + final != 100
