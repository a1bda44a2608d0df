"""Payment terms, payments charged at checkout, and the diagnosis of unpaid orders."""

from datetime import timedelta

from orderdesk.services.clock import FixedClock
from tests.builders import create_order


def _reasons(api, oid):
    body = api.get(f"{api.base}/orders/{oid}/diagnosis.json").json()["diagnosis"]
    return {r["code"]: r for r in body["reasons"]}


def test_net_30_order_is_pending_with_due_date_and_becomes_overdue(api, services):
    order = create_order(api, payment_terms={"payment_terms_type": "NET", "due_in_days": 30})
    assert order["financial_status"] == "pending"
    terms = order["payment_terms"]
    assert terms["payment_terms_name"] == "Net 30" and terms["due_in_days"] == 30
    assert terms["payment_schedules"][0]["due_at"] and terms["payment_schedules"][0]["completed_at"] is None
    assert "payment_due" in _reasons(api, order["id"])
    services.clock = FixedClock(services.clock.now() + timedelta(days=31))
    overdue = _reasons(api, order["id"])["payment_overdue"]
    assert "overdue" in overdue["message"] and overdue["action"]


def test_mark_as_paid_settles_terms(api):
    order = create_order(api, payment_terms={"payment_terms_type": "RECEIPT"})
    paid = api.post(f"{api.base}/orders/{order['id']}/mark_as_paid.json").json()["order"]
    assert paid["financial_status"] == "paid" and paid["total_outstanding"] == "0.00"
    assert paid["payment_terms"]["payment_schedules"][0]["completed_at"] is not None
    assert not [r for r in _reasons(api, order["id"]).values() if r["area"] == "payment"]


def test_unknown_net_days_and_fixed_terms_without_a_date_are_refused(api):
    bad = api.post(
        f"{api.base}/orders.json",
        json={
            "order": {
                "line_items": [{"title": "A", "price": "1.00", "quantity": 1}],
                "payment_terms": {"payment_terms_type": "NET", "due_in_days": 10},
            }
        },
    )
    assert bad.status_code == 422 and "payment_terms" in bad.json()["errors"]
    fixed = api.post(
        f"{api.base}/orders.json",
        json={"order": {"line_items": [{"title": "A", "price": "1.00", "quantity": 1}], "payment_terms": {"payment_terms_type": "FIXED"}}},
    )
    assert fixed.status_code == 422


def test_due_on_fulfillment_has_no_due_date_until_fulfilled(api):
    order = create_order(api, payment_terms={"payment_terms_type": "FULFILLMENT"})
    assert order["payment_terms"]["payment_schedules"][0]["due_at"] is None
    assert "payment_due_on_fulfillment" in _reasons(api, order["id"])


def test_a_declined_card_at_checkout_leaves_the_order_pending_and_explained(api):
    order = create_order(api, transactions=[{"kind": "sale", "gateway": "bogus", "credit_card_number": "2"}])
    assert order["financial_status"] == "pending"
    txs = api.get(f"{api.base}/orders/{order['id']}/transactions.json").json()["transactions"]
    assert [(t["kind"], t["status"], t["error_code"]) for t in txs] == [("sale", "failure", "card_declined")]
    events = api.get(f"{api.base}/orders/{order['id']}/events.json").json()["events"]
    assert any(e["verb"] == "sale_failure" and "declined" in e["message"] for e in events)
    assert "payment_failed" in _reasons(api, order["id"])


def test_a_good_card_at_checkout_pays_the_order(api):
    order = create_order(api, transactions=[{"kind": "sale", "gateway": "bogus", "credit_card_number": "1"}])
    assert order["financial_status"] == "paid"
    auth = create_order(api, transactions=[{"kind": "authorization", "gateway": "bogus", "credit_card_number": "4242424242424242"}])
    assert auth["financial_status"] == "authorized"
    assert "authorized_not_captured" in _reasons(api, auth["id"])


def test_diagnosis_of_a_paid_unfulfilled_order_says_what_is_left(api):
    order = create_order(api)
    reasons = _reasons(api, order["id"])
    assert "awaiting_fulfillment" in reasons and "not_fulfilled" in reasons
    assert not [r for r in reasons.values() if r["area"] == "payment"]


def test_a_reminder_goes_out_on_the_due_date_if_money_is_still_owed(api, services):
    from orderdesk.db import queries
    from orderdesk.worker.runner import Worker

    owed = create_order(api, payment_terms={"payment_terms_type": "NET", "due_in_days": 7})
    settled = create_order(api, payment_terms={"payment_terms_type": "NET", "due_in_days": 7})
    api.post(f"{api.base}/orders/{settled['id']}/mark_as_paid.json")
    worker = Worker(services, kinds=("job",))
    services.clock = FixedClock(services.clock.now() + timedelta(days=7, minutes=1))
    while worker.run_once():
        pass
    with services.db.reading() as uow:
        emails = [(r["subject_id"], r["topic"]) for r in queries.outbox_rows(uow.conn) if r["kind"] == "email"]
    assert (owed["id"], "payment_reminder") in emails
    assert (settled["id"], "payment_reminder") not in emails
    assert (settled["id"], "payment_receipt") in emails
    verbs = [e["verb"] for e in api.get(f"{api.base}/orders/{owed['id']}/events.json").json()["events"]]
    assert verbs.count("payment_reminder") == 1
