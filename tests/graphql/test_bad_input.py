"""Malformed requests are answered with GraphQL errors (or Shopify's 400), never a 500."""

from __future__ import annotations

import pytest

from tests.builders import create_order
from tests.graphql.conftest import GRAPHQL


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        "a string",
        {},
        {"query": ""},
        {"query": 42},
        {"query": "{ shop { name } }", "variables": "not an object"},
        {"query": "{ shop { name } }", "operationName": 7},
    ],
)
def test_a_body_without_a_query_is_400(api, body):
    response = api.post(GRAPHQL, json=body)
    assert response.status_code == 400
    assert "errors" in response.json()


def test_invalid_json_is_400(api):
    response = api.post(GRAPHQL, content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "query, variables, extensions",
    [
        ("{ shop { nme } }", {}, {"code": "undefinedField", "fieldName": "nme", "typeName": "Shop"}),
        ('{ orders(first: "ten") { nodes { id } } }', {}, {"code": "argumentLiteralsIncompatible"}),
        ("query($id: ID!) { order(id: $id) { id } }", {}, {"code": "variableMismatch", "variableName": "id"}),
        (
            "query($first: Int) { orders(first: $first) { nodes { id } } }",
            {"first": "x"},
            {"code": "variableMismatch", "variableName": "first"},
        ),
        ("{ order { id } }", {}, {"code": "missingRequiredArguments", "typeName": "QueryRoot", "fieldName": "order", "arguments": "id"}),
        (
            '{ order(id: "gid://shopify/Order/1", nope: 1) { id } }',
            {},
            {"code": "argumentNotAccepted", "argumentName": "nope", "fieldName": "QueryRoot.order"},
        ),
        ("{ shop { name } ", {}, {"code": "parseError"}),
        ("mutation { orderClose(input: {}) { order { id } } }", {}, None),
        ("{ orders(first: 1, sortKey: NOPE) { nodes { id } } }", {}, {"code": "argumentLiteralsIncompatible"}),
        ("query A { shop { name } } query B { shop { id } }", {}, None),  # which operation?
    ],
)
def test_bad_queries_are_graphql_errors(gql, query, variables, extensions):
    answer = gql.run(query, variables)
    assert answer.get("data") is None
    assert answer["errors"] and all(e["message"] and e["extensions"]["code"] for e in answer["errors"])
    if extensions is not None:
        assert answer["errors"][0]["extensions"] == extensions, answer["errors"][0]


def test_hostile_values_in_arguments_are_errors_or_nothing(api, gql):
    order = create_order(api)
    # NUL never reaches GraphQL: the edge refuses it for every Admin API request (422).
    assert gql.post("query($id: ID!) { order(id: $id) { id } }", {"id": "gid://shopify/Order/1\x00"}).status_code == 422
    for value in ["gid://shopify/Order/1' OR 1=1", "gid://shopify/Order/-1", "gid://shopify/Order/1 ", "x" * 10000]:
        answer = gql.run("query($id: ID!) { order(id: $id) { id } }", {"id": value})
        assert answer["data"] == {"order": None} and answer["errors"]
    for query in [
        "name:'; DROP TABLE orders; --",
        "email:%",
        "id:>abc",
        "created_at:>yesterday",
        "tag:" + "x" * 5000,
        "((((",
        "))",
        "-",
        ":",
    ]:
        answer = gql.run("query($q: String) { orders(first: 5, query: $q) { nodes { id } } }", {"q": query})
        assert "data" in answer, answer
    # Still there and unchanged.
    assert api.get(f"{api.base}/orders/{order['id']}.json").status_code == 200


def test_mutation_inputs_of_wrong_types_are_errors(api, gql):
    order = create_order(api)
    for variables in [
        {"input": {"id": order["admin_graphql_api_id"], "tags": 5}},
        {"input": {"id": order["admin_graphql_api_id"], "email": ["a list"]}},
        {"input": {"id": order["admin_graphql_api_id"], "customAttributes": [{"value": "no key"}]}},
        {"input": {"note": "no id"}},
    ]:
        answer = gql.run("mutation($input: OrderInput!) { orderUpdate(input: $input) { order { id } userErrors { message } } }", variables)
        if answer.get("data") is not None:
            assert answer["data"]["orderUpdate"]["userErrors"], answer
        else:
            assert answer["errors"], answer
