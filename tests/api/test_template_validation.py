"""A notification template is checked against a sample order when saved, so it cannot fail on every send."""

from __future__ import annotations

import pytest

from orderdesk.domain.shop import Shop
from orderdesk.notifications import render as liquid
from orderdesk.notifications.sample import sample_variables

BASE = "/admin/api/2024-10"


def put(api, name: str, **template):
    return api.put(f"{BASE}/notification_templates/{name}.json", json={"notification_template": template})


def customized(api, name: str) -> bool:
    return api.get(f"{BASE}/notification_templates/{name}.json").json()["notification_template"]["customized"]


def test_a_subject_naming_a_variable_orders_do_not_have_is_refused(api):
    # the probe's template: there is no `order` variable (Shopify's is `order_name`, or `name`)
    response = put(api, "order_confirmation", subject="Your order {{ order.name }}")
    assert response.status_code == 422, response.text
    assert response.json()["errors"] == {"subject": ["subject: undefined variable 'order' on line 1, column 15"]}
    assert customized(api, "order_confirmation") is False


def test_an_undefined_variable_in_a_branch_the_sample_does_not_take_is_refused(api):
    body = "<p>Hello</p>\n{% if cancelled_at %}\n  <p>{{ cancellation.reason }}</p>\n{% endif %}"
    response = put(api, "order_cancelled", body=body)
    assert response.status_code == 422
    assert response.json()["errors"]["body"] == ["body: undefined variable 'cancellation' on line 3, column 9"]


def test_a_misspelt_field_of_a_loop_variable_is_refused_with_its_line(api):
    body = "<ul>\n{% for line in line_items %}\n  <li>{{ line.titel }}</li>\n{% endfor %}\n</ul>"
    response = put(api, "order_confirmation", body=body)
    assert response.status_code == 422
    [message] = response.json()["errors"]["body"]
    assert "line.titel" in message and "line 3" in message


def test_a_misspelt_field_of_an_object_is_refused(api):
    response = put(api, "shipping_confirmation", body="{{ fulfillment.tracking_numbr }}")
    assert response.status_code == 422
    assert "undefined variable 'fulfillment.tracking_numbr'" in response.json()["errors"]["body"][0]


@pytest.mark.parametrize("name", liquid.DEFAULT_NAMES)
def test_every_packaged_template_can_be_saved_as_it_is(api, name):
    subject, body = liquid.default_template(name)
    response = put(api, name, subject=subject, body=body)
    assert response.status_code == 200, response.text
    assert customized(api, name) is True


def test_an_edit_using_shipments_refunds_and_addresses_is_accepted(api):
    body = (
        "{{ fulfillment.tracking_company }} {{ fulfillment.tracking_numbers.first }}"
        "{% for item in fulfillment.fulfillment_line_items %}{{ item.line_item.variant.title }} × {{ item.quantity }}{% endfor %}"
        "{{ refund.amount | money }} {{ shipping_address.city }} {{ billing_address.country }} {{ line_items.size }}"
        "{% for tx in transactions %}{{ tx.gateway }} {{ tx.amount | money }}{% endfor %}"
    )
    response = put(api, "refund", subject="Refund for {{ order_name }}", body=body)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("currency", ["USD", "JPY", "KWD"])
def test_the_sample_order_has_lines_shipments_refunds_and_addresses(currency):
    shop = Shop(name="S", email="s@example.com", domain="s.example", currency=currency)
    variables = sample_variables(shop, "shipping_confirmation")
    assert len(variables["line_items"]) == 2 and variables["fulfillment"]["fulfillment_line_items"]
    assert variables["fulfillment"]["tracking_numbers"] and variables["refund"]["amount"] > 0
    assert variables["shipping_address"]["city"] and variables["billing_address"]["city"]
    assert variables["financial_status"] == "partially_refunded" and variables["total_price"] > 0
    request = sample_variables(shop, "fulfillment_request")
    assert request["service_name"] and request["fulfillment"]["item_count"] == 2
