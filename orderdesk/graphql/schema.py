"""The executable schema: Shopify's SDL (admin_orders.graphql) bound to orderdesk's resolvers,
and one request's execution with Shopify's error shapes."""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from importlib.resources import files
from typing import Any

from ariadne import graphql_sync, make_executable_schema
from graphql import GraphQLError, GraphQLSchema

from ..domain.access import Caller
from ..services.context import Services
from . import mutations, nodes, orders, shop

log = logging.getLogger(__name__)
# ariadne logs every error of every request; clients' mistakes are answered to them, not logged
# (format_error logs the failures that are orderdesk's own).
_client_errors = logging.getLogger(__name__ + ".client_errors")
_client_errors.setLevel(logging.CRITICAL)

INTERNAL = "Internal error. Looks like something went wrong on our end."


def sdl() -> str:
    return files("orderdesk.graphql").joinpath("admin_orders.graphql").read_text()


@lru_cache(maxsize=1)
def schema() -> GraphQLSchema:
    return make_executable_schema(sdl(), *orders.TYPES, *shop.TYPES, *nodes.TYPES, *mutations.TYPES)


# graphql-core's validation messages and the codes Shopify's server (graphql-ruby) gives the same mistakes.
_VALIDATION_CODES = (
    (re.compile(r"Cannot query field '(?P<fieldName>\w+)' on type '(?P<typeName>\w+)'"), "undefinedField"),
    (re.compile(r"Unknown argument '(?P<argumentName>\w+)' on field '(?P<fieldName>[\w.]+)'"), "argumentNotAccepted"),
    (
        re.compile(r"Argument '(?P<typeName>\w+)\.(?P<fieldName>\w+)\((?P<arguments>\w+):\)' of type '[^']+' is required"),
        "missingRequiredArguments",
    ),
    (re.compile(r"Variable '\$(?P<variableName>\w+)'"), "variableMismatch"),
    (re.compile(r"cannot represent|Expected value of type|does not exist in '\w+' enum"), "argumentLiteralsIncompatible"),
    (re.compile(r"Syntax Error"), "parseError"),
)


def _validation_extensions(message: str) -> dict[str, Any]:
    for pattern, code in _VALIDATION_CODES:
        found = pattern.search(message)
        if found:
            return {"code": code, **found.groupdict()}
    return {"code": "GRAPHQL_VALIDATION_FAILED"}


def format_error(error: GraphQLError, debug: bool = False) -> dict[str, Any]:
    """Shopify's shape; an unexpected failure says so without its traceback (and is logged)."""
    original = error.original_error
    if original is not None and not isinstance(original, GraphQLError):
        log.error("GraphQL resolver failed at %s", error.path, exc_info=original)
        return {
            "message": INTERNAL,
            "locations": [loc._asdict() for loc in error.locations or []],
            "path": error.path,
            "extensions": {"code": "INTERNAL_SERVER_ERROR"},
        }
    formatted: dict[str, Any] = dict(error.formatted)
    if not formatted.get("extensions") and error.path is None:
        # A request the schema refuses (syntax, unknown field, wrong type, missing variable) before running.
        formatted["extensions"] = _validation_extensions(error.message)
    return formatted


def execute(services: Services, caller: Caller, body: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
    """Run one GraphQL request for ``caller``: (whether it ran without errors, the JSON answer)."""
    context: dict[str, Any] = {"services": services, "caller": caller, "shop": services.shop()}
    ok, result = graphql_sync(
        schema(),
        body,
        context_value=context,
        error_formatter=format_error,
        introspection=True,
        debug=False,
        logger=_client_errors,
    )
    if context.get("search_warnings"):
        result.setdefault("extensions", {})["search"] = context["search_warnings"]
    return ok, result
