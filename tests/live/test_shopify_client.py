"""The official ``ShopifyAPI`` client, unchanged, against a real ``orderdesk serve`` process.

One server per backend for the whole module (SQLite file; PostgreSQL in a fresh database of
its own so that other tests' truncation of ``public`` in ``test`` cannot interfere). Tests share
that server, so each one asserts only about the orders it created itself.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import shopify
from pyactiveresource.connection import ResourceNotFound, UnauthorizedAccess

from tests.builders import order_body

pytestmark = pytest.mark.live

API_VERSION = "2024-10"


def _create(**overrides) -> shopify.Order:
    order = shopify.Order.create(order_body(**overrides))
    assert order.errors.full_messages() == [], order.errors.full_messages()
    assert order.id, "the created order has no id"
    return order


# --- create and read -------------------------------------------------------------------------


def test_client_creates_an_order_with_every_part_and_reads_its_totals(client):
    order = shopify.Order.create(order_body())

    assert order.errors.full_messages() == []
    assert isinstance(order.id, int) and order.id > 0
    assert order.name.startswith("#")
    assert order.total_line_items_price == "244.96"
    assert order.subtotal_price == "234.96"
    assert order.total_price == "259.66"
    assert order.total_tax == "14.70"
    assert order.total_discounts == "10.00"
    assert order.currency == "USD"
    assert order.financial_status == "paid"
    assert order.fulfillment_status is None
    assert [li.title for li in order.line_items] == ["Big Brown Bear Boots", "Raspberry Beret"]
    assert [li.quantity for li in order.line_items] == [3, 1]
    assert order.line_items[0].price == "74.99"
    assert order.customer.email == "bob.norman@example.com"
    assert order.shipping_address.city == "Fakecity"
    assert order.billing_address.address1 == "123 Fake Street"
    assert order.shipping_lines[0].code == "STD"
    assert order.shipping_lines[0].price == "10.00"
    assert order.tax_lines[0].price == "14.70"
    assert order.discount_codes[0].code == "TENOFF"
    assert order.discount_codes[0].amount == "10.00"


def test_client_finds_a_created_order_by_id(client):
    created = _create(note="find me")

    found = shopify.Order.find(created.id)

    assert found.id == created.id
    assert found.name == created.name
    assert found.note == "find me"
    assert found.total_price == "259.66"
    assert found.customer.id == created.customer.id


def test_client_filters_orders_with_query_parameters(client):
    before = datetime.now(UTC) - timedelta(minutes=5)
    pending = _create(financial_status="pending", email="pending.filter@example.com")
    paid = _create(email="paid.filter@example.com")
    after = datetime.now(UTC) + timedelta(minutes=5)
    ids = f"{pending.id},{paid.id}"

    found = shopify.Order.find(
        status="any",
        financial_status="pending",
        fulfillment_status="unshipped",
        created_at_min=before.isoformat(),
        updated_at_max=after.isoformat(),
        since_id=pending.id - 1,
        ids=ids,
        fields="id,name",
        limit=50,
    )

    assert [o.id for o in found] == [pending.id]
    assert set(found[0].attributes) == {"id", "name"}
    assert found[0].name == pending.name

    first_page = shopify.Order.find(status="any", ids=ids, fields="id", limit=1)
    assert [o.id for o in first_page] == [paid.id]  # newest first
    assert first_page.has_next_page()
    second_page = first_page.next_page()
    assert [o.id for o in second_page] == [pending.id]
    assert set(second_page[0].attributes) == {"id"}  # fields survive into the page_info link
    assert not second_page.has_next_page()

    assert [o.id for o in shopify.Order.find(status="any", ids=ids, since_id=pending.id, fields="id")] == [paid.id]
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    assert list(shopify.Order.find(status="any", ids=ids, created_at_min=future)) == []
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    assert list(shopify.Order.find(status="any", ids=ids, updated_at_max=past)) == []


def test_client_walks_every_page_with_paginated_iterator(client):
    for _ in range(7):
        _create()
    expected = shopify.Order.count(status="any")
    assert expected >= 7

    seen: list[int] = []
    pages = 0
    for page in shopify.PaginatedIterator(shopify.Order.find(limit=3, status="any")):
        pages += 1
        assert len(page) <= 3
        seen.extend(o.id for o in page)

    assert len(seen) == len(set(seen)), "an order was returned twice"
    assert len(seen) == expected
    assert pages == -(-expected // 3)


def test_client_counts_orders(client):
    before = shopify.Order.count(status="any")
    order = _create()
    assert shopify.Order.count(status="any") == before + 1
    assert isinstance(before, int)
    order.close()
    assert shopify.Order.count(status="closed") >= 1
    assert shopify.Order.count(status="any") == before + 1


# --- update through save() ----------------------------------------------------------------------


def test_client_saves_changes_by_putting_the_whole_order(client):
    order = _create()
    order.note = "Leave at the back door"
    order.tags = "vip, rush"
    order.email = "new.address@example.com"
    order.phone = "+15555550123"
    order.shipping_address.address1 = "42 Other Road"
    order.shipping_address.city = "Otherville"
    order.note_attributes = [{"name": "gift", "value": "yes"}]

    assert order.save() is True, order.errors.full_messages()
    assert order.errors.full_messages() == []

    found = shopify.Order.find(order.id)
    assert found.note == "Leave at the back door"
    assert sorted(t.strip() for t in found.tags.split(",")) == ["rush", "vip"]
    assert found.email == "new.address@example.com"
    assert found.phone == "+15555550123"
    assert found.shipping_address.address1 == "42 Other Road"
    assert found.shipping_address.city == "Otherville"
    assert [(a.name, a.value) for a in found.note_attributes] == [("gift", "yes")]
    # Read-only fields sent back in the PUT are ignored, not applied and not rejected.
    assert found.name == order.name
    assert found.total_price == "259.66"


def test_client_saving_an_unchanged_found_order_is_accepted(client):
    order = shopify.Order.find(_create().id)
    assert order.save() is True, order.errors.full_messages()
    assert shopify.Order.find(order.id).total_price == "259.66"


# --- actions --------------------------------------------------------------------------------------


def test_client_closes_and_reopens_an_order(client):
    order = _create()

    order.close()
    assert order.closed_at is not None
    assert shopify.Order.find(order.id).closed_at is not None
    assert order.id in [o.id for o in shopify.Order.find(status="closed", ids=str(order.id))]

    order.open()
    assert order.closed_at is None
    assert shopify.Order.find(order.id).closed_at is None
    assert order.id in [o.id for o in shopify.Order.find(status="open", ids=str(order.id))]


def test_client_cancels_an_order_with_query_string_options(client):
    order = _create()

    order.cancel(reason="customer", email=True, restock=True)

    # Shopify answers a cancel with {"order": ..., "notice": ...}: the client keeps both as attributes.
    assert order.notice == "Order has been canceled"
    assert order.order.cancelled_at is not None
    assert order.order.cancel_reason == "customer"
    found = shopify.Order.find(order.id)
    assert found.cancelled_at is not None
    assert found.cancel_reason == "customer"
    assert [o.id for o in shopify.Order.find(status="cancelled", ids=str(order.id))] == [order.id]
    assert "cancelled" in [e.verb for e in order.events()]


def test_client_destroys_an_order_and_it_is_gone(client):
    order = _create()

    order.destroy()

    with pytest.raises(ResourceNotFound):
        shopify.Order.find(order.id)


# --- errors -----------------------------------------------------------------------------------------


def test_client_save_returns_false_and_fills_errors_on_zero_quantity(client):
    body = order_body(line_items=[{"title": "Nothing", "price": "1.00", "quantity": 0}])
    order = shopify.Order(body)

    assert order.save() is False
    assert order.errors.full_messages(), "422 without errors"
    assert order.id is None


def test_client_save_returns_false_and_fills_errors_on_unknown_currency(client):
    order = shopify.Order(order_body(currency="XXQ"))

    assert order.save() is False
    assert order.errors.full_messages()


def test_client_update_with_invalid_data_returns_false(client):
    order = _create()
    order.note = "x" * 10_000
    assert order.save() is False
    assert order.errors.full_messages()
    assert shopify.Order.find(order.id).note != order.note


def test_client_find_of_unknown_order_raises_resource_not_found(client):
    with pytest.raises(ResourceNotFound):
        shopify.Order.find(987_654_321)


# --- related resources -------------------------------------------------------------------------------


def test_client_lists_a_customers_orders(client):
    email = f"cust.{uuid.uuid4().hex[:8]}@example.com"
    customer = {"first_name": "Cust", "last_name": "Omer", "email": email}
    first = _create(email=email, customer=customer)
    second = _create(email=email, customer=customer)
    _create()  # someone else's
    assert first.customer.id == second.customer.id

    orders = shopify.Order.find(customer_id=first.customer.id, status="any")

    assert sorted(o.id for o in orders) == sorted([first.id, second.id])


def test_client_reads_the_current_shop(client):
    shop = shopify.Shop.current()

    assert shop.name == "T"
    assert shop.email == "t@example.com"
    assert shop.currency == "USD"
    assert shop.iana_timezone == "America/New_York"


def test_client_creates_and_finds_a_product(client):
    product = shopify.Product.create(
        {
            "title": "Live Test Hat",
            "vendor": "Hats Inc",
            "variants": [{"title": "Default", "price": "12.50", "sku": f"HAT-{uuid.uuid4().hex[:6]}"}],
        }
    )
    assert product.errors.full_messages() == []
    assert product.id

    found = shopify.Product.find(product.id)
    assert found.title == "Live Test Hat"
    assert found.variants[0].price == "12.50"
    assert product.id in [p.id for p in shopify.Product.find(limit=250)]


def test_client_reads_an_orders_events(client):
    order = _create()
    order.close()

    events = shopify.Event.find(resource="orders", resource_id=order.id)

    assert len(events) >= 2
    assert all(e.subject_id == order.id for e in events)
    assert all(e.subject_type == "Order" for e in events)
    verbs = [e.verb for e in events]
    assert verbs[0] == "placed", verbs
    assert verbs[-1] == "closed", verbs
    assert len({e.id for e in events}) == len(events)
    # The Events mixin on the order calls the same endpoint.
    assert [e.id for e in order.events()] == [e.id for e in events]


def test_client_with_a_bad_token_gets_unauthorized(client):
    shopify.ShopifyResource.headers["X-Shopify-Access-Token"] = "not-a-real-token"
    with pytest.raises(UnauthorizedAccess):
        shopify.Order.find(status="any")


def test_client_money_fields_are_strings_with_two_decimals(client):
    order = shopify.Order.find(_create().id)
    for field in ("total_price", "subtotal_price", "total_tax", "total_discounts", "total_line_items_price"):
        value = getattr(order, field)
        assert isinstance(value, str), field
        assert Decimal(value).as_tuple().exponent == -2, (field, value)


def test_client_exists_is_true_for_an_existing_order(client):
    order = _create()
    assert shopify.Order.exists(order.id) is True
    assert shopify.Order.exists(987_654_321) is False


def test_client_reads_call_limits_from_the_last_response(client):
    shopify.Shop.current()
    assert shopify.Limits.credit_limit() > 0
    assert 0 <= shopify.Limits.credit_left() <= shopify.Limits.credit_limit()
