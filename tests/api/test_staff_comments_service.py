"""services/comments.py: one transaction per change, author-only changes, staff-only authors,
the order's visibility, and comments leave with their order."""

from __future__ import annotations

import pytest

from orderdesk.domain.access import SYSTEM, Caller
from orderdesk.domain.errors import Forbidden, InvalidInput, NotFound
from orderdesk.services import comments
from orderdesk.services.orders import change_tags
from orderdesk.services.staff import create_staff
from tests.builders import create_order


@pytest.fixture
def members(services):
    olivia = create_staff(services, "olivia@shop.example", "olivia password 1", role="owner", name="Olivia Owner")
    carl = create_staff(services, "carl@shop.example", "carl password 1", permissions=["orders"], name="Carl Clerk")
    return olivia.caller(), carl.caller()


def test_post_edit_delete_by_the_author(api, services, members):
    olivia, carl = members
    order = create_order(api)
    posted = comments.post(services, order["id"], "  First words  ", caller=olivia)
    assert (posted.body, posted.author, posted.edited) == ("First words", "Olivia Owner", False)
    edited = comments.edit(services, order["id"], posted.id, "Second words", caller=olivia)
    assert edited.body == "Second words" and edited.created_at == posted.created_at
    with pytest.raises(Forbidden):
        comments.edit(services, order["id"], posted.id, "Carl's words", caller=carl)
    with pytest.raises(Forbidden):
        comments.delete(services, order["id"], posted.id, caller=carl)
    assert [c.body for c in comments.for_order(services, order["id"], caller=carl)] == ["Second words"]
    comments.delete(services, order["id"], posted.id, caller=olivia)
    assert comments.for_order(services, order["id"], caller=olivia) == []


def test_only_staff_write_comments_and_the_rules_hold(api, services, members):
    olivia, _ = members
    order = create_order(api)
    app = Caller(name="some app", scopes=frozenset({"write_orders"}), app_id=1)
    for caller in (app, SYSTEM):
        with pytest.raises(Forbidden):
            comments.post(services, order["id"], "hello", caller=caller)
    with pytest.raises(InvalidInput) as blank:
        comments.post(services, order["id"], " \n ", caller=olivia)
    assert blank.value.field == "comment"
    with pytest.raises(InvalidInput):
        comments.post(services, order["id"], "x" * 5001, caller=olivia)
    with pytest.raises(NotFound):
        comments.post(services, 999_999, "hello", caller=olivia)
    assert comments.for_order(services, order["id"], caller=olivia) == []


def test_comments_go_with_their_order(api, services, members):
    olivia, _ = members
    order = create_order(api)
    comments.post(services, order["id"], "gone soon", caller=olivia)
    assert api.delete(f"{api.base}/orders/{order['id']}.json").status_code == 200
    with pytest.raises(NotFound):
        comments.for_order(services, order["id"], caller=olivia)
    from orderdesk.db import order_comments

    with services.db.reading() as uow:
        assert order_comments.for_order(uow.conn, order["id"]) == []


def test_change_tags_adds_and_removes_against_the_current_tags(api, services, members):
    olivia, _ = members
    order = create_order(api, tags="gift, Rush")
    change_tags(services, order["id"], add=("vip",), caller=olivia)
    change_tags(services, order["id"], remove=("rush",), caller=olivia)  # case does not matter
    assert api.get(f"{api.base}/orders/{order['id']}.json").json()["order"]["tags"] == "gift, vip"
