"""``orders`` as a Relay connection: first/after, last/before, sortKey, reverse, cursors, limits."""

from __future__ import annotations

import pytest

from tests.builders import create_order

QUERY = """query($first: Int, $after: String, $last: Int, $before: String, $sortKey: OrderSortKeys, $reverse: Boolean) {
  orders(first: $first, after: $after, last: $last, before: $before, sortKey: $sortKey, reverse: $reverse) {
    edges { cursor node { name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""


def page(gql, **variables):
    connection = gql.data(QUERY, variables)["orders"]
    return [e["node"]["name"] for e in connection["edges"]], connection["pageInfo"]


@pytest.fixture
def five(api):
    prices = ["30.00", "10.00", "50.00", "20.00", "40.00"]
    for price in prices:
        create_order(
            api, line_items=[{"title": "Thing", "price": price, "quantity": 1}], shipping_lines=[], tax_lines=[], discount_codes=[]
        )


def test_forward_through_every_page_and_back(gql, five):
    names, info = page(gql, first=2)
    assert names == ["#1001", "#1002"]
    assert info["hasNextPage"] is True and info["hasPreviousPage"] is False
    names, info = page(gql, first=2, after=info["endCursor"])
    assert names == ["#1003", "#1004"]
    assert info["hasNextPage"] is True and info["hasPreviousPage"] is True
    names, last = page(gql, first=2, after=info["endCursor"])
    assert names == ["#1005"] and last["hasNextPage"] is False
    names, info = page(gql, last=2, before=last["startCursor"])
    assert names == ["#1003", "#1004"]
    assert info["hasPreviousPage"] is True and info["hasNextPage"] is True
    names, info = page(gql, last=3, before=info["startCursor"])
    assert names == ["#1001", "#1002"] and info["hasPreviousPage"] is False


def test_last_without_a_cursor_is_the_end(gql, five):
    names, info = page(gql, last=2)
    assert names == ["#1004", "#1005"]
    assert info["hasPreviousPage"] is True and info["hasNextPage"] is False


def test_reverse_and_sort_keys(gql, five):
    assert page(gql, first=5, reverse=True)[0] == ["#1005", "#1004", "#1003", "#1002", "#1001"]
    by_price, info = page(gql, first=2, sortKey="TOTAL_PRICE")
    assert by_price == ["#1002", "#1004"]
    assert page(gql, first=3, sortKey="TOTAL_PRICE", after=info["endCursor"])[0] == ["#1001", "#1005", "#1003"]
    richest, info = page(gql, first=2, sortKey="TOTAL_PRICE", reverse=True)
    assert richest == ["#1003", "#1005"]
    assert page(gql, first=2, sortKey="TOTAL_PRICE", reverse=True, after=info["endCursor"])[0] == ["#1001", "#1004"]
    assert page(gql, last=2, sortKey="TOTAL_PRICE")[0] == ["#1005", "#1003"]
    assert page(gql, first=5, sortKey="CREATED_AT", reverse=True)[0] == ["#1005", "#1004", "#1003", "#1002", "#1001"]
    assert page(gql, first=2, sortKey="ORDER_NUMBER")[0] == ["#1001", "#1002"]


@pytest.mark.parametrize(
    "arguments",
    [
        "",  # neither first nor last
        "first: 1, last: 1",
        "first: 251",
        "first: -1",
        'first: 1, after: "not a cursor"',
        'first: 1, after: "eyJsYXN0X2lkIjogIngifQ=="',  # {"last_id": "x"}
    ],
)
def test_bad_page_arguments_are_errors_not_500s(gql, arguments):
    answer = gql.run(f"{{ orders{f'({arguments})' if arguments else ''} {{ nodes {{ id }} }} }}")
    assert answer["data"] is None
    assert answer["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
