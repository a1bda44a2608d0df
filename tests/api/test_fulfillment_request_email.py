"""A manual fulfillment service registered with an email gets each fulfillment request as an
email (template ``fulfillment_request``) sent over SMTP by the worker."""

from __future__ import annotations

from orderdesk.db import outbox_claims
from tests.api.test_fulfillment_services import order_at_service, post, register
from tests.api.test_notifications import events, html_of, worker

WAREHOUSE = "orders@packers.example"


def rows(services, kind):
    with services.db.reading() as uow:
        return outbox_claims.pending(uow.conn, kinds=(kind,))


def manual_service(api, **extra):
    return register(api, name="Backroom Packers", callback_url=None, email=WAREHOUSE, **extra)


def test_a_fulfillment_request_is_emailed_to_the_service(svc, services, inbox):
    # given a service known only by its email, and an order at its location
    service = manual_service(svc)
    assert (service["email"], service["callback_url"]) == (WAREHOUSE, None)
    order, fo = order_at_service(svc, service)
    titles = {li["id"]: li["title"] for li in order["line_items"]}
    lines = {titles[line["line_item_id"]]: line for line in fo["line_items"]}
    boots, beret = lines["Big Brown Bear Boots"], lines["Raspberry Beret"]
    # when the merchant asks for 2 of the 3 boots and the beret, with a note
    r = post(
        svc,
        fo["id"],
        "fulfillment_request",
        "fulfillment_request",
        message="Gift wrap the beret,\nplease.",
        fulfillment_order_line_items=[{"id": boots["id"], "quantity": 2}, {"id": beret["id"]}],
    )
    assert r.status_code == 200, r.text
    assert rows(services, "service") == []
    assert [(row["topic"], row["payload"]["to"]) for row in rows(services, "email")] == [("fulfillment_request", WAREHOUSE)]
    worker(services).run_once()
    # then the service's inbox has the request: what to ship, where, and the merchant's note
    (message,) = inbox.messages
    assert message["To"] == WAREHOUSE and message["Reply-To"] == "shop@example.com"
    assert message["Subject"] == f"Fulfillment request for order {order['name']}"
    html = html_of(message).replace("\r\n", "\n")
    assert "Backroom Packers" in html and "Gift wrap the beret,<br />\nplease." in html
    assert '<td>Big Brown Bear Boots</td>\n      <td></td>\n      <td align="right">2</td>' in html
    assert '<td>Raspberry Beret</td>\n      <td>BERET-1</td>\n      <td align="right">1</td>' in html
    assert "123 Fake Street" in html and "K2P 1L4 Fakecity<br>US" in html and "Standard" in html
    # and staff see where it went, on the timeline and in the delivery log
    sent = [e["message"] for e in events(svc, order["id"]) if e["verb"] == "mail_sent"]
    assert sent == [f"Fulfillment request email was sent to {WAREHOUSE}."]
    logged = svc.get(f"{svc.base}/orders/{order['id']}/notification_deliveries.json").json()["notification_deliveries"]
    assert [(d["kind"], d["topic"], d["recipient"], d["outcome"]) for d in logged] == [("email", "fulfillment_request", WAREHOUSE, "sent")]


def test_a_service_with_a_callback_and_an_email_gets_both(svc, services):
    service = register(svc, email=WAREHOUSE)
    _, fo = order_at_service(svc, service)
    post(svc, fo["id"], "fulfillment_request", "fulfillment_request", message="go")
    assert [r["payload"]["kind"] for r in rows(services, "service")] == ["FULFILLMENT_REQUEST"]
    assert [r["topic"] for r in rows(services, "email")] == ["fulfillment_request"]


def test_the_merchants_requests_are_emailed_but_not_the_services_answers(svc, services):
    service = manual_service(svc)
    _, fo = order_at_service(svc, service)
    post(svc, fo["id"], "fulfillment_request", "fulfillment_request", message="go")
    post(svc, fo["id"], "fulfillment_request/accept", "fulfillment_request", message="ok")
    post(svc, fo["id"], "cancellation_request", "cancellation_request", message="stop")
    post(svc, fo["id"], "cancellation_request/reject", "cancellation_request", message="already packed")
    assert [r["topic"] for r in rows(services, "email")] == ["fulfillment_request", "cancellation_request"]


def test_a_cancellation_request_is_emailed_with_the_items_not_to_ship(svc, services, inbox):
    # given a manual service that accepted a request for the whole order
    service = manual_service(svc)
    order, fo = order_at_service(svc, service)
    post(svc, fo["id"], "fulfillment_request", "fulfillment_request", message="go")
    post(svc, fo["id"], "fulfillment_request/accept", "fulfillment_request", message="ok")
    worker(services).run_once()
    # when the merchant asks it to cancel
    r = post(svc, fo["id"], "cancellation_request", "cancellation_request", message="Customer changed their mind")
    assert r.status_code == 200, r.text
    worker(services).run_once()
    # then the service's inbox has the cancellation, with the items and the reason
    request, cancellation = inbox.messages
    assert cancellation["To"] == WAREHOUSE
    assert cancellation["Subject"] == f"Cancellation request for order {order['name']}"
    html = html_of(cancellation).replace("\r\n", "\n")
    assert "Customer changed their mind" in html and "Items not to ship" in html
    assert '<td>Raspberry Beret</td>\n      <td>BERET-1</td>\n      <td align="right">1</td>' in html
    sent = [e["message"] for e in events(svc, order["id"]) if e["verb"] == "mail_sent"]
    assert sent[-1] == f"Cancellation request email was sent to {WAREHOUSE}."


def test_the_email_is_validated_and_can_be_cleared(svc, services):
    for bad in ("not an email", "a@b", "x@y.example, z@y.example", 42):
        r = svc.post(f"{svc.base}/fulfillment_services.json", json={"fulfillment_service": {"name": "Bad", "email": bad}})
        assert r.status_code == 422 and r.json()["errors"] == {"email": ["is invalid"]}, bad
    service = manual_service(svc)
    r = svc.put(f"{svc.base}/fulfillment_services/{service['id']}.json", json={"fulfillment_service": {"email": None}})
    assert r.status_code == 200 and r.json()["fulfillment_service"]["email"] is None
    _, fo = order_at_service(svc, service)
    post(svc, fo["id"], "fulfillment_request", "fulfillment_request", message="go")
    assert rows(services, "email") == []


def test_the_template_previews_with_the_order_lines(svc):
    service = manual_service(svc)
    order, _ = order_at_service(svc, service)
    r = svc.post(f"{svc.base}/notification_templates/fulfillment_request/preview.json?order_id={order['id']}")
    assert r.status_code == 200, r.text
    html = r.json()["preview"]["html"]
    assert "BERET-1" in html and "Big Brown Bear Boots" in html and "Your message to the customer appears here." in html
