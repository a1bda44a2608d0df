"""Editing an order's details without a browser: tags, notes, contact information and the
shipping address go through the REST update's rules; a refused value is shown next to its
field and changes nothing; the billing address stays as placed; the timeline names the member."""

from __future__ import annotations

import re

import pytest

from tests.builders import create_order
from tests.conftest import csrf_of


def order_json(api, order_id) -> dict:
    return api.get(f"{api.base}/orders/{order_id}.json").json()["order"]


def events(api, order_id) -> list[dict]:
    return api.get(f"{api.base}/orders/{order_id}/events.json").json()["events"]


def post(client, path, **fields):
    return client.post(path, data={"csrf_token": csrf_of(client), **fields}, follow_redirects=False)


def test_tags_are_added_and_removed_and_suggested_from_the_shop(admin, api):
    create_order(api, tags="wholesale, Rush")
    order = create_order(api, tags="gift")
    page = admin.get(f"/admin/orders/{order['id']}").text
    assert re.findall(r'<datalist id="shop-tags">(.*?)</datalist>', page, re.S)[0].count("<option") == 2  # Rush, wholesale
    assert '<option value="Rush">' in page and '<option value="wholesale">' in page
    r = post(admin, f"/admin/orders/{order['id']}/tags", add="vip, wholesale")
    assert r.status_code == 303 and r.headers["location"].endswith("#tags")
    assert order_json(api, order["id"])["tags"] == "gift, vip, wholesale"
    r = post(admin, f"/admin/orders/{order['id']}/tags", remove="gift")
    assert r.status_code == 303
    assert order_json(api, order["id"])["tags"] == "vip, wholesale"
    tagged = [e for e in events(api, order["id"]) if e["verb"] == "tags_changed"]
    assert [e["author"] for e in tagged] == ["Olivia Owner", "Olivia Owner"]
    assert "removed the tag gift" in tagged[-1]["message"]


def test_a_tag_too_long_is_refused_next_to_the_field(admin, api):
    order = create_order(api, tags="gift")
    r = post(admin, f"/admin/orders/{order['id']}/tags", add="x" * 41)
    assert r.status_code == 422
    assert re.search(r'id="tags-error" role="alert">Tag &#39;x+…&#39; is too long', r.text)
    assert re.search(r'id="tags-add"[^>]*aria-invalid="true"', r.text)
    assert order_json(api, order["id"])["tags"] == "gift"


def test_notes_and_contact_information_are_saved_and_named_on_the_timeline(admin, api):
    order = create_order(api)
    assert post(admin, f"/admin/orders/{order['id']}/note", note="Gift wrap, please.\r\nNo invoice in the box.").status_code == 303
    r = post(admin, f"/admin/orders/{order['id']}/contact_information", email="new@example.com", phone="+49 30 1234567")
    assert r.status_code == 303
    found = order_json(api, order["id"])
    assert found["note"] == "Gift wrap, please.\nNo invoice in the box."
    assert (found["email"], found["phone"]) == ("new@example.com", "+49 30 1234567")
    verbs = {(e["verb"], e["author"]) for e in events(api, order["id"])}
    assert ("note_changed", "Olivia Owner") in verbs and ("update", "Olivia Owner") in verbs


@pytest.mark.parametrize(
    "fields, slot, message",
    [
        ({"email": "not-an-address", "phone": ""}, "email-error", "Enter an email address like name@example.com"),
        ({"email": "a@b.example", "phone": "1" * 65}, "phone-error", "at most 64 characters"),
    ],
)
def test_bad_contact_information_is_refused_next_to_its_field(admin, api, fields, slot, message):
    order = create_order(api)
    r = post(admin, f"/admin/orders/{order['id']}/contact_information", **fields)
    assert r.status_code == 422
    assert re.search(rf'id="{slot}" role="alert">[^<]*{re.escape(message)}', r.text), r.text[-3000:]
    found = order_json(api, order["id"])
    assert (found["email"], found["phone"]) == (order["email"], order["phone"])


ADDRESS = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "company": "",
    "address1": "Unter den Linden 5",
    "address2": "2nd floor",
    "city": "Berlin",
    "province": "",
    "zip": "10117",
    "country_code": "DE",
}


def test_the_shipping_address_is_changed_and_the_billing_address_is_not(admin, api):
    order = create_order(api)
    r = post(admin, f"/admin/orders/{order['id']}/shipping_address", **ADDRESS)
    assert r.status_code == 303 and r.headers["location"].endswith("#shipping-address")
    found = order_json(api, order["id"])
    shipping = found["shipping_address"]
    assert (shipping["address1"], shipping["address2"], shipping["city"], shipping["zip"]) == (
        "Unter den Linden 5",
        "2nd floor",
        "Berlin",
        "10117",
    )
    assert (shipping["country_code"], shipping["country"], shipping["name"]) == ("DE", "Germany", "Ada Lovelace")
    assert found["billing_address"] == order["billing_address"]
    assert any(
        e["verb"] == "update" and "shipping_address" in e["message"] and e["author"] == "Olivia Owner" for e in events(api, order["id"])
    )
    page = admin.get(f"/admin/orders/{order['id']}").text
    assert "Unter den Linden 5" in page and f'action="/admin/orders/{order["id"]}/billing_address"' not in page


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"city": "  "}, "city", "City can&#39;t be blank"),
        ({"address1": ""}, "address1", "Address can&#39;t be blank"),
        ({"country_code": "XX"}, "country_code", "&#39;XX&#39; is not a country code"),
        ({"country_code": ""}, "country_code", "Country/region can&#39;t be blank"),
        ({"zip": "1" * 256}, "zip", "is too long"),
    ],
)
def test_an_invalid_shipping_address_is_refused_next_to_the_field_and_changes_nothing(admin, api, change, field, message):
    order = create_order(api)
    r = post(admin, f"/admin/orders/{order['id']}/shipping_address", **{**ADDRESS, **change})
    assert r.status_code == 422
    assert re.search(rf'id="shipping-{field}-error" role="alert">{re.escape(message)}', r.text), r.text[-2000:]
    assert re.search(rf'id="shipping-{field}"[^>]*aria-invalid="true"', r.text)
    assert 'id="shipping-first_name" name="first_name" value="Ada"' in r.text  # what was typed is kept
    assert order_json(api, order["id"])["shipping_address"] == order["shipping_address"]


def test_the_rest_api_refuses_the_same_invalid_address(api):
    order = create_order(api)
    r = api.put(f"{api.base}/orders/{order['id']}.json", json={"order": {"shipping_address": {"country_code": "XX"}}})
    assert r.status_code == 422
    assert "not a country code" in r.text
