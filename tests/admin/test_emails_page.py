"""The Emails page: what orderdesk kept instead of sending, each with its order, and one email's
HTML served on its own under a policy that allows no script, for a sandboxed frame."""

from __future__ import annotations

import html

import pytest

from orderdesk.config import SmtpSettings
from orderdesk.services import notifications
from orderdesk.worker.runner import Worker, default_handlers
from tests.admin.test_settings import member
from tests.builders import create_order


@pytest.fixture
def kept(services, api, monkeypatch):
    """An order with a receipt, its confirmation email kept by the worker (no SMTP server)."""
    for name in ("ORDERDESK_SMTP_HOST", "ORDERDESK_SMTP_PORT", "ORDERDESK_SMTP_FROM", "ORDERDESK_MAIL_CAPTURE"):
        monkeypatch.delenv(name, raising=False)
    services.smtp = SmtpSettings.from_env()
    order = create_order(api, send_receipt=True)
    Worker(services, handlers=default_handlers(), kinds=("email",)).run_once()
    [email] = notifications.captured_emails(services)
    return order, email


def test_the_list_shows_recipient_subject_time_and_a_link_to_the_order(admin, kept):
    order, email = kept
    page = admin.get("/admin/emails")
    assert page.status_code == 200
    assert "bob.norman@example.com" in page.text
    assert f'<a href="/admin/emails/{email["id"]}">{html.escape(email["subject"])}</a>' in page.text
    assert f'<a href="/admin/orders/{order["id"]}">{order["name"]}</a>' in page.text
    assert "Order confirmation" in page.text
    # one order's emails
    assert f'data-email-id="{email["id"]}"' in admin.get(f"/admin/emails?order={order['id']}").text
    assert f'data-email-id="{email["id"]}"' not in admin.get(f"/admin/emails?order={order['id'] + 1000}").text


def test_one_email_is_shown_in_a_sandboxed_frame_served_without_script(admin, kept):
    order, email = kept
    page = admin.get(f"/admin/emails/{email['id']}")
    assert page.status_code == 200
    assert f'<iframe src="/admin/emails/{email["id"]}/html"' in page.text and " sandbox " in page.text
    assert "srcdoc" not in page.text and "script-src 'self'" in page.headers["content-security-policy"]
    body = admin.get(f"/admin/emails/{email['id']}/html")
    assert body.status_code == 200 and body.text == email["html"]
    policy = body.headers["content-security-policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy and "script" not in policy
    assert body.headers["x-frame-options"] == "SAMEORIGIN" and body.headers["x-content-type-options"] == "nosniff"
    assert admin.get("/admin/emails/999999").status_code == 404
    assert admin.get("/admin/emails/999999/html").status_code == 404


def test_the_emails_page_needs_the_orders_permission_and_a_session(app, services, owner, kept):
    from fastapi.testclient import TestClient

    _, email = kept
    client = member(app, services, "hr@test-shop.example", "staff")
    assert 'href="/admin/emails"' not in client.get("/admin/settings/staff").text
    for path in ("/admin/emails", f"/admin/emails/{email['id']}", f"/admin/emails/{email['id']}/html"):
        assert client.get(path).status_code == 403, path
        assert TestClient(app).get(path, follow_redirects=False).status_code == 303, path


def test_no_emails_says_when_they_appear(admin):
    assert "No emails yet." in admin.get("/admin/emails").text
