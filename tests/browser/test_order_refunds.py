"""The refund screen, driven in Chromium and checked through the REST API: quantities per line
with restock, shipping, the amount worked out live (and without JavaScript), refused input shown
next to its field with nothing changed, and the refunds permission."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from tests.browser.conftest import OWNER, sign_in

pytestmark = pytest.mark.browser
SCREENS = Path("/tmp/orderdesk-screens")
BOOTS, BERET = "Big Brown Bear Boots", "Raspberry Beret"


def refunds(shop, order_id) -> list[dict]:
    return shop.get(f"/orders/{order_id}/refunds.json")["refunds"]


def lines_by_title(order) -> dict[str, dict]:
    return {li["title"]: li for li in order["line_items"]}


def suggested(shop, order_id, lines, shipping=None) -> Decimal:
    """What the REST API's refund calculation suggests for the same refund."""
    body = {"refund": {"refund_line_items": lines, **({"shipping": {"amount": shipping}} if shipping else {})}}
    response = shop.api.post(f"/orders/{order_id}/refunds/calculate.json", json=body)
    assert response.status_code == 200, response.text
    return sum((Decimal(t["amount"]) for t in response.json()["refund"]["transactions"]), Decimal(0))


def euros(amount: Decimal) -> str:
    return f"€{amount:,.2f} EUR"


def refund_button(page, amount: Decimal | None = None):
    name = re.compile(r"^Refund\b") if amount is None else f"Refund {euros(amount)}"
    return page.get_by_role("button", name=name, exact=amount is not None)


def new_label(page, before: str) -> str:
    """The confirm button's name once a calculation changed it from ``before``."""
    page.wait_for_function(
        "before => document.querySelector('#refund-button').textContent.replace(/\\s+/g, ' ').trim() !== before", arg=before
    )
    return page.locator("#refund-button").inner_text().strip()


def screens(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    for width in (1400, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_refund_two_boots_with_restock_from_the_order_page(shop, page):
    order = shop.order(financial_status="paid")
    boots = lines_by_title(order)[BOOTS]
    refused = []  # what the Content-Security-Policy blocks, live updates included
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    page.goto(f"/admin/orders/{order['id']}")
    page.get_by_role("link", name="Refund", exact=True).click()
    page.wait_for_url(f"**/admin/orders/{order['id']}/refund")
    quantity = page.get_by_label(BOOTS)
    assert quantity.get_attribute("max") == "3"
    assert "3 of 3 left to refund" in page.locator(f"#quantity-{boots['id']}-hint").inner_text()
    assert page.get_by_label("Restock items").is_checked()
    quantity.fill("2")
    expected = suggested(shop, order["id"], [{"line_item_id": boots["id"], "quantity": 2, "restock_type": "cancel"}])
    assert expected > 0
    refund_button(page, expected).wait_for()  # the amounts follow the quantities as they are typed
    assert page.locator('[data-amount="refund"]').inner_text() == euros(expected)
    assert page.get_by_label("Refund amount (EUR)").input_value() == ""  # empty: the amount worked out
    page.get_by_label("Reason for refund").fill("Customer changed their mind")
    screens(page, "refund-page")
    refund_button(page, expected).click()
    page.get_by_role("status").filter(has_text=f"Refunded {euros(expected)}.").wait_for()

    [refund] = refunds(shop, order["id"])
    assert [(li["line_item_id"], li["quantity"], li["restock_type"]) for li in refund["refund_line_items"]] == [(boots["id"], 2, "cancel")]
    assert [Decimal(t["amount"]) for t in refund["transactions"]] == [expected]
    assert refund["note"] == "Customer changed their mind"
    assert shop.get(f"/orders/{order['id']}.json")["order"]["financial_status"] == "partially_refunded"
    events = shop.get(f"/orders/{order['id']}/events.json")["events"]
    assert any(e["verb"] == "refund_created" and e["author"] == "Olivia Owner" for e in events), events
    # The order page shows the refund by name, and the line's refunded quantity.
    row = page.locator("#line-items tr", has_text=BOOTS)
    assert row.locator('[data-quantity="refunded"]').inner_text().startswith("2")
    assert f"2 × {BOOTS}" in page.locator("#refunds").inner_text()
    screens(page, "order-page-after-refund")
    assert refused == []


def test_fulfilled_units_come_back_as_returns_and_unfulfilled_ones_are_cancelled(shop, page):
    order = shop.order(financial_status="paid")
    boots = lines_by_title(order)[BOOTS]
    shipped = shop.api.post(
        f"/orders/{order['id']}/fulfillments.json", json={"fulfillment": {"line_items": [{"id": boots["id"], "quantity": 2}]}}
    )
    assert shipped.status_code == 201, shipped.text
    page.goto(f"/admin/orders/{order['id']}/refund")
    assert "2 fulfilled" in page.locator(f"#quantity-{boots['id']}-hint").inner_text()
    page.get_by_label(BOOTS).fill("3")
    label = new_label(page, "Refund €0.00 EUR")
    refund_button(page).click()
    page.get_by_role("status").filter(has_text="Refunded").wait_for()
    [refund] = refunds(shop, order["id"])
    assert sorted((li["quantity"], li["restock_type"]) for li in refund["refund_line_items"]) == [(1, "cancel"), (2, "return")]
    assert label == f"Refund {euros(sum(Decimal(t['amount']) for t in refund['transactions']))}"


def test_refund_shipping_and_keep_a_restocking_fee_without_restock(shop, page):
    order = shop.order(financial_status="paid")
    beret = lines_by_title(order)[BERET]
    page.goto(f"/admin/orders/{order['id']}/refund")
    assert "€10.00 EUR left to refund" in page.locator("#shipping-hint").inner_text()
    page.get_by_label("Restock items").uncheck()
    page.get_by_label(BERET).fill("1")
    page.get_by_label("Refund shipping (EUR)").fill("10.00")
    full = suggested(shop, order["id"], [{"line_item_id": beret["id"], "quantity": 1}], shipping="10.00")
    refund_button(page, full).wait_for()
    page.get_by_label("Notify customer").uncheck()
    amount = page.get_by_label("Refund amount (EUR)")
    amount.fill("25.00")
    amount.press("Tab")
    refund_button(page, Decimal("25.00")).wait_for()
    refund_button(page, Decimal("25.00")).click()
    page.get_by_role("status").filter(has_text="Refunded €25.00 EUR.").wait_for()
    [refund] = refunds(shop, order["id"])
    assert [(li["line_item_id"], li["quantity"], li["restock_type"]) for li in refund["refund_line_items"]] == [
        (beret["id"], 1, "no_restock")
    ]
    assert [t["amount"] for t in refund["transactions"]] == ["25.00"]
    kinds = {a["kind"]: Decimal(a["amount"]) for a in refund["order_adjustments"]}
    assert kinds["shipping_refund"] == Decimal("-10.00")
    assert kinds["refund_discrepancy"] == full - Decimal("25.00")  # the fee kept, as the API records it


def test_a_quantity_above_what_is_left_shows_the_rule_next_to_the_quantities_and_changes_nothing(shop, page):
    order = shop.order(financial_status="paid")
    page.goto(f"/admin/orders/{order['id']}/refund")
    page.get_by_label(BOOTS).fill("4")
    error = page.locator("#lines-error")
    error.filter(has_text="only 3 left to refund").wait_for()  # live, from the calculation
    refund_button(page).click()
    page.wait_for_load_state()
    error.filter(has_text="only 3 left to refund").wait_for()  # and from the refund itself
    assert page.get_by_label(BOOTS).input_value() == "4"
    assert page.get_by_label(BOOTS).get_attribute("aria-invalid") == "true"
    assert refunds(shop, order["id"]) == []
    assert shop.get(f"/orders/{order['id']}.json")["order"]["financial_status"] == "paid"


def test_an_amount_above_what_can_be_refunded_shows_why_next_to_the_amount_and_changes_nothing(shop, page):
    order = shop.order(financial_status="paid")
    page.goto(f"/admin/orders/{order['id']}/refund")
    page.get_by_label(BERET).fill("1")
    new_label(page, "Refund €0.00 EUR")
    amount = page.get_by_label("Refund amount (EUR)")
    amount.fill("100000.00")
    amount.press("Tab")
    page.locator("#amount-error").filter(has_text="more than").wait_for()
    refund_button(page).click()
    page.wait_for_load_state()
    page.locator("#amount-error").filter(has_text="more than").wait_for()
    assert page.get_by_label("Refund amount (EUR)").get_attribute("aria-invalid") == "true"
    screens(page, "refund-page-refused")
    assert refunds(shop, order["id"]) == []


def test_without_javascript_calculate_shows_the_amounts_and_a_stale_confirmation_is_not_carried_out(shop, browser):
    order = shop.order(financial_status="paid")
    beret = lines_by_title(order)[BERET]
    context = browser.new_context(base_url=shop.base, java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        sign_in(page, *OWNER)
        page.goto(f"/admin/orders/{order['id']}/refund")
        page.get_by_label(BERET).fill("1")
        # Confirming amounts worked out for other quantities refunds nothing and shows the new ones.
        refund_button(page, Decimal("0")).click()
        page.locator(".notice").filter(has_text="confirm again").wait_for()
        assert refunds(shop, order["id"]) == []
        expected = suggested(shop, order["id"], [{"line_item_id": beret["id"], "quantity": 1}])
        assert page.get_by_role("button", name=f"Refund {euros(expected)}").count() == 1
        page.get_by_label(BERET).fill("0")
        page.get_by_label(BOOTS).fill("1")
        page.get_by_role("button", name="Calculate").click()
        boots = lines_by_title(order)[BOOTS]
        expected = suggested(shop, order["id"], [{"line_item_id": boots["id"], "quantity": 1}])
        refund_button(page, expected).click()
        page.get_by_role("status").filter(has_text=f"Refunded {euros(expected)}.").wait_for()
        [refund] = refunds(shop, order["id"])
        assert [(li["line_item_id"], li["quantity"]) for li in refund["refund_line_items"]] == [(boots["id"], 1)]
    finally:
        context.close()


def test_the_refund_screen_is_usable_on_a_phone(shop, new_page):
    order = shop.order(financial_status="paid")
    page = new_page(width=390)
    page.goto(f"/admin/orders/{order['id']}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name="Refund", exact=True).click()
    page.get_by_label(BERET).fill("1")
    new_label(page, "Refund €0.00 EUR")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    button = refund_button(page).bounding_box()
    assert button is not None and button["x"] >= 0 and button["x"] + button["width"] <= 390


def test_without_the_refunds_permission_there_is_no_refund_and_the_server_refuses_it(shop, new_page):
    shop.staff("viewer@shop.example", "viewer password 1", "orders", "payments")
    order = shop.order(financial_status="paid")
    boots = lines_by_title(order)[BOOTS]
    page = new_page("viewer@shop.example", "viewer password 1")
    page.goto(f"/admin/orders/{order['id']}")
    assert page.get_by_role("link", name="Refund", exact=True).count() == 0
    assert page.goto(f"/admin/orders/{order['id']}/refund").status == 403
    page.goto(f"/admin/orders/{order['id']}")
    token = page.locator('form.logout input[name="csrf_token"]').input_value()
    form = {"csrf_token": token, f"quantity-{boots['id']}": "1", "restock": "1", "amount": "10.00", "basis": f"{boots['id']}=1;"}
    assert page.request.post(f"/admin/orders/{order['id']}/refund", form=form).status == 403
    assert page.request.post(f"/admin/orders/{order['id']}/refund/calculate", form=form).status == 403
    assert refunds(shop, order["id"]) == []
