"""The refund and cancel screens without a browser: a gateway that declines, the htmx fragment,
tampered or malformed forms, a refund that keeps the money, and missing orders."""

from __future__ import annotations

import re

import pytest

from orderdesk.gateways.manual import ManualGateway
from orderdesk.gateways.port import GatewayResult
from orderdesk.services import payments as payment_service
from tests.builders import create_order
from tests.conftest import csrf_of


class DecliningRefunds(ManualGateway):
    def refund(self, amount, authorization, *, reference):
        return GatewayResult("failure", error_code="card_declined", message="The bank refused the refund")


def form(client, order, **fields) -> dict[str, str]:
    """What the refund form sends, with the basis the page would carry for these quantities."""
    data = {"csrf_token": csrf_of(client), "restock": "1", "shipping": "", "amount": "", "note": "", **fields}
    quantities = sorted((int(k.removeprefix("quantity-")), v) for k, v in data.items() if k.startswith("quantity-") and v not in ("", "0"))
    data.setdefault("basis", ",".join(f"{k}={v}" for k, v in quantities) + ";" + data["shipping"])
    return data


def refunds(api, order_id) -> list[dict]:
    return api.get(f"{api.base}/orders/{order_id}/refunds.json").json()["refunds"]


def transactions(api, order_id) -> list[dict]:
    return api.get(f"{api.base}/orders/{order_id}/transactions.json").json()["transactions"]


def test_a_refund_the_gateway_declines_says_so_and_refunds_nothing(admin, api, monkeypatch):
    order = create_order(api, financial_status="paid")
    monkeypatch.setitem(payment_service.GATEWAYS, "manual", DecliningRefunds())
    beret = order["line_items"][1]
    r = admin.post(f"/admin/orders/{order['id']}/refund", data=form(admin, order, **{f"quantity-{beret['id']}": "1"}))
    assert r.status_code == 422, r.text
    assert re.search(r'id="refund-error" role="alert">The refund failed at the payment gateway[^<]*The bank refused the refund', r.text)
    assert refunds(api, order["id"]) == []
    # The attempt is on record as the refund rules keep it: one failed refund transaction.
    assert [(t["kind"], t["status"]) for t in transactions(api, order["id"])][-1] == ("refund", "failure")
    assert api.get(f"{api.base}/orders/{order['id']}.json").json()["order"]["financial_status"] == "paid"


def test_the_calculation_answers_htmx_with_the_summary_and_the_changed_parts_even_when_refused(admin, api):
    order = create_order(api, financial_status="paid")
    boots = order["line_items"][0]
    url = f"/admin/orders/{order['id']}/refund/calculate"
    ok = admin.post(url, data=form(admin, order, **{f"quantity-{boots['id']}": "1"}), headers={"HX-Request": "true"})
    assert ok.status_code == 200
    assert "<html" not in ok.text  # a fragment, not a page
    assert re.search(r'<button type="submit" class="primary" id="refund-button" hx-swap-oob="true">Refund \$[0-9.,]+ USD</button>', ok.text)
    assert f'id="quantity-{boots["id"]}-amount" hx-swap-oob="true">$' in ok.text
    refused = admin.post(url, data=form(admin, order, **{f"quantity-{boots['id']}": "9"}), headers={"HX-Request": "true"})
    assert refused.status_code == 200  # htmx swaps only successful answers
    assert re.search(r'id="lines-error" role="alert" hx-swap-oob="true">Cannot refund 9 of line item \d+: only 3 left', refused.text)
    assert "Refund</button>" in refused.text  # no amount while the quantities are refused
    assert refunds(api, order["id"]) == []


def test_without_htmx_the_calculation_is_the_whole_page(admin, api):
    order = create_order(api, financial_status="paid")
    boots = order["line_items"][0]
    r = admin.post(f"/admin/orders/{order['id']}/refund/calculate", data=form(admin, order, **{f"quantity-{boots['id']}": "1"}))
    assert r.status_code == 200 and "<html" in r.text and 'id="refund-form"' in r.text
    assert f'name="basis" value="{boots["id"]}=1;"' in r.text


@pytest.mark.parametrize(
    "fields, slot, message",
    [
        ({"quantity-{boots}": "two"}, "quantity-{boots}-error", "Enter a whole number"),
        ({"quantity-{boots}": "-1"}, "quantity-{boots}-error", "Enter a whole number"),
        ({"quantity-999999": "1"}, "lines-error", "line item 999999 is not on this order"),
        ({"quantity-{boots}": "1", "shipping": "10.5.0"}, "shipping-error", "not a valid amount"),
        ({"quantity-{boots}": "1", "shipping": "10.01"}, "shipping-error", "more than the"),
        ({"quantity-{boots}": "1", "amount": "1e3"}, "amount-error", "not a valid amount"),
        ({"shipping": "", "amount": ""}, "refund-error", "A refund needs line items, shipping or transactions"),
    ],
)
def test_bad_refund_input_is_shown_next_to_its_field_and_changes_nothing(admin, api, fields, slot, message):
    order = create_order(api, financial_status="paid")
    boots = order["line_items"][0]["id"]
    data = form(admin, order, **{k.format(boots=boots): v for k, v in fields.items()})
    r = admin.post(f"/admin/orders/{order['id']}/refund", data=data)
    assert r.status_code == 422, r.text
    found = re.search(rf'id="{slot.format(boots=boots)}" role="alert">([^<]*)<', r.text)
    assert found and message in found.group(1), found
    assert refunds(api, order["id"]) == []


def test_confirming_amounts_worked_out_for_other_quantities_does_nothing(admin, api):
    order = create_order(api, financial_status="paid")
    boots = order["line_items"][0]["id"]
    r = admin.post(f"/admin/orders/{order['id']}/refund", data=form(admin, order, basis=";", **{f"quantity-{boots}": "1"}))
    assert r.status_code == 409
    assert "confirm again" in r.text and f'name="basis" value="{boots}=1;"' in r.text
    assert refunds(api, order["id"]) == []


def test_a_refund_of_zero_refunds_the_items_and_keeps_the_money(admin, api):
    order = create_order(api, financial_status="paid")
    beret = order["line_items"][1]["id"]
    r = admin.post(
        f"/admin/orders/{order['id']}/refund", data=form(admin, order, amount="0", **{f"quantity-{beret}": "1"}), follow_redirects=False
    )
    assert r.status_code == 303, r.text
    [refund] = refunds(api, order["id"])
    assert refund["transactions"] == [] and [li["quantity"] for li in refund["refund_line_items"]] == [1]


def test_an_unknown_refund_choice_on_the_cancel_form_is_refused(admin, api):
    order = create_order(api, financial_status="paid")
    data = {"csrf_token": csrf_of(admin), "reason": "customer", "refund": "half"}
    r = admin.post(f"/admin/orders/{order['id']}/cancel", data=data)
    assert r.status_code == 422
    assert re.search(r'id="refund-error" role="alert">Choose a full refund or no refund', r.text)
    unknown_reason = admin.post(f"/admin/orders/{order['id']}/cancel", data={**data, "refund": "none", "reason": "bored"})
    assert unknown_reason.status_code == 422
    assert re.search(r'id="reason-error" role="alert">reason must be one of', unknown_reason.text)
    assert api.get(f"{api.base}/orders/{order['id']}.json").json()["order"]["cancelled_at"] is None


@pytest.mark.parametrize("path", ["refund", "cancel"])
def test_screens_of_an_unknown_order_are_not_found(admin, path):
    assert admin.get(f"/admin/orders/987654/{path}").status_code == 404
    data = {"csrf_token": csrf_of(admin), "basis": ";", "reason": "customer"}
    assert admin.post(f"/admin/orders/987654/{path}", data=data).status_code == 404
    assert admin.post("/admin/orders/987654/archive", data={"csrf_token": data["csrf_token"]}).status_code == 404
