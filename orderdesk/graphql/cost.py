"""Shopify's cost-based throttling, depth limit and cost limit.

Before a query runs its *requested* cost is computed from the document (objects 1, scalars and
enums 0, a connection 2 plus its page size, with what it selects counted once per node asked
for, a mutation 10); after it ran, its *actual* cost counts the nodes that came back, and the
difference goes back into the app's bucket. Each app has a leaky bucket (``maximumAvailable``
points, refilled at ``restoreRate`` a second): a query costing more than is left is refused with
``THROTTLED``, a query costing more than ``MAX_COST`` is never run (``MAX_COST_EXCEEDED``), and a
query nested deeper than ``MAX_DEPTH`` fields is refused before it runs.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    VariableNode,
    get_named_type,
    parse,
)

MAX_COST = 1000
MAX_DEPTH = 15
MUTATION_COST = 10
RATE_LIMITS_DOC = "https://shopify.dev/api/usage/rate-limits"


@dataclass
class Throttle:
    """Every app's bucket of points (Shopify's Standard plan: 2000, refilled at 100 a second)."""

    maximum: float = 2000.0
    restore_rate: float = 100.0
    # The most one query may cost (Shopify's 1000). Above the bucket's size no query could ever run.
    max_cost: int = MAX_COST
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[Any, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _level(self, key: Any, now: float) -> float:
        available, at = self._buckets.get(key, (self.maximum, now))
        return min(self.maximum, available + (now - at) * self.restore_rate)

    def take(self, key: Any, points: float) -> tuple[bool, float]:
        """Take ``points`` if the bucket holds them: (taken, points left)."""
        with self._lock:
            now = self.clock()
            available = self._level(key, now)
            if points > available:
                self._buckets[key] = (available, now)
                return False, available
            self._buckets[key] = (available - points, now)
            return True, available - points

    def give_back(self, key: Any, points: float) -> float:
        with self._lock:
            now = self.clock()
            available = min(self.maximum, self._level(key, now) + points)
            self._buckets[key] = (available, now)
            return available

    def status(self, available: float) -> dict[str, Any]:
        return {"maximumAvailable": self.maximum, "currentlyAvailable": int(available), "restoreRate": self.restore_rate}


# --- cost of a document -----------------------------------------------------------------------


def _page_size(node: FieldNode, variables: dict[str, Any]) -> int:
    for arg in node.arguments or ():
        if arg.name.value in ("first", "last"):
            value = arg.value
            if isinstance(value, IntValueNode):
                return int(value.value)
            if isinstance(value, VariableNode):
                given = variables.get(value.name.value)
                return given if isinstance(given, int) and not isinstance(given, bool) else 0
    return 0


class _Counter:
    """Walks a selection set; with ``data`` (the answer) it counts what came back instead of
    what was asked for."""

    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode], variables: dict[str, Any]) -> None:
        self.schema, self.fragments, self.variables = schema, fragments, variables

    def fields(self, selection_set, parent, seen: frozenset[str] = frozenset()):
        """(field node, the type it is selected on) of a selection set, fragments spread."""
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                yield selection, parent
            elif isinstance(selection, InlineFragmentNode):
                target = self.schema.get_type(selection.type_condition.name.value) if selection.type_condition else parent
                yield from self.fields(selection.selection_set, target or parent, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:
                    target = self.schema.get_type(fragment.type_condition.name.value) or parent
                    yield from self.fields(fragment.selection_set, target, seen | {name})

    def selections(self, selection_set, parent, data) -> float:
        return sum(self.field(node, on, data) for node, on in self.fields(selection_set, parent))

    def field(self, node: FieldNode, parent, data) -> float:
        name = node.name.value
        if name.startswith("__") or not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 0.0
        definition = parent.fields.get(name)
        if definition is None:
            return 0.0
        named = get_named_type(definition.type)
        if not isinstance(named, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType):
            return 0.0
        key = node.alias.value if node.alias else name
        value = data.get(key) if isinstance(data, dict) else None
        if data is not None and value is None:
            return 0.0
        if named.name.endswith("Connection") and isinstance(named, GraphQLObjectType):
            return self.connection(node, named, value, requested=data is None)
        if isinstance(value, list):
            return sum(1 + self.selections(node.selection_set, named, item) for item in value)
        return 1 + self.selections(node.selection_set, named, value)

    def connection(self, node: FieldNode, connection: GraphQLObjectType, value: Any, *, requested: bool) -> float:
        """2, plus each node (1 and what it selects) once per node asked for, or returned."""
        # Where the nodes are in the answer (``nodes``, or ``node`` in each of ``edges``) and what they select.
        paths: list[tuple[str, str | None, Any]] = []
        node_type = get_named_type(connection.fields["nodes"].type) if "nodes" in connection.fields else None
        for child, _ in self.fields(node.selection_set, connection):
            key = child.alias.value if child.alias else child.name.value
            if child.name.value == "nodes":
                paths.append((key, None, child.selection_set))
            elif child.name.value == "edges":
                edge = get_named_type(connection.fields["edges"].type)
                for inner, _ in self.fields(child.selection_set, edge):
                    if inner.name.value == "node":
                        paths.append((key, inner.alias.value if inner.alias else "node", inner.selection_set))
        if requested:
            size = _page_size(node, self.variables)
            per_node = sum(self.selections(selection, node_type, None) for _, _, selection in paths)
            return 2 + size + size * per_node
        found = [(_reach(value, key, inner), selection) for key, inner, selection in paths]
        returned = max((len(items) for items, _ in found), default=0)
        return 2 + returned + sum(self.selections(selection, node_type, item) for items, selection in found for item in items if item)


def _reach(value: Any, key: str, inner: str | None) -> list[Any]:
    items = (value.get(key) if isinstance(value, dict) else None) or []
    return items if inner is None else [e.get(inner) for e in items if isinstance(e, dict)]


def _operation(document, operation_name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        return next((o for o in operations if o.name and o.name.value == operation_name), None)
    return operations[0] if len(operations) == 1 else None


def query_cost(schema: GraphQLSchema, document, variables: dict[str, Any], operation_name: str | None, data: Any = None) -> float:
    """The requested cost (``data`` None) or the actual cost of what ``data`` holds."""
    operation = _operation(document, operation_name)
    if operation is None:
        return 0.0
    if operation.operation.value == "mutation":
        return float(MUTATION_COST)
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    counter = _Counter(schema, fragments, variables)
    return counter.selections(operation.selection_set, schema.query_type, data)


def depth(document, operation_name: str | None) -> int:
    """How deep the operation nests fields (fragments spread), stopping once past ``MAX_DEPTH``."""
    operation = _operation(document, operation_name)
    if operation is None:
        return 0
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}

    def walk(selection_set, level: int, seen: frozenset[str]) -> int:
        if selection_set is None or level > MAX_DEPTH:
            return level
        deepest = level
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                deepest = max(deepest, walk(selection.selection_set, level + 1, seen) if selection.selection_set else level + 1)
            elif isinstance(selection, InlineFragmentNode):
                deepest = max(deepest, walk(selection.selection_set, level, seen))
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments and selection.name.value not in seen:
                fragment = fragments[selection.name.value]
                deepest = max(deepest, walk(fragment.selection_set, level, seen | {selection.name.value}))
        return deepest

    return walk(operation.selection_set, 0, frozenset())


def _refusal(message: str, code: str, **extensions) -> dict[str, Any]:
    return {"message": message, "extensions": {"code": code, **extensions}}


def run(services, caller, body: dict[str, Any], execute, throttle: Throttle) -> dict[str, Any]:
    """Run a request within the caller's app's bucket, with ``extensions.cost`` in its answer."""
    from .schema import schema

    variables = body.get("variables") or {}
    operation_name = body.get("operationName")
    key = ("app", caller.app_id) if caller.app_id is not None else ("token", caller.token_id)
    try:
        document = parse(body["query"])
    except GraphQLError:
        document = None  # execution answers the syntax error, at no cost
    requested = query_cost(schema(), document, variables, operation_name) if document is not None else 0.0
    if document is not None and depth(document, operation_name) > MAX_DEPTH:
        return {
            "errors": [_refusal(f"Query has depth of more than {MAX_DEPTH}, which exceeds max depth of {MAX_DEPTH}", "MAX_DEPTH_EXCEEDED")]
        }
    if requested > throttle.max_cost:
        cost = {
            "requestedQueryCost": int(requested),
            "actualQueryCost": None,
            "throttleStatus": throttle.status(throttle.give_back(key, 0)),
        }
        message = f"Query cost is {int(requested)}, which exceeds the single query max cost limit ({throttle.max_cost})."
        return {
            "errors": [_refusal(message, "MAX_COST_EXCEEDED", cost=int(requested), maxCost=throttle.max_cost)],
            "extensions": {"cost": cost},
        }
    taken, available = throttle.take(key, requested)
    if not taken:
        cost = {"requestedQueryCost": int(requested), "actualQueryCost": None, "throttleStatus": throttle.status(available)}
        return {"errors": [_refusal("Throttled", "THROTTLED", documentation=RATE_LIMITS_DOC)], "extensions": {"cost": cost}}
    _, answer = execute(services, caller, body)
    data = answer.get("data")
    actual = (
        requested if document is None or data is None else min(requested, query_cost(schema(), document, variables, operation_name, data))
    )
    available = throttle.give_back(key, requested - actual)
    cost = {"requestedQueryCost": int(requested), "actualQueryCost": int(actual), "throttleStatus": throttle.status(available)}
    answer.setdefault("extensions", {})["cost"] = cost
    return answer
