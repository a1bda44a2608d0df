"""Concurrent moves on PostgreSQL: two moves can never count on the same units at the new location.

The move reserves with a conditional UPDATE in the move's transaction, so of two orders racing
for the last units of a deny item at a location, one moves and the other is refused, with
nothing changed. Each thread has its own TestClient; a Barrier releases them together.
"""

from __future__ import annotations

import pytest

from tests.api.test_fulfillment_races import run_together
from tests.api.test_inventory import _buy
from tests.api.test_stock_follows_moves import _fos, _item, _levels, _locations, _open_fo

pytestmark = pytest.mark.postgres_only

BASE = "/admin/api/2024-10"


def _move_call(fo_id, location_id):
    def call(client):
        return client.post(f"{BASE}/fulfillment_orders/{fo_id}/move.json", json={"fulfillment_order": {"new_location_id": location_id}})

    return call


def test_racing_moves_never_reserve_more_than_the_new_location_has(api, app, token, services):
    one, two = _locations(api, services)
    for round_ in range(4):
        variant = _item(api, {one: 20, two: 3})
        orders = [_buy(api, variant, 2).json()["order"] for _ in range(3)]
        fos = [_open_fo(api, order["id"]) for order in orders]
        results = run_together(app, token, [_move_call(fo["id"], two) for fo in fos])
        codes = sorted(r.status_code if not isinstance(r, Exception) else repr(r) for r in results)
        assert codes == [200, 422, 422], (round_, codes, [r.text for r in results if not isinstance(r, Exception)])
        assert all("new_location_id" in r.json()["errors"] for r in results if r.status_code == 422)
        # One order's two units wait at the second location; the others' stay where they were.
        assert _levels(api, variant, one, two) == [(16, 4), (1, 2)], round_
        at_two = [o for o in orders if any(fo["assigned_location_id"] == two and fo["status"] == "open" for fo in _fos(api, o["id"]))]
        assert len(at_two) == 1


def test_moves_in_opposite_directions_do_not_deadlock(api, app, token, services):
    """Levels are locked in (item, location) order, whichever way the units move."""
    one, two = _locations(api, services)
    variant = _item(api, {one: 10, two: 10})
    there = _buy(api, variant, 2).json()["order"]
    assert (
        api.post(
            f"{BASE}/fulfillment_orders/{_open_fo(api, there['id'])['id']}/move.json", json={"fulfillment_order": {"new_location_id": two}}
        ).status_code
        == 200
    )
    here = _buy(api, variant, 2).json()["order"]
    results = run_together(
        app, token, [_move_call(_open_fo(api, there["id"])["id"], one), _move_call(_open_fo(api, here["id"])["id"], two)]
    )
    assert [r.status_code if not isinstance(r, Exception) else repr(r) for r in results] == [200, 200]
    assert _levels(api, variant, one, two) == [(8, 2), (8, 2)]
