"""Staff accounts' rules (no database): what an email, a password, a role and permissions must be."""

from __future__ import annotations

import pytest

from orderdesk.domain.errors import InvalidInput
from orderdesk.domain.staff import MAX_PASSWORD, MIN_PASSWORD, PERMISSIONS, check_email, check_password, check_permissions, check_role


def test_an_email_is_trimmed_and_lower_cased():
    assert check_email("  Ann@Example.COM ") == "ann@example.com"


@pytest.mark.parametrize("email", ["", "ann", "ann@", "@example.com", "a" * 250 + "@example.com"])
def test_a_malformed_or_overlong_email_is_refused(email):
    with pytest.raises(InvalidInput) as refused:
        check_email(email)
    assert refused.value.field == "email"


def test_a_password_has_a_minimum_and_a_maximum_length():
    assert check_password("x" * MIN_PASSWORD) == "x" * MIN_PASSWORD
    with pytest.raises(InvalidInput, match=f"at least {MIN_PASSWORD}"):
        check_password("x" * (MIN_PASSWORD - 1))
    with pytest.raises(InvalidInput, match=f"at most {MAX_PASSWORD}"):
        check_password("x" * (MAX_PASSWORD + 1))


def test_a_role_is_owner_or_staff():
    assert check_role("staff") == "staff"
    with pytest.raises(InvalidInput, match="owner, staff"):
        check_role("admin")


def test_permissions_come_back_in_the_documented_order_without_repeats():
    assert check_permissions(["refunds", "orders", "refunds"]) == ("orders", "refunds")
    assert check_permissions(list(reversed(PERMISSIONS))) == tuple(PERMISSIONS)


def test_an_unknown_permission_is_named_in_the_refusal():
    with pytest.raises(InvalidInput) as refused:
        check_permissions(["orders", "delete_everything"])
    assert refused.value.field == "permissions" and "delete_everything" in refused.value.message
