"""Every change writes its timeline events and its webhook/email outbox rows in one transaction."""

from __future__ import annotations

from orderdesk.db import queries
from tests.builders import create_order, order_body

BASE = "/admin/api/2024-10"


def outbox(services, subject_id=None) -> list[dict]:
    with services.db.reading() as uow:
        return [dict(r) for r in queries.outbox_rows(uow.conn, subject_id=subject_id)]


def webhooks(services, subject_id=None) -> list[str]:
    return [r["topic"] for r in outbox(services, subject_id) if r["kind"] == "webhook"]


def emails(services, subject_id=None) -> list[dict]:
    return [r for r in outbox(services, subject_id) if r["kind"] == "email"]


def verbs(api, order_id) -> list[str]:
    return [e["verb"] for e in api.get(f"{BASE}/orders/{order_id}/events.json").json()["events"]]


def test_creating_a_pending_order_writes_one_create_webhook_with_the_order_json(api, services):
    order = create_order(api, financial_status="pending")
    rows = outbox(services)
    assert [(r["kind"], r["topic"], r["subject_id"]) for r in rows] == [("webhook", "orders/create", order["id"])]
    assert rows[0]["payload"] == order


def test_creating_a_paid_order_also_writes_orders_paid(api, services):
    order = create_order(api)
    assert order["financial_status"] == "paid"
    rows = outbox(services)
    assert [r["topic"] for r in rows] == ["orders/create", "orders/paid"]
    assert all(r["subject_id"] == order["id"] and r["payload"] == order for r in rows)


def test_creating_a_fulfilled_order_writes_orders_fulfilled(api, services):
    order = create_order(api, fulfillment_status="fulfilled", financial_status="pending")
    assert webhooks(services) == ["orders/create", "orders/fulfilled"]
    assert order["fulfillment_status"] == "fulfilled"


def test_create_with_send_receipt_queues_a_confirmation_email(api, services):
    order = create_order(api, send_receipt=True)
    mails = emails(services)
    assert [m["topic"] for m in mails] == ["order_confirmation"]
    assert mails[0]["payload"]["order_id"] == order["id"]
    assert mails[0]["payload"]["to"] == "bob.norman@example.com"


def test_create_without_send_receipt_queues_no_email(api, services):
    create_order(api)
    assert emails(services) == []


def test_create_records_placed_event_on_the_timeline(api):
    order = create_order(api)
    assert verbs(api, order["id"])[0] == "placed"


def test_note_change_writes_orders_updated_and_note_changed_event(api, services):
    order = create_order(api)
    before = len(outbox(services))
    events_before = len(verbs(api, order["id"]))
    response = api.put(f"{BASE}/orders/{order['id']}.json", json={"order": {"note": "Leave at the door"}})
    assert response.status_code == 200
    new = outbox(services)[before:]
    assert [(r["kind"], r["topic"]) for r in new] == [("webhook", "orders/updated")]
    assert new[0]["payload"]["note"] == "Leave at the door"
    assert new[0]["payload"] == response.json()["order"]
    new_verbs = verbs(api, order["id"])[events_before:]
    assert new_verbs.count("note_changed") == 1
    assert set(new_verbs) <= {"note_changed", "update"}
    events = api.get(f"{BASE}/orders/{order['id']}/events.json").json()["events"]
    note_event = next(e for e in events if e["verb"] == "note_changed")
    assert "Leave at the door" in note_event["message"]


def test_put_that_changes_nothing_writes_nothing(api, services):
    order = create_order(api, note="same")
    before = outbox(services)
    events_before = verbs(api, order["id"])
    assert api.put(f"{BASE}/orders/{order['id']}.json", json={"order": {"note": "same"}}).status_code == 200
    assert outbox(services) == before
    assert verbs(api, order["id"]) == events_before


def test_put_of_read_only_fields_only_writes_nothing(api, services):
    order = create_order(api)
    before = outbox(services)
    response = api.put(f"{BASE}/orders/{order['id']}.json", json={"order": {"total_price": "1.00", "financial_status": "voided"}})
    assert response.status_code == 200
    assert response.json()["order"]["total_price"] == order["total_price"]
    assert outbox(services) == before


def test_close_and_open_write_orders_updated_and_events(api, services):
    order = create_order(api)
    before = len(outbox(services))
    api.post(f"{BASE}/orders/{order['id']}/close.json")
    api.post(f"{BASE}/orders/{order['id']}/open.json")
    assert [r["topic"] for r in outbox(services)[before:]] == ["orders/updated", "orders/updated"]
    assert verbs(api, order["id"])[-2:] == ["closed", "re_opened"]


def test_closing_a_closed_order_writes_nothing_more(api, services):
    order = create_order(api)
    api.post(f"{BASE}/orders/{order['id']}/close.json")
    before = outbox(services)
    again = api.post(f"{BASE}/orders/{order['id']}/close.json")
    assert again.status_code in (200, 422)
    assert outbox(services) == before


def test_cancel_with_email_writes_cancelled_webhook_and_email(api, services):
    order = create_order(api)
    before = len(outbox(services))
    response = api.post(f"{BASE}/orders/{order['id']}/cancel.json", json={"reason": "customer", "email": True})
    assert response.status_code == 200
    new = outbox(services)[before:]
    hooks = [r["topic"] for r in new if r["kind"] == "webhook"]
    assert hooks[0] == "orders/cancelled" and "orders/updated" in hooks
    assert all(r["payload"]["cancel_reason"] == "customer" for r in new if r["kind"] == "webhook")
    mails = [r for r in new if r["kind"] == "email"]
    assert [m["topic"] for m in mails] == ["order_cancelled"]
    assert mails[0]["subject_id"] == order["id"] and mails[0]["payload"]["to"] == "bob.norman@example.com"
    assert verbs(api, order["id"]).count("cancelled") == 1


def test_cancel_without_email_writes_no_email(api, services):
    order = create_order(api)
    before = len(outbox(services))
    assert api.post(f"{BASE}/orders/{order['id']}/cancel.json").status_code == 200
    new = outbox(services)[before:]
    assert "orders/cancelled" in [r["topic"] for r in new]
    assert [r for r in new if r["kind"] == "email"] == []


def test_cancel_email_of_order_without_email_address_is_not_queued(api, services):
    body = order_body(email=None, customer=None)
    created = api.post(f"{BASE}/orders.json", json={"order": body})
    assert created.status_code == 201, created.text
    order = created.json()["order"]
    before = len(outbox(services))
    assert api.post(f"{BASE}/orders/{order['id']}/cancel.json?email=true").status_code == 200
    assert [r for r in outbox(services)[before:] if r["kind"] == "email"] == []


def test_delete_writes_orders_delete_with_only_the_id(api, services):
    order = create_order(api)
    before = len(outbox(services))
    assert api.delete(f"{BASE}/orders/{order['id']}.json").status_code == 200
    new = outbox(services)[before:]
    assert [(r["kind"], r["topic"], r["subject_id"], r["payload"]) for r in new] == [
        ("webhook", "orders/delete", order["id"], {"id": order["id"]})
    ]
    assert api.get(f"{BASE}/orders/{order['id']}.json").status_code == 404


def test_failed_requests_write_no_outbox_rows_or_events(api, services):
    order = create_order(api)
    before = outbox(services)
    events_before = verbs(api, order["id"])
    failures = [
        api.post(f"{BASE}/orders.json", json={"order": order_body(line_items=[{"title": "X", "price": "1", "quantity": 0}])}),
        api.post(f"{BASE}/orders.json", json={"order": order_body(currency="XXQ")}),
        api.put(f"{BASE}/orders/{order['id']}.json", json={"order": {"tags": "z" * 41}}),
        api.post(f"{BASE}/orders/{order['id']}/cancel.json", json={"reason": "whim"}),
        api.delete(f"{BASE}/orders/{order['id'] + 1}.json"),
    ]
    assert [r.status_code for r in failures] == [422, 422, 422, 422, 404]
    assert outbox(services) == before
    assert verbs(api, order["id"]) == events_before


def test_failed_cancel_of_cancelled_order_writes_nothing(api, services):
    order = create_order(api)
    assert api.post(f"{BASE}/orders/{order['id']}/cancel.json?email=true").status_code == 200
    before = outbox(services)
    events_before = verbs(api, order["id"])
    assert api.post(f"{BASE}/orders/{order['id']}/cancel.json?email=true").status_code == 422
    assert outbox(services) == before
    assert verbs(api, order["id"]) == events_before


def test_outbox_rows_of_one_order_are_found_by_subject(api, services):
    first = create_order(api, financial_status="pending")
    second = create_order(api, financial_status="pending")
    assert webhooks(services, first["id"]) == ["orders/create"]
    assert webhooks(services, second["id"]) == ["orders/create"]
