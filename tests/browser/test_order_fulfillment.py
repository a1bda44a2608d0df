"""Fulfillment from the order page: Fulfill items (quantities, tracking, carrier link, notify),
Mark as fulfilled, add or change tracking, Hold fulfillment and Release hold, Reschedule, Move
(with the stock there), Request fulfillment from a fulfillment service and Cancel request, and
the packing slip; each effect checked through the REST API, each refusal shown next to its
field with nothing changed, and each action refused to a member without the fulfillment permission."""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import orderdesk

pytestmark = pytest.mark.browser

OWNER_NAME = "Olivia Owner"
VIEWER = ("viewer@shop.example", "viewer password 1")
SHOP_TZ = ZoneInfo("Europe/Berlin")


# --- preconditions through the REST API ------------------------------------------------------------


def _fos(shop, order_id) -> list[dict]:
    return shop.get(f"/orders/{order_id}/fulfillment_orders.json")["fulfillment_orders"]


def _open_fo(shop, order_id) -> dict:
    live = [fo for fo in _fos(shop, order_id) if fo["status"] not in ("closed", "cancelled", "incomplete")]
    assert len(live) == 1, live
    return live[0]


def _fulfillments(shop, order_id) -> list[dict]:
    return shop.get(f"/orders/{order_id}/fulfillments.json")["fulfillments"]


def _authors(shop, order_id) -> set:
    return {e["author"] for e in shop.get(f"/orders/{order_id}/events.json")["events"]}


def _location(shop, name: str) -> int:
    """A location of the merchant's own, made through the REST API where it has the route, else
    through the inventory service on the server's database."""
    response = shop.api.post("/locations.json", json={"location": {"name": name}})
    if response.status_code == 201:
        return response.json()["location"]["id"]
    from orderdesk.db.engine import make_engine
    from orderdesk.db.uow import Database
    from orderdesk.services import inventory
    from orderdesk.services.clock import SystemClock
    from orderdesk.services.context import Services

    engine = make_engine(shop.database_url)
    try:
        services = Services(db=Database(engine), clock=SystemClock(), secret_key="browser-test-secret")
        return inventory.create_location(services, {"name": name})["id"]
    finally:
        engine.dispose()


def _main_location(shop) -> int:
    return next(loc["id"] for loc in shop.get("/locations.json")["locations"] if loc["name"] == "Main warehouse")


def _product(shop, title: str, sku: str, *, policy: str = "deny") -> dict:
    response = shop.api.post(
        "/products.json",
        json={
            "product": {
                "title": title,
                "variants": [{"sku": sku, "price": "12.00", "inventory_management": "shopify", "inventory_policy": policy}],
            }
        },
    )
    assert response.status_code == 201, response.text
    return response.json()["product"]["variants"][0]


def _stock(shop, variant: dict, location_id: int, available: int) -> None:
    response = shop.api.post(
        "/inventory_levels/set.json",
        json={"location_id": location_id, "inventory_item_id": variant["inventory_item_id"], "available": available},
    )
    assert response.status_code == 200, response.text


def _service(shop, name: str) -> dict:
    response = shop.api.post("/fulfillment_services.json", json={"fulfillment_service": {"name": name, "format": "json"}})
    assert response.status_code == 201, response.text
    return response.json()["fulfillment_service"]


def _card(page, fo_id):
    return page.locator(f'article[data-fo="{fo_id}"]')


def _flash(page, text: str) -> None:
    page.get_by_role("status").filter(has_text=text).wait_for()


# --- Fulfill items -----------------------------------------------------------------------------------


def test_the_card_names_the_location_lines_and_skus_not_ids(shop, page):
    order = shop.order()
    fo = _open_fo(shop, order["id"])
    page.goto(f"/admin/orders/{order['id']}")
    card = _card(page, fo["id"])
    text = card.inner_text()
    assert "Main warehouse" in text and "Unfulfilled" in text
    assert "Big Brown Bear Boots" in text and "Raspberry Beret" in text and "BERET-1" in text
    assert f"location {fo['assigned_location_id']}" not in text.lower()
    assert "line " + str(order["line_items"][0]["id"]) not in text
    rows = card.locator("table.fo-lines tbody tr")
    assert rows.nth(0).locator('td[data-label="To fulfill"]').inner_text() == "3"


def test_fulfill_items_with_tracking_builds_the_carrier_link_and_names_the_member(shop, page):
    order = shop.order()
    fo = _open_fo(shop, order["id"])
    boots = next(line for line in fo["line_items"] if line["quantity"] == 3)
    page.goto(f"/admin/orders/{order['id']}")
    _card(page, fo["id"]).get_by_role("link", name="Fulfill items").click()
    page.wait_for_url(re.compile(r"/fulfill$"))
    page.get_by_label("Big Brown Bear Boots").fill("2")
    page.get_by_label("Raspberry Beret").fill("0")
    page.get_by_label("Tracking number").fill("1Z999AA10123456784")
    page.get_by_label("Carrier", exact=True).select_option("UPS")
    assert page.get_by_label("Notify customer").is_checked()  # the order has an email
    page.get_by_role("button", name="Fulfill items").click()
    _flash(page, "Fulfilled 2 items")

    [f] = _fulfillments(shop, order["id"])
    assert f["tracking_company"] == "UPS" and f["tracking_number"] == "1Z999AA10123456784"
    assert f["tracking_url"].startswith("https://www.ups.com/") and f["tracking_url"].endswith("1Z999AA10123456784")
    # The customer is told: the shipping confirmation is queued for them (sent by the worker).
    orderdesk("worker", "--once", database_url=shop.database_url, env={**os.environ, "ORDERDESK_SECRET_KEY": "browser-test-secret"})
    sent = shop.get(f"/orders/{order['id']}/notification_deliveries.json")["notification_deliveries"]
    assert [(d["topic"], d["recipient"]) for d in sent] == [("shipping_confirmation", order["email"])]
    assert {(li["title"], li["quantity"]) for li in f["line_items"]} == {("Big Brown Bear Boots", 2)}
    after = shop.get(f"/fulfillment_orders/{fo['id']}.json")["fulfillment_order"]
    assert next(li for li in after["line_items"] if li["id"] == boots["id"])["fulfillable_quantity"] == 1
    assert OWNER_NAME in _authors(shop, order["id"])
    # The shipment is listed with its tracking number linked to the carrier's page.
    link = page.locator(f'li[data-fulfillment="{f["id"]}"]').get_by_role("link", name="1Z999AA10123456784")
    assert link.get_attribute("href") == f["tracking_url"]


def test_fulfill_items_refuses_bad_quantities_and_links_next_to_the_field_and_ships_nothing(shop, page):
    order = shop.order()
    fo = _open_fo(shop, order["id"])
    page.goto(f"/admin/orders/{order['id']}/fulfillment_orders/{fo['id']}/fulfill")
    boots = page.get_by_label("Big Brown Bear Boots")
    boots.fill("5")  # 3 remain
    page.get_by_role("button", name="Fulfill items").click()
    error = page.locator("#quantities-error")
    error.wait_for()
    assert "Cannot fulfill 5 of Big Brown Bear Boots: 3 remain" in error.inner_text()  # the item's name, not its id
    assert page.get_by_label("Big Brown Bear Boots").input_value() == "5"  # what the member typed stays

    page.get_by_label("Big Brown Bear Boots").fill("two")
    page.get_by_role("button", name="Fulfill items").click()
    field_error = page.locator(f"#{page.get_by_label('Big Brown Bear Boots').get_attribute('id')}-error")
    field_error.wait_for()
    assert "whole number" in field_error.inner_text()
    assert page.get_by_label("Big Brown Bear Boots").get_attribute("aria-invalid") == "true"

    page.get_by_label("Big Brown Bear Boots").fill("0")
    page.get_by_label("Raspberry Beret").fill("0")
    page.get_by_role("button", name="Fulfill items").click()
    assert "at least 1" in page.locator("#quantities-error").inner_text()

    page.get_by_label("Big Brown Bear Boots").fill("1")
    page.get_by_label("Tracking number").fill("TRK-1")
    page.get_by_label("Carrier", exact=True).select_option("other")
    page.get_by_label("Tracking URL").fill("javascript:alert(1)")
    page.get_by_role("button", name="Fulfill items").click()
    url_error = page.locator("#tracking-url-error-new")
    url_error.wait_for()
    assert "https://" in url_error.inner_text()

    assert _fulfillments(shop, order["id"]) == []
    assert shop.get(f"/orders/{order['id']}.json")["order"]["fulfillment_status"] is None


def test_mark_as_fulfilled_ships_everything_left(shop, page):
    order = shop.order()
    fo = _open_fo(shop, order["id"])
    page.goto(f"/admin/orders/{order['id']}")
    _card(page, fo["id"]).get_by_role("button", name="Mark as fulfilled").click()
    _flash(page, "Marked 4 items as fulfilled")
    assert shop.get(f"/orders/{order['id']}.json")["order"]["fulfillment_status"] == "fulfilled"
    [f] = _fulfillments(shop, order["id"])
    assert sum(li["quantity"] for li in f["line_items"]) == 4
    assert OWNER_NAME in _authors(shop, order["id"])
    # Nothing is left to fulfil: the card offers neither action any more.
    assert page.get_by_role("button", name="Mark as fulfilled").count() == 0
    assert page.get_by_role("link", name="Fulfill items").count() == 0


def test_add_and_then_change_tracking_on_a_shipment(shop, page):
    order = shop.order()
    fo = _open_fo(shop, order["id"])
    shop.api.post("/fulfillments.json", json={"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": fo["id"]}]}})
    [f] = _fulfillments(shop, order["id"])
    page.goto(f"/admin/orders/{order['id']}")
    shipment = page.locator(f'li[data-fulfillment="{f["id"]}"]')
    shipment.locator("summary", has_text="Add tracking").click()
    shipment.get_by_label("Tracking number").fill("JD014600006281230004")
    shipment.get_by_label("Carrier", exact=True).select_option("DHL Express")
    shipment.get_by_role("button", name="Save tracking").click()
    _flash(page, "Tracking saved")
    found = shop.get(f"/orders/{order['id']}/fulfillments/{f['id']}.json")["fulfillment"]
    assert (found["tracking_company"], found["tracking_number"]) == ("DHL Express", "JD014600006281230004")
    assert "dhl.com" in found["tracking_url"] and "JD014600006281230004" in found["tracking_url"]

    # A refused change says why next to the field and keeps the tracking as it was.
    shipment = page.locator(f'li[data-fulfillment="{f["id"]}"]')
    shipment.locator("summary", has_text="Edit tracking").click()
    shipment.get_by_label("Carrier", exact=True).select_option("other")
    shipment.get_by_label("Tracking URL").fill("ftp://example.com/track")
    shipment.get_by_role("button", name="Save tracking").click()
    page.locator(f"#tracking-url-error-f{f['id']}").wait_for()
    assert shop.get(f"/orders/{order['id']}/fulfillments/{f['id']}.json")["fulfillment"]["tracking_company"] == "DHL Express"

    shipment = page.locator(f'li[data-fulfillment="{f["id"]}"]')
    shipment.get_by_label("Tracking number").fill("LOCAL-77")
    shipment.get_by_label("Carrier name").fill("Harbour Couriers")
    shipment.get_by_label("Tracking URL").fill("https://couriers.example/t/LOCAL-77")
    shipment.get_by_role("button", name="Save tracking").click()
    _flash(page, "Tracking saved")
    found = shop.get(f"/orders/{order['id']}/fulfillments/{f['id']}.json")["fulfillment"]
    assert (found["tracking_company"], found["tracking_number"]) == ("Harbour Couriers", "LOCAL-77")
    assert found["tracking_url"] == "https://couriers.example/t/LOCAL-77"
    assert OWNER_NAME in _authors(shop, order["id"])


# --- Hold, Release hold, Reschedule, Move -------------------------------------------------------------


def test_hold_fulfillment_with_a_reason_and_note_then_release_it(shop, page):
    order = shop.order()
    fo = _open_fo(shop, order["id"])
    page.goto(f"/admin/orders/{order['id']}")
    card = _card(page, fo["id"])
    card.locator("summary", has_text="Hold fulfillment").click()
    card.get_by_label("Reason").select_option(label="Incorrect address")
    card.get_by_label("Note").fill("Customer is moving house")
    card.get_by_role("button", name="Hold fulfillment").click()
    _flash(page, "Fulfillment on hold: Incorrect address")
    held = shop.get(f"/fulfillment_orders/{fo['id']}.json")["fulfillment_order"]
    assert held["status"] == "on_hold"
    assert held["fulfillment_holds"] == [{"reason": "incorrect_address", "reason_notes": "Customer is moving house"}]
    card = _card(page, fo["id"])
    assert "On hold: Incorrect address — Customer is moving house" in card.inner_text()
    # Held: only Release hold is offered.
    assert card.get_by_role("link", name="Fulfill items").count() == 0
    assert card.get_by_role("button", name="Mark as fulfilled").count() == 0
    assert card.locator("summary", has_text="Move").count() == 0

    card.get_by_role("button", name="Release hold").click()
    _flash(page, "Hold released")
    released = shop.get(f"/fulfillment_orders/{fo['id']}.json")["fulfillment_order"]
    assert released["status"] == "open" and released["fulfillment_holds"] == []
    events = shop.get(f"/orders/{order['id']}/events.json")["events"]
    assert {e["author"] for e in events if "hold" in (e.get("message") or "").lower()} == {OWNER_NAME}


def test_a_refused_hold_shows_the_domains_message_next_to_the_reason_and_changes_nothing(shop, page):
    order = shop.order()
    fo = _open_fo(shop, order["id"])
    page.goto(f"/admin/orders/{order['id']}")
    card = _card(page, fo["id"])
    card.locator("summary", has_text="Hold fulfillment").click()
    # A reason the form never offered (a stale page or a hand-made request) is the domain's to refuse.
    card.get_by_label("Reason").evaluate("s => { s.options[0].value = 'lunch_break'; s.selectedIndex = 0; }")
    card.get_by_role("button", name="Hold fulfillment").click()
    error = page.locator(f"#hold-error-{fo['id']}")
    error.wait_for()
    assert "reason must be one of" in error.inner_text()
    assert page.locator(f"#hold-reason-{fo['id']}").get_attribute("aria-invalid") == "true"
    assert shop.get(f"/fulfillment_orders/{fo['id']}.json")["fulfillment_order"]["status"] == "open"


def test_reschedule_to_a_later_date_and_a_past_date_is_refused(shop, page):
    order = shop.order()
    fo = _open_fo(shop, order["id"])
    page.goto(f"/admin/orders/{order['id']}")
    card = _card(page, fo["id"])
    card.locator("summary", has_text="Reschedule").click()
    past = datetime.now(SHOP_TZ) - timedelta(days=2)
    card.get_by_label(re.compile("Fulfill on")).fill(past.strftime("%Y-%m-%dT%H:%M"))
    card.get_by_role("button", name="Reschedule").click()
    error = page.locator(f"#reschedule-error-{fo['id']}")
    error.wait_for()
    assert "future" in error.inner_text()
    assert shop.get(f"/fulfillment_orders/{fo['id']}.json")["fulfillment_order"]["status"] == "open"

    later = (datetime.now(SHOP_TZ) + timedelta(days=3)).replace(second=0, microsecond=0)
    page.get_by_label(re.compile("Fulfill on")).fill(later.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Reschedule").click()
    _flash(page, "Fulfillment scheduled for")
    found = shop.get(f"/fulfillment_orders/{fo['id']}.json")["fulfillment_order"]
    assert found["status"] == "scheduled"
    assert datetime.fromisoformat(found["fulfill_at"]) == later
    assert "Scheduled for " + later.strftime("%Y-%m-%d %H:%M") in _card(page, fo["id"]).inner_text()
    assert OWNER_NAME in _authors(shop, order["id"])


def test_move_shows_the_stock_at_each_location_and_moves_the_fulfillment_order(shop, page):
    annex = _location(shop, "Harbour Annex")
    mug = _product(shop, "Trail Mug", "MUG-1", policy="continue")
    _stock(shop, mug, annex, 7)
    order = shop.order(line_items=[{"variant_id": mug["id"], "quantity": 2}], inventory_behaviour="bypass")
    fo = _open_fo(shop, order["id"])
    page.goto(f"/admin/orders/{order['id']}")
    card = _card(page, fo["id"])
    card.locator("summary", has_text="Move").click()
    select = card.get_by_label("Move to location")
    options = select.locator("option").all_inner_texts()
    assert any(o.startswith("Harbour Annex") and "Trail Mug: 7 available" in o for o in options), options
    assert not any(o.startswith("Main warehouse") for o in options)  # not where it already is
    assert "7" in card.locator("table.stock-elsewhere").inner_text()
    select.select_option(str(annex))
    card.get_by_role("button", name="Move").click()
    _flash(page, "Moved to Harbour Annex")
    moved = _open_fo(shop, order["id"])
    assert moved["assigned_location_id"] == annex and moved["id"] != fo["id"]
    assert shop.get(f"/fulfillment_orders/{fo['id']}.json")["fulfillment_order"]["status"] == "closed"
    assert "Harbour Annex" in _card(page, moved["id"]).inner_text()
    assert OWNER_NAME in _authors(shop, order["id"])


def test_a_refused_move_shows_why_next_to_the_location_and_moves_nothing(shop, page):
    depot = _location(shop, "Empty Depot")
    lamp = _product(shop, "Desk Lamp", "LAMP-1", policy="deny")
    _stock(shop, lamp, _main_location(shop), 5)
    order = shop.order(line_items=[{"variant_id": lamp["id"], "quantity": 2}], inventory_behaviour="decrement_obeying_policy")
    fo = _open_fo(shop, order["id"])
    page.goto(f"/admin/orders/{order['id']}")
    card = _card(page, fo["id"])
    card.locator("summary", has_text="Move").click()
    card.get_by_label("Move to location").select_option(str(depot))
    card.get_by_role("button", name="Move").click()
    error = page.locator(f"#move-error-{fo['id']}")
    error.wait_for()
    assert "Desk Lamp cannot be reserved at Empty Depot (0 available, 2 needed)" in error.inner_text()
    assert page.locator(f"#move-{fo['id']}").get_attribute("aria-invalid") == "true"
    still = shop.get(f"/fulfillment_orders/{fo['id']}.json")["fulfillment_order"]
    assert (still["status"], still["assigned_location_id"]) == ("open", fo["assigned_location_id"])


# --- Fulfillment services ----------------------------------------------------------------------------


def test_request_fulfillment_then_withdraw_it_and_cancel_an_accepted_one(shop, page):
    service = _service(shop, "Harbour Fulfil")
    order = shop.order()
    fo = _open_fo(shop, order["id"])
    moved = shop.api.post(
        f"/fulfillment_orders/{fo['id']}/move.json", json={"fulfillment_order": {"new_location_id": service["location_id"]}}
    )
    assert moved.status_code == 200, moved.text
    at_service = _open_fo(shop, order["id"])
    page.goto(f"/admin/orders/{order['id']}")
    card = _card(page, at_service["id"])
    assert "Fulfilled by Harbour Fulfil" in card.inner_text() and "Not requested" in card.inner_text()
    assert card.get_by_role("link", name="Fulfill items").count() == 0  # the service ships it, not the merchant
    card.get_by_role("button", name="Request fulfillment").click()
    _flash(page, "Fulfillment requested from Harbour Fulfil")
    assert shop.get(f"/fulfillment_orders/{at_service['id']}.json")["fulfillment_order"]["request_status"] == "submitted"
    assert "Fulfillment requested" in _card(page, at_service["id"]).inner_text()

    # Not accepted yet: cancelling withdraws it; the items wait on a new, unsubmitted fulfillment order.
    _card(page, at_service["id"]).get_by_role("button", name="Cancel request").click()
    _flash(page, "withdrawn")
    assert shop.get(f"/fulfillment_orders/{at_service['id']}.json")["fulfillment_order"]["status"] == "cancelled"
    again = _open_fo(shop, order["id"])
    assert (again["assigned_location_id"], again["request_status"]) == (service["location_id"], "unsubmitted")

    # Accepted by the service: cancelling asks the service to cancel.
    _card(page, again["id"]).get_by_role("button", name="Request fulfillment").click()
    _flash(page, "Fulfillment requested")
    accepted = shop.api.post(f"/fulfillment_orders/{again['id']}/fulfillment_request/accept.json", json={})
    assert accepted.status_code == 200, accepted.text
    page.reload()
    _card(page, again["id"]).get_by_role("button", name="Cancel request").click()
    _flash(page, "Cancellation requested from Harbour Fulfil")
    found = shop.get(f"/fulfillment_orders/{again['id']}.json")["fulfillment_order"]
    assert found["request_status"] == "cancellation_requested"
    assert OWNER_NAME in _authors(shop, order["id"])


def test_a_refused_request_shows_the_domains_message_on_its_fulfillment_order(shop, page):
    service = _service(shop, "Slow Fulfil")
    order = shop.order()
    fo = _open_fo(shop, order["id"])
    shop.api.post(f"/fulfillment_orders/{fo['id']}/move.json", json={"fulfillment_order": {"new_location_id": service["location_id"]}})
    at_service = _open_fo(shop, order["id"])
    page.goto(f"/admin/orders/{order['id']}")
    # Another tab (here: the API) requests it first; this page's button is now stale.
    shop.api.post(f"/fulfillment_orders/{at_service['id']}/fulfillment_request.json", json={"fulfillment_request": {}})
    _card(page, at_service["id"]).get_by_role("button", name="Request fulfillment").click()
    error = page.locator(f"#fo-{at_service['id']}-error")
    error.wait_for()
    assert "request status is submitted" in error.inner_text()
    assert len(shop.get(f"/fulfillment_orders/{at_service['id']}.json")["fulfillment_order"]["merchant_requests"]) == 1


# --- Packing slip ------------------------------------------------------------------------------------


def _media_box(pdf: bytes) -> tuple[float, float]:
    found = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert found, pdf[:400]
    return float(found.group(1)), float(found.group(2))


def test_packing_slip_lists_what_is_left_to_ship_and_prints_on_a4_and_letter(shop, page):
    order = shop.order(note="Gift wrap, please. No invoice in the parcel.")
    fo = _open_fo(shop, order["id"])
    boots = next(line for line in fo["line_items"] if line["quantity"] == 3)
    shop.api.post(
        "/fulfillments.json",
        json={
            "fulfillment": {
                "line_items_by_fulfillment_order": [
                    {"fulfillment_order_id": fo["id"], "fulfillment_order_line_items": [{"id": boots["id"], "quantity": 1}]}
                ]
            }
        },
    )
    page.goto(f"/admin/orders/{order['id']}")
    _card(page, fo["id"]).get_by_role("link", name="Print packing slip").click()
    page.wait_for_url(re.compile(r"/packing_slip"))
    slip = page.locator("main.slip")
    text = slip.inner_text()
    assert "Harbour Goods" in text and order["name"] in text
    assert order["created_at"][:10] in text
    assert "123 Fake Street" in text and "Bob Norman" in text
    assert "Gift wrap, please. No invoice in the parcel." in text
    rows = {r.locator("td").nth(0).inner_text(): r.locator("td").nth(2).inner_text() for r in slip.locator("tbody tr").all()}
    assert rows == {"Big Brown Bear Boots": "2", "Raspberry Beret": "1"}  # one pair of boots already shipped
    assert "BERET-1" in text

    page.evaluate("window.print = () => { window.printed = true; }")  # the Print button opens the print dialog
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printed") is True
    page.emulate_media(media="print")
    assert not page.locator(".slip-tools").is_visible()  # no chrome on paper
    width, height = _media_box(page.pdf(prefer_css_page_size=True))
    assert (round(width), round(height)) in ((595, 842), (596, 843))  # A4 in points
    page.emulate_media(media="screen")
    page.get_by_role("link", name="US Letter").click()
    page.wait_for_url(re.compile(r"paper=letter"))
    width, height = _media_box(page.pdf(prefer_css_page_size=True))
    assert (round(width), round(height)) == (612, 792)
    # Printing reads and changes nothing.
    assert [f["id"] for f in _fulfillments(shop, order["id"])] and _open_fo(shop, order["id"])["status"] == "in_progress"


# --- Permission ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def viewer(shop):
    shop.staff(*VIEWER, "orders")
    return VIEWER


def _state(shop, order_id) -> tuple:
    fos = [
        (fo["id"], fo["status"], fo["request_status"], fo["assigned_location_id"], len(fo["fulfillment_holds"]))
        for fo in _fos(shop, order_id)
    ]
    shipped = [(f["id"], f["status"], f["tracking_number"]) for f in _fulfillments(shop, order_id)]
    return fos, shipped


ACTIONS = {
    "fulfill": ("fulfill", {"tracking_number": "X1"}),
    "mark_as_fulfilled": ("mark_as_fulfilled", {}),
    "tracking": (None, {"tracking_number": "X2", "carrier": "UPS"}),
    "hold": ("hold", {"reason": "other", "reason_notes": "no"}),
    "release_hold": ("release_hold", {}),
    "reschedule": ("reschedule", {"new_fulfill_at": "2099-01-01T09:00"}),
    "move": ("move", {}),
    "request_fulfillment": ("request_fulfillment", {}),
    "cancel_request": ("cancel_request", {}),
}


@pytest.mark.parametrize("action", list(ACTIONS))
def test_without_the_fulfillment_permission_no_control_is_shown_and_the_server_refuses(shop, new_page, viewer, action):
    order = shop.order()
    fo = _open_fo(shop, order["id"])
    other = _location(shop, f"Spare room {action}")
    if action in ("tracking",):
        shop.api.post("/fulfillments.json", json={"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": fo["id"]}]}})
    if action == "release_hold":
        shop.api.post(f"/fulfillment_orders/{fo['id']}/hold.json", json={"fulfillment_hold": {"reason": "other"}})
    if action in ("request_fulfillment", "cancel_request"):
        service = _service(shop, f"Service for {action}")
        shop.api.post(f"/fulfillment_orders/{fo['id']}/move.json", json={"fulfillment_order": {"new_location_id": service["location_id"]}})
        fo = _open_fo(shop, order["id"])
        if action == "cancel_request":
            shop.api.post(f"/fulfillment_orders/{fo['id']}/fulfillment_request.json", json={"fulfillment_request": {}})
    before = _state(shop, order["id"])

    page = new_page(*viewer)
    page.goto(f"/admin/orders/{order['id']}")
    card = page.locator("#fulfillment-orders")
    assert "Big Brown Bear Boots" in card.inner_text()  # they see the fulfillment, but may not act on it
    assert card.locator("form").count() == 0 and card.locator("summary").count() == 0
    for name in ("Mark as fulfilled", "Release hold", "Request fulfillment", "Cancel request"):
        assert card.get_by_role("button", name=name).count() == 0
    for name in ("Fulfill items", "Print packing slip"):
        assert card.get_by_role("link", name=name).count() == 0

    token = page.locator('form.logout input[name="csrf_token"]').input_value()
    path, form = ACTIONS[action]
    if path is None:
        [f] = _fulfillments(shop, order["id"])
        url = f"/admin/orders/{order['id']}/fulfillments/{f['id']}/tracking"
    else:
        url = f"/admin/orders/{order['id']}/fulfillment_orders/{fo['id']}/{path}"
    if action == "move":
        form = {"new_location_id": str(other)}
    if action == "fulfill":
        form = {**form, **{f"quantity-{line['id']}": "1" for line in fo["line_items"]}}
    response = page.request.post(url, form={"csrf_token": token, **form})
    assert response.status == 403
    assert _state(shop, order["id"]) == before
    if action == "fulfill":
        assert page.request.get(url).status == 403
        assert page.request.get(url.removesuffix("/fulfill") + "/packing_slip").status == 403
