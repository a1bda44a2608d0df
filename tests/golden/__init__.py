"""Shopify's documented REST Admin API examples (API 2024-10), kept beside the tests that use them.

``shopify_rest_examples_2024_10.json`` holds the request/response examples of Shopify's REST Admin
API 2024-10 reference that the tests replay or compare against (see README.md for the source).
Ids and values are Shopify's; the tests compare keys and value types, never values.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

FILE = Path(__file__).with_name("shopify_rest_examples_2024_10.json")


@cache
def _examples() -> dict[tuple[str, str], dict[str, Any]]:
    return {(e["resource"], e["test"]): e for e in json.loads(FILE.read_text(encoding="utf-8"))}


def example_request(resource: str, test: str) -> dict[str, Any]:
    """The whole documented example: method, path, query, request body, status and response."""
    try:
        return _examples()[(resource, test)]
    except KeyError:
        raise LookupError(f"{resource} {test} is not among the golden examples in {FILE.name}") from None


def example(resource: str, test: str) -> dict[str, Any]:
    """The documented response body of one example."""
    return example_request(resource, test)["response"]


def _kind(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return bool
    if isinstance(value, (int, float)):
        return "number"
    return type(value)


# Shopify documents these as free-form objects whose keys vary by gateway or carrier.
FREE_FORM = ("origin_address", "client_details")


def assert_same_shape(ours: dict, golden: dict, path: str = "") -> None:
    """Every key of ``golden`` is in ``ours`` with a value of the same JSON type (null matches
    anything), recursively; lists compare their first elements when both have one."""
    missing = sorted(set(golden) - set(ours))
    assert not missing, f"{path or 'root'} lacks {missing}"
    for key, value in golden.items():
        mine = ours[key]
        if value is None or mine is None:
            continue
        assert _kind(mine) == _kind(value), f"{path}{key}: {type(mine).__name__} vs {type(value).__name__}"
        if isinstance(value, dict) and key not in FREE_FORM:
            assert_same_shape(mine, value, f"{path}{key}.")
        if isinstance(value, list) and value and mine and isinstance(value[0], dict):
            assert_same_shape(mine[0], value[0], f"{path}{key}[0].")
