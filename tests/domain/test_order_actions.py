"""Staff actions on an order: close, reopen, cancel, and editing its details."""

from __future__ import annotations

from datetime import timedelta

import pytest

from orderdesk.domain.errors import InvalidInput, InvalidTransition
from orderdesk.domain.events import (
    LineItemsRestocked,
    NoteChanged,
    OrderCancelled,
    OrderClosed,
    OrderReopened,
    OrderUpdated,
    TagsChanged,
)
from orderdesk.domain.fulfillments import Fulfillment
from orderdesk.domain.placement import NewOrder, place_order

from .factories import AT, line

LATER = AT + timedelta(hours=1)


def make_order(financial_status: str | None = "paid", **details):
    new = NewOrder(
        currency="USD",
        presentment_currency="USD",
        line_items=[line("Boots", "74.99", 3, id=11), line("Beret", "19.99", 1, id=12)],
        financial_status=financial_status,
        details=details,
    )
    order = place_order(new, at=AT, token="tok")
    order.events.clear()
    return order


def events_of(order, kind):
    return [e for e in order.events if isinstance(e, kind)]


# --- close / reopen -------------------------------------------------------


def test_close_archives_the_order_once():
    order = make_order()
    order.close(LATER, author="staff")
    assert order.closed_at == LATER and order.status == "closed"
    order.close(LATER + timedelta(hours=1))
    assert order.closed_at == LATER
    assert len(events_of(order, OrderClosed)) == 1


def test_reopen_unarchives_the_order_once():
    order = make_order()
    order.reopen(LATER)
    assert order.events == []  # reopening an open order changes nothing
    order.close(LATER)
    order.reopen(LATER + timedelta(minutes=5))
    order.reopen(LATER + timedelta(minutes=6))
    assert order.closed_at is None and order.status == "open"
    assert len(events_of(order, OrderReopened)) == 1
    assert order.updated_at == LATER + timedelta(minutes=5)


# --- cancel ---------------------------------------------------------------


def test_cancel_records_reason_and_event():
    order = make_order("pending")
    order.cancel(LATER, reason="customer", author="staff")
    assert order.cancelled_at == LATER
    assert order.cancel_reason == "customer"
    assert order.status == "cancelled"
    (event,) = events_of(order, OrderCancelled)
    assert (event.reason, event.restock, event.author) == ("customer", False, "staff")


def test_cancel_without_reason_uses_other():
    order = make_order("pending")
    order.cancel(LATER)
    assert order.cancel_reason == "other"


def test_cancel_with_an_unknown_reason_is_refused():
    order = make_order("pending")
    with pytest.raises(InvalidInput):
        order.cancel(LATER, reason="bored")
    assert order.cancelled_at is None


def test_cancelling_twice_is_an_invalid_transition():
    order = make_order("pending")
    order.cancel(LATER)
    with pytest.raises(InvalidTransition):
        order.cancel(LATER + timedelta(minutes=1))
    assert order.cancelled_at == LATER
    assert len(events_of(order, OrderCancelled)) == 1


@pytest.mark.parametrize("quantities", [{11: 3, 12: 1}, {11: 1}])
def test_cancelling_a_paid_order_with_fulfillments_is_refused(quantities):
    order = make_order("paid")
    order.fulfillments.append(Fulfillment(quantities))
    with pytest.raises(InvalidTransition):
        order.cancel(LATER)
    assert order.cancelled_at is None and order.events == []


def test_a_paid_unfulfilled_order_can_be_cancelled():
    order = make_order("paid")
    order.cancel(LATER)
    assert order.status == "cancelled"


def test_a_fulfilled_but_unpaid_order_can_be_cancelled():
    order = make_order("pending")
    order.fulfillments.append(Fulfillment({11: 3, 12: 1}))
    order.cancel(LATER)
    assert order.status == "cancelled"


def test_cancel_with_restock_restocks_every_unfulfilled_quantity():
    order = make_order("pending")
    order.cancel(LATER, restock=True)
    assert [li.restocked_quantity for li in order.line_items] == [3, 1]
    assert order.fulfillment_status == "restocked"
    (event,) = events_of(order, LineItemsRestocked)
    assert event.quantities == ((11, 3), (12, 1))
    assert all(order.fulfillable_quantity(li) == 0 for li in order.line_items)


def test_cancel_with_restock_skips_what_was_already_shipped():
    order = make_order("pending")
    order.fulfillments.append(Fulfillment({11: 1}))
    order.cancel(LATER, restock=True)
    assert [li.restocked_quantity for li in order.line_items] == [2, 1]
    assert order.fulfillment_status == "partial"  # one boot left the warehouse


def test_cancel_without_restock_leaves_quantities_and_status():
    order = make_order("pending")
    order.cancel(LATER)
    assert [li.restocked_quantity for li in order.line_items] == [0, 0]
    assert order.fulfillment_status is None
    assert events_of(order, LineItemsRestocked) == []


def test_cancelled_order_has_nothing_outstanding():
    order = make_order("pending")
    assert order.total_outstanding == order.totals.total.presentment.amount
    order.cancel(LATER)
    assert order.total_outstanding == 0


# --- update_details -------------------------------------------------------


def test_changing_the_note_emits_note_changed_and_order_updated():
    order = make_order(note="old")
    changed = order.update_details({"note": "new"}, LATER, author="staff")
    assert changed == ["note"]
    (note,) = events_of(order, NoteChanged)
    assert (note.old, note.new) == ("old", "new")
    (updated,) = events_of(order, OrderUpdated)
    assert updated.changed == ("note",)
    assert order.note == "new" and order.updated_at == LATER


def test_setting_the_same_note_changes_nothing():
    order = make_order(note="same")
    assert order.update_details({"note": "same"}, LATER) == []
    assert order.events == []
    assert order.updated_at == AT


def test_changing_tags_emits_tags_changed_with_added_and_removed():
    order = make_order(tags=("vip", "gift"))
    changed = order.update_details({"tags": "vip, wholesale"}, LATER)
    assert changed == ["tags"]
    assert order.tags == ("vip", "wholesale")
    (event,) = events_of(order, TagsChanged)
    assert (event.added, event.removed) == (("wholesale",), ("gift",))
    assert events_of(order, OrderUpdated)[0].changed == ("tags",)


def test_same_tags_with_different_spacing_change_nothing():
    order = make_order(tags=("vip", "gift"))
    assert order.update_details({"tags": " vip ,gift, "}, LATER) == []
    assert order.events == []


def test_reordering_tags_is_a_change_without_tags_changed_event():
    order = make_order(tags=("vip", "gift"))
    assert order.update_details({"tags": "gift, vip"}, LATER) == ["tags"]
    assert events_of(order, TagsChanged) == []
    assert len(events_of(order, OrderUpdated)) == 1


def test_a_tag_longer_than_40_characters_is_refused():
    order = make_order(tags=("vip",))
    with pytest.raises(InvalidInput) as info:
        order.update_details({"tags": "ok, " + "x" * 41}, LATER)
    assert info.value.field == "tags"
    assert order.tags == ("vip",) and order.events == []


def test_a_tag_of_exactly_40_characters_is_accepted():
    order = make_order()
    order.update_details({"tags": "x" * 40}, LATER)
    assert order.tags == ("x" * 40,)


def test_plain_fields_emit_only_order_updated_listing_them():
    order = make_order(email="a@example.com")
    changed = order.update_details({"email": "b@example.com", "phone": None, "buyer_accepts_marketing": True}, LATER)
    assert changed == ["email", "buyer_accepts_marketing"]
    assert [type(e) for e in order.events] == [OrderUpdated]
    assert order.events[0].changed == ("email", "buyer_accepts_marketing")


def test_several_changes_emit_one_order_updated():
    order = make_order(note=None, tags=())
    order.update_details({"note": "n", "tags": "a", "email": "x@example.com"}, LATER)
    assert [type(e) for e in order.events] == [NoteChanged, TagsChanged, OrderUpdated]
    assert order.events[-1].changed == ("note", "tags", "email")


def test_removing_the_customer_is_a_change():
    order = make_order(customer_id=7)
    assert order.update_details({"customer_id": None}, LATER) == ["customer"]
    assert order.customer_id is None


def test_unwritable_fields_are_refused():
    order = make_order()
    with pytest.raises(InvalidInput) as info:
        order.update_details({"billing_address": {"city": "Elsewhere"}}, LATER)
    assert info.value.field == "billing_address"
