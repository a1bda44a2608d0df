"""Comments, tags, notes, contact information, the shipping address, Resend, Contact customer
and the diagnosis card's buttons, driven in Chromium and checked through the REST API."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SCREENS = Path("/tmp/orderdesk-screens/details")
OWNER_NAME = "Olivia Owner"


def screens(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    for width in (1400, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def got(shop, order_id) -> dict:
    return shop.get(f"/orders/{order_id}.json")["order"]


def events(shop, order_id) -> list[dict]:
    return shop.get(f"/orders/{order_id}/events.json")["events"]


def flash(page, text: str) -> None:
    page.get_by_role("status").filter(has_text=text).wait_for()


def token_of(page) -> str:
    return page.locator('form.logout input[name="csrf_token"]').input_value()


# --- Comments ------------------------------------------------------------------------------------


def test_post_edit_and_delete_a_comment(shop, page):
    order = shop.order()
    page.goto(f"/admin/orders/{order['id']}")
    page.get_by_label("Comment", exact=True).fill("Customer called: leave the parcel with the neighbour.")
    page.get_by_role("button", name="Post", exact=True).click()
    flash(page, "Comment posted.")
    comment = page.locator("li.comment")
    assert "Customer called: leave the parcel with the neighbour." in comment.inner_text()
    assert f"{OWNER_NAME} commented" in comment.inner_text()
    # Private: not among the order's events, nor in the order, for any API client.
    assert all("neighbour" not in e["message"] for e in events(shop, order["id"]))
    assert "neighbour" not in str(got(shop, order["id"]))
    comment.locator("summary", has_text="Edit").click()
    page.get_by_label("Edit comment").fill("Customer called: leave it at the back door.")
    page.get_by_role("button", name="Save comment").click()
    flash(page, "Comment saved.")
    assert "back door" in page.locator("li.comment").inner_text() and "edited" in page.locator("li.comment").inner_text()
    page.get_by_role("button", name="Delete comment").click()
    flash(page, "Comment deleted.")
    assert page.locator("li.comment").count() == 0


def test_a_blank_comment_is_refused_next_to_the_box(shop, page):
    order = shop.order()
    page.goto(f"/admin/orders/{order['id']}")
    page.get_by_role("button", name="Post", exact=True).click()
    page.locator("#comment-error").filter(has_text="Write a comment before posting it").wait_for()
    assert page.get_by_label("Comment", exact=True).get_attribute("aria-invalid") == "true"
    assert page.locator("li.comment").count() == 0


def test_another_members_comment_has_no_controls_and_the_server_refuses_changing_it(shop, page, new_page):
    shop.staff("clerk@shop.example", "clerk password 1", "orders")
    order = shop.order()
    page.goto(f"/admin/orders/{order['id']}")
    page.get_by_label("Comment", exact=True).fill("Only Olivia may change this.")
    page.get_by_role("button", name="Post", exact=True).click()
    flash(page, "Comment posted.")
    comment_id = page.locator("li.comment").get_attribute("data-comment")
    clerk = new_page("clerk@shop.example", "clerk password 1")
    clerk.goto(f"/admin/orders/{order['id']}")
    assert "Only Olivia may change this." in clerk.locator("li.comment").inner_text()
    assert clerk.get_by_role("button", name="Delete comment").count() == 0
    assert clerk.locator("li.comment summary").count() == 0 and clerk.get_by_label("Edit comment").count() == 0
    base = f"/admin/orders/{order['id']}/comments/{comment_id}"
    token = token_of(clerk)
    assert clerk.request.post(f"{base}/edit", form={"csrf_token": token, "comment": "Changed by Carl"}).status == 403
    assert clerk.request.post(f"{base}/delete", form={"csrf_token": token}).status == 403
    page.reload()
    assert "Only Olivia may change this." in page.locator("li.comment").inner_text()


def test_a_comment_posted_without_the_csrf_token_is_refused(shop, page):
    order = shop.order()
    page.goto(f"/admin/orders/{order['id']}")
    response = page.request.post(f"/admin/orders/{order['id']}/comments", form={"comment": "forged"})
    assert response.status == 403 and "sent from another page" in response.text()
    page.reload()
    assert page.locator("li.comment").count() == 0


# --- Tags, notes, contact information, shipping address -----------------------------------------


def test_add_a_suggested_tag_and_remove_one(shop, page):
    shop.order(tags="wholesale")
    order = shop.order(tags="gift")
    page.goto(f"/admin/orders/{order['id']}")
    assert page.locator('#shop-tags option[value="wholesale"]').count() == 1  # suggested from the shop's tags
    page.get_by_label("Add tags").fill("wholesale, vip")
    page.get_by_role("button", name="Add", exact=True).click()
    flash(page, "Tags saved.")
    assert got(shop, order["id"])["tags"] == "gift, wholesale, vip"
    page.get_by_role("button", name="Remove tag gift").click()
    flash(page, "Removed the tag gift.")
    assert got(shop, order["id"])["tags"] == "wholesale, vip"
    assert [e["author"] for e in events(shop, order["id"]) if e["verb"] == "tags_changed"] == [OWNER_NAME, OWNER_NAME]


def test_edit_the_notes(shop, page):
    order = shop.order(note="Old note")
    page.goto(f"/admin/orders/{order['id']}")
    page.get_by_text("Edit notes").click()
    page.get_by_role("textbox", name="Notes").fill("Gift wrap in blue paper.")
    page.get_by_role("button", name="Save notes").click()
    flash(page, "Notes saved.")
    assert got(shop, order["id"])["note"] == "Gift wrap in blue paper."
    assert any(e["verb"] == "note_changed" and e["author"] == OWNER_NAME for e in events(shop, order["id"]))


def test_edit_the_contact_email_and_phone(shop, page):
    order = shop.order()
    page.goto(f"/admin/orders/{order['id']}")
    page.get_by_text("Edit contact information").click()
    page.get_by_label("Email", exact=True).fill("not an email")
    page.get_by_role("button", name="Save contact information").click()
    page.locator("#email-error").filter(has_text="Enter an email address like name@example.com").wait_for()
    assert got(shop, order["id"])["email"] == order["email"]
    page.get_by_label("Email", exact=True).fill("bob@new.example")
    page.get_by_label("Phone", exact=True).fill("+44 20 7946 0000")
    page.get_by_role("button", name="Save contact information").click()
    flash(page, "Contact information saved.")
    found = got(shop, order["id"])
    assert (found["email"], found["phone"]) == ("bob@new.example", "+44 20 7946 0000")


def test_edit_the_shipping_address_refusing_a_blank_city(shop, page):
    order = shop.order()
    page.goto(f"/admin/orders/{order['id']}")
    page.get_by_text("Edit shipping address").click()
    page.get_by_label("Address", exact=True).fill("Unter den Linden 5")
    page.get_by_label("City").fill("")
    page.get_by_label("Country/region").select_option("DE")
    page.get_by_role("button", name="Save shipping address").click()
    page.locator("#shipping-city-error").filter(has_text="City can't be blank").wait_for()
    assert page.get_by_label("City").get_attribute("aria-invalid") == "true"
    assert got(shop, order["id"])["shipping_address"] == order["shipping_address"]  # nothing changed
    screens(page, "order-address-refused")
    page.get_by_label("City").fill("Berlin")
    page.get_by_label("Postal code").fill("10117")
    page.get_by_role("button", name="Save shipping address").click()
    flash(page, "Shipping address saved.")
    shipping = got(shop, order["id"])["shipping_address"]
    assert (shipping["address1"], shipping["city"], shipping["zip"], shipping["country_code"]) == (
        "Unter den Linden 5",
        "Berlin",
        "10117",
        "DE",
    )
    assert got(shop, order["id"])["billing_address"] == order["billing_address"]
    billing = page.locator("#billing-address")
    assert "123 Fake Street" in billing.inner_text() and billing.locator("form").count() == 0


# --- Resend and Contact customer -----------------------------------------------------------------


def test_resend_the_order_confirmation(shop, page):
    order = shop.order(send_receipt=True)
    page.goto(f"/admin/orders/{order['id']}")
    page.get_by_role("button", name="Resend order confirmation").click()
    flash(page, "Resent the order confirmation email to bob.norman@example.com.")
    assert any(e["verb"] == "mail_resent" and e["author"] == OWNER_NAME for e in events(shop, order["id"]))


def test_contact_the_customer_with_a_template_and_a_preview(shop, page):
    order = shop.order()
    page.goto(f"/admin/orders/{order['id']}")
    page.get_by_role("link", name="Contact customer").click()
    page.wait_for_url(re.compile(r"/contact"))
    assert page.get_by_label("To").input_value() == "bob.norman@example.com"
    page.get_by_label("Template").select_option(label="Shipping delay")
    page.get_by_role("button", name="Use template").click()
    assert page.get_by_label("Subject").input_value() == f"An update on your order {order['name']}"
    page.get_by_label("Message").fill("Your boots ship on Friday.\nSorry for the wait!")
    page.get_by_role("button", name="Preview").click()
    frame = page.frame_locator('iframe[name="email-preview"]')
    frame.get_by_text("Your boots ship on Friday.").wait_for()
    assert "Hi Bob," in frame.locator("body").inner_text()
    screens(page, "contact-customer")
    page.get_by_role("button", name="Send email").click()
    flash(page, "Email to bob.norman@example.com is on its way.")
    [sent] = [e for e in events(shop, order["id"]) if e["verb"] == "mail_queued"]
    assert sent["author"] == OWNER_NAME
    assert "Staff sent an email" in page.locator("#timeline").inner_text()


# --- The diagnosis card --------------------------------------------------------------------------


def test_the_diagnosis_offers_mark_as_paid_and_it_pays_the_order(shop, page):
    order = shop.order(financial_status="pending")
    page.goto(f"/admin/orders/{order['id']}")
    page.locator("#diagnosis").get_by_role("button", name="Mark as paid").click()
    flash(page, "Marked as paid.")
    assert got(shop, order["id"])["financial_status"] == "paid"


def test_the_diagnosis_offers_release_hold_and_it_releases(shop, page):
    order = shop.order(financial_status="paid")
    [fo] = shop.get(f"/orders/{order['id']}/fulfillment_orders.json")["fulfillment_orders"]
    shop.api.post(f"/fulfillment_orders/{fo['id']}/hold.json", json={"fulfillment_hold": {"reason": "awaiting_payment"}})
    page.goto(f"/admin/orders/{order['id']}")
    page.locator("#diagnosis").get_by_role("button", name="Release hold").click()
    flash(page, "Hold released.")
    [fo] = shop.get(f"/orders/{order['id']}/fulfillment_orders.json")["fulfillment_orders"]
    assert fo["status"] == "open"


def test_the_diagnosis_links_capture_to_the_payment_box(shop, page):
    order = shop.order(financial_status="authorized")
    page.goto(f"/admin/orders/{order['id']}")
    page.locator("#diagnosis").get_by_role("link", name="Capture payment").click()
    page.wait_for_url(re.compile(r"#payment$"))
    page.locator("#payment").get_by_role("button", name="Capture payment").click()
    flash(page, "Captured")
    assert got(shop, order["id"])["financial_status"] == "paid"


# --- Permissions ---------------------------------------------------------------------------------


def test_without_the_payments_permission_the_diagnosis_offers_no_payment_action(shop, new_page):
    shop.staff("tagger@shop.example", "tagger password 1", "orders")
    order = shop.order(financial_status="pending")
    page = new_page("tagger@shop.example", "tagger password 1")
    page.goto(f"/admin/orders/{order['id']}")
    assert page.locator("#diagnosis").get_by_role("button", name="Mark as paid").count() == 0
    assert page.locator("#diagnosis li").count() > 0
    response = page.request.post(f"/admin/orders/{order['id']}/mark_as_paid", form={"csrf_token": token_of(page)})
    assert response.status == 403
    assert got(shop, order["id"])["financial_status"] == "pending"


def test_without_the_orders_permission_the_order_page_and_its_edits_are_refused(shop, new_page):
    shop.staff("shipper@shop.example", "shipper password 1", "fulfillment")
    order = shop.order(tags="gift", send_receipt=True)
    page = new_page("shipper@shop.example", "shipper password 1")
    response = page.goto(f"/admin/orders/{order['id']}")
    assert response.status == 403
    assert page.get_by_role("button", name="Post").count() == 0 and page.get_by_label("Add tags").count() == 0
    # A page they may open (fulfilling the order) carries their session's token.
    [fo] = shop.get(f"/orders/{order['id']}/fulfillment_orders.json")["fulfillment_orders"]
    page.goto(f"/admin/orders/{order['id']}/fulfillment_orders/{fo['id']}/fulfill")
    token = token_of(page)
    base = f"/admin/orders/{order['id']}"
    for path, form in [
        ("/comments", {"comment": "hi"}),
        ("/tags", {"add": "vip"}),
        ("/note", {"note": "changed"}),
        ("/contact_information", {"email": "x@example.com"}),
        ("/shipping_address", {"address1": "1 Rue", "city": "Paris", "country_code": "FR"}),
        ("/resend", {"name": "order_confirmation"}),
        ("/contact/send", {"subject": "s", "message": "m"}),
    ]:
        assert page.request.post(base + path, form={"csrf_token": token, **form}).status == 403, path
    found = got(shop, order["id"])
    assert (found["tags"], found["note"], found["email"]) == ("gift", order["note"], order["email"])
    assert found["shipping_address"] == order["shipping_address"]
    assert not [e for e in events(shop, order["id"]) if e["verb"] == "mail_resent"]


# --- How it looks --------------------------------------------------------------------------------


def test_screens_of_the_order_page_with_comments_tags_and_the_address_form(shop, page):
    shop.order(tags="wholesale, returning customer")
    order = shop.order(tags="gift, vip", note="Leave at the back door.", send_receipt=True, financial_status="authorized")
    page.goto(f"/admin/orders/{order['id']}")
    page.get_by_label("Comment", exact=True).fill("Called Bob: he wants it before Friday.\nPromised express shipping.")
    page.get_by_role("button", name="Post", exact=True).click()
    flash(page, "Comment posted.")
    page.get_by_text("Edit shipping address").click()
    page.get_by_text("Edit contact information").click()
    screens(page, "order-details")
    page.set_viewport_size({"width": 390, "height": 900})
    for part in ("timeline-card", "shipping-address", "tags", "notifications", "diagnosis"):
        page.locator(f"#{part}").screenshot(path=str(SCREENS / f"order-{part}-390.png"))
    overflow = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    print("scroll width at 390:", overflow)
