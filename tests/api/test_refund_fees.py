"""A refund that gives back less than the goods were worth (the merchant keeps a fee).

Found by the model-based walk (tests/api/test_stock_and_money_walk.py): an order partly captured,
every line refunded with a fee kept, still showed 3.57 outstanding, so it read as unpaid, never
auto-archived, and the diagnosis called it unpaid. Once nothing is left to buy, nothing is owed;
the kept amount is the refund's refund_discrepancy adjustment, on the timeline and in the refund.
"""

from __future__ import annotations

from decimal import Decimal

from orderdesk.domain import archiving
from tests.api.test_auto_archive import _run
from tests.api.test_transactions import authorize, get_order, post_tx, simple_order


def _diagnosis(api, order_id):
    r = api.get(f"{api.base}/orders/{order_id}/diagnosis.json")
    assert r.status_code == 200, r.text
    return r.json()


def _codes(diagnosis) -> list[tuple[str, str]]:
    found = []

    def walk(value):
        if isinstance(value, dict):
            if "code" in value and "area" in value:
                found.append((value["area"], value["code"]))
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(diagnosis)
    return found


def _partly_captured(api):
    """100.00 (two units at 50.00), 100.00 authorized, 96.43 captured, the rest voided."""
    order = simple_order(api, line_items=[{"title": "Widget", "price": "50.00", "quantity": 2}], financial_status="pending")
    auth = authorize(api, order["id"])
    capture = post_tx(api, order["id"], kind="capture", parent_id=auth["id"], amount="96.43")
    assert capture.status_code == 201, capture.text
    void = post_tx(api, order["id"], kind="void", parent_id=auth["id"])
    assert void.status_code == 201, void.text
    return order, capture.json()["transaction"]


def _refund_everything(api, order, capture, amount):
    line = order["line_items"][0]
    r = api.post(
        f"{api.base}/orders/{order['id']}/refunds.json",
        json={
            "refund": {
                "refund_line_items": [{"line_item_id": line["id"], "quantity": 2, "restock_type": "no_restock"}],
                "transactions": [{"parent_id": capture["id"], "amount": amount, "kind": "refund", "gateway": "bogus"}],
            }
        },
    )
    assert r.status_code == 201, r.text
    return r.json()["refund"]


def test_an_order_refunded_in_full_with_a_fee_kept_owes_nothing(api, services):
    order, capture = _partly_captured(api)
    refund = _refund_everything(api, order, capture, "90.00")

    after = get_order(api, order["id"])
    # Before: current total 10.00 (the 100.00 goods less the 90.00 given back), 6.43 kept, 3.57 outstanding.
    assert Decimal(after["total_outstanding"]) == 0
    assert after["financial_status"] == "partially_refunded"
    # The merchant kept 6.43 of the 96.43 paid: that is the fee, recorded on the refund ...
    adjustments = [(a["kind"], a["amount"]) for a in refund["order_adjustments"]]
    assert adjustments == [("refund_discrepancy", "6.43")]
    # ... and the order's current total is what the merchant keeps.
    assert Decimal(after["current_total_price"]) == Decimal("6.43")
    events = api.get(f"{api.base}/orders/{order['id']}/events.json").json()["events"]
    refunded = [e["message"] for e in events if e["verb"] == "refund_created"]
    assert refunded == ["A refund of 90.00 USD was issued for 2 items. 6.43 USD was kept (refund discrepancy)."]

    # The diagnosis does not call it unpaid, and the auto-archive rule agrees it is settled.
    codes = _codes(_diagnosis(api, order["id"]))
    assert not [c for c in codes if c[0] == "payment"], codes
    assert ("archive", "not_paid") not in codes
    with services.db.reading() as uow:
        assert archiving.archivable(uow.orders.get(order["id"], created_since=None))
    _run(services)
    assert get_order(api, order["id"])["closed_at"] is not None


def test_a_fee_given_back_by_a_later_refund_is_not_owed_either(api, services):
    """Two refunds: the first keeps 5.00 of the 50.00 paid, the second (suggested) gives it back.
    Nothing is left to buy and nothing is kept, so nothing is outstanding."""
    order = simple_order(api, line_items=[{"title": "Widget", "price": "50.00", "quantity": 2}], financial_status="pending")
    auth = authorize(api, order["id"])
    capture = post_tx(api, order["id"], kind="capture", parent_id=auth["id"], amount="50.00").json()["transaction"]
    post_tx(api, order["id"], kind="void", parent_id=auth["id"])
    line = order["line_items"][0]
    first = api.post(
        f"{api.base}/orders/{order['id']}/refunds.json",
        json={
            "refund": {
                "refund_line_items": [{"line_item_id": line["id"], "quantity": 1, "restock_type": "no_restock"}],
                "transactions": [{"parent_id": capture["id"], "amount": "45.00", "kind": "refund", "gateway": "bogus"}],
            }
        },
    )
    assert first.status_code == 201, first.text
    # Only 50.00 was paid, so refunding a 50.00 unit with 45.00 keeps 5.00, not more.
    assert [(a["kind"], a["amount"]) for a in first.json()["refund"]["order_adjustments"]] == [("refund_discrepancy", "5.00")]
    assert Decimal(get_order(api, order["id"])["total_outstanding"]) == Decimal("50.00")  # the unit still on the order

    second = api.post(
        f"{api.base}/orders/{order['id']}/refunds.json",
        json={"refund": {"refund_line_items": [{"line_item_id": line["id"], "quantity": 1, "restock_type": "no_restock"}]}},
    )
    assert second.status_code == 201, second.text
    after = get_order(api, order["id"])
    assert after["financial_status"] == "refunded"
    assert Decimal(after["total_outstanding"]) == 0
    assert not [c for c in _codes(_diagnosis(api, order["id"])) if c[0] == "payment"]


def test_a_fee_on_part_of_an_order_is_still_owed_with_the_goods_kept(api):
    """Goods remain: the fee stays part of what the order is worth, so what was never captured is due."""
    order, capture = _partly_captured(api)
    line = order["line_items"][0]
    r = api.post(
        f"{api.base}/orders/{order['id']}/refunds.json",
        json={
            "refund": {
                "refund_line_items": [{"line_item_id": line["id"], "quantity": 1, "restock_type": "no_restock"}],
                "transactions": [{"parent_id": capture["id"], "amount": "45.00", "kind": "refund", "gateway": "bogus"}],
            }
        },
    )
    assert r.status_code == 201, r.text
    after = get_order(api, order["id"])
    assert Decimal(after["current_total_price"]) == Decimal("55.00")  # 50.00 kept goods + 5.00 fee
    assert Decimal(after["total_outstanding"]) == Decimal("3.57")  # 55.00 less the 51.43 kept
