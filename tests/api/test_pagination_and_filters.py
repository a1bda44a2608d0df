"""Listing orders: cursor pagination through Link headers, and Shopify's list filters."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import update

from orderdesk.db import tables as t
from orderdesk.schemas.orders import order_from_body
from orderdesk.services import orders as order_service
from tests.builders import create_order, order_body

BASE = "/admin/api/2024-10"
LINK = re.compile(r'<([^>]+)>; rel="(next|previous)"')
URL = r"http://testserver/admin/api/2024-10/orders\.json\?limit=2&page_info=[A-Za-z0-9_-]+"


def place(services, minutes_ago: int, **overrides):
    at = (services.clock.now() - timedelta(minutes=minutes_ago)).replace(microsecond=0)
    return order_service.create_order(services, order_from_body(order_body(**overrides), services.shop()), at=at)


@pytest.fixture
def five(services):
    """Five orders a minute apart, oldest first."""
    return [place(services, 10 - i) for i in range(5)]


def links(response) -> dict[str, str]:
    header = response.headers.get("Link")
    if header is None:
        return {}
    return {rel: url for url, rel in LINK.findall(header)}


def get_url(api, url: str):
    parts = urlsplit(url)
    return api.get(f"{parts.path}?{parts.query}")


def ids(response) -> list[int]:
    assert response.status_code == 200, response.text
    return [o["id"] for o in response.json()["orders"]]


def test_first_page_has_only_an_exactly_formatted_next_link(api, five):
    response = api.get(f"{BASE}/orders.json", params={"limit": 2})
    assert ids(response) == [five[4].id, five[3].id]
    assert re.fullmatch(f'<{URL}>; rel="next"', response.headers["Link"])


def test_middle_page_has_previous_then_next_joined_by_comma_space(api, five):
    first = api.get(f"{BASE}/orders.json", params={"limit": 2})
    second = get_url(api, links(first)["next"])
    assert ids(second) == [five[2].id, five[1].id]
    assert re.fullmatch(f'<{URL}>; rel="previous", <{URL}>; rel="next"', second.headers["Link"])


def test_walking_next_links_covers_every_order_once_then_stops(api, five):
    seen: list[int] = []
    response = api.get(f"{BASE}/orders.json", params={"limit": 2})
    pages = 0
    while True:
        pages += 1
        seen += ids(response)
        if "next" not in links(response):
            break
        assert pages < 10
        response = get_url(api, links(response)["next"])
    assert pages == 3
    assert seen == [o.id for o in reversed(five)]
    assert "previous" in links(response)


def test_previous_links_walk_back_to_the_first_page(api, five):
    forward = []
    response = api.get(f"{BASE}/orders.json", params={"limit": 2})
    forward.append(ids(response))
    while "next" in links(response):
        response = get_url(api, links(response)["next"])
        forward.append(ids(response))
    backward = [ids(response)]
    while "previous" in links(response):
        response = get_url(api, links(response)["previous"])
        backward.append(ids(response))
    assert backward == list(reversed(forward))
    # Back on the first page: a next link, no previous one.
    assert set(links(response)) == {"next"}


def test_no_link_header_when_everything_fits(api, five):
    response = api.get(f"{BASE}/orders.json", params={"limit": 5})
    assert len(ids(response)) == 5
    assert "Link" not in response.headers


def test_pages_keep_filters_and_fields(api, services, five):
    api.post(f"{BASE}/orders/{five[4].id}/close.json")
    response = api.get(f"{BASE}/orders.json", params={"limit": 2, "status": "open", "fields": "id,name"})
    assert ids(response) == [five[3].id, five[2].id]
    nxt = links(response)["next"]
    assert parse_qs(urlsplit(nxt).query)["fields"] == ["id,name"]
    assert "status" not in parse_qs(urlsplit(nxt).query)
    second = get_url(api, nxt)
    assert ids(second) == [five[1].id, five[0].id]
    assert all(set(o) == {"id", "name"} for o in second.json()["orders"])
    assert "next" not in links(second)


def test_fields_trims_keys(api, five):
    orders = api.get(f"{BASE}/orders.json", params={"fields": "id,name"}).json()["orders"]
    assert orders and all(set(o) == {"id", "name"} for o in orders)
    one = api.get(f"{BASE}/orders/{five[0].id}.json", params={"fields": "id,total_price"}).json()["order"]
    assert set(one) == {"id", "total_price"}


def test_since_id_lists_ascending_by_id(api, five):
    response = api.get(f"{BASE}/orders.json", params={"since_id": five[1].id})
    assert ids(response) == [five[2].id, five[3].id, five[4].id]


def test_since_id_pages_ascending(api, five):
    first = api.get(f"{BASE}/orders.json", params={"since_id": five[0].id, "limit": 2})
    assert ids(first) == [five[1].id, five[2].id]
    second = get_url(api, links(first)["next"])
    assert ids(second) == [five[3].id, five[4].id]
    assert "next" not in links(second)
    back = get_url(api, links(second)["previous"])
    assert ids(back) == [five[1].id, five[2].id]


def test_ids_filter(api, five):
    wanted = f"{five[0].id},{five[3].id}"
    assert sorted(ids(api.get(f"{BASE}/orders.json", params={"ids": wanted}))) == sorted([five[0].id, five[3].id])
    assert api.get(f"{BASE}/orders/count.json", params={"ids": wanted}).json() == {"count": 2}


def test_status_filter(api, five):
    closed, cancelled = five[0].id, five[1].id
    assert api.post(f"{BASE}/orders/{closed}/close.json").status_code == 200
    assert api.post(f"{BASE}/orders/{cancelled}/cancel.json").status_code == 200

    def listed(status=None):
        params = {"status": status} if status else {}
        return set(ids(api.get(f"{BASE}/orders.json", params=params)))

    open_ids = {o.id for o in five[2:]}
    assert listed() == open_ids
    assert listed("open") == open_ids
    assert closed in listed("closed") and not open_ids & listed("closed")
    assert listed("cancelled") == {cancelled}
    assert listed("any") == {o.id for o in five}
    assert api.get(f"{BASE}/orders/count.json").json() == {"count": 3}
    assert api.get(f"{BASE}/orders/count.json", params={"status": "any"}).json() == {"count": 5}
    assert api.get(f"{BASE}/orders/count.json", params={"status": "cancelled"}).json() == {"count": 1}


def test_financial_status_filter(api):
    made = {s: create_order(api, financial_status=s)["id"] for s in ("paid", "pending", "authorized", "refunded", "voided")}

    def listed(status):
        return set(ids(api.get(f"{BASE}/orders.json", params={"financial_status": status, "status": "any"})))

    for status, oid in made.items():
        assert listed(status) == {oid}, status
    assert listed("unpaid") == {made["pending"], made["authorized"]}
    assert listed("any") == set(made.values())
    assert listed("partially_paid") == set()
    assert api.get(f"{BASE}/orders/count.json", params={"financial_status": "unpaid"}).json() == {"count": 2}


def test_fulfillment_status_filter(api, engine):
    fulfilled = create_order(api, fulfillment_status="fulfilled")
    assert fulfilled["fulfillment_status"] == "fulfilled"
    unfulfilled = create_order(api)
    partial = create_order(api)
    with engine.begin() as conn:
        conn.execute(update(t.orders).where(t.orders.c.id == partial["id"]).values(fulfillment_status="partial"))

    def listed(status):
        return set(ids(api.get(f"{BASE}/orders.json", params={"fulfillment_status": status})))

    assert listed("shipped") == {fulfilled["id"]}
    assert listed("fulfilled") == {fulfilled["id"]}
    assert listed("unshipped") == {unfulfilled["id"]}
    assert listed("unfulfilled") == {unfulfilled["id"], partial["id"]}
    assert listed("partial") == {partial["id"]}
    assert listed("any") == {fulfilled["id"], unfulfilled["id"], partial["id"]}


def test_created_at_min_and_max_are_inclusive(api, services, five):
    at = [o.created_at for o in five]
    lo, hi = at[1].isoformat(), at[3].isoformat()
    assert set(ids(api.get(f"{BASE}/orders.json", params={"created_at_min": lo}))) == {o.id for o in five[1:]}
    assert set(ids(api.get(f"{BASE}/orders.json", params={"created_at_max": hi}))) == {o.id for o in five[:4]}
    both = {"created_at_min": lo, "created_at_max": hi}
    assert set(ids(api.get(f"{BASE}/orders.json", params=both))) == {five[1].id, five[2].id, five[3].id}
    assert api.get(f"{BASE}/orders/count.json", params=both).json() == {"count": 3}


def test_created_at_filter_accepts_other_offsets_and_z(api, five):
    mid = five[2].created_at
    as_utc = mid.astimezone(__import__("datetime").timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    got = set(ids(api.get(f"{BASE}/orders.json", params={"created_at_min": as_utc})))
    assert got == {o.id for o in five[2:]}


def test_updated_at_min_and_max(api, services, five):
    before_update = services.clock.now() - timedelta(seconds=1)
    assert api.put(f"{BASE}/orders/{five[0].id}.json", json={"order": {"note": "touched"}}).status_code == 200
    recent = set(ids(api.get(f"{BASE}/orders.json", params={"updated_at_min": before_update.isoformat()})))
    assert recent == {five[0].id}
    older = set(ids(api.get(f"{BASE}/orders.json", params={"updated_at_max": before_update.isoformat()})))
    assert older == {o.id for o in five[1:]}


def test_customer_orders_lists_only_that_customers_orders(api):
    bob1 = create_order(api)
    bob2 = create_order(api)
    alice = create_order(api, email="alice@example.com", customer={"first_name": "Alice", "email": "alice@example.com"})
    bob_id = bob1["customer"]["id"]
    assert bob2["customer"]["id"] == bob_id and alice["customer"]["id"] != bob_id
    listed = ids(api.get(f"{BASE}/customers/{bob_id}/orders.json"))
    assert sorted(listed) == sorted([bob1["id"], bob2["id"]])
    assert ids(api.get(f"{BASE}/customers/{alice['customer']['id']}/orders.json")) == [alice["id"]]
    missing = api.get(f"{BASE}/customers/{bob_id + 999}/orders.json")
    assert missing.status_code == 404 and missing.json() == {"errors": "Not Found"}


def test_customer_orders_paginate_with_links_on_the_customer_path(api):
    made = [create_order(api)["id"] for _ in range(3)]
    customer_id = api.get(f"{BASE}/orders/{made[0]}.json").json()["order"]["customer"]["id"]
    first = api.get(f"{BASE}/customers/{customer_id}/orders.json", params={"limit": 2})
    nxt = links(first)["next"]
    assert urlsplit(nxt).path == f"{BASE}/customers/{customer_id}/orders.json"
    second = get_url(api, nxt)
    assert sorted(ids(first) + ids(second)) == sorted(made)
    assert "next" not in links(second)
