"""Staff comments on the order page without a browser: errors next to the box, author-only
edit and delete, and the privacy promise: no comment reaches the REST API (order, events),
webhooks, emails or the shopper's status page."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from fastapi.testclient import TestClient

from orderdesk.config import SmtpSettings
from orderdesk.db import queries
from orderdesk.services import notifications
from orderdesk.services.staff import create_staff
from orderdesk.worker.runner import Worker, default_handlers
from tests.api.conftest import allow_private, receiver  # noqa: F401 - fixtures
from tests.api.test_webhooks import subscribe
from tests.builders import create_order
from tests.conftest import csrf_of, log_in

SECRET = "PRIVATE-NOTE-7f3a: customer is a reseller, ship slowly"


def post_comment(client, order_id, text, **extra):
    return client.post(
        f"/admin/orders/{order_id}/comments", data={"csrf_token": csrf_of(client), "comment": text, **extra}, follow_redirects=False
    )


def comment_ids(client, order_id) -> list[int]:
    return [int(x) for x in re.findall(r'data-comment="(\d+)"', client.get(f"/admin/orders/{order_id}").text)]


def test_a_posted_comment_is_on_the_timeline_with_its_author_and_time(admin, api):
    order = create_order(api)
    r = post_comment(admin, order["id"], "  Called the customer: the parcel may be late.  ")
    assert r.status_code == 303 and r.headers["location"].endswith(f"/admin/orders/{order['id']}#timeline")
    page = admin.get(f"/admin/orders/{order['id']}").text
    [cid] = comment_ids(admin, order["id"])
    block = page[page.index(f'id="comment-{cid}"') :]
    block = block[: block.index("</li>")]
    assert "Called the customer: the parcel may be late.</p>" in block
    assert "<strong>Olivia Owner</strong> commented" in block
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", block)
    assert "Edit<span" in block and "Delete<span" in block


def test_a_blank_or_overlong_comment_is_refused_next_to_the_box_and_nothing_is_posted(admin, api):
    order = create_order(api)
    blank = post_comment(admin, order["id"], "   ")
    assert blank.status_code == 422
    assert 'id="comment-error" role="alert">Write a comment before posting it</p>' in blank.text
    assert re.search(r'id="comment"[^>]*aria-invalid="true"', blank.text)
    long = post_comment(admin, order["id"], "x" * 5001)
    assert long.status_code == 422
    assert "A comment can be at most 5,000 characters (this one has 5,001)" in long.text
    assert "x" * 5001 in long.text  # what was typed is kept for fixing
    assert comment_ids(admin, order["id"]) == []


def test_only_the_author_may_edit_or_delete_a_comment(app, admin, api, services):
    order = create_order(api)
    post_comment(admin, order["id"], "Owner's words")
    [cid] = comment_ids(admin, order["id"])
    create_staff(services, "clerk@shop.example", "clerk password 1", permissions=["orders"], name="Carl Clerk")
    clerk = log_in(TestClient(app, base_url="http://testserver"), "clerk@shop.example", "clerk password 1")
    page = clerk.get(f"/admin/orders/{order['id']}").text
    assert "Owner&#39;s words" in page
    assert f"/comments/{cid}/edit" not in page and f"/comments/{cid}/delete" not in page  # no control
    token = csrf_of(clerk)
    edit = clerk.post(f"/admin/orders/{order['id']}/comments/{cid}/edit", data={"csrf_token": token, "comment": "Clerk was here"})
    assert edit.status_code == 403
    delete = clerk.post(f"/admin/orders/{order['id']}/comments/{cid}/delete", data={"csrf_token": token})
    assert delete.status_code == 403
    page = admin.get(f"/admin/orders/{order['id']}").text
    assert "Owner&#39;s words" in page and "Clerk was here" not in page
    # The author edits (refused when blank, saved otherwise) and deletes.
    blank = admin.post(f"/admin/orders/{order['id']}/comments/{cid}/edit", data={"csrf_token": csrf_of(admin), "comment": ""})
    assert blank.status_code == 422 and f'id="comment-{cid}-error" role="alert">Write a comment' in blank.text
    ok = admin.post(
        f"/admin/orders/{order['id']}/comments/{cid}/edit",
        data={"csrf_token": csrf_of(admin), "comment": "Owner, edited"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    page = admin.get(f"/admin/orders/{order['id']}").text
    assert "Owner, edited</p>" in page and "· edited" in page
    gone = admin.post(f"/admin/orders/{order['id']}/comments/{cid}/delete", data={"csrf_token": csrf_of(admin)}, follow_redirects=False)
    assert gone.status_code == 303 and comment_ids(admin, order["id"]) == []


def test_a_comment_on_another_order_or_a_missing_one_is_not_found(admin, api):
    first, second = create_order(api), create_order(api)
    post_comment(admin, first["id"], "on the first")
    [cid] = comment_ids(admin, first["id"])
    r = admin.post(f"/admin/orders/{second['id']}/comments/{cid}/delete", data={"csrf_token": csrf_of(admin)})
    assert r.status_code == 404
    assert post_comment(admin, 999999, "nowhere").status_code == 404
    assert comment_ids(admin, first["id"]) == [cid]


def test_a_comment_without_the_csrf_token_is_refused(admin, api):
    order = create_order(api)
    r = admin.post(f"/admin/orders/{order['id']}/comments", data={"comment": "forged"})
    assert r.status_code == 403 and "sent from another page" in r.text
    r = admin.post(f"/admin/orders/{order['id']}/comments", data={"comment": "forged", "csrf_token": "0" * 64})
    assert r.status_code == 403
    assert comment_ids(admin, order["id"]) == []


def test_comments_reach_no_shopper_email_webhook_or_api_client(app, admin, api, services, receiver, allow_private, monkeypatch):  # noqa: F811
    for name in ("ORDERDESK_SMTP_HOST", "ORDERDESK_SMTP_PORT", "ORDERDESK_SMTP_FROM", "ORDERDESK_MAIL_CAPTURE"):
        monkeypatch.delenv(name, raising=False)
    services.smtp = SmtpSettings.from_env()
    for topic in ("orders/updated", "orders/create", "orders/paid"):
        subscribe(api, receiver.url + "/hook", topic=topic)
    order = create_order(api, send_receipt=True, financial_status="pending")
    assert post_comment(admin, order["id"], SECRET).status_code == 303
    # Changes around the comment send webhooks and emails.
    token = csrf_of(admin)
    admin.post(f"/admin/orders/{order['id']}/tags", data={"csrf_token": token, "add": "vip"})
    admin.post(f"/admin/orders/{order['id']}/mark_as_paid", data={"csrf_token": token})
    admin.post(
        f"/admin/orders/{order['id']}/contact/send", data={"csrf_token": token, "subject": "About your order", "message": "Hello there"}
    )
    admin.post(f"/admin/orders/{order['id']}/resend", data={"csrf_token": token, "name": "order_confirmation"})
    with services.db.reading() as uow:
        rows = [dict(r) for r in queries.outbox_rows(uow.conn)]
    assert {r["kind"] for r in rows} >= {"webhook", "email"}
    Worker(services, handlers=default_handlers(), kinds=("webhook", "email")).run_once()
    assert receiver.requests, "webhooks were delivered"
    for request in receiver.requests:
        assert "PRIVATE-NOTE" not in request.body.decode()
    emails = notifications.captured_emails(services, order_id=order["id"])
    assert {e["template"] for e in emails} >= {"order_confirmation", "contact_customer"}
    for email in emails:
        assert "PRIVATE-NOTE" not in email["html"] + email["text"] + email["subject"]
    for row in rows:
        assert "PRIVATE-NOTE" not in json.dumps(row["payload"], default=str)
    # The REST API: the order, its events, the shop's events.
    for path in (f"/orders/{order['id']}.json", f"/orders/{order['id']}/events.json", "/events.json?limit=250"):
        body = api.get(f"{api.base}{path}").text
        assert "PRIVATE-NOTE" not in body, path
    # The shopper's status page.
    status = TestClient(app, base_url="http://testserver").get(urlsplit(order["order_status_url"]).path)
    assert status.status_code == 200 and "PRIVATE-NOTE" not in status.text
    # It is on the staff's timeline, though.
    assert "PRIVATE-NOTE-7f3a" in admin.get(f"/admin/orders/{order['id']}").text
