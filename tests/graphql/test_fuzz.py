"""Schemathesis over the served GraphQL schema: generated queries and mutations for every root
field, posted with a token holding every scope, never get a server error.

Bounded for CI (both databases run it): ORDERDESK_GRAPHQL_FUZZ_EXAMPLES overrides the count.
"""

from __future__ import annotations

import os

import schemathesis
from graphql import StringValueNode
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from orderdesk.graphql.cost import Throttle
from orderdesk.graphql.schema import sdl
from tests.builders import create_order
from tests.graphql.conftest import GRAPHQL

EXAMPLES = {"sqlite": 12, "postgres": 4}


def _string(values) -> st.SearchStrategy:
    # Shopify's custom scalars arrive as strings: well-formed ones, and anything at all.
    return st.one_of(values, st.text(max_size=30)).map(lambda v: StringValueNode(value=v))


for _name, _values in {
    "Money": st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**6), max_value=10**6).map(str),
    "Decimal": st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**6), max_value=10**6).map(str),
    "DateTime": st.datetimes().map(lambda d: d.isoformat() + "Z"),
    "URL": st.just("https://example.com/x"),
    "UnsignedInt64": st.integers(min_value=0, max_value=2**64).map(str),
}.items():
    schemathesis.graphql.scalar(_name, _string(_values))


def test_generated_requests_never_get_a_server_error(app, api, backend):
    create_order(api)
    create_order(api, financial_status="authorized")
    # Generated pages ask for up to 2^31 nodes; the throttle's refusals are tested elsewhere.
    app.state.graphql_throttle = Throttle(maximum=10**12, restore_rate=10**12, max_cost=10**12)
    examples = int(os.environ.get("ORDERDESK_GRAPHQL_FUZZ_EXAMPLES", EXAMPLES[backend]))
    operations = [result.ok() for result in schemathesis.graphql.from_file(sdl()).get_all_operations()]
    assert len(operations) >= 14
    failures: list[str] = []
    answered = 0
    for operation in operations:

        @seed(12)
        @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), phases=[Phase.generate], database=None)
        @given(case=operation.as_strategy())
        def run(case):
            nonlocal answered
            response = api.post(GRAPHQL, json=case.body if isinstance(case.body, dict) else {"query": case.body})
            if response.status_code >= 500:
                failures.append(f"{case.operation.label}: {response.status_code} {response.text[:300]}\n{case.body}")
                return
            answer = response.json()
            if "data" not in answer and "errors" not in answer:
                failures.append(f"{case.operation.label}: neither data nor errors: {response.text[:300]}")
            internal = [
                e
                for e in answer.get("errors") or []
                if isinstance(e, dict) and (e.get("extensions") or {}).get("code") == "INTERNAL_SERVER_ERROR"
            ]
            if internal:
                failures.append(f"{case.operation.label}: {internal}\n{case.body}")
            answered += 1

        run()
    assert failures == [], "\n\n".join(failures[:10])
    assert answered >= len(operations) * examples // 2
