"""Who may do what (no database): staff permissions in the admin, apps' scopes and what they own."""

from __future__ import annotations

from datetime import timedelta

import pytest

from orderdesk.domain.access import SYSTEM, Caller
from orderdesk.domain.errors import Forbidden
from orderdesk.domain.staff import PERMISSIONS, StaffMember

from .factories import AT


def test_staff_without_a_permission_are_refused_with_its_name():
    clerk = StaffMember(id=2, email="clerk@example.com", name="Clerk", role="staff", permissions=("orders",)).caller()
    clerk.require_permission("orders")
    with pytest.raises(Forbidden) as refused:
        clerk.require_permission("refunds")
    assert refused.value.field == "permission" and "refunds permission" in refused.value.message


def test_the_owner_and_orderdesk_itself_hold_every_permission():
    owner = StaffMember(id=1, email="owner@example.com", name="", role="owner", permissions=()).caller()
    assert owner.name == "owner@example.com"  # the timeline names the owner by email when there is no name
    for permission in PERMISSIONS:
        owner.require_permission(permission)
        SYSTEM.require_permission(permission)


def test_an_app_sees_its_own_objects_and_ownerless_ones_but_not_another_apps():
    app = Caller(name="shipper", app_id=7)
    assert app.owns(7) and app.owns(None) and not app.owns(8)
    assert Caller(name="staff", staff_id=1).owns(8)  # staff act for the shop


def test_a_fulfillment_order_at_an_apps_own_service_is_assigned_to_it():
    app = Caller(name="shipper", app_id=7)
    assert app.fulfillment_order_kind(7, at_service=True) == "assigned"
    assert app.fulfillment_order_kind(8, at_service=True) == "third_party"
    assert app.fulfillment_order_kind(None, at_service=False) == "merchant_managed"
    assert Caller(name="staff", staff_id=1).fulfillment_order_kind(7, at_service=True) == "third_party"


def test_only_read_all_orders_lifts_the_60_day_window():
    assert Caller(name="app", scopes=frozenset({"read_orders"})).orders_visible_since(AT) == AT - timedelta(days=60)
    assert Caller(name="app", scopes=frozenset({"read_all_orders"})).orders_visible_since(AT) is None
