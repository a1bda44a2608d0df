"""Settings → Notifications and Webhooks without a browser: an edit is saved (the REST API serves
it), a template that does not render is refused with its line and column next to the field, the
live preview answers htmx with the subject and the messages, the rendered email is served under a
policy that allows no script; an app's signing secret is shown and rotated."""

from __future__ import annotations

import re

from orderdesk.services import apps as app_service
from tests.admin.test_settings import field_error, member
from tests.builders import create_order
from tests.conftest import csrf_of

URL = "/admin/settings/notifications/order_confirmation"


def template(api, name="order_confirmation") -> dict:
    return api.get(f"{api.base}/notification_templates/{name}.json").json()["notification_template"]


def test_the_list_names_every_email_and_links_to_its_editor(admin):
    page = admin.get("/admin/settings/notifications")
    assert page.status_code == 200
    assert f'<a href="{URL}">Order confirmation</a>' in page.text
    assert '<a href="/admin/settings/notifications/refund">Refund</a>' in page.text


def test_an_edit_is_saved_and_served_by_the_api(admin, api):
    order = create_order(api)
    body = template(api)["body"].replace("Thank you for your purchase!", "Thanks a lot!")
    data = {"csrf_token": csrf_of(admin), "subject": "Your order {{ order_name }} is in", "body": body, "order_id": str(order["id"])}
    response = admin.post(URL, data=data, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"{URL}?order_id={order['id']}"
    saved = template(api)
    assert saved["subject"] == "Your order {{ order_name }} is in" and "Thanks a lot!" in saved["body"] and saved["customized"]
    page = admin.get(response.headers["location"])
    assert "Order confirmation saved." in page.text and "Edited" in page.text
    assert f'<option value="{order["id"]}" selected>' in page.text
    # Reset to default brings the packaged template back.
    reset = admin.post(f"{URL}/reset", data={"csrf_token": csrf_of(admin)}, follow_redirects=False)
    assert reset.status_code == 303 and template(api)["customized"] is False


def test_a_template_that_does_not_render_is_refused_with_its_line_and_column(admin, api):
    before = template(api)
    data = {"csrf_token": csrf_of(admin), "subject": "Order {{ order_name }}", "body": "<p>Hi</p>\n<p>{% if %}</p>", "order_id": ""}
    response = admin.post(URL, data=data)
    assert response.status_code == 422
    message = field_error(response.text, "body")
    assert "line 2, column" in message
    assert re.search(r'id="body" name="body"[^>]*aria-invalid="true"', response.text)
    assert "{% if %}</p></textarea>" in response.text.replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", '"')
    bad_subject = admin.post(URL, data={**data, "subject": "{{ order_nme }}", "body": before["body"]})
    assert bad_subject.status_code == 422 and "subject" in field_error(bad_subject.text, "subject")
    assert template(api) == before


def test_the_live_preview_answers_htmx_with_the_subject_or_the_problem(admin, api):
    order = create_order(api)
    form = {"csrf_token": csrf_of(admin), "subject": "Hello {{ order_name }}", "body": template(api)["body"], "order_id": str(order["id"])}
    ok = admin.post(f"{URL}/check", data=form, headers={"HX-Request": "true"})
    assert ok.status_code == 200 and "<html" not in ok.text
    assert f'<strong id="preview-subject">Hello {order["name"]}</strong>' in ok.text
    assert '<p class="error" id="body-error" role="alert" hx-swap-oob="true"></p>' in ok.text
    broken = admin.post(f"{URL}/check", data={**form, "body": "{% for x in %}"}, headers={"HX-Request": "true"})
    assert broken.status_code == 200
    assert re.search(r'id="body-error" role="alert" hx-swap-oob="true">body: [^<]*line 1, column', broken.text)
    assert template(api)["subject"] != "Hello {{ order_name }}"  # a preview saves nothing


def test_the_rendered_email_is_served_with_a_policy_that_allows_no_script(admin, api):
    order = create_order(api)
    page = admin.get(f"{URL}?order_id={order['id']}")
    assert '<iframe name="preview-frame" id="preview-frame" title="Email preview" sandbox\n' in page.text
    saved = admin.get(f"{URL}/preview.html?order_id={order['id']}")
    assert saved.status_code == 200 and order["name"] in saved.text
    policy = saved.headers["content-security-policy"]
    assert "sandbox" in policy and "script-src" not in policy and "default-src 'none'" in policy
    assert "frame-ancestors 'self'" in policy and saved.headers["x-frame-options"] == "SAMEORIGIN"
    draft = admin.post(
        f"{URL}/preview.html",
        data={"csrf_token": csrf_of(admin), "subject": "S", "body": "<p>Draft for {{ order_name }}</p>", "order_id": str(order["id"])},
    )
    assert f"<p>Draft for {order['name']}</p>" in draft.text and "sandbox" in draft.headers["content-security-policy"]
    # The admin's own pages keep their strict policy.
    assert "script-src 'self'" in page.headers["content-security-policy"] and "unsafe-inline" not in page.headers["content-security-policy"]


def test_notifications_need_the_settings_permission(app, services, owner, api):
    client = member(app, services, "clerk@test-shop.example", "orders")
    assert client.get("/admin/settings/notifications").status_code == 403
    assert client.get(URL).status_code == 403
    refused = client.post(URL, data={"csrf_token": csrf_of(client), "subject": "Hacked", "body": "x"})
    assert refused.status_code == 403
    assert template(api)["customized"] is False


def test_an_unknown_template_is_not_found(admin):
    assert admin.get("/admin/settings/notifications/nope").status_code == 404


def test_webhooks_show_each_apps_signing_secret_and_rotate_it(admin, services, api, token):
    subscription = {"webhook": {"topic": "orders/create", "address": "https://hooks.example.com/orders", "format": "json"}}
    assert api.post(f"{api.base}/webhooks.json", json=subscription).status_code == 201
    secret = app_service.signing_secret(services, "tests")
    page = admin.get("/admin/settings/webhooks")
    assert page.status_code == 200 and secret in page.text
    assert "https://hooks.example.com/orders" in page.text and "orders/create" in page.text
    [app] = app_service.list_apps(services)
    response = admin.post(f"/admin/settings/webhooks/{app['id']}/rotate", data={"csrf_token": csrf_of(admin)}, follow_redirects=False)
    assert response.status_code == 303
    rotated = app_service.signing_secret(services, "tests")
    assert rotated != secret
    after = admin.get("/admin/settings/webhooks")
    assert rotated in after.text and secret not in after.text and "Signing secret rotated." in after.text
    assert admin.post("/admin/settings/webhooks/999999/rotate", data={"csrf_token": csrf_of(admin)}).status_code == 404


def test_webhooks_need_the_settings_permission(app, services, owner, token):
    client = member(app, services, "clerk@test-shop.example", "orders", "tokens")
    secret = app_service.signing_secret(services, "tests")
    assert client.get("/admin/settings/webhooks").status_code == 403
    [app_row] = app_service.list_apps(services)
    assert client.post(f"/admin/settings/webhooks/{app_row['id']}/rotate", data={"csrf_token": csrf_of(client)}).status_code == 403
    assert app_service.signing_secret(services, "tests") == secret
