"""Automatic archiving: paid and fulfilled, or fully refunded, orders close through a job."""

from dataclasses import replace

from sqlalchemy import insert

from orderdesk.db import outbox_claims
from orderdesk.db import tables as t
from orderdesk.db.mapping import fulfillment_values
from orderdesk.domain import archiving as archiving_rule
from orderdesk.domain.fulfillments import Fulfillment
from orderdesk.services import archiving
from orderdesk.services.setup import init_shop
from orderdesk.worker.runner import Worker
from tests.builders import create_order
from tests.conftest import SHOP

THREE_LINES = [
    {"title": "Tent", "price": "100.00", "quantity": 1},
    {"title": "Stove", "price": "40.00", "quantity": 2},
    {"title": "Mug", "price": "10.00", "quantity": 3},
]


def _order(api, order_id):
    return api.get(f"{api.base}/orders/{order_id}.json").json()["order"]


def _events(api, order_id):
    return api.get(f"{api.base}/orders/{order_id}/events.json").json()["events"]


def _archive_jobs(services):
    with services.db.reading() as uow:
        return [j for j in outbox_claims.pending(uow.conn, kinds=("job",)) if j["topic"] == "auto_archive"]


def _run(services):
    worker = Worker(services)
    while worker.run_once():
        pass


def _refund(api, order_id, lines=(), amount=None, shipping=False):
    body = {"refund_line_items": [{"line_item_id": i, "quantity": q, "restock_type": "cancel"} for i, q in lines]}
    if shipping:
        body["shipping"] = {"full_refund": True}
    if amount is not None or lines or shipping:
        calc = api.post(f"{api.base}/orders/{order_id}/refunds/calculate.json", json={"refund": body})
        assert calc.status_code == 200, calc.text
        txs = calc.json()["refund"]["transactions"]
        if amount is not None:
            sale = next(
                tx for tx in api.get(f"{api.base}/orders/{order_id}/transactions.json").json()["transactions"] if tx["kind"] == "sale"
            )
            txs = [{"parent_id": sale["id"], "amount": str(amount), "gateway": sale["gateway"]}]
        body["transactions"] = [{**tx, "kind": "refund"} for tx in txs]
    response = api.post(f"{api.base}/orders/{order_id}/refunds.json", json={"refund": body})
    assert response.status_code == 201, response.text
    return response.json()["refund"]


def _closed_by_archive(api, order_id, reason):
    order = _order(api, order_id)
    assert order["closed_at"] is not None
    closes = [e for e in _events(api, order_id) if e["verb"] == "closed"]
    assert [e["message"] for e in closes] == [f"Order was archived automatically: {reason}."]
    return order


def test_a_paid_and_fulfilled_order_is_archived_by_the_job(api, services):
    order = create_order(api, fulfillment_status="fulfilled")
    assert order["closed_at"] is None
    assert [j["subject_id"] for j in _archive_jobs(services)] == [order["id"]]
    _run(services)
    after = _closed_by_archive(api, order["id"], "paid and fulfilled")
    assert after["financial_status"] == "paid" and after["fulfillment_status"] == "fulfilled"
    # Idempotent: the check again changes nothing and records nothing.
    assert archiving.auto_archive(services, order["id"]).archivable is False
    assert len([e for e in _events(api, order["id"]) if e["verb"] == "closed"]) == 1


def test_paid_fulfilled_then_partly_refunded_is_still_archivable(api, services):
    order = create_order(api, fulfillment_status="fulfilled")
    _refund(api, order["id"], amount="20.00")  # money back, no items
    after = _order(api, order["id"])
    assert after["financial_status"] == "partially_refunded" and after["closed_at"] is None
    with services.db.reading() as uow:
        assert archiving_rule.decide(uow.orders.get(order["id"], created_since=None)).archivable
    assert len(_archive_jobs(services)) == 2  # after placing and after the refund: one close
    _run(services)
    _closed_by_archive(api, order["id"], "paid and fulfilled")


def test_one_line_refunded_and_the_others_fulfilled_is_archivable(api, services):
    order = create_order(api, line_items=THREE_LINES, discount_codes=[], tax_lines=[])
    tent, stove, mug = order["line_items"]
    # The other two lines leave the warehouse (a fulfillment recorded outside this API).
    with services.db.writing() as uow:
        loaded = uow.orders.get(order["id"], created_since=None)
        at = services.clock.now()
        f = Fulfillment(quantities={stove["id"]: 2, mug["id"]: 3}, tracking_numbers=["T1"], created_at=at, updated_at=at)
        loaded.fulfillments.append(f)
        uow.conn.execute(insert(t.fulfillments).values(fulfillment_values(order["id"], f"{order['name']}.1", f)))
        uow.orders.save(loaded)
        uow.commit()
    assert _archive_jobs(services) == []
    _refund(api, order["id"], lines=[(tent["id"], 1)])
    after = _order(api, order["id"])
    assert after["financial_status"] == "partially_refunded" and after["fulfillment_status"] == "fulfilled"
    _run(services)
    _closed_by_archive(api, order["id"], "paid and fulfilled")


def test_partly_refunded_with_lines_left_to_fulfill_stays_open(api, services):
    order = create_order(api, line_items=THREE_LINES, discount_codes=[], tax_lines=[])
    tent = order["line_items"][0]
    _refund(api, order["id"], lines=[(tent["id"], 1)])
    assert _order(api, order["id"])["financial_status"] == "partially_refunded"
    _run(services)
    assert archiving.auto_archive(services, order["id"]).reason == "items are still to fulfill"
    # Paid and waiting to ship is an ordinary state: no "not archived" entry for it.
    assert not [e for e in _events(api, order["id"]) if e["verb"] == "auto_archive_skipped"]
    after = _order(api, order["id"])
    assert after["closed_at"] is None
    assert not [e for e in _events(api, order["id"]) if e["verb"] == "closed"]


def test_a_fully_refunded_order_is_archived(api, services):
    order = create_order(api, line_items=THREE_LINES, discount_codes=[], tax_lines=[])
    _refund(api, order["id"], lines=[(li["id"], li["quantity"]) for li in order["line_items"]], shipping=True)
    assert _order(api, order["id"])["financial_status"] == "refunded"
    _run(services)
    _closed_by_archive(api, order["id"], "fully refunded")


def test_an_unpaid_fulfilled_order_stays_open_until_paid(api, services):
    order = create_order(api, financial_status="pending", fulfillment_status="fulfilled")
    _run(services)
    assert _order(api, order["id"])["closed_at"] is None
    paid = api.post(
        f"{api.base}/orders/{order['id']}/transactions.json",
        json={"transaction": {"kind": "sale", "source": "external", "amount": order["total_price"]}},
    )
    assert paid.status_code == 201, paid.text
    _run(services)
    _closed_by_archive(api, order["id"], "paid and fulfilled")


def test_cancelled_orders_archive_only_when_no_money_is_kept(api, services):
    refunded = create_order(api)
    voided = create_order(api, financial_status="authorized")
    unpaid = create_order(api, financial_status="pending")
    kept = create_order(api)  # cancelled without a refund: the money is still held
    bodies = {refunded["id"]: {"amount": refunded["total_price"]}, voided["id"]: {}, unpaid["id"]: {}, kept["id"]: {}}
    for order_id, body in bodies.items():
        response = api.post(f"{api.base}/orders/{order_id}/cancel.json", json=body)
        assert response.status_code == 200, response.text
    assert _order(api, refunded["id"])["financial_status"] == "refunded"
    assert _order(api, voided["id"])["financial_status"] == "voided"
    _run(services)
    _closed_by_archive(api, refunded["id"], "fully refunded")
    _closed_by_archive(api, voided["id"], "cancelled and the payment voided")
    for o in (unpaid, kept):
        assert _order(api, o["id"])["closed_at"] is None


def test_nothing_closes_when_the_shop_does_not_archive_automatically(api, services):
    init_shop(services, replace(SHOP, auto_archive=False))
    services.forget_shop()
    order = create_order(api, fulfillment_status="fulfilled")
    assert _archive_jobs(services) == []
    # A job queued while the setting was on is dropped once it is off.
    init_shop(services, replace(SHOP, auto_archive=True))
    services.forget_shop()
    second = create_order(api, fulfillment_status="fulfilled")
    init_shop(services, replace(SHOP, auto_archive=False))
    services.forget_shop()
    _run(services)
    for o in (order, second):
        assert _order(api, o["id"])["closed_at"] is None
        assert not [e for e in _events(api, o["id"]) if e["verb"] == "closed"]


def test_a_staff_reopen_wins_over_a_job_queued_before_it(api, services):
    order = create_order(api, fulfillment_status="fulfilled")
    assert api.post(f"{api.base}/orders/{order['id']}/close.json", json={}).status_code == 200
    assert api.post(f"{api.base}/orders/{order['id']}/open.json", json={}).status_code == 200
    _run(services)
    assert _order(api, order["id"])["closed_at"] is None


def test_a_fulfilled_but_unpaid_order_says_once_why_it_stays_open(api, services):
    order = create_order(api, financial_status="pending", fulfillment_status="fulfilled")
    _run(services)
    api.put(f"{api.base}/orders/{order['id']}.json", json={"order": {"note": "chased the customer"}})
    _run(services)
    events = [e for e in _events(api, order["id"]) if e["verb"] == "auto_archive_skipped"]
    assert [e["message"] for e in events] == ["Order was not archived automatically: not fully paid."]
    assert _order(api, order["id"])["closed_at"] is None
