"""Fulfillment services: registration, fulfillment and cancellation requests, the signed
notification to the service's callback URL, assigned fulfillment orders and the diagnosis."""

from __future__ import annotations

from datetime import timedelta

from orderdesk.db import outbox_claims
from orderdesk.services.apps import signing_secret
from orderdesk.services.clock import FixedClock
from orderdesk.services.tokens import create_token
from orderdesk.worker.runner import Worker
from tests.builders import create_order
from tests.conftest import ALL_SCOPES, SERVICE_SCOPES
from tests.worker.receiver import verify_shopify_hmac


def register(api, name="Mars Fulfillment", callback_url="http://127.0.0.1:9", **extra):
    body = {
        "name": name,
        "callback_url": callback_url,
        "inventory_management": True,
        "tracking_support": True,
        "requires_shipping_method": True,
        "format": "json",
        "fulfillment_orders_opt_in": True,
        **extra,
    }
    r = api.post(f"{api.base}/fulfillment_services.json", json={"fulfillment_service": body})
    assert r.status_code == 201, r.text
    return r.json()["fulfillment_service"]


def order_at_service(api, service):
    """An order whose only open fulfillment order has been moved to the service's location."""
    order = create_order(api, financial_status="paid")
    fo = api.get(f"{api.base}/orders/{order['id']}/fulfillment_orders.json").json()["fulfillment_orders"][0]
    moved = api.post(
        f"{api.base}/fulfillment_orders/{fo['id']}/move.json", json={"fulfillment_order": {"new_location_id": service["location_id"]}}
    )
    assert moved.status_code == 200, moved.text
    return order, moved.json()["moved_fulfillment_order"]


def post(api, fo_id, path, root, **body):
    return api.post(f"{api.base}/fulfillment_orders/{fo_id}/{path}.json", json={root: body})


def fo_of(api, fo_id):
    return api.get(f"{api.base}/fulfillment_orders/{fo_id}.json").json()["fulfillment_order"]


def outbox_rows(services, kinds):
    with services.db.reading() as uow:
        return outbox_claims.pending(uow.conn, kinds=kinds)


def topics(services):
    return [r["topic"] for r in outbox_rows(services, ("webhook",))]


def verbs(api, order_id):
    return [e["verb"] for e in api.get(f"{api.base}/orders/{order_id}/events.json").json()["events"]]


# ---- the resource ----------------------------------------------------------------------------


def test_register_list_get_update_delete(svc):
    created = register(svc)
    assert created["handle"] == "mars-fulfillment" and created["name"] == "Mars Fulfillment"
    assert created["fulfillment_orders_opt_in"] is True and created["inventory_management"] is True
    location = svc.get(f"{svc.base}/locations/{created['location_id']}.json")
    assert location.status_code == 200 and location.json()["location"]["name"] == "Mars Fulfillment"
    assert svc.get(f"{svc.base}/fulfillment_services.json").json()["fulfillment_services"] == [created]
    assert svc.get(f"{svc.base}/fulfillment_services/{created['id']}.json").json()["fulfillment_service"] == created
    dup = svc.post(f"{svc.base}/fulfillment_services.json", json={"fulfillment_service": {"name": "Mars Fulfillment"}})
    assert dup.status_code == 422 and dup.json()["errors"] == {"name": ["has already been taken"]}
    blank = svc.post(f"{svc.base}/fulfillment_services.json", json={"fulfillment_service": {"callback_url": "http://127.0.0.1:9"}})
    assert blank.status_code == 422 and "name" in blank.json()["errors"]
    renamed = svc.put(f"{svc.base}/fulfillment_services/{created['id']}.json", json={"fulfillment_service": {"name": "New Name"}})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["fulfillment_service"]["name"] == "New Name"
    assert renamed.json()["fulfillment_service"]["handle"] == "mars-fulfillment"  # Shopify keeps the handle
    assert svc.delete(f"{svc.base}/fulfillment_services/{created['id']}.json").json() == {}
    assert svc.get(f"{svc.base}/fulfillment_services/{created['id']}.json").status_code == 404


def test_the_resource_needs_the_fulfillments_scopes(api, allow_private):
    r = api.post(f"{api.base}/fulfillment_services.json", json={"fulfillment_service": {"name": "X"}})
    assert r.status_code == 403 and "write_fulfillments" in r.text
    assert api.get(f"{api.base}/fulfillment_services.json").status_code == 403


def test_a_private_callback_is_refused_unless_allowed(api, services):
    api.headers["X-Shopify-Access-Token"] = create_token(services, "svc", ["write_fulfillments"])
    r = api.post(f"{api.base}/fulfillment_services.json", json={"fulfillment_service": {"name": "X", "callback_url": "http://127.0.0.1:9"}})
    assert r.status_code == 422 and "callback_url" in r.json()["errors"]


# ---- assignment -------------------------------------------------------------------------------


def test_an_order_stocked_only_at_the_service_location_is_assigned_to_the_service(svc):
    from tests.api.test_inventory import _buy, _product

    variant, _main = _product(svc, stock=None)
    service = register(svc)
    r = svc.post(
        f"{svc.base}/inventory_levels/set.json",
        json={"location_id": service["location_id"], "inventory_item_id": variant["inventory_item_id"], "available": 5},
    )
    assert r.status_code == 200, r.text
    order = _buy(svc, variant, 2)
    assert order.status_code == 201, order.text
    fos = svc.get(f"{svc.base}/orders/{order.json()['order']['id']}/fulfillment_orders.json").json()["fulfillment_orders"]
    assert [(fo["assigned_location_id"], fo["fulfillment_service_handle"]) for fo in fos] == [(service["location_id"], service["handle"])]
    assert "request_fulfillment" in fos[0]["supported_actions"]


def test_a_moved_fulfillment_order_belongs_to_the_service(svc):
    service = register(svc)
    _, fo = order_at_service(svc, service)
    assert fo["assigned_location_id"] == service["location_id"]
    assert fo["fulfillment_service_handle"] == service["handle"]
    assert fo["request_status"] == "unsubmitted"


# ---- fulfillment requests ------------------------------------------------------------------------


def test_submit_accept_and_fulfil(svc, services):
    service = register(svc)
    order, fo = order_at_service(svc, service)
    r = post(svc, fo["id"], "fulfillment_request", "fulfillment_request", message="Fulfill this ASAP please.")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["original_fulfillment_order"]["request_status"] == "submitted"
    assert body["submitted_fulfillment_order"]["id"] == fo["id"] and body["unsubmitted_fulfillment_order"] is None
    assert body["submitted_fulfillment_order"]["merchant_requests"][-1]["kind"] == "fulfillment_request"
    assert "create_fulfillment" not in body["submitted_fulfillment_order"]["supported_actions"]
    again = post(svc, fo["id"], "fulfillment_request", "fulfillment_request", message="again")
    assert again.status_code == 422, again.text
    accepted = post(svc, fo["id"], "fulfillment_request/accept", "fulfillment_request", message="On it")
    assert accepted.status_code == 200, accepted.text
    got = accepted.json()["fulfillment_order"]
    assert (got["request_status"], got["status"]) == ("accepted", "in_progress")
    assert "request_cancellation" in got["supported_actions"]
    f = svc.post(
        f"{svc.base}/fulfillments.json", json={"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": fo["id"]}]}}
    )
    assert f.status_code == 201, f.text
    done = fo_of(svc, fo["id"])
    assert (done["status"], done["request_status"]) == ("closed", "closed")
    assert svc.get(f"{svc.base}/orders/{order['id']}.json").json()["order"]["fulfillment_status"] == "fulfilled"
    t = topics(services)
    assert "fulfillment_orders/fulfillment_request_submitted" in t and "fulfillment_orders/fulfillment_request_accepted" in t
    v = verbs(svc, order["id"])
    assert "fulfillment_order_requested" in v and "fulfillment_order_request_accepted" in v
    notes = outbox_rows(services, ("service",))
    assert [(n["topic"], n["payload"]["kind"]) for n in notes] == [("fulfillment_order_notification", "FULFILLMENT_REQUEST")]


def test_outgoing_requests_list_the_request_until_the_service_answers(svc):
    from tests.api.test_fulfillment_orders import example
    from tests.api.test_golden_shapes import assert_same_shape

    service = register(svc)
    _, fo = order_at_service(svc, service)
    assert fo["outgoing_requests"] == []
    assert fo["origin"]["location_id"] == service["location_id"] and fo["origin"]["name"] == "Mars Fulfillment"
    body = post(svc, fo["id"], "fulfillment_request", "fulfillment_request", message="Fulfill this ASAP please.").json()
    golden = example("fulfillment_request", "test_1")
    for key in ("original_fulfillment_order", "submitted_fulfillment_order"):
        assert_same_shape(body[key], golden[key])
        assert [(r["kind"], r["message"], r["request_options"]) for r in body[key]["outgoing_requests"]] == [
            ("fulfillment_request", "Fulfill this ASAP please.", {"notify_customer": False})
        ]
    assert fo_of(svc, fo["id"])["outgoing_requests"] == body["submitted_fulfillment_order"]["outgoing_requests"]
    accepted = post(svc, fo["id"], "fulfillment_request/accept", "fulfillment_request", message="On it").json()["fulfillment_order"]
    assert accepted["outgoing_requests"] == []
    assert_same_shape(accepted, example("fulfillment_request", "test_3")["fulfillment_order"])


def test_a_partial_request_leaves_the_rest_unsubmitted(svc):
    service = register(svc)
    _, fo = order_at_service(svc, service)
    first = fo["line_items"][0]
    r = post(
        svc,
        fo["id"],
        "fulfillment_request",
        "fulfillment_request",
        message="part",
        fulfillment_order_line_items=[{"id": first["id"], "quantity": 1}],
    )
    assert r.status_code == 200, r.text
    body = r.json()
    submitted, rest = body["submitted_fulfillment_order"], body["unsubmitted_fulfillment_order"]
    assert [(li["line_item_id"], li["fulfillable_quantity"]) for li in submitted["line_items"] if li["fulfillable_quantity"]] == [
        (first["line_item_id"], 1)
    ]
    assert rest["request_status"] == "unsubmitted" and rest["assigned_location_id"] == service["location_id"]
    assert sum(li["quantity"] for li in rest["line_items"]) == sum(li["quantity"] for li in fo["line_items"]) - 1
    assert rest["fulfillment_service_handle"] == service["handle"]


def test_reject_keeps_the_order_open_and_it_may_be_requested_again(svc, services):
    service = register(svc)
    order, fo = order_at_service(svc, service)
    post(svc, fo["id"], "fulfillment_request", "fulfillment_request", message="please")
    line = fo["line_items"][0]
    r = post(
        svc,
        fo["id"],
        "fulfillment_request/reject",
        "fulfillment_request",
        message="Not enough inventory on hand.",
        reason="inventory_out_of_stock",
        line_items=[{"fulfillment_order_line_item_id": line["id"], "message": "Not enough inventory."}],
    )
    assert r.status_code == 200, r.text
    got = r.json()["fulfillment_order"]
    assert (got["request_status"], got["status"]) == ("rejected", "open")
    assert "request_fulfillment" in got["supported_actions"]
    assert "fulfillment_orders/fulfillment_request_rejected" in topics(services)
    reasons = svc.get(f"{svc.base}/orders/{order['id']}/diagnosis.json").json()["diagnosis"]["reasons"]
    rejected = [x for x in reasons if x["code"] == "fulfillment_request_rejected"]
    assert rejected and "Mars Fulfillment" in rejected[0]["message"] and "inventory out of stock" in rejected[0]["message"]
    # accepting a rejected request is the wrong state
    wrong = post(svc, fo["id"], "fulfillment_request/accept", "fulfillment_request", message="x")
    assert wrong.status_code == 422 and "fulfillment_order" in wrong.json()["errors"]
    assert post(svc, fo["id"], "fulfillment_request", "fulfillment_request", message="again").status_code == 200


def test_a_bad_rejection_reason_is_422(svc):
    service = register(svc)
    _, fo = order_at_service(svc, service)
    post(svc, fo["id"], "fulfillment_request", "fulfillment_request", message="please")
    r = post(svc, fo["id"], "fulfillment_request/reject", "fulfillment_request", reason="bored")
    assert r.status_code == 422 and "reason" in r.json()["errors"]


def test_a_request_for_a_merchant_fulfillment_order_is_422(svc):
    order = create_order(svc, financial_status="paid")
    fo = svc.get(f"{svc.base}/orders/{order['id']}/fulfillment_orders.json").json()["fulfillment_orders"][0]
    r = post(svc, fo["id"], "fulfillment_request", "fulfillment_request", message="please")
    assert r.status_code == 422
    assert r.json()["errors"] == {"fulfillment_order": ["the fulfillment order is not assigned to a fulfillment service"]}
    assert post(svc, 999999, "fulfillment_request", "fulfillment_request", message="x").status_code == 404


# ---- cancellation requests ---------------------------------------------------------------------


def _accepted(svc, service):
    order, fo = order_at_service(svc, service)
    assert post(svc, fo["id"], "fulfillment_request", "fulfillment_request", message="go").status_code == 200
    assert post(svc, fo["id"], "fulfillment_request/accept", "fulfillment_request", message="ok").status_code == 200
    return order, fo


def test_cancellation_request_accepted_cancels_and_replaces(svc, services):
    service = register(svc)
    order, fo = _accepted(svc, service)
    r = post(svc, fo["id"], "cancellation_request", "cancellation_request", message="The customer changed his mind.")
    assert r.status_code == 200, r.text
    got = r.json()["fulfillment_order"]
    assert (got["request_status"], got["status"]) == ("cancellation_requested", "in_progress")
    a = post(svc, fo["id"], "cancellation_request/accept", "cancellation_request", message="Not started yet.")
    assert a.status_code == 200, a.text
    got = a.json()["fulfillment_order"]
    assert (got["request_status"], got["status"]) == ("cancellation_accepted", "cancelled")
    fos = svc.get(f"{svc.base}/orders/{order['id']}/fulfillment_orders.json").json()["fulfillment_orders"]
    replacement = [f for f in fos if f["status"] == "open"]
    assert len(replacement) == 1 and replacement[0]["request_status"] == "unsubmitted"
    t = topics(services)
    assert "fulfillment_orders/cancellation_request_submitted" in t and "fulfillment_orders/cancellation_request_accepted" in t
    kinds = [n["payload"]["kind"] for n in outbox_rows(services, ("service",))]
    assert kinds == ["FULFILLMENT_REQUEST", "CANCELLATION_REQUEST"]
    assert "fulfillment_order_cancellation_accepted" in verbs(svc, order["id"])


def test_cancellation_request_rejected_keeps_it_in_progress(svc, services):
    service = register(svc)
    _, fo = _accepted(svc, service)
    post(svc, fo["id"], "cancellation_request", "cancellation_request", message="stop")
    r = post(svc, fo["id"], "cancellation_request/reject", "cancellation_request", message="Already shipped.")
    assert r.status_code == 200, r.text
    got = r.json()["fulfillment_order"]
    assert (got["request_status"], got["status"]) == ("cancellation_rejected", "in_progress")
    assert "fulfillment_orders/cancellation_request_rejected" in topics(services)
    again = post(svc, fo["id"], "cancellation_request/reject", "cancellation_request", message="x")
    assert again.status_code == 422


def test_cancellation_of_an_unsubmitted_order_is_422(svc):
    service = register(svc)
    _, fo = order_at_service(svc, service)
    assert post(svc, fo["id"], "cancellation_request", "cancellation_request", message="x").status_code == 422


# ---- assigned fulfillment orders -----------------------------------------------------------------


def test_assigned_fulfillment_orders_by_assignment_status(svc):
    service = register(svc)
    _, requested = order_at_service(svc, service)
    _, accepted = _accepted(svc, service)
    post(svc, requested["id"], "fulfillment_request", "fulfillment_request", message="go")

    def ids(**q):
        r = svc.get(f"{svc.base}/assigned_fulfillment_orders.json", params=q)
        assert r.status_code == 200, r.text
        return [f["id"] for f in r.json()["fulfillment_orders"]]

    assert ids(assignment_status="fulfillment_requested") == [requested["id"]]
    assert ids(assignment_status="fulfillment_accepted") == [accepted["id"]]
    assert ids(assignment_status="cancellation_requested") == []
    assert ids(assignment_status="fulfillment_requested", **{"location_ids[]": service["location_id"]}) == [requested["id"]]
    assert ids(assignment_status="fulfillment_requested", **{"location_ids[]": service["location_id"] + 1000}) == []
    assert svc.get(f"{svc.base}/assigned_fulfillment_orders.json", params={"assignment_status": "nope"}).status_code == 422


def test_assigned_fulfillment_orders_are_the_calling_apps_own(svc, services):
    from sqlalchemy import update

    from orderdesk.db import tables as t

    mine = register(svc)
    _, at_mine = order_at_service(svc, mine)
    venus = {"X-Shopify-Access-Token": create_token(services, "venus", SERVICE_SCOPES)}
    r = svc.post(f"{svc.base}/fulfillment_services.json", headers=venus, json={"fulfillment_service": {"name": "Venus Fulfillment"}})
    assert r.status_code == 201, r.text
    theirs = r.json()["fulfillment_service"]
    _, at_theirs = order_at_service(svc, theirs)
    merchant = {
        "X-Shopify-Access-Token": create_token(services, "merchant", ALL_SCOPES + ["read_fulfillments", "read_assigned_fulfillment_orders"])
    }

    def ids(headers=None, **q):
        r = svc.get(f"{svc.base}/assigned_fulfillment_orders.json", params=q, headers=headers)
        assert r.status_code == 200, r.text
        return [f["id"] for f in r.json()["fulfillment_orders"]]

    assert ids() == [at_mine["id"]]
    assert ids(venus) == [at_theirs["id"]]
    assert ids(merchant) == []  # an app with no fulfillment service has nothing assigned to it
    assert ids(**{"location_ids[]": theirs["location_id"]}) == []  # nor through another app's location
    # without an assignment_status, everything but closed fulfillment orders
    post(svc, at_mine["id"], "fulfillment_request", "fulfillment_request", message="go")
    post(svc, at_mine["id"], "fulfillment_request/accept", "fulfillment_request", message="ok")
    assert ids(assignment_status="fulfillment_accepted") == [at_mine["id"]]
    done = svc.post(
        f"{svc.base}/fulfillments.json",
        json={"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": at_mine["id"]}]}},
    )
    assert done.status_code == 201, done.text
    assert ids() == []
    # a service registered before owners were recorded is visible to every app
    with services.db.writing() as uow:
        uow.conn.execute(update(t.fulfillment_services).where(t.fulfillment_services.c.id == theirs["id"]).values(app_id=None))
        uow.commit()
    assert ids(merchant) == [at_theirs["id"]]


def test_a_service_fulfillment_order_ships_only_after_the_service_accepts(svc):
    service = register(svc)
    order, fo = order_at_service(svc, service)
    assert "create_fulfillment" not in fo["supported_actions"]  # Shopify offers request_fulfillment instead

    def ship(**extra):
        return svc.post(
            f"{svc.base}/fulfillments.json",
            json={"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": fo["id"], **extra}]}},
        )

    unsubmitted = ship()
    assert unsubmitted.status_code == 422, unsubmitted.text
    assert "request fulfillment" in unsubmitted.json()["errors"]["fulfillment_order"][0]
    legacy = svc.post(f"{svc.base}/orders/{order['id']}/fulfillments.json", json={"fulfillment": {}})
    assert legacy.status_code == 422, legacy.text
    post(svc, fo["id"], "fulfillment_request", "fulfillment_request", message="go")
    submitted = ship()
    assert submitted.status_code == 422, submitted.text
    assert "not accepted" in submitted.json()["errors"]["fulfillment_order"][0]
    assert svc.get(f"{svc.base}/orders/{order['id']}.json").json()["order"]["fulfillment_status"] is None
    post(svc, fo["id"], "fulfillment_request/reject", "fulfillment_request", message="no")
    assert ship().status_code == 422
    post(svc, fo["id"], "fulfillment_request", "fulfillment_request", message="again")
    post(svc, fo["id"], "fulfillment_request/accept", "fulfillment_request", message="ok")
    assert ship().status_code == 201


def test_a_partial_request_leaves_no_empty_line_on_the_submitted_order(svc):
    service = register(svc)
    _, fo = order_at_service(svc, service)
    boots = next(li for li in fo["line_items"] if li["quantity"] == 3)
    r = post(
        svc,
        fo["id"],
        "fulfillment_request",
        "fulfillment_request",
        message="part",
        fulfillment_order_line_items=[{"id": boots["id"], "quantity": 2}],
    )
    assert r.status_code == 200, r.text
    body = r.json()
    submitted, rest = body["submitted_fulfillment_order"], body["unsubmitted_fulfillment_order"]
    assert [(li["id"], li["quantity"], li["fulfillable_quantity"]) for li in submitted["line_items"]] == [(boots["id"], 2, 2)]
    assert fo_of(svc, fo["id"])["line_items"] == submitted["line_items"]
    assert sorted((li["line_item_id"], li["quantity"]) for li in rest["line_items"]) == sorted(
        (li["line_item_id"], li["quantity"] - (2 if li["id"] == boots["id"] else 0)) for li in fo["line_items"]
    )
    assert all(li["quantity"] > 0 for li in rest["line_items"])
    assert rest["supported_actions"] == ["request_fulfillment", "cancel_fulfillment_order", "move", "hold"]


def test_an_order_with_a_request_at_a_service_is_cancelled_only_after_the_request(svc):
    service = register(svc)
    order, fo = order_at_service(svc, service)
    post(svc, fo["id"], "fulfillment_request", "fulfillment_request", message="go")
    refused = svc.post(f"{svc.base}/orders/{order['id']}/cancel.json", json={})
    assert refused.status_code == 422, refused.text
    assert "fulfillment service" in refused.json()["errors"]["order"][0]
    assert svc.get(f"{svc.base}/orders/{order['id']}.json").json()["order"]["cancelled_at"] is None
    # the merchant withdraws the request by cancelling the fulfillment order; its replacement closes with the order
    replacement = svc.post(f"{svc.base}/fulfillment_orders/{fo['id']}/cancel.json").json()["replacement_fulfillment_order"]
    assert svc.post(f"{svc.base}/orders/{order['id']}/cancel.json", json={}).status_code == 200
    got = fo_of(svc, replacement["id"])
    assert (got["status"], got["request_status"], got["line_items"], got["supported_actions"]) == ("closed", "closed", [], [])


# ---- notification delivery -----------------------------------------------------------------------


def test_the_service_is_notified_with_a_signed_post(svc, services, receiver):
    receiver.secret = signing_secret(services, "svc")  # the app that registers the service
    service = register(svc, callback_url=receiver.url)
    _, fo = order_at_service(svc, service)
    post(svc, fo["id"], "fulfillment_request", "fulfillment_request", message="go")
    assert Worker(services, kinds=("service",)).run_once() == 1
    assert len(receiver.requests) == 1
    got = receiver.requests[0]
    assert got.path == "/fulfillment_order_notification"
    assert got.json() == {"kind": "FULFILLMENT_REQUEST"}
    assert verify_shopify_hmac(signing_secret(services, "svc"), got.body, got.header("X-Shopify-Hmac-Sha256"))
    assert outbox_rows(services, ("service",)) == []


def test_a_failed_notification_is_retried(svc, services, receiver):
    receiver.secret = signing_secret(services, "svc")
    receiver.status["/fulfillment_order_notification"] = 500
    service = register(svc, callback_url=receiver.url)
    _, fo = order_at_service(svc, service)
    post(svc, fo["id"], "fulfillment_request", "fulfillment_request", message="go")
    Worker(services, kinds=("service",)).run_once()
    rows = outbox_rows(services, ("service",))
    assert len(rows) == 1 and rows[0]["attempts"] == 1 and "HTTP 500" in rows[0]["last_error"]
    receiver.status["/fulfillment_order_notification"] = 200
    services.clock = FixedClock(services.clock.now() + timedelta(minutes=5))
    assert Worker(services, kinds=("service",)).run_once() == 1
    assert outbox_rows(services, ("service",)) == [] and len(receiver.requests) == 2


# ---- diagnosis -------------------------------------------------------------------------------------


def test_an_unanswered_request_shows_in_the_diagnosis_after_the_deadline(svc, services):
    service = register(svc, response_deadline_seconds=3600)
    order, fo = order_at_service(svc, service)
    start = services.clock.now()
    services.clock = FixedClock(start)
    post(svc, fo["id"], "fulfillment_request", "fulfillment_request", message="go")

    def codes():
        return [r["code"] for r in svc.get(f"{svc.base}/orders/{order['id']}/diagnosis.json").json()["diagnosis"]["reasons"]]

    assert "fulfillment_request_unanswered" not in codes()
    services.clock = FixedClock(start + timedelta(hours=2))
    reasons = svc.get(f"{svc.base}/orders/{order['id']}/diagnosis.json").json()["diagnosis"]["reasons"]
    late = [r for r in reasons if r["code"] == "fulfillment_request_unanswered"]
    assert late and late[0]["message"].startswith("Mars Fulfillment has not answered the fulfillment request sent on ")
    assert late[0]["action"] == "Contact the service or move the fulfillment order to another location"
    post(svc, fo["id"], "fulfillment_request/accept", "fulfillment_request", message="ok")
    assert "fulfillment_request_unanswered" not in codes()


def test_holds_and_schedules_show_in_the_diagnosis(svc, services):
    order = create_order(svc, financial_status="paid")
    fo = svc.get(f"{svc.base}/orders/{order['id']}/fulfillment_orders.json").json()["fulfillment_orders"][0]
    svc.post(
        f"{svc.base}/fulfillment_orders/{fo['id']}/hold.json",
        json={"fulfillment_hold": {"reason": "incorrect_address", "reason_notes": "check the street"}},
    )
    reasons = svc.get(f"{svc.base}/orders/{order['id']}/diagnosis.json").json()["diagnosis"]["reasons"]
    held = [r for r in reasons if r["code"] == "fulfillment_on_hold"]
    assert held and "incorrect address" in held[0]["message"] and "check the street" in held[0]["message"]
    svc.post(f"{svc.base}/fulfillment_orders/{fo['id']}/release_hold.json")
    when = (services.clock.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:00Z")
    r = svc.post(f"{svc.base}/fulfillment_orders/{fo['id']}/reschedule.json", json={"fulfillment_order": {"new_fulfill_at": when}})
    assert r.status_code == 200, r.text
    reasons = svc.get(f"{svc.base}/orders/{order['id']}/diagnosis.json").json()["diagnosis"]["reasons"]
    scheduled = [r for r in reasons if r["code"] == "fulfillment_scheduled"]
    assert scheduled and when[:10] in scheduled[0]["message"]


def test_only_the_app_that_registered_the_service_can_answer_its_requests(svc, services):
    service = register(svc)
    _, fo = order_at_service(svc, service)
    assert post(svc, fo["id"], "fulfillment_request", "fulfillment_request", message="Please ship").status_code == 200
    owner_token = svc.headers["X-Shopify-Access-Token"]
    svc.headers["X-Shopify-Access-Token"] = create_token(services, "another app", ALL_SCOPES + SERVICE_SCOPES)

    for path, root in (("fulfillment_request/accept", "fulfillment_request"), ("fulfillment_request/reject", "fulfillment_request")):
        refused = post(svc, fo["id"], path, root, message="mine now")
        assert refused.status_code == 422, refused.text
        assert "Only the app that registered Mars Fulfillment" in str(refused.json()["errors"])
    assert fo_of(svc, fo["id"])["request_status"] == "submitted"

    svc.headers["X-Shopify-Access-Token"] = owner_token
    accepted = post(svc, fo["id"], "fulfillment_request/accept", "fulfillment_request", message="On it")
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["fulfillment_order"]["request_status"] == "accepted"


# ---- per-app protection ----------------------------------------------------------------------


def _null_owner(services, service_id):
    from sqlalchemy import update

    from orderdesk.db import tables as t

    with services.db.writing() as uow:
        uow.conn.execute(update(t.fulfillment_services).where(t.fulfillment_services.c.id == service_id).values(app_id=None))
        uow.commit()


def test_another_apps_service_is_listed_only_with_scope_all_and_never_changed(svc, services):
    mars = register(svc)
    owner_token = svc.headers["X-Shopify-Access-Token"]
    other = create_token(services, "other app", ALL_SCOPES + SERVICE_SCOPES)
    svc.headers["X-Shopify-Access-Token"] = other
    url = f"{svc.base}/fulfillment_services/{mars['id']}.json"

    def listed(**q):
        r = svc.get(f"{svc.base}/fulfillment_services.json", params=q)
        assert r.status_code == 200, r.text
        return [s["id"] for s in r.json()["fulfillment_services"]]

    assert listed() == [] and listed(scope="current_client") == []
    assert listed(scope="all") == [mars["id"]]
    assert svc.get(f"{svc.base}/fulfillment_services.json", params={"scope": "everyone"}).status_code == 422
    for r in (
        svc.get(url),
        svc.put(url, json={"fulfillment_service": {"callback_url": "http://127.0.0.1:8", "email": "thief@example.com"}}),
        svc.put(url, json={"fulfillment_service": {"callback_url": "not a url"}}),
        svc.delete(url),
    ):
        assert (r.status_code, r.json()) == (404, {"errors": "Not Found"}), r.text
    venus = register(svc, name="Venus Fulfillment")
    assert listed() == [venus["id"]] and listed(scope="all") == [mars["id"], venus["id"]]

    svc.headers["X-Shopify-Access-Token"] = owner_token
    assert svc.get(url).json()["fulfillment_service"] == mars  # unchanged
    assert listed() == [mars["id"]]
    assert svc.get(f"{svc.base}/fulfillment_services/{venus['id']}.json").status_code == 404

    # a service registered before owners were recorded is everyone's
    _null_owner(services, mars["id"])
    svc.headers["X-Shopify-Access-Token"] = other
    assert listed() == [mars["id"], venus["id"]]
    moved = svc.put(url, json={"fulfillment_service": {"email": "ops@example.com"}})
    assert moved.status_code == 200, moved.text


def test_only_the_owning_app_fulfils_its_services_accepted_fulfillment_order(svc, services):
    service = register(svc)
    order, fo = order_at_service(svc, service)
    post(svc, fo["id"], "fulfillment_request", "fulfillment_request", message="go")
    post(svc, fo["id"], "fulfillment_request/accept", "fulfillment_request", message="ok")
    owner_token = svc.headers["X-Shopify-Access-Token"]
    svc.headers["X-Shopify-Access-Token"] = create_token(services, "other app", ALL_SCOPES + SERVICE_SCOPES)
    body = {"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": fo["id"]}]}}
    for r in (
        svc.post(f"{svc.base}/fulfillments.json", json=body),
        svc.post(f"{svc.base}/orders/{order['id']}/fulfillments.json", json={"fulfillment": {}}),
    ):
        assert r.status_code == 422, r.text
        assert "Only the app that registered the fulfillment service Mars Fulfillment" in r.json()["errors"]["fulfillment_order"][0]
    assert fo_of(svc, fo["id"])["request_status"] == "accepted"
    assert svc.get(f"{svc.base}/orders/{order['id']}.json").json()["order"]["fulfillment_status"] is None

    svc.headers["X-Shopify-Access-Token"] = owner_token
    assert svc.post(f"{svc.base}/fulfillments.json", json=body).status_code == 201


def test_a_service_with_no_recorded_owner_is_fulfilled_by_any_app(svc, services):
    service = register(svc)
    order, fo = order_at_service(svc, service)
    post(svc, fo["id"], "fulfillment_request", "fulfillment_request", message="go")
    post(svc, fo["id"], "fulfillment_request/accept", "fulfillment_request", message="ok")
    _null_owner(services, service["id"])
    svc.headers["X-Shopify-Access-Token"] = create_token(services, "other app", ALL_SCOPES + SERVICE_SCOPES)
    r = svc.post(f"{svc.base}/orders/{order['id']}/fulfillments.json", json={"fulfillment": {}})
    assert r.status_code == 201, r.text


def test_a_cancelled_fulfillment_of_a_deleted_service_comes_back_as_the_merchants(svc):
    service = register(svc)
    order, fo = order_at_service(svc, service)
    post(svc, fo["id"], "fulfillment_request", "fulfillment_request", message="go")
    post(svc, fo["id"], "fulfillment_request/accept", "fulfillment_request", message="ok")
    f = svc.post(
        f"{svc.base}/fulfillments.json", json={"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": fo["id"]}]}}
    )
    assert f.status_code == 201, f.text
    assert svc.delete(f"{svc.base}/fulfillment_services/{service['id']}.json").status_code == 200
    cancelled = svc.post(f"{svc.base}/fulfillments/{f.json()['fulfillment']['id']}/cancel.json")
    assert cancelled.status_code == 200, cancelled.text
    fos = svc.get(f"{svc.base}/orders/{order['id']}/fulfillment_orders.json").json()["fulfillment_orders"]
    live = [x for x in fos if x["status"] in ("open", "in_progress")]
    assert [(x["request_status"], x["assigned_location_id"], x["fulfillment_service_handle"]) for x in live] == [
        ("unsubmitted", service["location_id"], "manual")
    ]
    assert "create_fulfillment" in live[0]["supported_actions"] and "request_cancellation" not in live[0]["supported_actions"]
    assert svc.post(f"{svc.base}/orders/{order['id']}/cancel.json", json={}).status_code == 200


def test_a_cancelled_fulfillment_of_a_deleted_service_may_be_fulfilled_by_the_merchant(svc, services):
    service = register(svc)
    order, fo = order_at_service(svc, service)
    post(svc, fo["id"], "fulfillment_request", "fulfillment_request", message="go")
    post(svc, fo["id"], "fulfillment_request/accept", "fulfillment_request", message="ok")
    f = svc.post(
        f"{svc.base}/fulfillments.json", json={"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": fo["id"]}]}}
    )
    svc.delete(f"{svc.base}/fulfillment_services/{service['id']}.json")
    svc.post(f"{svc.base}/fulfillments/{f.json()['fulfillment']['id']}/cancel.json")
    svc.headers["X-Shopify-Access-Token"] = create_token(services, "merchant", ALL_SCOPES)
    again = svc.post(f"{svc.base}/orders/{order['id']}/fulfillments.json", json={"fulfillment": {}})
    assert again.status_code == 201, again.text


def test_the_legacy_create_ships_the_merchants_own_units_before_another_apps_service(svc, services):
    # given an order split between the merchant's warehouse and another app's accepted service
    service = register(svc)
    order = create_order(svc, financial_status="paid")
    fo = svc.get(f"{svc.base}/orders/{order['id']}/fulfillment_orders.json").json()["fulfillment_orders"][0]
    beret = next(li for li in fo["line_items"] if li["quantity"] == 1)
    moved = svc.post(
        f"{svc.base}/fulfillment_orders/{fo['id']}/move.json",
        json={
            "fulfillment_order": {
                "new_location_id": service["location_id"],
                "fulfillment_order_line_items": [{"id": beret["id"], "quantity": 1}],
            }
        },
    )
    assert moved.status_code == 200, moved.text
    at_service = moved.json()["moved_fulfillment_order"]
    assert post(svc, at_service["id"], "fulfillment_request", "fulfillment_request", message="go").status_code == 200
    assert post(svc, at_service["id"], "fulfillment_request/accept", "fulfillment_request", message="ok").status_code == 200
    # when the merchant (another app) marks the order fulfilled the legacy way, naming no lines
    svc.headers["X-Shopify-Access-Token"] = create_token(services, "merchant app", ALL_SCOPES + SERVICE_SCOPES)
    r = svc.post(f"{svc.base}/orders/{order['id']}/fulfillments.json", json={"fulfillment": {"notify_customer": False}})
    # then the boots in the merchant's warehouse ship; the service's beret stays the service's
    assert r.status_code == 201, r.text
    assert [li["title"] for li in r.json()["fulfillment"]["line_items"]] == ["Big Brown Bear Boots"]
