"""Fulfillment-order rules without a database: the TRANSITIONS table is the whole truth.

Every status x every action method is tried; a move is allowed exactly when (status, action)
is in TRANSITIONS, and lands in the documented status. The table is iterated generically so
that new entries (fulfillment-service requests) need no change here.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest

from orderdesk.domain.errors import InvalidInput, InvalidTransition
from orderdesk.domain.fulfillment_order_rules import HOLD_REASONS, REQUEST_LOCKS, REQUEST_STATUSES, SERVICE_MAY_SHIP, STATUSES, TRANSITIONS
from orderdesk.domain.fulfillment_orders import FulfillmentOrder, FulfillmentOrderLine, admin_status

T0 = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
LATER = T0 + timedelta(days=3)

# method name -> action key in TRANSITIONS
METHODS = {
    "hold": "hold",
    "release_hold": "release_hold",
    "reschedule": "reschedule",
    "mark_open": "open",
    "cancel": "cancel",
    "close": "close",
    "fulfill": "fulfill",
    "restore": "restore",
    "close_for_move": "move",
    "close_for_cancelled_order": "order_cancelled",
}


def make(status: str = "open", *, quantities=(3, 2), fulfilled=(0, 0), **kw) -> FulfillmentOrder:
    lines = [
        FulfillmentOrderLine(line_item_id=100 + i, quantity=q, fulfilled=f, id=10 + i)
        for i, (q, f) in enumerate(zip(quantities, fulfilled))
    ]
    fo = FulfillmentOrder(assigned_location_id=1, lines=lines, created_at=T0, updated_at=T0, status=status, id=1, **kw)
    return fo


def fixture_for(status: str, action: str) -> FulfillmentOrder:
    """A fulfillment order in ``status`` whose quantities make the table's target the natural one."""
    if action == "restore":
        # open -> open needs nothing shipped; everything else has something shipped to take back
        return make(status) if status == "open" else make(status, fulfilled=(2, 0))
    fo = make(status)
    if status == "on_hold":
        fo.holds = []
        fo.status_before_hold = "open"
        from orderdesk.domain.fulfillment_orders import FulfillmentHold

        fo.holds.append(FulfillmentHold("other", None, T0))
    return fo


def call(fo: FulfillmentOrder, method: str):
    at = T0 + timedelta(minutes=1)
    if method == "hold":
        return fo.hold("other", "note", at)
    if method == "release_hold":
        return fo.release_hold(at)
    if method == "reschedule":
        return fo.reschedule(LATER, at)
    if method == "fulfill":
        return fo.fulfill({10: 1}, at)  # part of one line: in_progress
    if method == "restore":
        return fo.restore({100: 1} if fo.lines[0].fulfilled else {}, at)
    return getattr(fo, method)(at)


CASES = [(s, m) for s in STATUSES for m in METHODS]


@pytest.mark.parametrize("status,method", CASES, ids=[f"{s}-{m}" for s, m in CASES])
def test_every_status_and_action_follows_the_table(status, method):
    action = METHODS[method]
    fo = fixture_for(status, action)
    allowed = (status, action) in TRANSITIONS
    if not allowed:
        with pytest.raises(InvalidTransition):
            call(fo, method)
        assert fo.status == status
        return
    call(fo, method)
    expected = TRANSITIONS[(status, action)]
    if action == "release_hold":
        expected = "open"  # status_before_hold of the fixture
    assert fo.status == expected, (status, method, fo.status)
    assert fo.updated_at == T0 + timedelta(minutes=1)


def test_the_table_only_uses_known_statuses():
    for (status, _action), target in TRANSITIONS.items():
        assert status in STATUSES
        assert target in STATUSES


REFUSED = [pytest.param(s, m, id=f"{s}-{m}") for s, m in CASES if (s, METHODS[m]) not in TRANSITIONS]


@pytest.mark.parametrize("status,method", REFUSED)
def test_a_refused_move_changes_nothing(status, method):
    fo = fixture_for(status, METHODS[method])
    before = copy.deepcopy(fo)
    with pytest.raises(InvalidTransition):
        call(fo, method)
    before.updated_at = fo.updated_at
    assert fo == before


# --- holds ------------------------------------------------------------------------------------


def test_holds_stack_and_the_first_one_is_reported_once():
    fo = make("open")
    assert fo.hold("incorrect_address", "check", T0) is True
    assert fo.hold("awaiting_payment", None, T0) is False
    assert fo.hold("other", None, T0) is False
    assert fo.status == "on_hold"
    assert [h.reason for h in fo.holds] == ["incorrect_address", "awaiting_payment", "other"]
    # releasing one reason keeps the others
    assert fo.release_hold(T0, "awaiting_payment") is False
    assert fo.status == "on_hold" and [h.reason for h in fo.holds] == ["incorrect_address", "other"]
    assert fo.release_hold(T0) is True
    assert fo.status == "open" and fo.holds == [] and fo.status_before_hold is None


def test_release_returns_to_the_status_before_the_hold():
    fo = make("in_progress", fulfilled=(1, 0))
    fo.hold("other", None, T0)
    fo.hold("high_risk_of_fraud", None, T0)
    fo.release_hold(T0)
    assert fo.status == "in_progress"


@pytest.mark.parametrize("reason", HOLD_REASONS)
def test_every_documented_hold_reason_is_accepted(reason):
    fo = make("open")
    fo.hold(reason, None, T0)
    assert fo.status == "on_hold" and fo.holds[0].reason == reason


def test_an_unknown_hold_reason_is_invalid_input():
    fo = make("open")
    with pytest.raises(InvalidInput):
        fo.hold("because", None, T0)
    assert fo.status == "open" and fo.holds == []


def test_a_held_order_cannot_be_fulfilled_until_released():
    fo = make("open")
    fo.hold("other", None, T0)
    with pytest.raises(InvalidTransition):
        fo.fulfill({}, T0)
    fo.release_hold(T0)
    fo.fulfill({}, T0)
    assert fo.status == "closed"


# --- reschedule ----------------------------------------------------------------------------------


def test_reschedule_needs_a_future_date():
    fo = make("open")
    with pytest.raises(InvalidInput):
        fo.reschedule(T0 - timedelta(seconds=1), T0)
    with pytest.raises(InvalidInput):
        fo.reschedule(T0, T0)
    assert fo.status == "open" and fo.fulfill_at is None
    fo.reschedule(LATER, T0)
    assert fo.status == "scheduled" and fo.fulfill_at == LATER
    fo.mark_open(T0)
    assert fo.status == "open"


# --- fulfil quantities ---------------------------------------------------------------------------


def test_partial_fulfil_is_in_progress_and_the_rest_closes():
    fo = make("open")
    taken = fo.fulfill({10: 2}, T0)
    assert taken == {100: 2}
    assert fo.status == "in_progress" and fo.remaining == 3
    taken = fo.fulfill({10: 1, 11: 2}, T0)
    assert taken == {100: 1, 101: 2}
    assert fo.status == "closed" and fo.remaining == 0
    assert [line.fulfillable_quantity for line in fo.lines] == [0, 0]


def test_empty_quantities_fulfil_everything_left():
    fo = make("in_progress", fulfilled=(1, 0))
    assert fo.fulfill({}, T0) == {100: 2, 101: 2}
    assert fo.status == "closed"


@pytest.mark.parametrize("quantities", [{10: 4}, {11: 3}, {10: 0}, {10: -1}])
def test_more_than_remains_or_nothing_is_invalid_input_and_changes_nothing(quantities):
    fo = make("open")
    with pytest.raises(InvalidInput):
        fo.fulfill(quantities, T0)
    assert fo.status == "open" and [line.fulfilled for line in fo.lines] == [0, 0]


def test_more_than_remains_after_a_partial_fulfil():
    fo = make("open")
    fo.fulfill({10: 2}, T0)
    with pytest.raises(InvalidInput):
        fo.fulfill({10: 2}, T0)
    assert fo.lines[0].fulfilled == 2 and fo.status == "in_progress"


def test_an_unknown_line_is_invalid_input():
    fo = make("open")
    with pytest.raises(InvalidInput):
        fo.fulfill({999: 1}, T0)
    with pytest.raises(InvalidInput):
        fo.fulfill({10: 1, 999: 1}, T0)
    assert [line.fulfilled for line in fo.lines] == [0, 0]


def test_restore_puts_quantities_back():
    fo = make("open")
    fo.fulfill({}, T0)
    fo.restore({100: 1}, T0)
    assert fo.status == "in_progress" and fo.lines[0].fulfillable_quantity == 1
    fo.restore({100: 2, 101: 2}, T0)
    assert fo.status == "open" and fo.remaining == 5
    # never more than was shipped
    assert [line.fulfilled for line in fo.lines] == [0, 0]


def test_split_off_validates_lines():
    fo = make("open")
    assert [(fl.line_item_id, fl.quantity) for fl in fo.split_off({10: 2})] == [(100, 2)]
    assert [(fl.line_item_id, fl.quantity) for fl in fo.split_off(None)] == [(100, 3), (101, 2)]
    for bad in ({10: 4}, {999: 1}, {10: 0}):
        with pytest.raises(InvalidInput):
            fo.split_off(bad)


# --- supported actions, admin status ---------------------------------------------------------------

LABELS = {
    "create_fulfillment": "fulfill",
    "request_fulfillment": "request_fulfillment",
    "cancel_fulfillment_order": "cancel",
    "move": "move",
    "hold": "hold",
    "release_hold": "release_hold",
    "mark_as_open": "open",
}


@pytest.mark.parametrize("status", STATUSES)
def test_supported_actions_are_moves_the_table_allows(status):
    fo = make(status)
    actions = fo.supported_actions
    assert "request_fulfillment" not in actions  # no fulfillment service
    for label in actions:
        assert (status, LABELS[label]) in TRANSITIONS, (status, label)
    if status == "on_hold":
        assert actions == ["release_hold"]
    else:
        # everything the table allows (with a label) is offered
        for label, action in LABELS.items():
            if label != "request_fulfillment" and (status, action) in TRANSITIONS:
                assert label in actions, (status, label)


def test_supported_actions_documented_examples():
    assert make("on_hold").supported_actions == ["release_hold"]
    assert "mark_as_open" in make("scheduled").supported_actions
    assert "create_fulfillment" not in make("scheduled").supported_actions
    opened = make("open").supported_actions
    assert {"create_fulfillment", "move", "hold"} <= set(opened)
    for done in ("closed", "cancelled", "incomplete"):
        assert make(done).supported_actions == []


def test_supported_actions_with_a_fulfillment_service():
    fo = make("open", service_id=7)
    assert "request_fulfillment" in fo.supported_actions
    fo.request_status = "submitted"
    # Shopify's examples: a submitted request is withdrawn by cancelling, nothing else
    assert fo.supported_actions == ["cancel_fulfillment_order"]


@pytest.mark.parametrize(
    "status,request_status,expected",
    [
        ("open", "submitted", ["cancel_fulfillment_order"]),
        ("in_progress", "accepted", ["request_cancellation"]),
        ("in_progress", "cancellation_requested", ["cancel_fulfillment_order"]),
        ("in_progress", "cancellation_rejected", []),
        ("open", "rejected", ["request_fulfillment", "cancel_fulfillment_order", "move", "hold"]),
    ],
)
def test_supported_actions_while_a_service_has_the_request_match_shopify(status, request_status, expected):
    fo = make(status, service_id=7, request_status=request_status, fulfilled=(1, 0) if status == "in_progress" else (0, 0))
    assert fo.supported_actions == expected


def _service_fixture(status: str, request_status: str, action: str) -> FulfillmentOrder:
    fo = fixture_for(status, action)
    fo.service_id, fo.request_status = 7, request_status
    return fo


REQUEST_CASES = [(s, rs, m) for s in STATUSES for rs in REQUEST_STATUSES for m in METHODS]


def _allowed_at_service(status: str, request_status: str, action: str) -> bool:
    if (status, action) not in TRANSITIONS or action in REQUEST_LOCKS.get(request_status, {}):
        return False
    return action != "fulfill" or request_status in SERVICE_MAY_SHIP


@pytest.mark.parametrize("status,request_status,method", REQUEST_CASES, ids=[f"{s}-{rs}-{m}" for s, rs, m in REQUEST_CASES])
def test_every_status_request_status_and_action_at_a_service(status, request_status, method):
    """Exhaustive for fulfillment orders at a service: the table, less what REQUEST_LOCKS forbids
    (and a service ships only an accepted request); a refusal changes nothing."""
    action = METHODS[method]
    fo = _service_fixture(status, request_status, action)
    if not _allowed_at_service(status, request_status, action):
        before = copy.deepcopy(fo)
        with pytest.raises(InvalidTransition):
            call(fo, method)
        before.updated_at = fo.updated_at
        assert fo == before
        return
    call(fo, method)
    expected = "open" if action == "release_hold" else TRANSITIONS[(status, action)]
    assert fo.status == expected, (status, request_status, method, fo.status)


@pytest.mark.parametrize("status,request_status", [(s, rs) for s in STATUSES for rs in REQUEST_STATUSES])
def test_supported_actions_at_a_service_are_moves_that_are_allowed(status, request_status):
    fo = make(status, service_id=7, request_status=request_status)
    for label in fo.supported_actions:
        action = LABELS.get(label, label)
        if action == "request_cancellation":
            assert request_status == "accepted" and (status, action) in TRANSITIONS
        elif action == "request_fulfillment":
            assert request_status in ("unsubmitted", "rejected") and (status, action) in TRANSITIONS
        else:
            assert _allowed_at_service(status, request_status, action), (status, request_status, label)


def test_the_request_locks_explain_what_to_do():
    held = make("open", service_id=7, request_status="submitted")
    with pytest.raises(InvalidTransition, match="withdraw"):
        held.hold("other", None, T0)
    accepted = make("in_progress", service_id=7, request_status="accepted", fulfilled=(1, 0))
    with pytest.raises(InvalidTransition, match="request cancellation"):
        accepted.cancel(T0)
    with pytest.raises(InvalidTransition, match="request cancellation"):
        accepted.hold("other", None, T0)
    # a service that was deleted leaves no lock behind
    orphan = make("open", request_status="submitted")
    orphan.hold("other", None, T0)
    assert orphan.status == "on_hold"


def test_admin_status():
    assert admin_status([]) is None
    assert admin_status([make("open")]) is None
    assert admin_status([make("open"), make("on_hold")]) == "on_hold"
    assert admin_status([make("scheduled"), make("scheduled")]) == "scheduled"
    assert admin_status([make("scheduled"), make("closed")]) == "scheduled"
    assert admin_status([make("scheduled"), make("open")]) is None
    assert admin_status([make("closed"), make("cancelled")]) is None
    assert admin_status([make("on_hold"), make("scheduled")]) == "on_hold"
    assert admin_status([make("open", service_id=1, request_status="submitted")]) == "in_progress"
    assert admin_status([make("open", service_id=1, request_status="accepted")]) == "in_progress"
    assert admin_status([make("closed", service_id=1, request_status="submitted")]) is None


# --- units leave: cancel, move, split; shipments undone -------------------------------------------


def _lines(fo):
    return [(line.id, line.line_item_id, line.quantity, line.fulfilled) for line in fo.lines]


def test_cancel_keeps_only_what_shipped_and_hands_over_the_rest():
    fo = make("in_progress", fulfilled=(1, 0))
    leaving = fo.cancel(T0)
    assert [(line.line_item_id, line.quantity) for line in leaving] == [(100, 2), (101, 2)]
    assert _lines(fo) == [(10, 100, 1, 1)] and fo.remaining == 0
    untouched = make("open")
    assert sum(line.quantity for line in untouched.cancel(T0)) == 5 and untouched.lines == []  # Shopify: line_items []


def test_close_for_move_splits_moving_from_staying_and_keeps_nothing():
    fo = make("open")
    moving, staying = fo.close_for_move(T0, {10: 1})
    assert [(line.line_item_id, line.quantity) for line in moving] == [(100, 1)]
    assert [(line.line_item_id, line.quantity) for line in staying] == [(100, 2), (101, 2)]
    assert fo.status == "closed" and fo.lines == []
    refused = make("open")
    with pytest.raises(InvalidInput):
        refused.close_for_move(T0, {10: 0})
    assert refused.status == "open" and _lines(refused) == [(10, 100, 3, 0), (11, 101, 2, 0)]


def test_split_keeps_the_named_units_and_drops_emptied_lines():
    fo = make("open")
    rest = fo.split({11: None})  # a line named without a quantity is kept whole
    assert [(line.line_item_id, line.quantity) for line in rest] == [(100, 3)]
    assert _lines(fo) == [(11, 101, 2, 0)]
    with pytest.raises(InvalidInput):
        make("open").split({10: 4})


def test_a_partial_request_leaves_no_empty_line():
    fo = make("open", service_id=7)
    left = fo.request_fulfillment("go", T0, {10: 2})
    assert _lines(fo) == [(10, 100, 2, 0)] and fo.request_status == "submitted"
    assert [(line.line_item_id, line.quantity) for line in left] == [(100, 1), (101, 2)]


def test_restore_on_hold_keeps_the_hold_and_releases_to_the_work_left():
    fo = make("in_progress", fulfilled=(1, 0))
    fo.hold("other", None, T0)
    assert fo.restore({100: 1}, T0) == {100: 1}
    assert fo.status == "on_hold" and fo.remaining == 5
    fo.release_hold(T0)
    assert fo.status == "open"


def test_give_back_takes_shipped_units_off_a_finished_order():
    fo = make("in_progress", fulfilled=(2, 1))
    fo.cancel(T0)
    assert fo.give_back({100: 1, 101: 5}, T0) == {100: 1, 101: 1}
    assert _lines(fo) == [(10, 100, 1, 1)] and fo.status == "cancelled"


def test_a_service_ships_only_after_accepting():
    fo = make("open", service_id=7)
    assert "create_fulfillment" not in fo.supported_actions
    with pytest.raises(InvalidTransition):
        fo.fulfill({}, T0)
    fo.request_fulfillment(None, T0)
    with pytest.raises(InvalidTransition):
        fo.fulfill({}, T0)
    assert fo.remaining == 5 and fo.updated_at == T0
    fo.accept_request(None, T0)
    fo.fulfill({}, T0)
    assert (fo.status, fo.request_status) == ("closed", "closed")
    fo.restore({100: 1}, T0)  # its shipment undone: the service ships it again
    assert (fo.status, fo.request_status) == ("in_progress", "accepted")
