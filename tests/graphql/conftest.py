"""Fixtures for the GraphQL Admin API tests: a client posting queries to /graphql.json."""

from __future__ import annotations

from typing import Any

import pytest

GRAPHQL = "/admin/api/2025-01/graphql.json"


class GraphQL:
    """Posts queries with the ``api`` client's token; ``run`` asserts a 200 and returns the JSON."""

    def __init__(self, client) -> None:
        self.client = client

    def post(self, query: str, variables: dict[str, Any] | None = None, **extra: Any):
        return self.client.post(GRAPHQL, json={"query": query, "variables": variables or {}, **extra})

    def run(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.post(query, variables)
        assert response.status_code == 200, response.text
        return response.json()

    def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        answer = self.run(query, variables)
        assert "errors" not in answer, answer["errors"]
        return answer["data"]


@pytest.fixture
def gql(api) -> GraphQL:
    return GraphQL(api)
