"""Bad requests get a 4xx with a Shopify ``{"errors": ...}`` body and change nothing."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from orderdesk.db import queries
from tests.builders import create_order, order_body

BASE = "/admin/api/2024-10"


def snapshot(api, services):
    """Everything a bad request must leave alone: the orders, the outbox and the timelines."""
    orders = api.get(f"{BASE}/orders.json", params={"status": "any"}).json()["orders"]
    with services.db.reading() as uow:
        outbox = [dict(r) for r in queries.outbox_rows(uow.conn)]
        events = [len(queries.order_events(uow.conn, o["id"])) for o in orders]
    return {"orders": orders, "outbox": len(outbox), "events": events}


@pytest.fixture
def existing(api):
    return create_order(api)


def assert_rejected(response, status: int):
    assert response.status_code == status, response.text
    assert response.status_code != 500
    body = response.json()
    assert set(body) == {"errors"}, body
    assert body["errors"]


def line(**overrides):
    return [{"title": "Thing", "price": "1.00", "quantity": 1, **overrides}]


BAD_CREATES = {
    "order key missing": ({"line_items": line()}, 400),
    "order is not an object": ({"order": "yes"}, 400),
    "body is a list": ([{"order": order_body()}], 400),
    "quantity not a number": ({"order": order_body(line_items=line(quantity="abc"))}, 422),
    "quantity zero": ({"order": order_body(line_items=line(quantity=0))}, 422),
    "quantity negative": ({"order": order_body(line_items=line(quantity=-2))}, 422),
    "price is an object": ({"order": order_body(line_items=line(price={"x": 1}))}, 422),
    "price not numeric": ({"order": order_body(line_items=line(price="ten"))}, 422),
    "price negative": ({"order": order_body(line_items=line(price="-1.00"))}, 422),
    "USD price with 3 decimals": ({"order": order_body(line_items=line(price="1.234"))}, 422),
    "JPY price with decimals": (
        {"order": order_body(currency="JPY", line_items=line(price="10.5"), shipping_lines=[], tax_lines=[], discount_codes=[])},
        422,
    ),
    "unknown currency": ({"order": order_body(currency="XXQ")}, 422),
    "unknown top-level field": ({"order": order_body(colour="blue")}, 422),
    "unknown variant": ({"order": order_body(line_items=[{"variant_id": 987654321, "quantity": 1}])}, 422),
    "no line items": ({"order": order_body(line_items=[])}, 422),
    "tax lines on order and line": (
        {"order": order_body(line_items=line(tax_lines=[{"title": "VAT", "rate": "0.1", "price": "0.10"}]))},
        422,
    ),
    "tax rate above 1": ({"order": order_body(tax_lines=[{"title": "T", "rate": 2, "price": "1.00"}])}, 422),
    "negative shipping": ({"order": order_body(shipping_lines=[{"title": "S", "price": "-5.00"}])}, 422),
    "tag too long": ({"order": order_body(tags="x" * 41)}, 422),
    "unknown financial status": ({"order": order_body(financial_status="lots")}, 422),
}


@pytest.mark.parametrize("case", list(BAD_CREATES), ids=list(BAD_CREATES))
def test_bad_create_is_rejected_and_writes_nothing(api, services, existing, case):
    body, status = BAD_CREATES[case]
    before = snapshot(api, services)
    assert_rejected(api.post(f"{BASE}/orders.json", json=body), status)
    assert snapshot(api, services) == before


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b'{"order": ', b"\xff\xfe", b'{"order": {"line_items": [}]}}'],
    ids=["garbage", "truncated", "not utf-8", "broken array"],
)
def test_invalid_json_is_400(api, services, existing, raw):
    before = snapshot(api, services)
    response = api.post(f"{BASE}/orders.json", content=raw, headers={"Content-Type": "application/json"})
    assert_rejected(response, 400)
    assert snapshot(api, services) == before


def test_empty_body_on_create_is_400(api, services, existing):
    before = snapshot(api, services)
    assert_rejected(api.post(f"{BASE}/orders.json", content=b"", headers={"Content-Type": "application/json"}), 400)
    assert snapshot(api, services) == before


def test_float_price_in_json_number_is_accepted_exactly(api):
    # JSON numbers are parsed as decimals, never floats.
    raw = json.dumps({"order": {"line_items": [{"title": "T", "quantity": 1, "price": 0}]}}).replace('"price": 0', '"price": 0.1')
    response = api.post(f"{BASE}/orders.json", content=raw.encode(), headers={"Content-Type": "application/json"})
    assert response.status_code == 201, response.text
    assert response.json()["order"]["total_price"] == "0.10"


BAD_LISTS = {
    "limit zero": ({"limit": "0"}, 400),
    "limit 251": ({"limit": "251"}, 400),
    "limit not a number": ({"limit": "ten"}, 400),
    "page_info with status": ({"page_info": "abc", "status": "any"}, 400),
    "garbage page_info": ({"page_info": "not-a-cursor"}, 400),
    "base64 json page_info missing keys": ({"page_info": "eyJhIjoxfQ"}, 400),
    "bad created_at_min": ({"created_at_min": "yesterday"}, 400),
    "bad updated_at_max": ({"updated_at_max": "2024-13-45"}, 400),
    "bad status": ({"status": "shipped"}, 400),
    "bad financial_status": ({"financial_status": "rich"}, 400),
    "bad fulfillment_status": ({"fulfillment_status": "done"}, 400),
    "bad since_id": ({"since_id": "x"}, 400),
    "negative since_id": ({"since_id": "-1"}, 400),
    "bad ids": ({"ids": "1,two"}, 400),
}


@pytest.mark.parametrize("case", list(BAD_LISTS), ids=list(BAD_LISTS))
def test_bad_list_parameters_are_400(api, existing, case):
    query, status = BAD_LISTS[case]
    assert_rejected(api.get(f"{BASE}/orders.json", params=query), status)


def test_bad_count_parameters_are_400(api, existing):
    assert_rejected(api.get(f"{BASE}/orders/count.json", params={"created_at_min": "nope"}), 400)
    assert_rejected(api.get(f"{BASE}/orders/count.json", params={"status": "weird"}), 400)


def test_page_info_error_names_the_extra_parameter(api, existing):
    response = api.get(f"{BASE}/orders.json", params={"page_info": "abc", "status": "any"})
    assert response.status_code == 400
    assert response.json() == {"errors": {"status": "status cannot be passed when page_info is present"}}


def test_cancel_with_unknown_reason_is_422_and_keeps_order_open(api, services, existing):
    before = snapshot(api, services)
    response = api.post(f"{BASE}/orders/{existing['id']}/cancel.json", json={"reason": "boredom"})
    assert_rejected(response, 422)
    assert "reason" in response.json()["errors"]
    assert snapshot(api, services) == before


def test_cancel_with_bad_boolean_is_400(api, services, existing):
    before = snapshot(api, services)
    assert_rejected(api.post(f"{BASE}/orders/{existing['id']}/cancel.json?email=maybe"), 400)
    assert snapshot(api, services) == before


def test_cancel_refunding_more_than_was_paid_is_refused(api, services, existing):
    before = snapshot(api, services)
    assert_rejected(api.post(f"{BASE}/orders/{existing['id']}/cancel.json", json={"amount": "9999.00"}), 422)
    assert snapshot(api, services) == before


def test_cancelling_a_cancelled_order_is_422(api, services, existing):
    assert api.post(f"{BASE}/orders/{existing['id']}/cancel.json").status_code == 200
    before = snapshot(api, services)
    assert_rejected(api.post(f"{BASE}/orders/{existing['id']}/cancel.json"), 422)
    assert snapshot(api, services) == before


def test_put_with_a_41_character_tag_is_422(api, services, existing):
    before = snapshot(api, services)
    response = api.put(f"{BASE}/orders/{existing['id']}.json", json={"order": {"tags": "ok, " + "y" * 41}})
    assert_rejected(response, 422)
    assert snapshot(api, services) == before


def test_put_with_40_character_tag_is_accepted(api, existing):
    response = api.put(f"{BASE}/orders/{existing['id']}.json", json={"order": {"tags": "y" * 40}})
    assert response.status_code == 200
    assert response.json()["order"]["tags"] == "y" * 40


def test_put_with_wrong_types_is_422(api, services, existing):
    before = snapshot(api, services)
    assert_rejected(api.put(f"{BASE}/orders/{existing['id']}.json", json={"order": {"note": {"a": 1}}}), 422)
    assert_rejected(api.put(f"{BASE}/orders/{existing['id']}.json", json={"order": {"note_attributes": "x"}}), 422)
    assert snapshot(api, services) == before


def test_put_with_mismatched_id_is_422(api, services, existing):
    before = snapshot(api, services)
    response = api.put(f"{BASE}/orders/{existing['id']}.json", json={"order": {"id": existing["id"] + 1, "note": "x"}})
    assert_rejected(response, 422)
    assert snapshot(api, services) == before


def test_put_without_order_key_is_400(api, services, existing):
    before = snapshot(api, services)
    assert_rejected(api.put(f"{BASE}/orders/{existing['id']}.json", json={"note": "x"}), 400)
    assert snapshot(api, services) == before


def test_missing_order_is_404_not_found(api, services, existing):
    before = snapshot(api, services)
    missing = existing["id"] + 1000
    for response in (
        api.put(f"{BASE}/orders/{missing}.json", json={"order": {"note": "x"}}),
        api.get(f"{BASE}/orders/{missing}.json"),
        api.delete(f"{BASE}/orders/{missing}.json"),
        api.post(f"{BASE}/orders/{missing}/close.json"),
        api.post(f"{BASE}/orders/{missing}/open.json"),
        api.post(f"{BASE}/orders/{missing}/cancel.json"),
        api.get(f"{BASE}/orders/{missing}/events.json"),
    ):
        assert response.status_code == 404, response.request.url
        assert response.json() == {"errors": "Not Found"}
    assert snapshot(api, services) == before


def test_non_numeric_order_id_is_a_4xx_not_500(api, existing):
    response = api.get(f"{BASE}/orders/abc.json")
    assert 400 <= response.status_code < 500
    assert "errors" in response.json()


def test_huge_order_id_is_a_4xx_not_500(api, existing):
    response = api.get(f"{BASE}/orders/{2**70}.json")
    assert 400 <= response.status_code < 500
    assert "errors" in response.json()


def test_deleting_an_order_paid_online_is_422(api, services):
    order = create_order(api, transactions=[{"kind": "sale", "status": "success", "gateway": "shopify_payments"}])
    before = snapshot(api, services)
    response = api.delete(f"{BASE}/orders/{order['id']}.json")
    assert_rejected(response, 422)
    assert snapshot(api, services) == before


def test_deleting_an_order_paid_through_bogus_is_allowed(api, services):
    # Shopify's "bogus" test gateway is not an online gateway: test orders can be deleted.
    order = create_order(api, transactions=[{"kind": "sale", "status": "success", "gateway": "bogus"}])
    assert api.delete(f"{BASE}/orders/{order['id']}.json").status_code == 200
    assert api.get(f"{BASE}/orders/{order['id']}.json").status_code == 404


def test_huge_variant_id_is_422_not_500(api, services, existing):
    before = snapshot(api, services)
    response = api.post(f"{BASE}/orders.json", json={"order": order_body(line_items=[{"variant_id": 2**70, "quantity": 1}])})
    assert_rejected(response, 422)
    assert snapshot(api, services) == before


def test_huge_customer_id_is_a_4xx_not_500(api, services, existing):
    before = snapshot(api, services)
    assert_rejected(api.post(f"{BASE}/orders.json", json={"order": order_body(customer={"id": 2**70})}), 422)
    assert 400 <= api.get(f"{BASE}/customers/{2**70}/orders.json").status_code < 500
    assert snapshot(api, services) == before


# --- characters PostgreSQL cannot store ------------------------------------

NUL = "\u0000"
NUL_MESSAGE = "must not contain NUL characters (\\u0000)"

NUL_IN_ORDER = {
    "order.note": order_body(note=f"leave at{NUL} the door"),
    "order.email": order_body(email=f"bob{NUL}@example.com"),
    "order.tags": order_body(tags=f"vip, {NUL}"),
    "order.line_items.0.title": order_body(line_items=line(title=f"Boots{NUL}")),
    "order.customer.first_name": order_body(customer={"first_name": f"Bob{NUL}", "last_name": "Norman", "email": "b@example.com"}),
    "order.note_attributes.0.value": order_body(note_attributes=[{"name": "gift", "value": f"yes{NUL}"}]),
    "order.note_attributes.0.name": order_body(note_attributes=[{"name": f"gift{NUL}", "value": "yes"}]),
    "order.shipping_address.address1": order_body(shipping_address={"address1": f"1 Main St{NUL}", "country_code": "US"}),
    "order.line_items.0.properties.0.value.1": order_body(line_items=line(properties=[{"name": "engraving", "value": ["A", f"B{NUL}"]}])),
}


@pytest.mark.parametrize("field", list(NUL_IN_ORDER), ids=list(NUL_IN_ORDER))
def test_nul_character_in_a_created_order_is_422_naming_the_field(api, services, existing, field):
    before = snapshot(api, services)
    response = api.post(f"{BASE}/orders.json", json={"order": NUL_IN_ORDER[field]})
    assert_rejected(response, 422)
    assert response.json() == {"errors": {field: [NUL_MESSAGE]}}
    assert snapshot(api, services) == before


@pytest.mark.parametrize("field", ["note", "email", "tags"])
def test_nul_character_in_an_order_update_is_422(api, services, existing, field):
    before = snapshot(api, services)
    response = api.put(f"{BASE}/orders/{existing['id']}.json", json={"order": {field: f"x{NUL}"}})
    assert_rejected(response, 422)
    assert response.json() == {"errors": {f"order.{field}": [NUL_MESSAGE]}}
    assert snapshot(api, services) == before


def test_nul_character_in_a_key_is_422_and_the_name_is_printable(api, services, existing):
    before = snapshot(api, services)
    response = api.post(f"{BASE}/orders.json", json={"order": {**order_body(), f"no{NUL}te": "x"}})
    assert_rejected(response, 422)
    assert response.json() == {"errors": {"order.no\\u0000te": [NUL_MESSAGE]}}
    assert snapshot(api, services) == before


def test_nul_character_in_a_product_title_is_422(api):
    response = api.post(f"{BASE}/products.json", json={"product": {"title": f"Boots{NUL}"}})
    assert_rejected(response, 422)
    assert response.json() == {"errors": {"product.title": [NUL_MESSAGE]}}
    assert api.get(f"{BASE}/products/count.json").json() == {"count": 0}


def test_unpaired_surrogate_in_a_free_form_value_is_422(api, services, existing):
    # Note attribute values are free JSON; a lone surrogate cannot be encoded for either database.
    before = snapshot(api, services)
    raw = json.dumps({"order": order_body(note_attributes=[{"name": "gift", "value": "\ud800"}])}).encode()
    response = api.post(f"{BASE}/orders.json", content=raw, headers={"Content-Type": "application/json"})
    assert_rejected(response, 422)
    assert list(response.json()["errors"]) == ["order.note_attributes.0.value"]
    assert snapshot(api, services) == before


def test_an_escaped_backslash_before_u0000_is_not_a_nul(api):
    order = create_order(api, note="C:\\u0000")
    assert order["note"] == "C:\\u0000"


def test_nul_character_in_the_query_string_is_422_naming_the_parameter(api, existing):
    response = api.get(f"{BASE}/orders.json?status=any&fields=id%00")
    assert_rejected(response, 422)
    assert response.json() == {"errors": {"fields": ["must not contain NUL characters (%00)"]}}


def test_nul_character_in_a_path_segment_is_422(api, existing):
    response = api.get(f"{BASE}/orders/{existing['id']}%00.json")
    assert_rejected(response, 422)
    assert response.json() == {"errors": {"path": ["must not contain NUL characters (%00)"]}}


def test_literal_percent_00_in_the_query_string_is_just_text(api, existing):
    response = api.get(f"{BASE}/orders.json", params={"status": "any", "fields": "id,%00"})
    assert response.status_code == 200
    assert response.json()["orders"] == [{"id": existing["id"]}]


def test_nul_character_in_the_admin_search_is_a_422_page(app, existing):
    response = TestClient(app).get("/admin/orders?q=%00")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "q: must not contain NUL characters" in response.text
    assert "Traceback" not in response.text


def test_nul_character_in_an_idempotency_key_is_400(api, services, existing):
    before = snapshot(api, services)
    response = api.post(f"{BASE}/orders.json", json={"order": order_body()}, headers={"Idempotency-Key": f"k{NUL}"})
    assert_rejected(response, 400)
    assert snapshot(api, services) == before


# --- nesting ----------------------------------------------------------------


def nested(depth: int) -> str:
    """A JSON value ``depth`` arrays deep."""
    return "[" * depth + "]" * depth


def test_a_body_nested_10000_levels_deep_is_400(api, services, existing):
    before = snapshot(api, services)
    for raw in (nested(10_000), '{"order": ' + '{"a": ' * 10_000 + "1" + "}" * 10_001):
        response = api.post(f"{BASE}/orders.json", content=raw.encode(), headers={"Content-Type": "application/json"})
        assert_rejected(response, 400)
        assert "64 levels" in response.json()["errors"]["base"][0]
    assert snapshot(api, services) == before


def _note_attribute_nested(depth: int) -> bytes:
    # The body's own levels: {} 1, "order" {} 2, note_attributes [] 3, the attribute {} 4.
    body = json.dumps({"order": order_body(note_attributes=[{"name": "deep", "value": "HERE"}])})
    return body.replace('"HERE"', nested(depth - 4)).encode()


def test_64_levels_are_accepted_and_65_refused(api):
    ok = api.post(f"{BASE}/orders.json", content=_note_attribute_nested(64), headers={"Content-Type": "application/json"})
    assert ok.status_code == 201, ok.text
    too_deep = api.post(f"{BASE}/orders.json", content=_note_attribute_nested(65), headers={"Content-Type": "application/json"})
    assert_rejected(too_deep, 400)


def test_brackets_inside_strings_do_not_count_as_nesting(api):
    # An escaped quote must not end the string early and expose the brackets after it.
    note = '\\"' + "[{" * 200
    order = create_order(api, note=note, tags="[[[[")
    assert order["note"] == note


# --- decimal strings in Shopify's format only ---------------------------------

BAD_AMOUNTS = ["1_000", " 1.00", "1.00 ", "1e3", "+1.00", "1.0.0", "NaN", "Infinity", "١٢"]


@pytest.mark.parametrize("amount", BAD_AMOUNTS)
def test_line_price_outside_shopifys_format_is_422(api, services, existing, amount):
    before = snapshot(api, services)
    response = api.post(f"{BASE}/orders.json", json={"order": order_body(line_items=line(price=amount))})
    assert_rejected(response, 422)
    assert list(response.json()["errors"]) == ["line_items.0.price"]
    assert snapshot(api, services) == before


@pytest.mark.parametrize(
    "where",
    [
        {"shipping_lines": [{"title": "S", "price": "1_0.00"}]},
        {"discount_codes": [{"code": "D", "amount": "1e1", "type": "fixed_amount"}]},
        {"tax_lines": [{"title": "T", "rate": "6e-2", "price": "1.00"}]},
        {"transactions": [{"kind": "sale", "gateway": "bogus", "credit_card_number": "1", "amount": "2_0.00"}]},
        {"transactions": [{"kind": "sale", "status": "success", "amount": "+5"}]},
    ],
    ids=["shipping price", "discount amount", "tax rate", "gateway sale amount", "recorded sale amount"],
)
def test_other_order_amounts_outside_shopifys_format_are_422(api, services, existing, where):
    before = snapshot(api, services)
    assert_rejected(api.post(f"{BASE}/orders.json", json={"order": order_body(**where)}), 422)
    assert snapshot(api, services) == before


def test_amounts_outside_shopifys_format_are_422_on_products_transactions_and_refunds(api, existing):
    assert_rejected(api.post(f"{BASE}/products.json", json={"product": {"title": "P", "variants": [{"price": "1_000"}]}}), 422)
    assert api.get(f"{BASE}/products/count.json").json() == {"count": 0}
    url = f"{BASE}/orders/{existing['id']}"
    for response in (
        api.post(f"{url}/transactions.json", json={"transaction": {"kind": "sale", "gateway": "manual", "amount": "1e1"}}),
        api.post(f"{url}/refunds.json", json={"refund": {"shipping": {"amount": " 1.00"}}}),
        api.post(f"{url}/refunds/calculate.json", json={"refund": {"shipping": {"amount": "1_0"}}}),
    ):
        assert_rejected(response, 422)
        assert "not a valid amount" in json.dumps(response.json()), response.text
