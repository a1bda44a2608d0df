"""The scheduled-fulfillment release job opens every due fulfillment order of the order,
including those a move or a split made after the job was written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from orderdesk.services.clock import FixedClock
from orderdesk.worker.runner import Worker
from tests.api.test_fulfillment_orders import BASE, _stocked, act, fos, one_fo, second_location
from tests.api.test_inventory import _buy


def test_a_fulfillment_order_moved_after_scheduling_is_released_with_the_rest(api, services):
    # given 3 lanterns stocked at two locations, scheduled for delivery in two days
    main = api.get(f"{BASE}/locations.json").json()["locations"][0]
    second = second_location(services)
    variant = _stocked(api, "Lantern", "LAN-1", main, 5)
    assert (
        api.post(
            f"{BASE}/inventory_levels/set.json",
            json={"location_id": second["id"], "inventory_item_id": variant["inventory_item_id"], "available": 5},
        ).status_code
        == 200
    )
    order = _buy(api, variant, 3).json()["order"]
    fo = one_fo(api, order["id"])
    when = datetime.now(UTC) + timedelta(days=2)
    assert (
        act(api, fo["id"], "reschedule", {"fulfillment_order": {"new_fulfill_at": when.strftime("%Y-%m-%dT%H:%M:%SZ")}}).status_code == 200
    )
    # when one lantern is moved to the second location (the job names only the original, now closed)
    line = fo["line_items"][0]
    moved = act(
        api,
        fo["id"],
        "move",
        {"fulfillment_order": {"new_location_id": second["id"], "fulfillment_order_line_items": [{"id": line["id"], "quantity": 1}]}},
    )
    assert moved.status_code == 200, moved.text
    assert sorted(f["status"] for f in fos(api, order["id"])) == ["closed", "scheduled", "scheduled"]
    # and the day comes
    services.clock = FixedClock(when + timedelta(minutes=1))
    Worker(services, kinds=("job",)).run_once()
    # then both fulfillment orders holding the lanterns are open to ship
    assert sorted(f["status"] for f in fos(api, order["id"])) == ["closed", "open", "open"]
