"""Schemathesis over the whole served OpenAPI document, in process (ASGI, no server).

The document is loaded from the app's own /openapi.json, so what is fuzzed is what clients and
client generators read. Every request carries a token holding every scope. For each operation:

1. one valid request built from seeded objects in the state the operation needs (a fresh order
   for a cancel, a fulfillment order at our fulfillment service with a submitted request for an
   accept, ...), with a body the operation accepts;
2. a bounded number of generated requests (schemathesis' positive and negative data, with path
   ids drawn from the seeded objects so that they reach the handler, and some ids left to the
   generator), reads first and deletes last so that the seeded objects live long enough.

Every answer passes schemathesis' checks: never a server error, and status code, content type,
headers and body as the document says. At least 90 % of the operations must answer 2xx at least
once, so the document stays honest enough to drive real requests, not only refusals.

The number of generated requests per operation is bounded for CI (both databases run the suite):
ORDERDESK_FUZZ_EXAMPLES overrides it, ORDERDESK_FUZZ_SEED picks another deterministic run.
"""

from __future__ import annotations

import collections
import os
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from orderdesk.api.app import API_PREFIX
from orderdesk.services.tokens import KNOWN_SCOPES, create_token
from tests.builders import order_body

BASE = "/admin/api/2024-10"
# Generated requests per operation; PostgreSQL runs a smaller share (its engine-specific refusals,
# NULs and out-of-range integers, come up within the first few negative examples).
EXAMPLES = {"sqlite": 40, "postgres": 10}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance, response_schema_conformance]
REQUIRED_SHARE = 0.9


def _ok(response, *codes: int) -> Any:
    assert response.status_code in (codes or (200, 201)), f"{response.request.method} {response.request.url}: {response.text[:500]}"
    return response.json()


@dataclass
class Shop:
    """Seeds objects through the API, each in the state an operation needs."""

    client: TestClient
    location_id: int
    service_location_id: int
    shared: dict[str, Any] = field(default_factory=dict)

    def post(self, path: str, body: Any) -> Any:
        return _ok(self.client.post(BASE + path, json=body))

    def order(self, *, paid: bool = True) -> dict[str, Any]:
        """An order with its fulfillment order open: ids for every path parameter that leads to it."""
        overrides = {"financial_status": "paid" if paid else "pending"}
        order = self.post("/orders.json", {"order": order_body(**overrides)})["order"]
        fo = _ok(self.client.get(f"{BASE}/orders/{order['id']}/fulfillment_orders.json"))["fulfillment_orders"][0]
        txs = _ok(self.client.get(f"{BASE}/orders/{order['id']}/transactions.json"))["transactions"]
        return {
            **self.shared,
            "order_id": order["id"],
            "customer_id": order["customer"]["id"],
            "line_item_id": order["line_items"][0]["id"],
            "line_item_ids": [li["id"] for li in order["line_items"]],
            "fo_id": fo["id"],
            "fo_line_id": fo["line_items"][0]["id"],
            "transaction_id": txs[0]["id"] if txs else 1,
            "email": order["email"],
        }

    def order_with_history(self) -> dict[str, Any]:
        """A paid order with a fulfillment (and a shipment event) and a refund."""
        ids = self.order()
        fulfillment = self.post(
            "/fulfillments.json",
            {
                "fulfillment": {
                    "line_items_by_fulfillment_order": [
                        {"fulfillment_order_id": ids["fo_id"], "fulfillment_order_line_items": [{"id": ids["fo_line_id"], "quantity": 1}]}
                    ]
                }
            },
        )["fulfillment"]
        event = self.post(f"/orders/{ids['order_id']}/fulfillments/{fulfillment['id']}/events.json", {"event": {"status": "in_transit"}})
        refund = self.post(
            f"/orders/{ids['order_id']}/refunds.json",
            {"refund": {"refund_line_items": [{"line_item_id": ids["line_item_ids"][1], "quantity": 1, "restock_type": "no_restock"}]}},
        )["refund"]
        return {
            **ids,
            "fulfillment_id": fulfillment["id"],
            "refund_id": refund["id"],
            "fulfillment_event_id": event["fulfillment_event"]["id"],
        }

    def at_service(self, *steps: str) -> dict[str, Any]:
        """An order whose fulfillment order was moved to our fulfillment service, then taken through ``steps``."""
        ids = self.order()
        fo = self.post(
            f"/fulfillment_orders/{ids['fo_id']}/move.json", {"fulfillment_order": {"new_location_id": self.service_location_id}}
        )
        ids["fo_id"] = fo["moved_fulfillment_order"]["id"]
        for step in steps:
            self.post(f"/fulfillment_orders/{ids['fo_id']}/{step}.json", {})
        return ids

    def fo_action(self, action: str, body: Any) -> Callable[[], dict[str, Any]]:
        def setup() -> dict[str, Any]:
            ids = self.order()
            self.post(f"/fulfillment_orders/{ids['fo_id']}/{action}.json", body)
            return ids

        return setup


# What each write operation needs: a setup giving its ids, and its body and query from them.
Setup = Callable[[Shop], Callable[[], dict[str, Any]]]
WRITES: dict[tuple[str, str], tuple[Setup, Callable[[dict[str, Any]], tuple[Any, dict[str, Any]]]]] = {
    ("POST", "/orders.json"): (lambda s: lambda: dict(s.shared), lambda ids: ({"order": order_body()}, {})),
    ("PUT", "/orders/{order_id}.json"): (lambda s: s.order, lambda ids: ({"order": {"note": "changed", "tags": "vip"}}, {})),
    ("DELETE", "/orders/{order_id}.json"): (lambda s: lambda: s.order(paid=False), lambda ids: (None, {})),
    ("POST", "/orders/{order_id}/close.json"): (lambda s: s.order, lambda ids: ({}, {})),
    ("POST", "/orders/{order_id}/open.json"): (
        lambda s: lambda: _then(s, s.order(), "/orders/{order_id}/close.json"),
        lambda ids: ({}, {}),
    ),
    ("POST", "/orders/{order_id}/cancel.json"): (lambda s: s.order, lambda ids: ({"reason": "customer"}, {})),
    ("POST", "/orders/{order_id}/transactions.json"): (
        lambda s: lambda: s.order(paid=False),
        lambda ids: ({"transaction": {"kind": "sale", "amount": "1.00", "source": "external"}}, {}),
    ),
    ("POST", "/orders/{order_id}/mark_as_paid.json"): (lambda s: lambda: s.order(paid=False), lambda ids: ({}, {})),
    ("POST", "/orders/{order_id}/refunds/calculate.json"): (
        lambda s: s.order,
        lambda ids: ({"refund": {"shipping": {"full_refund": True}}}, {}),
    ),
    ("POST", "/orders/{order_id}/refunds.json"): (
        lambda s: s.order,
        lambda ids: ({"refund": {"refund_line_items": [{"line_item_id": ids["line_item_id"], "quantity": 1}]}}, {}),
    ),
    ("POST", "/fulfillment_orders/{fo_id}/hold.json"): (lambda s: s.order, lambda ids: ({"fulfillment_hold": {"reason": "other"}}, {})),
    ("POST", "/fulfillment_orders/{fo_id}/release_hold.json"): (
        lambda s: s.fo_action("hold", {"fulfillment_hold": {"reason": "other"}}),
        lambda ids: ({}, {}),
    ),
    ("POST", "/fulfillment_orders/{fo_id}/reschedule.json"): (
        lambda s: s.order,
        lambda ids: ({"fulfillment_order": {"new_fulfill_at": "2031-01-01T00:00:00Z"}}, {}),
    ),
    ("POST", "/fulfillment_orders/{fo_id}/open.json"): (
        lambda s: s.fo_action("reschedule", {"fulfillment_order": {"new_fulfill_at": "2031-01-01T00:00:00Z"}}),
        lambda ids: ({}, {}),
    ),
    ("POST", "/fulfillment_orders/{fo_id}/cancel.json"): (lambda s: s.order, lambda ids: ({}, {})),
    ("POST", "/fulfillment_orders/{fo_id}/close.json"): (lambda s: s.order, lambda ids: ({"fulfillment_order": {"message": "done"}}, {})),
    ("POST", "/fulfillment_orders/{fo_id}/move.json"): (
        lambda s: s.order,
        lambda ids: ({"fulfillment_order": {"new_location_id": ids["service_location_id"]}}, {}),
    ),
    ("POST", "/fulfillments.json"): (
        lambda s: s.order,
        lambda ids: ({"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": ids["fo_id"]}]}}, {}),
    ),
    ("POST", "/orders/{order_id}/fulfillments.json"): (
        lambda s: s.order,
        lambda ids: ({"fulfillment": {"line_items": [{"id": ids["line_item_id"]}], "tracking_number": "1Z999"}}, {}),
    ),
    ("POST", "/fulfillments/{fulfillment_id}/cancel.json"): (lambda s: s.order_with_history, lambda ids: ({}, {})),
    ("POST", "/orders/{order_id}/fulfillments/{fulfillment_id}/cancel.json"): (lambda s: s.order_with_history, lambda ids: ({}, {})),
    ("POST", "/fulfillments/{fulfillment_id}/update_tracking.json"): (
        lambda s: s.order_with_history,
        lambda ids: ({"fulfillment": {"tracking_info": {"number": "1Z999", "company": "UPS"}, "notify_customer": False}}, {}),
    ),
    ("POST", "/orders/{order_id}/fulfillments/{fulfillment_id}/events.json"): (
        lambda s: s.order_with_history,
        lambda ids: ({"event": {"status": "delivered"}}, {}),
    ),
    ("DELETE", "/orders/{order_id}/fulfillments/{fulfillment_id}/events/{fulfillment_event_id}.json"): (
        lambda s: s.order_with_history,
        lambda ids: (None, {}),
    ),
    ("POST", "/fulfillment_orders/set_fulfillment_orders_deadline.json"): (
        lambda s: s.order,
        lambda ids: ({"fulfillment_order_ids": [ids["fo_id"]], "fulfillment_deadline": "2031-01-01T00:00:00Z"}, {}),
    ),
    ("POST", "/locations.json"): (
        lambda s: lambda: dict(s.shared),
        lambda ids: ({"location": {"name": f"Depot {ids['product_id']}-{len(ids)}", "city": "Oslo", "country_code": "NO"}}, {}),
    ),
    ("PUT", "/locations/{location_id}.json"): (lambda s: lambda: dict(s.shared), lambda ids: ({"location": {"city": "Bergen"}}, {})),
    ("POST", "/inventory_levels/connect.json"): (
        lambda s: lambda: dict(s.shared),
        lambda ids: ({"inventory_item_id": ids["item_id"], "location_id": ids["location_id"]}, {}),
    ),
    ("DELETE", "/inventory_levels.json"): (
        lambda s: (
            lambda: {
                **s.shared,
                "spare_location_id": s.post("/locations.json", {"location": {"name": "Spare shelf", "country_code": "NO"}})["location"][
                    "id"
                ],
            }
        ),
        lambda ids: (None, {"inventory_item_id": ids["item_id"], "location_id": ids["spare_location_id"]}),
    ),
    ("PUT", "/shop/exchange_rates.json"): (
        lambda s: lambda: dict(s.shared),
        lambda ids: ({"exchange_rates": {"USD": "0.92", "EUR": "1.10", "JPY": "0.0067", "GBP": "1.25"}}, {}),
    ),
    ("POST", "/products.json"): (
        lambda s: lambda: dict(s.shared),
        lambda ids: ({"product": {"title": "Cup", "variants": [{"price": "4.50"}]}}, {}),
    ),
    ("PUT", "/products/{product_id}.json"): (lambda s: lambda: dict(s.shared), lambda ids: ({"product": {"title": "Pencil"}}, {})),
    ("DELETE", "/products/{product_id}.json"): (
        lambda s: lambda: {**s.shared, "product_id": s.post("/products.json", {"product": {"title": "Doomed"}})["product"]["id"]},
        lambda ids: (None, {}),
    ),
    ("POST", "/customers.json"): (
        lambda s: lambda: dict(s.shared),
        lambda ids: ({"customer": {"email": "new@example.com", "first_name": "New"}}, {}),
    ),
    ("PUT", "/customers/{customer_id}.json"): (lambda s: s.order, lambda ids: ({"customer": {"note": "vip"}}, {})),
    ("POST", "/inventory_levels/adjust.json"): (
        lambda s: lambda: dict(s.shared),
        lambda ids: ({"inventory_item_id": ids["item_id"], "location_id": ids["location_id"], "available_adjustment": 1}, {}),
    ),
    ("POST", "/inventory_levels/set.json"): (
        lambda s: lambda: dict(s.shared),
        lambda ids: ({"inventory_item_id": ids["item_id"], "location_id": ids["location_id"], "available": 5}, {}),
    ),
    ("POST", "/webhooks.json"): (
        lambda s: lambda: dict(s.shared),
        lambda ids: ({"webhook": {"address": "https://hooks.example.com/new", "topic": "orders/paid"}}, {}),
    ),
    ("PUT", "/webhooks/{webhook_id}.json"): (
        lambda s: lambda: dict(s.shared),
        lambda ids: ({"webhook": {"address": "https://hooks.example.com/moved"}}, {}),
    ),
    ("DELETE", "/webhooks/{webhook_id}.json"): (
        lambda s: (
            lambda: {
                **s.shared,
                "webhook_id": s.post(
                    "/webhooks.json", {"webhook": {"address": "https://hooks.example.com/doomed", "topic": "orders/create"}}
                )["webhook"]["id"],
            }
        ),
        lambda ids: (None, {}),
    ),
    ("PUT", "/notification_templates/{name}.json"): (
        lambda s: lambda: dict(s.shared),
        lambda ids: ({"notification_template": {"subject": "Thanks for order {{ order_name }}"}}, {}),
    ),
    ("DELETE", "/notification_templates/{name}.json"): (lambda s: lambda: dict(s.shared), lambda ids: (None, {})),
    ("POST", "/notification_templates/{name}/preview.json"): (lambda s: s.order, lambda ids: ({}, {"order_id": ids["order_id"]})),
    ("POST", "/orders/{order_id}/notifications/{name}/resend.json"): (lambda s: s.order, lambda ids: ({}, {})),
    ("POST", "/orders/{order_id}/contact.json"): (
        lambda s: s.order,
        lambda ids: ({"email": {"subject": "Hello", "body": "Your parcel"}}, {}),
    ),
    ("POST", "/fulfillment_services.json"): (
        lambda s: lambda: dict(s.shared),
        lambda ids: (
            {"fulfillment_service": {"name": "New Warehouse", "callback_url": "https://svc.example.com/new", "format": "json"}},
            {},
        ),
    ),
    ("PUT", "/fulfillment_services/{service_id}.json"): (
        lambda s: lambda: dict(s.shared),
        lambda ids: ({"fulfillment_service": {"tracking_support": True}}, {}),
    ),
    ("DELETE", "/fulfillment_services/{service_id}.json"): (
        lambda s: (
            lambda: {
                **s.shared,
                "service_id": s.post("/fulfillment_services.json", {"fulfillment_service": {"name": "Doomed Warehouse", "format": "json"}})[
                    "fulfillment_service"
                ]["id"],
            }
        ),
        lambda ids: (None, {}),
    ),
    ("POST", "/fulfillment_orders/{fo_id}/fulfillment_request.json"): (
        lambda s: s.at_service,
        lambda ids: ({"fulfillment_request": {"message": "Please ship"}}, {}),
    ),
    ("POST", "/fulfillment_orders/{fo_id}/fulfillment_request/accept.json"): (
        lambda s: lambda: s.at_service("fulfillment_request"),
        lambda ids: ({"fulfillment_request": {"message": "On it"}}, {}),
    ),
    ("POST", "/fulfillment_orders/{fo_id}/fulfillment_request/reject.json"): (
        lambda s: lambda: s.at_service("fulfillment_request"),
        lambda ids: ({"fulfillment_request": {"message": "No stock", "reason": "inventory_out_of_stock"}}, {}),
    ),
    ("POST", "/fulfillment_orders/{fo_id}/cancellation_request.json"): (
        lambda s: lambda: s.at_service("fulfillment_request", "fulfillment_request/accept"),
        lambda ids: ({"cancellation_request": {"message": "Customer cancelled"}}, {}),
    ),
    ("POST", "/fulfillment_orders/{fo_id}/cancellation_request/accept.json"): (
        lambda s: lambda: s.at_service("fulfillment_request", "fulfillment_request/accept", "cancellation_request"),
        lambda ids: ({"cancellation_request": {"message": "Stopped"}}, {}),
    ),
    ("POST", "/fulfillment_orders/{fo_id}/cancellation_request/reject.json"): (
        lambda s: lambda: s.at_service("fulfillment_request", "fulfillment_request/accept", "cancellation_request"),
        lambda ids: ({"cancellation_request": {"message": "Already shipped"}}, {}),
    ),
}


def _then(shop: Shop, ids: dict[str, Any], path: str) -> dict[str, Any]:
    shop.post(path.format(**ids), {})
    return ids


@dataclass
class World:
    shop: Shop
    token: str
    # Coherent path parameters for the generated requests: each set names objects that belong together.
    pool: list[dict[str, Any]]


@pytest.fixture
def world(app, services) -> World:
    token = create_token(services, "fuzzer", sorted(KNOWN_SCOPES))
    client = TestClient(app, base_url="http://testserver")
    client.headers["X-Shopify-Access-Token"] = token
    location_id = _ok(client.get(f"{BASE}/locations.json"))["locations"][0]["id"]
    service = _ok(
        client.post(
            f"{BASE}/fulfillment_services.json",
            json={"fulfillment_service": {"name": "Fuzz Warehouse", "callback_url": "https://svc.example.com/fuzz", "format": "json"}},
        )
    )["fulfillment_service"]
    shop = Shop(client, location_id, service["location_id"])
    product = shop.post("/products.json", {"product": {"title": "Pen", "variants": [{"price": "2.00", "sku": "PEN"}]}})["product"]
    webhook = shop.post("/webhooks.json", {"webhook": {"address": "https://hooks.example.com/fuzz", "topic": "orders/create"}})["webhook"]
    shop.shared.update(
        product_id=product["id"],
        variant_id=product["variants"][0]["id"],
        item_id=product["variants"][0]["inventory_item_id"],
        location_id=location_id,
        service_location_id=service["location_id"],
        webhook_id=webhook["id"],
        service_id=service["id"],
        name="order_confirmation",
        event_id=_ok(client.get(f"{BASE}/events.json"))["events"][0]["id"],
    )
    history = shop.order_with_history()
    others = [shop.order_with_history(), shop.order(), shop.order(paid=False), shop.at_service("fulfillment_request")]
    # Ids an object lacks (a refund of an order without one) are taken from the first order's.
    return World(shop, token, [history, *({**history, **ids} for ids in others)])


def _operations(schema) -> list:
    ops = [result.ok() for result in schema.get_all_operations()]
    # Reads first, deletes last: generated writes change the seeded objects the later operations use.
    rank = {"GET": 0, "POST": 1, "PUT": 1, "DELETE": 2}
    return sorted(ops, key=lambda op: rank.get(op.method.upper(), 1))


def _path_parameters(op, ids: dict[str, Any]) -> dict[str, Any]:
    names = [p.name for p in op.path_parameters]
    return {name: ("2024-10" if name == "version" else ids[name]) for name in names}


def _describe(exc: BaseException) -> str:
    """A failure with its reproduction (a curl command), as schemathesis words it."""
    return "".join(traceback.format_exception_only(exc)) + "".join(getattr(exc, "__notes__", []))


def _fuzzer(strategy, examples: int, run_seed: int, call: Callable[[Any], None]) -> Callable[[], None]:
    @seed(run_seed)
    @settings(
        max_examples=examples, deadline=None, database=None, phases=[Phase.generate, Phase.shrink], suppress_health_check=list(HealthCheck)
    )
    @given(case=strategy)
    def fuzz(case) -> None:
        call(case)

    return fuzz


def test_schemathesis_finds_no_server_error_and_reaches_the_operations(app, world, backend):
    # Every request carries the token: refusals without one are the access matrix's (test_access_matrix.py),
    # and requests with a made-up token would spend the budget on 401s.
    config = schemathesis.Config.from_dict({"generation": {"with-security-parameters": False}})
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
    operations = _operations(schema)
    headers = {"X-Shopify-Access-Token": world.token}
    statuses: dict[str, collections.Counter[int]] = collections.defaultdict(collections.Counter)
    failures: dict[str, str] = {}
    elapsed: dict[str, float] = {}
    examples = int(os.environ.get("ORDERDESK_FUZZ_EXAMPLES", EXAMPLES[backend]))
    run_seed = int(os.environ.get("ORDERDESK_FUZZ_SEED", "0"))

    def call(label: str, case) -> None:
        response = case.call(headers=headers)
        statuses[label][response.status_code] += 1
        case.validate_response(response, checks=CHECKS, headers=headers)

    # 1. One valid request per operation, from objects in the state it needs.
    for op in operations:
        label = f"{op.method.upper()} {op.path}"
        key = (op.method.upper(), op.path.removeprefix(API_PREFIX))
        setup, request = WRITES.get(key, (lambda s: lambda: world.pool[0], lambda ids: (None, {})))
        ids = setup(world.shop)()
        body, query = request(ids)
        kwargs: dict[str, Any] = {"path_parameters": _path_parameters(op, ids), "query": query or None}
        if body is not None:
            kwargs.update(body=body, media_type="application/json")
        try:
            call(label, op.Case(**kwargs))
        except (Exception, FailureGroup) as exc:  # reported with the others below
            failures[label] = f"valid request: {exc}"

    # 2. Generated requests, path ids from the seeded objects (and sometimes from the generator).
    for op in operations:
        label = f"{op.method.upper()} {op.path}"
        known = st.sampled_from(world.pool).map(lambda ids, op=op: _path_parameters(op, ids))
        strategy = st.one_of(
            known.flatmap(lambda p, op=op: op.as_strategy(GenerationMode.POSITIVE, path_parameters=p)),
            known.flatmap(lambda p, op=op: op.as_strategy(GenerationMode.NEGATIVE, path_parameters=p)),
            op.as_strategy(GenerationMode.POSITIVE),
            op.as_strategy(GenerationMode.NEGATIVE),
        )

        fuzz = _fuzzer(strategy, examples, run_seed, lambda case, label=label: call(label, case))
        started = time.monotonic()
        try:
            fuzz()
        except (Exception, FailureGroup) as exc:
            failures[label] = _describe(exc)
        elapsed[label] = time.monotonic() - started

    report = "\n".join(f"{elapsed.get(label, 0):5.1f}s {label}: {dict(sorted(counts.items()))}" for label, counts in statuses.items())
    assert not failures, "\n\n".join(f"== {label}\n{text[:3000]}" for label, text in failures.items()) + "\n\n" + report
    succeeded = [label for label, counts in statuses.items() if any(200 <= code < 300 for code in counts)]
    print(
        f"\n{len(succeeded)} of {len(operations)} operations answered 2xx; {sum(map(sum, (c.values() for c in statuses.values())))} requests"
    )
    print(report)
    assert len(statuses) == len(operations)
    assert len(succeeded) >= REQUIRED_SHARE * len(operations), (
        f"{len(succeeded)} of {len(operations)} operations answered 2xx; the others:\n"
        + "\n".join(f"{label}: {dict(counts)}" for label, counts in statuses.items() if label not in succeeded)
    )
