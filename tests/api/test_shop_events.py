"""The shop's events (GET /events.json, /events/count.json, /events/{id}.json,
/products/{id}/events.json): products record theirs, Shopify's filters work, and a caller sees
only the events of what it may read (its scopes, and the 60-day window on orders)."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from orderdesk.db import tables as t
from orderdesk.services.tokens import create_token
from tests.builders import create_order

BASE = "/admin/api/2024-10"


def _product(api, title="Pen") -> dict:
    r = api.post(f"{BASE}/products.json", json={"product": {"title": title, "variants": [{"price": "2.00"}]}})
    assert r.status_code == 201, r.text
    return r.json()["product"]


def _events(api, **params) -> list[dict]:
    r = api.get(f"{BASE}/events.json", params=params)
    assert r.status_code == 200, r.text
    return r.json()["events"]


def _client(app, services, *scopes) -> TestClient:
    client = TestClient(app, base_url="http://testserver")
    client.headers["X-Shopify-Access-Token"] = create_token(services, "events-app", list(scopes))
    return client


def _age(services, order_id: int, days: int) -> None:
    with services.db.writing() as uow:
        uow.conn.execute(update(t.orders).where(t.orders.c.id == order_id).values(created_at=services.clock.now() - timedelta(days=days)))
        uow.commit()


def test_a_products_life_is_on_its_timeline_even_after_it_is_deleted(api):
    pen = _product(api, "Pen")
    assert api.put(f"{BASE}/products/{pen['id']}.json", json={"product": {"title": "Fountain pen"}}).status_code == 200
    assert api.delete(f"{BASE}/products/{pen['id']}.json").status_code == 200

    events = api.get(f"{BASE}/products/{pen['id']}/events.json").json()["events"]
    assert [(e["verb"], e["arguments"], e["subject_type"], e["subject_id"]) for e in events] == [
        ("create", ["Pen"], "Product", pen["id"]),
        ("update", ["Fountain pen"], "Product", pen["id"]),
        ("destroy", ["Fountain pen"], "Product", pen["id"]),
    ]
    assert events[0]["message"] == "Product was created: Pen." and events[0]["path"] == f"/admin/products/{pen['id']}"
    assert events[0]["author"] == "tests"  # the app whose token made it
    destroyed = _events(api, filter="Product", verb="destroy")
    assert [e["subject_id"] for e in destroyed] == [pen["id"]]
    assert api.get(f"{BASE}/products/999999/events.json").status_code == 404


def test_the_shop_list_shows_orders_and_products_oldest_first_with_shopifys_filters(api):
    pen = _product(api, "Pen")
    order = create_order(api)
    cup = _product(api, "Cup")
    everything = _events(api)
    ids = [e["id"] for e in everything]
    assert ids == sorted(ids)
    assert {(e["subject_type"], e["subject_id"]) for e in everything} == {
        ("Product", pen["id"]),
        ("Order", order["id"]),
        ("Product", cup["id"]),
    }
    order_event = next(e for e in everything if e["subject_type"] == "Order")
    assert order_event["arguments"][0] == order["name"] and order_event["path"] == f"/admin/orders/{order['id']}"

    assert {e["subject_type"] for e in _events(api, filter="Order")} == {"Order"}
    assert {e["subject_type"] for e in _events(api, filter="Product,Order")} == {"Product", "Order"}
    assert _events(api, filter="Article") == []
    assert [e["subject_id"] for e in _events(api, filter="Product", verb="create")] == [pen["id"], cup["id"]]
    later = _events(api, since_id=order_event["id"])
    assert later and all(e["id"] > order_event["id"] for e in later)
    assert _events(api, created_at_min="2999-01-01T00:00:00Z") == []
    assert _events(api, created_at_max="2008-01-10 12:30:00+00:00") == []
    assert len(_events(api, created_at_min="2008-01-10 12:30:00+00:00")) == len(everything)

    count = api.get(f"{BASE}/events/count.json").json()
    assert count == {"count": len(everything)}
    assert api.get(f"{BASE}/events/count.json", params={"filter": "Product"}).json() == {"count": 2}
    one = api.get(f"{BASE}/events/{order_event['id']}.json").json()["event"]
    assert one == order_event
    assert api.get(f"{BASE}/events/{order_event['id']}.json", params={"fields": "id,verb"}).json()["event"] == {
        "id": order_event["id"],
        "verb": order_event["verb"],
    }
    assert api.get(f"{BASE}/events/999999.json").status_code == 404


def test_pages_follow_the_link_header_both_ways(api):
    for n in range(5):
        _product(api, f"Item {n}")
    first = api.get(f"{BASE}/events.json", params={"limit": 2, "filter": "Product"})
    assert [e["arguments"] for e in first.json()["events"]] == [["Item 0"], ["Item 1"]]
    next_url = first.headers["Link"].split(";")[0].strip("<>")
    second = api.get(next_url)
    assert [e["arguments"] for e in second.json()["events"]] == [["Item 2"], ["Item 3"]]
    previous_url = next(p.split(";")[0].strip(" <>") for p in second.headers["Link"].split(",") if 'rel="previous"' in p)
    assert [e["arguments"] for e in api.get(previous_url).json()["events"]] == [["Item 0"], ["Item 1"]]


def test_an_old_orders_events_are_invisible_without_read_all_orders(app, api, services):
    old = create_order(api, note="old")
    recent = create_order(api, note="recent")
    _age(services, old["id"], 90)
    old_event = api.get(f"{BASE}/orders/{old['id']}/events.json").json()["events"][0]

    windowed = _client(app, services, "read_orders")
    assert {e["subject_id"] for e in _events(windowed)} == {recent["id"]}
    assert windowed.get(f"{BASE}/events/count.json").json()["count"] == len(_events(windowed))
    assert windowed.get(f"{BASE}/events/{old_event['id']}.json").status_code == 404

    everyone = _client(app, services, "read_orders", "read_all_orders")
    assert {e["subject_id"] for e in _events(everyone)} == {old["id"], recent["id"]}
    assert everyone.get(f"{BASE}/events/{old_event['id']}.json").json()["event"]["id"] == old_event["id"]


def test_a_caller_sees_the_events_of_the_subjects_it_may_read(app, api, services):
    pen = _product(api)
    order = create_order(api)
    order_event = _events(api, filter="Order")[0]

    products_only = _client(app, services, "read_products")
    assert {e["subject_type"] for e in _events(products_only)} == {"Product"}
    assert _events(products_only, filter="Order") == []
    assert products_only.get(f"{BASE}/events/{order_event['id']}.json").status_code == 404
    assert products_only.get(f"{BASE}/products/{pen['id']}/events.json").status_code == 200

    orders_only = _client(app, services, "read_orders")
    assert {e["subject_id"] for e in _events(orders_only)} == {order["id"]}
    assert orders_only.get(f"{BASE}/products/{pen['id']}/events.json").status_code == 403

    neither = _client(app, services, "read_customers")
    assert neither.get(f"{BASE}/events.json").status_code == 403
    assert neither.get(f"{BASE}/events/count.json").status_code == 403


def test_bad_filters_are_refused_with_shopifys_errors(api):
    for params in ({"since_id": "abc"}, {"created_at_min": "yesterday"}, {"limit": "0"}, {"limit": "251"}):
        r = api.get(f"{BASE}/events.json", params=params)
        assert r.status_code == 400, (params, r.text)
        assert "errors" in r.json()
    assert api.get(f"{BASE}/events.json", params={"page_info": "garbage"}).status_code == 400


def test_a_product_event_is_written_with_its_change_and_only_then(api, services):
    pen = _product(api)
    assert api.put(f"{BASE}/products/{pen['id']}.json", json={"product": {"status": "sold"}}).status_code == 422
    assert api.post(f"{BASE}/products.json", json={"product": {"title": ""}}).status_code == 422
    assert api.delete(f"{BASE}/products/999999.json").status_code == 404
    with services.db.reading() as uow:
        rows = uow.conn.execute(select(t.events.c.subject_id, t.events.c.verb).where(t.events.c.subject_type == "Product")).all()
    assert [tuple(r) for r in rows] == [(pen["id"], "create")]
