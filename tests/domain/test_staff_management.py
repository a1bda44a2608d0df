"""Who may change whose account (domain/staff.check_may_manage)."""

from __future__ import annotations

import pytest

from orderdesk.domain.access import Caller
from orderdesk.domain.errors import Forbidden
from orderdesk.domain.staff import PERMISSIONS, check_may_manage

OWNER = Caller(name="Olivia", staff_id=1, permissions=frozenset(PERMISSIONS))
MANAGER = Caller(name="Hana", staff_id=2, permissions=frozenset({"staff", "orders"}))


def test_an_owner_and_the_command_line_may_change_anyone():
    check_may_manage(OWNER, member_role="owner", role="owner", permissions=list(PERMISSIONS))
    check_may_manage(Caller(name="orderdesk", system=True), member_role="owner", role="staff")


def test_a_staff_manager_manages_staff_within_their_own_permissions():
    check_may_manage(MANAGER, member_role="staff", role="staff", permissions=["orders"])
    with pytest.raises(Forbidden) as grant:
        check_may_manage(MANAGER, member_role="staff", permissions=["orders", "refunds", "tokens"])
    assert grant.value.field == "permissions" and "refunds, tokens" in grant.value.message
    for kwargs in ({"member_role": "owner"}, {"member_role": "staff", "role": "owner"}):
        with pytest.raises(Forbidden) as raised:
            check_may_manage(MANAGER, **kwargs)
        assert raised.value.field == "role"
