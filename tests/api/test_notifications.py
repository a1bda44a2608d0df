"""Customer emails: rendered with Liquid from the current order, sent over SMTP by the worker."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from sqlalchemy import insert

from orderdesk.config import SmtpSettings
from orderdesk.db import queries
from orderdesk.db import tables as t
from orderdesk.notifications import render as liquid
from orderdesk.worker.runner import Worker, default_handlers
from tests.builders import create_order
from tests.loopback import smtp_server

BASE = "/admin/api/2024-10"


class Later:
    """A clock some time ahead of now, so rows put off by the worker's backoff become due."""

    def __init__(self, ahead: timedelta) -> None:
        self.ahead = ahead

    def now(self):
        from datetime import datetime

        return datetime.now(UTC) + self.ahead


def worker(services) -> Worker:
    return Worker(services, handlers=default_handlers(), kinds=("email",))


def email_rows(services) -> list[dict]:
    with services.db.reading() as uow:
        return [dict(r) for r in queries.outbox_rows(uow.conn) if r["kind"] == "email"]


def events(api, order_id) -> list[dict]:
    return api.get(f"{BASE}/orders/{order_id}/events.json").json()["events"]


def html_of(message) -> str:
    return message.get_body(("html",)).get_content()


def test_the_worker_sends_the_order_confirmation_with_lines_totals_and_status_link(api, services, inbox):
    # given an order placed in euros with send_receipt
    order = create_order(api, send_receipt=True, presentment_currency="EUR")
    # when
    worker(services).run_once()
    # then
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == "bob.norman@example.com"
    assert order["name"] in message["Subject"]
    html = html_of(message)
    assert "Big Brown Bear Boots" in html and "× 3" in html and "Raspberry Beret" in html
    total = order["total_price_set"]["presentment_money"]
    assert total["currency_code"] == "EUR"
    assert f"€{total['amount']} EUR" in html
    assert "USD" not in html
    assert f'href="{order["order_status_url"]}"' in html and "View your order" in html
    row = email_rows(services)[0]
    assert row["done_at"] is not None
    assert message["Message-ID"] == f"<{row['event_id']}@test-shop.example>"
    sent = [e for e in events(api, order["id"]) if e["verb"] == "mail_sent"]
    assert [e["message"] for e in sent] == ["Order confirmation email was sent to the customer."]


def test_cancelling_with_email_sends_the_cancellation(api, services, inbox):
    order = create_order(api)
    response = api.post(f"{BASE}/orders/{order['id']}/cancel.json", json={"email": True, "reason": "customer"})
    assert response.status_code == 200, response.text
    worker(services).run_once()
    assert len(inbox.messages) == 1
    assert inbox.messages[0]["Subject"] == f"Order {order['name']} has been canceled"
    assert "at your request" in html_of(inbox.messages[0])


def test_staff_notes_never_appear_in_emails(api, services, inbox):
    create_order(api, send_receipt=True, note="STAFF-ONLY: difficult customer")
    worker(services).run_once()
    assert "STAFF-ONLY" not in html_of(inbox.messages[0])


def test_an_edited_template_is_used(api, services, inbox):
    # given
    response = api.put(
        f"{BASE}/notification_templates/order_confirmation.json",
        json={
            "notification_template": {
                "subject": "Thanks {{ customer.first_name }}! ({{ order_name }})",
                "body": "<p>{% for line in line_items %}{{ line.quantity }}x {{ line.title }};{% endfor %} {{ total_price | money }}</p>",
            }
        },
    )
    assert response.status_code == 200, response.text
    assert response.json()["notification_template"]["customized"] is True
    order = create_order(api, send_receipt=True)
    # when
    worker(services).run_once()
    # then
    message = inbox.messages[0]
    assert message["Subject"] == f"Thanks Bob! ({order['name']})"
    assert "3x Big Brown Bear Boots;1x Raspberry Beret;" in html_of(message)
    listed = {t["name"]: t for t in api.get(f"{BASE}/notification_templates.json").json()["notification_templates"]}
    assert listed["order_confirmation"]["customized"] is True and listed["refund"]["customized"] is False
    assert api.delete(f"{BASE}/notification_templates/order_confirmation.json").json()["notification_template"]["customized"] is False


def test_a_broken_template_is_refused_with_its_line_and_column(api):
    response = api.put(
        f"{BASE}/notification_templates/refund.json",
        json={
            "notification_template": {
                "body": "<p>Hello</p>\n<p>{% if refund_amount %}\n{{ refund_amount | money }}\n",
            }
        },
    )
    assert response.status_code == 422
    message = response.json()["errors"]["body"][0]
    assert "line 4" in message and "column" in message
    unknown = api.put(
        f"{BASE}/notification_templates/refund.json", json={"notification_template": {"body": "a\n  {{ total_price | monie }}"}}
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"]["body"] == ["body: unknown filter 'monie' on line 2, column 20"]
    assert api.get(f"{BASE}/notification_templates/refund.json").json()["notification_template"]["customized"] is False


def test_unknown_templates_are_not_found(api):
    assert api.get(f"{BASE}/notification_templates/nope.json").status_code == 404


def test_a_broken_template_in_the_database_fails_its_row_but_not_the_others(api, services, inbox):
    # given a template row that cannot parse, written behind the API's back
    with services.db.writing() as uow:
        uow.conn.execute(
            insert(t.notification_templates).values(
                name="order_confirmation", subject="x", body="{% for %}", updated_at=services.clock.now()
            )
        )
        uow.commit()
    create_order(api, send_receipt=True)
    other = create_order(api)
    api.post(f"{BASE}/orders/{other['id']}/cancel.json", json={"email": True})
    # when
    claimed = worker(services).run_once()
    # then the cancellation went out and the confirmation waits for a retry
    assert claimed == 2
    assert [m["Subject"] for m in inbox.messages] == [f"Order {other['name']} has been canceled"]
    rows = {r["topic"]: r for r in email_rows(services)}
    broken = rows["order_confirmation"]
    assert broken["done_at"] is None and broken["attempts"] == 1
    assert "TemplateProblem" in broken["last_error"] and "line 1" in broken["last_error"]
    assert rows["order_cancelled"]["done_at"] is not None


def test_an_smtp_outage_leaves_the_row_for_a_later_retry(api, services, smtp_port):
    # given no server listening
    services.smtp = SmtpSettings(host="127.0.0.1", port=smtp_port, from_address="store@test-shop.example")
    order = create_order(api, send_receipt=True)
    worker(services).run_once()
    row = email_rows(services)[0]
    assert row["done_at"] is None and row["last_error"] and row["attempts"] == 1
    assert row["available_at"] > services.clock.now()
    assert not [e for e in events(api, order["id"]) if e["verb"] == "mail_sent"]
    # when the server is back and the backoff has passed
    with smtp_server(smtp_port) as handler:
        services.clock = Later(timedelta(minutes=5))
        assert worker(services).run_once() == 1
    # then the same email (same Message-ID) is delivered once
    assert len(handler.messages) == 1
    assert handler.messages[0]["Message-ID"].startswith(f"<{row['event_id']}@")
    assert email_rows(services)[0]["done_at"] is not None


def test_a_runaway_loop_hits_the_limit_and_fails_cleanly():
    envs = liquid.Environments.create()
    with pytest.raises(liquid.TemplateProblem, match="limit"):
        liquid.render_source(
            envs, "s", "{% for a in (1..200) %}{% for b in (1..200) %}{% for c in (1..200) %}x{% endfor %}{% endfor %}{% endfor %}", {}
        )
    with pytest.raises(liquid.TemplateProblem, match="limit"):
        liquid.render_source(envs, "s", "{% for a in (1..9000) %}" + "x" * 200 + "{% endfor %}", {})


def test_money_follows_the_currency_exponent():
    assert liquid.format_money(107640, "EUR", with_currency=True) == "€1,076.40 EUR"
    assert liquid.format_money(1500, "JPY") == "¥1,500"
    assert liquid.format_money(1999, "USD") == "$19.99"


def test_every_default_template_renders_for_a_real_order(api, services):
    order = create_order(
        api,
        fulfillment_status="fulfilled",
        fulfillments=[{"tracking_company": "DHL", "tracking_number": "JD014600003", "tracking_url": "https://track.example/JD014600003"}],
    )
    for name in liquid.DEFAULT_NAMES:
        response = api.post(f"{BASE}/notification_templates/{name}/preview.json?order_id={order['id']}")
        assert response.status_code == 200, (name, response.text)
        preview = response.json()["preview"]
        assert order["name"] in preview["subject"] + preview["html"], name
    shipped = api.post(f"{BASE}/notification_templates/shipping_confirmation/preview.json?order_id={order['id']}").json()["preview"]["html"]
    assert 'href="https://track.example/JD014600003"' in shipped and "DHL" in shipped


def test_preview_of_an_unsaved_edit(api):
    order = create_order(api)
    response = api.post(
        f"{BASE}/notification_templates/order_confirmation/preview.json?order_id={order['id']}",
        json={"notification_template": {"subject": "Hi {{ customer.first_name }}", "body": "{{ subtotal_price | money }}"}},
    )
    assert response.status_code == 200, response.text
    assert response.json()["preview"]["subject"] == "Hi Bob"
    assert response.json()["preview"]["html"].startswith("$")
    broken = api.post(
        f"{BASE}/notification_templates/order_confirmation/preview.json?order_id={order['id']}",
        json={"notification_template": {"body": "{{ missing_variable }}"}},
    )
    assert broken.status_code == 422 and "undefined" in broken.json()["errors"]["body"][0]


def test_resend_queues_the_email_and_notes_it_on_the_timeline(api, services, inbox):
    order = create_order(api)
    response = api.post(f"{BASE}/orders/{order['id']}/notifications/order_confirmation/resend.json")
    assert response.status_code == 201, response.text
    assert [r["topic"] for r in email_rows(services)] == ["order_confirmation"]
    assert any(e["verb"] == "mail_resent" and "Staff resent the order confirmation email" in e["message"] for e in events(api, order["id"]))
    worker(services).run_once()
    assert len(inbox.messages) == 1
    assert api.post(f"{BASE}/orders/{order['id']}/notifications/nope/resend.json").status_code == 404


def test_emails_meant_for_a_fulfillment_service_cannot_be_resent_to_the_customer(api, services):
    order = create_order(api)
    for name in ("fulfillment_request", "cancellation_request"):
        response = api.post(f"{BASE}/orders/{order['id']}/notifications/{name}/resend.json")
        assert response.status_code == 422, response.text
        assert "goes to a fulfillment service, not to the customer" in str(response.json()["errors"])
    assert email_rows(services) == []
    assert not [e for e in events(api, order["id"]) if e["verb"] == "mail_resent"]


def test_contact_customer_sends_the_staff_message(api, services, inbox):
    order = create_order(api)
    response = api.post(
        f"{BASE}/orders/{order['id']}/contact.json",
        json={"subject": "About your boots", "body": "They ship Monday.\n<b>Sorry</b> for the wait."},
    )
    assert response.status_code == 201, response.text
    assert any(e["verb"] == "mail_queued" for e in events(api, order["id"]))
    worker(services).run_once()
    message = inbox.messages[0]
    assert message["Subject"] == "About your boots"
    html = html_of(message)
    assert "They ship Monday.<br />" in html and "&lt;b&gt;Sorry&lt;/b&gt;" in html
    assert api.post(f"{BASE}/orders/{order['id']}/contact.json", json={"subject": "x", "body": " "}).status_code == 422


def test_reading_templates_needs_read_orders(app, services):
    from fastapi.testclient import TestClient

    from orderdesk.services.tokens import create_token

    client = TestClient(app)
    client.headers["X-Shopify-Access-Token"] = create_token(services, "products only", ["read_products"])
    assert client.get(f"{BASE}/notification_templates.json").status_code == 403
