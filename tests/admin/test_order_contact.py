"""Resend and Contact customer without a browser: what is listed to resend, refusals next to
their field, the preview's own sandboxed policy, and what staff without the orders permission get."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from orderdesk.admin import auth
from orderdesk.db import queries
from orderdesk.services import sessions
from orderdesk.services.staff import create_staff
from tests.api.conftest import allow_private, receiver  # noqa: F401 - fixtures
from tests.builders import create_order
from tests.conftest import csrf_of, log_in


def emails(services, order_id) -> list[dict]:
    with services.db.reading() as uow:
        return [dict(r) for r in queries.outbox_rows(uow.conn, subject_id=order_id) if r["kind"] == "email"]


def test_the_emails_the_order_has_had_are_listed_and_resent(admin, api, services):
    order = create_order(api, send_receipt=True)
    page = admin.get(f"/admin/orders/{order['id']}").text
    card = page[page.index('id="notifications"') :]
    card = card[: card.index("</section>")]
    assert "Order confirmation" in card and 'name="name" value="order_confirmation"' in card
    assert "Resend<span" in card
    r = admin.post(f"/admin/orders/{order['id']}/resend", data={"csrf_token": csrf_of(admin), "name": "order_confirmation"})
    assert r.status_code == 200 and "Resent the order confirmation email to bob.norman@example.com." in r.text
    assert [e["topic"] for e in emails(services, order["id"])] == ["order_confirmation", "order_confirmation"]
    events = api.get(f"{api.base}/orders/{order['id']}/events.json").json()["events"]
    assert any(e["verb"] == "mail_resent" and e["author"] == "Olivia Owner" for e in events)


def test_a_notification_for_a_fulfillment_service_is_never_resent_to_the_customer(admin, api, services):
    order = create_order(api, send_receipt=True)
    r = admin.post(f"/admin/orders/{order['id']}/resend", data={"csrf_token": csrf_of(admin), "name": "fulfillment_request"})
    assert r.status_code == 422
    assert re.search(r'id="resend-error">The fulfillment request email goes to a fulfillment service', r.text)
    assert len(emails(services, order["id"])) == 1


def test_the_contact_page_is_prefilled_and_a_template_fills_subject_and_message(admin, api):
    order = create_order(api)
    page = admin.get(f"/admin/orders/{order['id']}/contact").text
    assert re.search(r'id="to" name="to" value="bob.norman@example.com" readonly', page)
    assert '<label for="subject">Subject</label>' in page and '<label for="message">Message</label>' in page
    chosen = admin.get(f"/admin/orders/{order['id']}/contact?template=delay").text
    assert f'value="An update on your order {order["name"]}"' in chosen
    assert f"your order {order['name']} is taking longer" in chosen


def test_the_preview_is_the_email_the_customer_gets_in_a_sandbox(admin, api):
    order = create_order(api)
    r = admin.post(
        f"/admin/orders/{order['id']}/contact/preview",
        data={"csrf_token": csrf_of(admin), "subject": "About <your> order", "message": "Line one\nLine <b>two</b>"},
    )
    assert r.status_code == 200
    assert r.headers["content-security-policy"].endswith("sandbox") and "script-src" not in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "SAMEORIGIN"
    assert "<strong>Subject:</strong> About &lt;your&gt; order" in r.text
    assert "Hi Bob," in r.text and "Line one<br" in r.text
    assert "<b>two</b>" not in r.text  # the member's text is text, not markup


def test_a_sent_email_goes_through_the_outbox_and_onto_the_timeline(admin, api, services):
    order = create_order(api)
    r = admin.post(
        f"/admin/orders/{order['id']}/contact/send",
        data={"csrf_token": csrf_of(admin), "subject": "Your parcel", "message": "It leaves tomorrow."},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].endswith(f"/admin/orders/{order['id']}#timeline")
    [row] = emails(services, order["id"])
    assert row["topic"] == "contact_customer" and row["payload"]["message"] == "It leaves tomorrow."
    assert row["payload"]["subject"] == "Your parcel"
    events = api.get(f"{api.base}/orders/{order['id']}/events.json").json()["events"]
    assert any(e["verb"] == "mail_queued" and e["author"] == "Olivia Owner" for e in events)


def test_an_empty_message_is_refused_next_to_it_and_nothing_is_sent(admin, api, services):
    order = create_order(api)
    r = admin.post(f"/admin/orders/{order['id']}/contact/send", data={"csrf_token": csrf_of(admin), "subject": "Hi", "message": "  "})
    assert r.status_code == 422
    assert 'id="message-error" role="alert">can&#39;t be blank</p>' in r.text
    assert re.search(r'id="message"[^>]*aria-invalid="true"', r.text)
    assert 'value="Hi"' in r.text
    assert emails(services, order["id"]) == []


def test_an_order_without_email_cannot_be_contacted(admin, api, services):
    order = create_order(api, email=None, customer=None)
    page = admin.get(f"/admin/orders/{order['id']}").text
    assert '/contact"' not in page  # no Contact customer link
    r = admin.post(f"/admin/orders/{order['id']}/contact/send", data={"csrf_token": csrf_of(admin), "message": "Hello"})
    assert r.status_code == 422 and 'id="to-error" role="alert">The order has no email address' in r.text
    assert emails(services, order["id"]) == []


def test_without_the_orders_permission_every_new_action_is_refused_and_nothing_changes(app, api, services):
    order = create_order(api, send_receipt=True, tags="gift")
    create_staff(services, "packer@shop.example", "packer password 1", permissions=["fulfillment"], name="Pat Packer")
    packer = log_in(TestClient(app, base_url="http://testserver"), "packer@shop.example", "packer password 1")
    assert packer.get(f"/admin/orders/{order['id']}").status_code == 403
    assert packer.get(f"/admin/orders/{order['id']}/contact").status_code == 403
    # No page of theirs shows this order, so take the session's token as a page would carry it.
    token = sessions.csrf_token(services, packer.cookies.get(auth.COOKIE))
    base = f"/admin/orders/{order['id']}"
    for path, fields in [
        ("/comments", {"comment": "hi"}),
        ("/tags", {"add": "vip"}),
        ("/note", {"note": "changed"}),
        ("/contact_information", {"email": "x@example.com", "phone": ""}),
        ("/shipping_address", {"address1": "1 New St", "city": "Paris", "country_code": "FR"}),
        ("/resend", {"name": "order_confirmation"}),
        ("/contact/send", {"subject": "s", "message": "m"}),
        ("/contact/preview", {"subject": "s", "message": "m"}),
    ]:
        r = packer.post(base + path, data={"csrf_token": token, **fields})
        assert r.status_code == 403 and "orders</strong> permission" in r.text, path
    found = api.get(f"{api.base}/orders/{order['id']}.json").json()["order"]
    assert (found["tags"], found["note"], found["email"]) == ("gift", order["note"], order["email"])
    assert found["shipping_address"] == order["shipping_address"]
    assert len(emails(services, order["id"])) == 1


def test_webhook_attempts_are_listed_with_the_orders_emails(admin, api, services, receiver, allow_private):  # noqa: F811
    from orderdesk.worker.runner import Worker
    from tests.api.test_webhooks import subscribe

    subscribe(api, receiver.url + "/hook", topic="orders/create")
    order = create_order(api)
    Worker(services, kinds=("webhook",)).run_once()
    page = admin.get(f"/admin/orders/{order['id']}").text
    card = page[page.index('id="notifications"') :]
    card = card[: card.index("</section>")]
    row = re.search(r'<tr data-outcome="delivered" data-kind="webhook">(.*?)</tr>', card, re.S)
    assert row, card
    assert "Webhook: orders/create" in row.group(1) and receiver.url in row.group(1) and "(HTTP 200)" in row.group(1)
