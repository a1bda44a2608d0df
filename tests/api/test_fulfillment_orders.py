"""Fulfillment orders through the REST API: shapes, every action with Shopify's bodies, locations,
the scheduled-release job, webhooks, emails and the timeline."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from orderdesk.db import queries
from orderdesk.services import inventory
from orderdesk.services.clock import FixedClock
from orderdesk.worker.runner import Worker
from tests.api.test_inventory import _buy, _level
from tests.builders import create_order
from tests.golden import assert_same_shape, example

BASE = "/admin/api/2024-10"


def second_location(services) -> dict:
    return dict(inventory.create_location(services, {"name": "Second"}))


def shape(ours: dict, golden: dict) -> None:
    # Every fulfillment order carries origin and outgoing_requests, though only some examples show them.
    assert {"origin", "outgoing_requests"} <= set(ours)
    assert_same_shape(ours, golden)


def fos(api, order_id) -> list[dict]:
    r = api.get(f"{BASE}/orders/{order_id}/fulfillment_orders.json")
    assert r.status_code == 200, r.text
    return r.json()["fulfillment_orders"]


def one_fo(api, order_id) -> dict:
    got = fos(api, order_id)
    assert len(got) == 1, got
    return got[0]


def act(api, fo_id, action, body=None):
    return api.post(f"{BASE}/fulfillment_orders/{fo_id}/{action}.json", json=body)


def topics(services, order_id, kind="webhook") -> list[str]:
    with services.db.reading() as uow:
        return [r["topic"] for r in queries.outbox_rows(uow.conn, subject_id=order_id) if r["kind"] == kind]


def verbs(services, order_id) -> list[str]:
    with services.db.reading() as uow:
        return [r["verb"] for r in queries.order_events(uow.conn, order_id)]


def ship(api, fo_id, lines=None, **extra):
    group = {"fulfillment_order_id": fo_id}
    if lines is not None:
        group["fulfillment_order_line_items"] = [{"id": i, "quantity": q} for i, q in lines]
    return api.post(f"{BASE}/fulfillments.json", json={"fulfillment": {"line_items_by_fulfillment_order": [group], **extra}})


def fulfillment_status(api, order_id):
    return api.get(f"{BASE}/orders/{order_id}.json").json()["order"]["fulfillment_status"]


# --- reads and shapes ------------------------------------------------------------------------------


def test_list_and_get_match_the_documented_shapes(api):
    order = create_order(api, financial_status="paid")
    listed = fos(api, order["id"])
    assert len(listed) == 1
    fo = listed[0]
    assert fo["status"] == "open" and fo["request_status"] == "unsubmitted" and fo["order_id"] == order["id"]
    assert sorted((li["line_item_id"], li["quantity"], li["fulfillable_quantity"]) for li in fo["line_items"]) == sorted(
        (li["id"], li["quantity"], li["quantity"]) for li in order["line_items"]
    )
    assert all(li["fulfillment_order_id"] == fo["id"] for li in fo["line_items"])
    assert set(example("fulfillment_order", "test_1")) == {"fulfillment_orders"}
    shape(fo, example("fulfillment_order", "test_1")["fulfillment_orders"][0])
    one = api.get(f"{BASE}/fulfillment_orders/{fo['id']}.json")
    assert one.status_code == 200
    assert one.json()["fulfillment_order"] == fo
    shape(one.json()["fulfillment_order"], example("fulfillment_order", "test_4")["fulfillment_order"])


def test_nested_objects_have_the_documented_keys(api):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    assert_same_shape(fo, example("fulfillment_order", "test_4")["fulfillment_order"])
    assert_same_shape(fo, example("fulfillment_order", "test_14")["fulfillment_order"])
    assert {"origin", "outgoing_requests"} <= set(fo)
    assert fo["destination"]["email"] == order["email"]
    assert fo["destination"]["address1"] == order["shipping_address"]["address1"]
    assert fo["outgoing_requests"] == []


def test_destination_and_origin_hold_real_data(api, services):
    order = create_order(api, financial_status="paid")
    where = inventory.create_location(
        services, {"name": "Depot", "address1": "1 Quay", "address2": "Unit 4", "city": "Leeds", "country_code": "GB", "zip": "LS1 4AP"}
    )
    fo = one_fo(api, order["id"])
    moved = act(api, fo["id"], "move", {"fulfillment_order": {"new_location_id": where["id"]}}).json()["moved_fulfillment_order"]
    expected = {
        "address1": "1 Quay",
        "address2": "Unit 4",
        "city": "Leeds",
        "country_code": "GB",
        "location_id": where["id"],
        "name": "Depot",
        "phone": None,
        "province": None,
        "zip": "LS1 4AP",
    }
    assert moved["assigned_location"] == expected and moved["origin"] == expected
    # each fulfillment order has its own destination, with an id that does not change between reads
    again = api.get(f"{BASE}/fulfillment_orders/{moved['id']}.json").json()["fulfillment_order"]
    assert again["destination"]["id"] == moved["destination"]["id"] != fo["destination"]["id"]
    assert again["destination"]["email"] == order["email"]


def test_unknown_ids_are_404(api):
    assert api.get(f"{BASE}/fulfillment_orders/999999.json").status_code == 404
    assert api.get(f"{BASE}/orders/999999/fulfillment_orders.json").status_code == 404
    assert act(api, 999999, "hold", {"fulfillment_hold": {"reason": "other"}}).status_code == 404


# --- hold / release --------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["awaiting_payment", "high_risk_of_fraud", "incorrect_address", "inventory_out_of_stock", "other"])
def test_hold_with_each_reason_and_release(api, services, reason):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    r = act(api, fo["id"], "hold", {"fulfillment_hold": {"reason": reason, "reason_notes": "Not enough inventory to complete this work."}})
    assert r.status_code == 200, r.text
    held = r.json()["fulfillment_order"]
    assert held["status"] == "on_hold"
    assert held["supported_actions"] == ["release_hold"]
    assert held["fulfillment_holds"] == [{"reason": reason, "reason_notes": "Not enough inventory to complete this work."}]
    shape(held, example("fulfillment_order", "test_12")["fulfillment_order"])
    released = act(api, fo["id"], "release_hold")
    assert released.status_code == 200, released.text
    assert released.json()["fulfillment_order"]["status"] == "open"
    assert released.json()["fulfillment_order"]["fulfillment_holds"] == []
    shape(released.json()["fulfillment_order"], example("fulfillment_order", "test_14")["fulfillment_order"])


@pytest.mark.parametrize(
    "body",
    [
        {"fulfillment_hold": {"reason": "because"}},
        {"fulfillment_hold": {"reason": ""}},
        {"fulfillment_hold": {}},
        {"fulfillment_hold": {"reason": 5}},
    ],
)
def test_hold_with_a_bad_reason_is_422(api, body):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    r = act(api, fo["id"], "hold", body)
    assert r.status_code == 422, r.text
    assert one_fo(api, order["id"])["status"] == "open"


def test_a_hold_on_some_line_items_leaves_the_rest_fulfillable(api):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    boots = next(li for li in fo["line_items"] if li["quantity"] == 3)
    r = act(
        api,
        fo["id"],
        "hold",
        {
            "fulfillment_hold": {
                "reason": "inventory_out_of_stock",
                "reason_notes": "Not enough inventory to complete this work.",
                "fulfillment_order_line_items": [{"id": boots["id"], "quantity": 1}],
            }
        },
    )
    assert r.status_code == 200, r.text
    listed = fos(api, order["id"])
    held = [f for f in listed if f["status"] == "on_hold"]
    free = [f for f in listed if f["status"] == "open"]
    assert sum(li["quantity"] for f in held for li in f["line_items"]) == 1
    assert sum(li["fulfillable_quantity"] for f in free for li in f["line_items"]) == 3


def test_a_partial_hold_keeps_the_held_units_on_this_fulfillment_order(api, services):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    boots = next(li for li in fo["line_items"] if li["quantity"] == 3)
    r = act(
        api,
        fo["id"],
        "hold",
        {
            "fulfillment_hold": {
                "reason": "inventory_out_of_stock",
                "reason_notes": "Not enough inventory to complete this work.",
                "fulfillment_order_line_items": [{"id": boots["id"], "quantity": 1}],
            }
        },
    )
    assert r.status_code == 200, r.text
    held = r.json()["fulfillment_order"]
    # as in Shopify's example: the fulfillment order asked for is the held one, holding only those units
    assert (held["id"], held["status"], held["supported_actions"]) == (fo["id"], "on_hold", ["release_hold"])
    assert [(li["id"], li["quantity"], li["fulfillable_quantity"]) for li in held["line_items"]] == [(boots["id"], 1, 1)]
    shape(held, example("fulfillment_order", "test_12")["fulfillment_order"])
    rest = next(f for f in fos(api, order["id"]) if f["id"] != fo["id"])
    assert rest["status"] == "open" and "create_fulfillment" in rest["supported_actions"]
    assert sorted((li["line_item_id"], li["quantity"]) for li in rest["line_items"]) == sorted(
        (li["line_item_id"], li["quantity"] - (1 if li["id"] == boots["id"] else 0)) for li in fo["line_items"]
    )
    assert topics(services, order["id"]).count("fulfillment_orders/placed_on_hold") == 1
    # the rest ships; the held unit waits for the release
    assert ship(api, rest["id"]).status_code == 201
    assert ship(api, fo["id"]).status_code == 422
    assert fulfillment_status(api, order["id"]) == "partial"
    assert act(api, fo["id"], "release_hold").json()["fulfillment_order"]["status"] == "open"
    assert ship(api, fo["id"]).status_code == 201
    assert fulfillment_status(api, order["id"]) == "fulfilled"


def test_a_hold_naming_every_unit_splits_nothing(api):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    lines = [{"id": li["id"]} for li in fo["line_items"]]  # a line without a quantity is held whole
    r = act(api, fo["id"], "hold", {"fulfillment_hold": {"reason": "other", "fulfillment_order_line_items": lines}})
    assert r.status_code == 200, r.text
    assert [f["status"] for f in fos(api, order["id"])] == ["on_hold"]


@pytest.mark.parametrize("lines", [[{"id": 987654, "quantity": 1}], "too_many", "held_again"])
def test_a_bad_partial_hold_is_422_and_changes_nothing(api, lines):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    boots = next(li for li in fo["line_items"] if li["quantity"] == 3)
    if lines == "too_many":
        lines = [{"id": boots["id"], "quantity": 4}]
    elif lines == "held_again":
        assert act(api, fo["id"], "hold", {"fulfillment_hold": {"reason": "other"}}).status_code == 200
        lines = [{"id": boots["id"], "quantity": 1}]  # Shopify can't split a held fulfillment order
    before = fos(api, order["id"])
    r = act(api, fo["id"], "hold", {"fulfillment_hold": {"reason": "other", "fulfillment_order_line_items": lines}})
    assert r.status_code == 422, r.text
    assert fos(api, order["id"]) == before


def test_stacked_holds_fire_placed_on_hold_once_and_released_once(api, services):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    assert act(api, fo["id"], "hold", {"fulfillment_hold": {"reason": "incorrect_address"}}).status_code == 200
    second = act(api, fo["id"], "hold", {"fulfillment_hold": {"reason": "high_risk_of_fraud", "reason_notes": "check"}})
    assert second.status_code == 200, second.text
    assert [h["reason"] for h in second.json()["fulfillment_order"]["fulfillment_holds"]] == ["incorrect_address", "high_risk_of_fraud"]
    t = topics(services, order["id"])
    assert t.count("fulfillment_orders/placed_on_hold") == 1
    assert t.count("fulfillment_holds/added") == 2
    assert act(api, fo["id"], "release_hold").json()["fulfillment_order"]["status"] == "open"
    t = topics(services, order["id"])
    assert t.count("fulfillment_orders/hold_released") == 1
    v = verbs(services, order["id"])
    assert v.count("fulfillment_order_held") == 2 and v.count("fulfillment_order_hold_released") == 1


def test_releasing_an_open_fulfillment_order_is_422(api):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    assert act(api, fo["id"], "release_hold").status_code == 422


def test_fulfilling_a_held_fulfillment_order_is_422(api, services):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    act(api, fo["id"], "hold", {"fulfillment_hold": {"reason": "other"}})
    r = ship(api, fo["id"])
    assert r.status_code == 422, r.text
    legacy = api.post(f"{BASE}/orders/{order['id']}/fulfillments.json", json={"fulfillment": {}})
    assert legacy.status_code == 422, legacy.text
    assert fulfillment_status(api, order["id"]) is None
    assert "fulfillments/create" not in topics(services, order["id"])


def test_hold_on_in_progress_releases_back_to_in_progress(api):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    line = next(li for li in fo["line_items"] if li["quantity"] == 3)
    assert ship(api, fo["id"], [(line["id"], 1)]).status_code == 201
    assert one_fo(api, order["id"])["status"] == "in_progress"
    assert act(api, fo["id"], "hold", {"fulfillment_hold": {"reason": "other"}}).json()["fulfillment_order"]["status"] == "on_hold"
    assert act(api, fo["id"], "release_hold").json()["fulfillment_order"]["status"] == "in_progress"


# --- reschedule, open, scheduled release ------------------------------------------------------------


def test_reschedule_open_and_past_dates(api, services):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    future = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%d %H:%M UTC")
    r = act(api, fo["id"], "reschedule", {"fulfillment_order": {"new_fulfill_at": future}})
    assert r.status_code == 200, r.text
    got = r.json()["fulfillment_order"]
    assert got["status"] == "scheduled" and got["fulfill_at"] is not None
    assert "mark_as_open" in got["supported_actions"] and "create_fulfillment" not in got["supported_actions"]
    shape(got, example("fulfillment_order", "test_11")["fulfillment_order"])
    assert "fulfillment_orders/rescheduled" in topics(services, order["id"])
    # a scheduled order can't be shipped
    assert ship(api, fo["id"]).status_code == 422
    past = act(api, fo["id"], "reschedule", {"fulfillment_order": {"new_fulfill_at": "2020-02-02 14:11 UTC"}})
    assert past.status_code == 422, past.text
    for bad in ({"fulfillment_order": {}}, {"fulfillment_order": {"new_fulfill_at": "soon"}}):
        assert act(api, fo["id"], "reschedule", bad).status_code == 422
    opened = act(api, fo["id"], "open")
    assert opened.status_code == 200, opened.text
    assert opened.json()["fulfillment_order"]["status"] == "open"
    shape(opened.json()["fulfillment_order"], example("fulfillment_order", "test_10")["fulfillment_order"])
    # open is only for scheduled
    assert act(api, fo["id"], "open").status_code == 422
    assert "fulfillment_order_rescheduled" in verbs(services, order["id"])
    assert "fulfillment_order_opened" in verbs(services, order["id"])


def test_the_scheduled_release_job_opens_the_fulfillment_order(api, services):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    when = datetime.now(UTC) + timedelta(days=2)
    r = act(api, fo["id"], "reschedule", {"fulfillment_order": {"new_fulfill_at": when.strftime("%Y-%m-%dT%H:%M:%SZ")}})
    assert r.status_code == 200, r.text
    # before fulfill_at: nothing to claim
    services.clock = FixedClock(when - timedelta(hours=1))
    Worker(services, kinds=("job",)).run_once()
    assert one_fo(api, order["id"])["status"] == "scheduled"
    services.clock = FixedClock(when + timedelta(minutes=1))
    assert Worker(services, kinds=("job",)).run_once() >= 1
    assert one_fo(api, order["id"])["status"] == "open"
    assert "fulfillment_orders/scheduled_fulfillment_order_ready" in topics(services, order["id"])
    assert "fulfillment_order_scheduled_released" in verbs(services, order["id"])


def test_the_scheduled_release_job_leaves_an_order_opened_by_hand(api, services):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    when = datetime.now(UTC) + timedelta(days=2)
    act(api, fo["id"], "reschedule", {"fulfillment_order": {"new_fulfill_at": when.isoformat()}})
    act(api, fo["id"], "open")
    act(api, fo["id"], "hold", {"fulfillment_hold": {"reason": "other"}})
    services.clock = FixedClock(when + timedelta(minutes=1))
    Worker(services, kinds=("job",)).run_once()
    assert one_fo(api, order["id"])["status"] == "on_hold"


# --- cancel and close ------------------------------------------------------------------------------


def test_cancel_gives_a_replacement_with_the_unshipped_items(api, services):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    boots = next(li for li in fo["line_items"] if li["quantity"] == 3)
    beret = next(li for li in fo["line_items"] if li["quantity"] == 1)
    assert ship(api, fo["id"], [(boots["id"], 1)]).status_code == 201
    r = act(api, fo["id"], "cancel")
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"fulfillment_order", "replacement_fulfillment_order"}
    assert body["fulfillment_order"]["status"] == "cancelled"
    replacement = body["replacement_fulfillment_order"]
    assert replacement["status"] == "open" and replacement["request_status"] == "unsubmitted"
    assert replacement["id"] != fo["id"]
    assert sorted((li["line_item_id"], li["quantity"], li["fulfillable_quantity"]) for li in replacement["line_items"]) == sorted(
        [(boots["line_item_id"], 2, 2), (beret["line_item_id"], 1, 1)]
    )
    golden = example("fulfillment_order", "test_7")
    shape(body["fulfillment_order"], golden["fulfillment_order"])
    shape(replacement, golden["replacement_fulfillment_order"])
    listed = fos(api, order["id"])
    assert sorted(f["status"] for f in listed) == ["cancelled", "open"]
    assert "fulfillment_orders/cancelled" in topics(services, order["id"])
    assert "fulfillment_order_cancelled" in verbs(services, order["id"])
    # the replacement ships the rest; the cancelled one cannot
    assert ship(api, fo["id"]).status_code == 422
    assert ship(api, replacement["id"]).status_code == 201
    assert fulfillment_status(api, order["id"]) == "fulfilled"


def test_cancel_of_a_fully_open_fulfillment_order_replaces_everything(api):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    body = act(api, fo["id"], "cancel").json()
    assert sum(li["quantity"] for li in body["replacement_fulfillment_order"]["line_items"]) == 4
    # cancelling a cancelled one is refused
    assert act(api, fo["id"], "cancel").status_code == 422


def test_close_marks_incomplete(api, services):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    r = act(api, fo["id"], "close", {"fulfillment_order": {"message": "Not enough inventory to complete this work."}})
    assert r.status_code == 200, r.text
    got = r.json()["fulfillment_order"]
    assert (got["status"], got["request_status"]) == ("incomplete", "closed")
    assert got["supported_actions"] == []
    shape(got, example("fulfillment_order", "test_8")["fulfillment_order"])
    assert ship(api, fo["id"]).status_code == 422
    assert act(api, fo["id"], "hold", {"fulfillment_hold": {"reason": "other"}}).status_code == 422
    assert "fulfillment_order_closed" in verbs(services, order["id"])


def test_close_without_a_body(api):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    r = act(api, fo["id"], "close")
    assert r.status_code == 200, r.text
    assert r.json()["fulfillment_order"]["status"] == "incomplete"


# --- locations and moves ---------------------------------------------------------------------------


def _stocked(api, title, sku, location, qty):
    product = api.post(
        f"{BASE}/products.json",
        json={
            "product": {
                "title": title,
                "variants": [
                    {"title": "Default Title", "sku": sku, "price": "20.00", "inventory_policy": "deny", "inventory_management": "shopify"}
                ],
            }
        },
    ).json()["product"]
    variant = product["variants"][0]
    if qty is not None:
        r = api.post(
            f"{BASE}/inventory_levels/set.json",
            json={"location_id": location["id"], "inventory_item_id": variant["inventory_item_id"], "available": qty},
        )
        assert r.status_code == 200, r.text
    return variant


def test_lines_committed_at_different_locations_get_one_fulfillment_order_each(api, services):
    main = api.get(f"{BASE}/locations.json").json()["locations"][0]
    second = second_location(services)
    a = _stocked(api, "Lantern", "LAN-1", main, 5)
    b = _stocked(api, "Tent", "TENT-1", second, 5)
    r = api.post(
        f"{BASE}/orders.json",
        json={
            "order": {
                "line_items": [{"variant_id": a["id"], "quantity": 2}, {"variant_id": b["id"], "quantity": 1}],
                "inventory_behaviour": "decrement_obeying_policy",
                "financial_status": "paid",
            }
        },
    )
    assert r.status_code == 201, r.text
    order = r.json()["order"]
    got = fos(api, order["id"])
    assert len(got) == 2, got
    by_location = {f["assigned_location_id"]: f for f in got}
    assert set(by_location) == {main["id"], second["id"]}
    assert [li["variant_id"] for li in by_location[main["id"]]["line_items"]] == [a["id"]]
    assert [li["variant_id"] for li in by_location[second["id"]]["line_items"]] == [b["id"]]
    assert by_location[second["id"]]["assigned_location"]["name"] == "Second"
    # one fulfillment may not span locations
    both = api.post(
        f"{BASE}/fulfillments.json",
        json={"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": f["id"]} for f in got]}},
    )
    assert both.status_code == 422, both.text
    first = ship(api, by_location[main["id"]]["id"])
    assert first.status_code == 201 and first.json()["fulfillment"]["location_id"] == main["id"]
    assert fulfillment_status(api, order["id"]) == "partial"
    assert (_level(api, a, main)["available"], _level(api, a, main)["committed"]) == (3, 0)
    assert ship(api, by_location[second["id"]]["id"]).status_code == 201
    assert fulfillment_status(api, order["id"]) == "fulfilled"
    t = topics(services, order["id"])
    assert t.count("orders/partially_fulfilled") == 1 and t.count("orders/fulfilled") == 1
    assert t.count("fulfillments/create") == 2


def test_partial_move_returns_original_moved_and_remaining(api, services):
    main = api.get(f"{BASE}/locations.json").json()["locations"][0]
    second = second_location(services)
    variant = _stocked(api, "Lantern", "LAN-1", main, 5)
    r = api.post(
        f"{BASE}/inventory_levels/set.json",
        json={"location_id": second["id"], "inventory_item_id": variant["inventory_item_id"], "available": 5},
    )
    assert r.status_code == 200, r.text
    order = _buy(api, variant, 3).json()["order"]
    fo = one_fo(api, order["id"])
    assert fo["assigned_location_id"] == main["id"]
    line = fo["line_items"][0]
    r = act(
        api,
        fo["id"],
        "move",
        {"fulfillment_order": {"new_location_id": second["id"], "fulfillment_order_line_items": [{"id": line["id"], "quantity": 1}]}},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"original_fulfillment_order", "moved_fulfillment_order", "remaining_fulfillment_order"}
    assert body["original_fulfillment_order"]["status"] == "closed"
    moved, remaining = body["moved_fulfillment_order"], body["remaining_fulfillment_order"]
    assert (moved["status"], moved["assigned_location_id"]) == ("open", second["id"])
    assert [(li["line_item_id"], li["quantity"]) for li in moved["line_items"]] == [(line["line_item_id"], 1)]
    assert (remaining["status"], remaining["assigned_location_id"]) == ("open", main["id"])
    assert [(li["line_item_id"], li["quantity"]) for li in remaining["line_items"]] == [(line["line_item_id"], 2)]
    golden = example("fulfillment_order", "test_9")
    shape(body["original_fulfillment_order"], golden["original_fulfillment_order"])
    shape(moved, golden["moved_fulfillment_order"])
    assert sorted(f["status"] for f in fos(api, order["id"])) == ["closed", "open", "open"]
    assert "fulfillment_orders/moved" in topics(services, order["id"])
    assert "fulfillment_order_moved" in verbs(services, order["id"])
    # the original can no longer ship; the two new ones ship everything
    assert ship(api, fo["id"]).status_code == 422
    assert ship(api, moved["id"]).status_code == 201
    assert ship(api, remaining["id"]).status_code == 201
    assert fulfillment_status(api, order["id"]) == "fulfilled"


def test_moving_everything_leaves_no_remaining(api, services):
    main = api.get(f"{BASE}/locations.json").json()["locations"][0]
    second = second_location(services)
    variant = _stocked(api, "Lantern", "LAN-1", main, 5)
    api.post(
        f"{BASE}/inventory_levels/set.json",
        json={"location_id": second["id"], "inventory_item_id": variant["inventory_item_id"], "available": 5},
    )
    order = _buy(api, variant, 2).json()["order"]
    fo = one_fo(api, order["id"])
    r = act(api, fo["id"], "move", {"fulfillment_order": {"new_location_id": second["id"]}})
    assert r.status_code == 200, r.text
    assert r.json()["remaining_fulfillment_order"] is None
    assert sum(li["quantity"] for li in r.json()["moved_fulfillment_order"]["line_items"]) == 2


def test_move_to_an_unknown_location_or_without_stock_is_422(api, services):
    main = api.get(f"{BASE}/locations.json").json()["locations"][0]
    second = second_location(services)
    variant = _stocked(api, "Lantern", "LAN-1", main, 5)
    order = _buy(api, variant, 2).json()["order"]
    fo = one_fo(api, order["id"])
    unknown = act(api, fo["id"], "move", {"fulfillment_order": {"new_location_id": 987654}})
    assert unknown.status_code == 422, unknown.text
    no_stock = act(api, fo["id"], "move", {"fulfillment_order": {"new_location_id": second["id"]}})
    assert no_stock.status_code == 422, no_stock.text
    same = act(api, fo["id"], "move", {"fulfillment_order": {"new_location_id": main["id"]}})
    assert same.status_code == 422, same.text
    missing = act(api, fo["id"], "move", {"fulfillment_order": {}})
    assert missing.status_code == 422, missing.text
    too_many = act(
        api,
        fo["id"],
        "move",
        {
            "fulfillment_order": {
                "new_location_id": second["id"],
                "fulfillment_order_line_items": [{"id": fo["line_items"][0]["id"], "quantity": 3}],
            }
        },
    )
    assert too_many.status_code == 422, too_many.text
    assert one_fo(api, order["id"])["status"] == "open"
    assert "fulfillment_orders/moved" not in topics(services, order["id"])


def test_move_of_a_held_fulfillment_order_is_422(api, services):
    second = second_location(services)
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    act(api, fo["id"], "hold", {"fulfillment_hold": {"reason": "other"}})
    assert act(api, fo["id"], "move", {"fulfillment_order": {"new_location_id": second["id"]}}).status_code == 422


# --- fulfilling through fulfillment orders ----------------------------------------------------------


def test_fulfilling_more_than_remains_is_422(api, services):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    boots = next(li for li in fo["line_items"] if li["quantity"] == 3)
    assert ship(api, fo["id"], [(boots["id"], 4)]).status_code == 422
    assert ship(api, fo["id"], [(boots["id"], 2)]).status_code == 201
    assert ship(api, fo["id"], [(boots["id"], 2)]).status_code == 422
    assert ship(api, fo["id"], [(987654, 1)]).status_code == 422
    got = one_fo(api, order["id"])
    assert next(li for li in got["line_items"] if li["id"] == boots["id"])["fulfillable_quantity"] == 1
    assert got["status"] == "in_progress"


def test_fulfilling_a_cancelled_fulfillment_order_is_422(api):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    act(api, fo["id"], "cancel")
    assert ship(api, fo["id"]).status_code == 422


def test_fulfilling_a_cancelled_order_is_422(api):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    assert api.post(f"{BASE}/orders/{order['id']}/cancel.json", json={}).status_code == 200
    assert ship(api, fo["id"]).status_code == 422


def test_webhooks_timeline_and_shipping_email(api, services):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    boots = next(li for li in fo["line_items"] if li["quantity"] == 3)
    first = ship(api, fo["id"], [(boots["id"], 1)], notify_customer=True, tracking_info={"number": "1Z1", "company": "UPS"})
    assert first.status_code == 201, first.text
    t = topics(services, order["id"])
    assert t.count("fulfillments/create") == 1
    assert t.count("orders/partially_fulfilled") == 1 and "orders/fulfilled" not in t
    assert topics(services, order["id"], "email").count("shipping_confirmation") == 1
    second = ship(api, fo["id"])  # the rest, without notifying
    assert second.status_code == 201, second.text
    t = topics(services, order["id"])
    assert t.count("fulfillments/create") == 2 and t.count("orders/fulfilled") == 1
    assert topics(services, order["id"], "email").count("shipping_confirmation") == 1
    assert one_fo(api, order["id"])["status"] == "closed"
    assert verbs(services, order["id"]).count("fulfillment_success") == 2
    events = api.get(f"{BASE}/orders/{order['id']}/events.json").json()["events"]
    assert [e["verb"] for e in events].count("fulfillment_success") == 2
    # the fulfillments/update webhook comes with a change
    fid = first.json()["fulfillment"]["id"]
    assert api.post(f"{BASE}/fulfillments/{fid}/cancel.json").status_code == 200
    assert "fulfillments/update" in topics(services, order["id"])
    with services.db.reading() as uow:
        rows = [r for r in queries.outbox_rows(uow.conn, subject_id=order["id"]) if r["topic"] == "fulfillments/create"]
    payload = rows[0]["payload"]
    payload = json.loads(payload) if isinstance(payload, str) else payload
    assert payload["id"] == fid and payload["order_id"] == order["id"]


# --- what a closed or cancelled fulfillment order still claims ---------------------------------------


def _fulfillable_everywhere(api, order_id) -> int:
    return sum(li["fulfillable_quantity"] for f in fos(api, order_id) for li in f["line_items"])


def test_after_cancel_only_the_replacement_is_fulfillable(api):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    boots = next(li for li in fo["line_items"] if li["quantity"] == 3)
    ship(api, fo["id"], [(boots["id"], 1)])
    body = act(api, fo["id"], "cancel").json()
    assert all(li["fulfillable_quantity"] == 0 for li in body["fulfillment_order"]["line_items"])
    assert _fulfillable_everywhere(api, order["id"]) == 3


def test_after_move_only_the_moved_and_remaining_are_fulfillable(api, services):
    second = second_location(services)
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    boots = next(li for li in fo["line_items"] if li["quantity"] == 3)
    r = act(
        api,
        fo["id"],
        "move",
        {"fulfillment_order": {"new_location_id": second["id"], "fulfillment_order_line_items": [{"id": boots["id"], "quantity": 1}]}},
    )
    assert r.status_code == 200, r.text
    assert all(li["fulfillable_quantity"] == 0 for li in r.json()["original_fulfillment_order"]["line_items"])
    assert _fulfillable_everywhere(api, order["id"]) == 4


def test_cancelling_the_order_closes_its_fulfillment_orders(api):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    assert api.post(f"{BASE}/orders/{order['id']}/cancel.json", json={}).status_code == 200
    got = one_fo(api, order["id"])
    assert got["status"] in ("closed", "cancelled"), got["status"]
    assert "create_fulfillment" not in got["supported_actions"]
    assert ship(api, fo["id"]).status_code == 422


def test_a_cancelled_or_moved_fulfillment_order_lists_only_what_it_shipped(api, services):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    boots = next(li for li in fo["line_items"] if li["quantity"] == 3)
    ship(api, fo["id"], [(boots["id"], 1)])
    cancelled = act(api, fo["id"], "cancel").json()["fulfillment_order"]
    # the shipped unit keeps its line (and id); the unshipped ones are the replacement's
    assert [(li["id"], li["quantity"], li["fulfillable_quantity"]) for li in cancelled["line_items"]] == [(boots["id"], 1, 0)]
    untouched = one_fo(api, create_order(api, financial_status="paid")["id"])
    assert act(api, untouched["id"], "cancel").json()["fulfillment_order"]["line_items"] == []  # Shopify's example
    moved_from = one_fo(api, create_order(api, financial_status="paid")["id"])
    r = act(api, moved_from["id"], "move", {"fulfillment_order": {"new_location_id": second_location(services)["id"]}})
    assert r.json()["original_fulfillment_order"]["line_items"] == []


def test_cancelling_the_order_closes_held_and_partly_shipped_fulfillment_orders(api):
    order = create_order(api, financial_status="pending")  # unpaid, so it may be cancelled after a shipment
    fo = one_fo(api, order["id"])
    beret = next(li for li in fo["line_items"] if li["quantity"] == 1)
    boots = next(li for li in fo["line_items"] if li["quantity"] == 3)
    assert ship(api, fo["id"], [(beret["id"], 1)]).status_code == 201
    assert act(api, fo["id"], "hold", {"fulfillment_hold": {"reason": "awaiting_payment"}}).status_code == 200
    r = api.post(f"{BASE}/orders/{order['id']}/cancel.json", json={})
    assert r.status_code == 200, r.text
    got = one_fo(api, order["id"])
    assert (got["status"], got["supported_actions"], got["fulfillment_holds"]) == ("closed", [], [])
    assert [(li["id"], li["quantity"], li["fulfillable_quantity"]) for li in got["line_items"]] == [(beret["id"], 1, 0)]
    assert act(api, fo["id"], "release_hold").status_code == 422
    assert act(api, fo["id"], "hold", {"fulfillment_hold": {"reason": "other"}}).status_code == 422
    reasons = api.get(f"{BASE}/orders/{order['id']}/diagnosis.json").json()["diagnosis"]["reasons"]
    assert not [x for x in reasons if x["code"] == "fulfillment_on_hold"]
    # undoing the shipment of a cancelled order gives nothing new to ship
    f = api.get(f"{BASE}/orders/{order['id']}/fulfillments.json").json()["fulfillments"][0]
    assert api.post(f"{BASE}/fulfillments/{f['id']}/cancel.json").status_code == 200
    assert [f_["status"] for f_ in fos(api, order["id"])] == ["closed"]
    assert _fulfillable_everywhere(api, order["id"]) == 0
    assert boots  # the boots were never shipped and now never will be


# --- while a fulfillment service has the request ------------------------------------------------


def _submitted(svc, **service_options):
    from tests.api.test_fulfillment_services import order_at_service, post, register

    service = register(svc, **service_options)
    order, fo = order_at_service(svc, service)
    r = post(svc, fo["id"], "fulfillment_request", "fulfillment_request", message="go")
    assert r.status_code == 200, r.text
    return service, order, r.json()["submitted_fulfillment_order"]


def _service_rows(services, kind):
    from orderdesk.db import outbox_claims

    with services.db.reading() as uow:
        return outbox_claims.pending(uow.conn, kinds=(kind,))


def _merchant_changes_refused(svc, fo_id, where):
    for action, body in [
        ("hold", {"fulfillment_hold": {"reason": "other"}}),
        ("move", {"fulfillment_order": {"new_location_id": where}}),
        ("reschedule", {"fulfillment_order": {"new_fulfill_at": "2099-01-01T00:00:00Z"}}),
    ]:
        r = act(svc, fo_id, action, body)
        assert r.status_code == 422, (action, r.text)
        if action == "hold":  # the others may be refused by the status already (in_progress can't move)
            assert "fulfillment service" in r.json()["errors"]["fulfillment_order"][0], r.text


def test_a_submitted_request_offers_only_cancel_and_refuses_hold_move_and_reschedule(svc, services):
    _, order, fo = _submitted(svc)
    assert fo["supported_actions"] == ["cancel_fulfillment_order"]
    before = fos(svc, order["id"])
    _merchant_changes_refused(svc, fo["id"], second_location(services)["id"])
    assert fos(svc, order["id"]) == before


def test_an_accepted_request_offers_only_request_cancellation_and_refuses_a_direct_cancel(svc, services):
    from tests.api.test_fulfillment_services import post

    _, order, fo = _submitted(svc)
    got = post(svc, fo["id"], "fulfillment_request/accept", "fulfillment_request", message="ok").json()["fulfillment_order"]
    assert (got["status"], got["supported_actions"]) == ("in_progress", ["request_cancellation"])
    before = fos(svc, order["id"])
    r = act(svc, fo["id"], "cancel")
    assert r.status_code == 422 and "request cancellation" in r.json()["errors"]["fulfillment_order"][0], r.text
    _merchant_changes_refused(svc, fo["id"], second_location(services)["id"])
    assert fos(svc, order["id"]) == before
    # the order can't be cancelled under it either; the error says what to do
    refused = svc.post(f"{svc.base}/orders/{order['id']}/cancel.json", json={})
    assert refused.status_code == 422 and "request cancellation" in refused.json()["errors"]["order"][0], refused.text
    # once the merchant asked, Shopify offers the cancel again (golden example), still no hold or move
    asked = post(svc, fo["id"], "cancellation_request", "cancellation_request", message="stop").json()["fulfillment_order"]
    assert (asked["request_status"], asked["supported_actions"]) == ("cancellation_requested", ["cancel_fulfillment_order"])
    _merchant_changes_refused(svc, fo["id"], second_location(services)["id"])
    rejected = post(svc, fo["id"], "cancellation_request/reject", "cancellation_request", message="packed").json()["fulfillment_order"]
    assert (rejected["request_status"], rejected["supported_actions"]) == ("cancellation_rejected", [])
    assert act(svc, fo["id"], "cancel").status_code == 422


def test_cancelling_a_submitted_request_tells_the_service_like_a_cancellation_request(svc, services):
    _, order, fo = _submitted(svc, email="orders@packers.example")
    r = act(svc, fo["id"], "cancel")
    assert r.status_code == 200, r.text
    assert r.json()["fulfillment_order"]["request_status"] == "closed"
    notices = [(n["payload"]["kind"], n["payload"]["fulfillment_order_id"]) for n in _service_rows(services, "service")]
    assert notices == [("FULFILLMENT_REQUEST", fo["id"]), ("CANCELLATION_REQUEST", fo["id"])]
    emails = [
        (e["topic"], e["payload"]["to"])
        for e in _service_rows(services, "email")
        if e["topic"] in ("fulfillment_request", "cancellation_request")
    ]
    assert emails == [("fulfillment_request", "orders@packers.example"), ("cancellation_request", "orders@packers.example")]
    # the email lists what the service no longer has to ship
    withdrawn = [e for e in _service_rows(services, "email") if e["topic"] == "cancellation_request"][0]
    assert sum(line["quantity"] for line in withdrawn["payload"]["requested_lines"]) == sum(li["quantity"] for li in fo["line_items"])


def test_cancelling_an_unsubmitted_service_order_tells_the_service_nothing(svc, services):
    from tests.api.test_fulfillment_services import order_at_service, register

    _, fo = order_at_service(svc, register(svc))
    assert act(svc, fo["id"], "cancel").status_code == 200
    assert _service_rows(services, "service") == []


# --- partial holds: duplicates and the split -----------------------------------------------------


def test_a_partial_hold_naming_a_line_twice_is_422_and_changes_nothing(api):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    boots = next(li for li in fo["line_items"] if li["quantity"] == 3)
    before = fos(api, order["id"])
    r = act(
        api,
        fo["id"],
        "hold",
        {
            "fulfillment_hold": {
                "reason": "other",
                "fulfillment_order_line_items": [{"id": boots["id"], "quantity": 1}, {"id": boots["id"], "quantity": 1}],
            }
        },
    )
    assert r.status_code == 422 and "fulfillment_order_line_items" in r.json()["errors"], r.text
    assert fos(api, order["id"]) == before


def test_a_partial_move_naming_a_line_twice_is_422(api, services):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    boots = next(li for li in fo["line_items"] if li["quantity"] == 3)
    r = act(
        api,
        fo["id"],
        "move",
        {
            "fulfillment_order": {
                "new_location_id": second_location(services)["id"],
                "fulfillment_order_line_items": [{"id": boots["id"], "quantity": 1}, {"id": boots["id"], "quantity": 1}],
            }
        },
    )
    assert r.status_code == 422 and "fulfillment_order_line_items" in r.json()["errors"], r.text


def test_a_partial_hold_announces_the_split_and_returns_the_remaining_order(api, services):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    boots = next(li for li in fo["line_items"] if li["quantity"] == 3)
    r = act(
        api,
        fo["id"],
        "hold",
        {"fulfillment_hold": {"reason": "inventory_out_of_stock", "fulfillment_order_line_items": [{"id": boots["id"], "quantity": 1}]}},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    rest = next(f for f in fos(api, order["id"]) if f["id"] != fo["id"])
    assert body["remaining_fulfillment_order"] == rest
    shape(body["fulfillment_order"], example("fulfillment_order", "test_12")["fulfillment_order"])
    # the split is on the timeline and sent as Shopify's fulfillment_orders/split, before the hold's webhooks
    assert "fulfillment_order_split" in verbs(services, order["id"])
    sent = topics(services, order["id"])
    assert sent.count("fulfillment_orders/split") == 1
    assert sent.index("fulfillment_orders/split") < sent.index("fulfillment_orders/placed_on_hold")
    with services.db.reading() as uow:
        (row,) = [r for r in queries.outbox_rows(uow.conn, subject_id=order["id"]) if r["topic"] == "fulfillment_orders/split"]
    payload = row["payload"]
    assert payload["fulfillment_order"]["id"] == fo["id"] and payload["remaining_fulfillment_order"]["id"] == rest["id"]
    left = [(li["id"], li["quantity"] - (1 if li["id"] == boots["id"] else 0)) for li in fo["line_items"]]
    assert sorted((s["id"], s["quantity"]) for s in payload["split_line_items"]) == sorted(x for x in left if x[1])


def test_a_whole_hold_has_no_remaining_order_and_no_split(api, services):
    order = create_order(api, financial_status="paid")
    fo = one_fo(api, order["id"])
    r = act(api, fo["id"], "hold", {"fulfillment_hold": {"reason": "other"}})
    assert r.status_code == 200 and r.json()["remaining_fulfillment_order"] is None
    assert "fulfillment_orders/split" not in topics(services, order["id"])
