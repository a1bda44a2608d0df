"""Input rules a client meets first (no database): order tags and recorded transactions."""

from __future__ import annotations

import pytest

from orderdesk.domain.errors import InvalidInput
from orderdesk.domain.tags import MAX_TAG_LENGTH, MAX_TAGS, parse_tags

from .factories import tx


def test_tags_are_trimmed_and_repeats_in_any_case_kept_once_in_first_seen_order():
    assert parse_tags(" VIP, gift,,vip , Gift ") == ("VIP", "gift")
    assert parse_tags(["wholesale", " "]) == ("wholesale",)
    assert parse_tags(None) == ()


def test_a_tag_that_is_not_a_string_is_refused():
    with pytest.raises(InvalidInput, match="tags must be strings") as refused:
        parse_tags(["vip", 7])
    assert refused.value.field == "tags"


def test_too_long_a_tag_or_too_many_tags_is_refused():
    assert parse_tags("x" * MAX_TAG_LENGTH) == ("x" * MAX_TAG_LENGTH,)
    with pytest.raises(InvalidInput, match="too long"):
        parse_tags("x" * (MAX_TAG_LENGTH + 1))
    assert len(parse_tags([f"t{i}" for i in range(MAX_TAGS)])) == MAX_TAGS
    with pytest.raises(InvalidInput, match=f"at most {MAX_TAGS} tags"):
        parse_tags([f"t{i}" for i in range(MAX_TAGS + 1)])


@pytest.mark.parametrize(
    ("kind", "status", "amount", "field"),
    [("gift", "success", "1.00", "kind"), ("sale", "done", "1.00", "status"), ("refund", "success", "-1.00", "amount")],
)
def test_a_transaction_of_an_unknown_kind_or_status_or_a_negative_amount_is_refused(kind, status, amount, field):
    with pytest.raises(InvalidInput) as refused:
        tx(kind, amount, status)
    assert refused.value.field == field
