"""The OpenAPI document at /openapi.json, honest about what each Admin API route reads and answers.

Routes read their bodies by hand (``body.json_body`` + ``unwrap`` + a Pydantic
``model_validate``): Shopify wraps a body in a root key (``{"order": {...}}``), money must never
pass through a float, and a body must be refused for depth, NULs or bad JSON before anything
parses it. FastAPI cannot see any of that, so a route says what it reads with one decorator
under its route decorator::

    @router.post("/orders.json", status_code=201, summary="Create an order")
    @documented(body={"order": OrderCreate}, returns={"order": shapes.Order}, idempotent=True)
    def create_order(request: Request, body: Any = Depends(json_body), ...):

The decorator only records the declaration on the function; nothing changes at run time.
``install`` completes FastAPI's own document from these declarations.

Why not FastAPI's own means:

* a typed ``Body`` parameter would make FastAPI parse the JSON itself (floats for money, its
  own error shapes, and a recursive parse of a deeply nested body before ``json_body`` could
  refuse it), so the parsing that is correct would no longer be the one that runs;
* ``openapi_extra`` is merged into the document verbatim, so a body model would have to be
  given as a finished JSON schema with ``$ref`` names decided by hand, and two models of the
  same name (``LineQuantity``, ``TransactionIn``) would collide. Here every model of every
  route goes through one Pydantic pass, which names them apart.

Every Admin API operation also gets, from the route table rather than from each route: the
``version`` path parameter, id bounds on integer path parameters, the ``X-Shopify-Access-Token``
security scheme and the scopes the route declares (auth.py), and the error answers in Shopify's
``{"errors": ...}`` shape.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import TypeAdapter

from . import openapi_models as shapes
from .auth import declared_access

MAX_ID = 2**63 - 1
SECURITY_SCHEME = "ShopifyAccessToken"
REF = "#/components/schemas/{model}"
F = TypeVar("F", bound=Callable[..., Any])

VERSION_PARAMETER = {
    "name": "version",
    "in": "path",
    "required": True,
    "description": "API version: a quarter (`2024-10`, `2025-01`, ...) or `unstable`. Versions before the oldest "
    "supported one are served as the oldest, later ones as the newest; the served version comes back in "
    "`X-Shopify-API-Version`.",
    "schema": {"type": "string", "pattern": "^([0-9]{4}-(01|04|07|10)|unstable)$"},
    "example": "2024-10",
}


# --- query parameters --------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """A query parameter a route reads from ``request.query_params``."""

    name: str
    schema: Mapping[str, Any]
    description: str
    required: bool = False

    def spec(self) -> dict[str, Any]:
        return {"name": self.name, "in": "query", "required": self.required, "description": self.description, "schema": dict(self.schema)}


def integer(name: str, description: str, *, minimum: int = 0, required: bool = False) -> Param:
    return Param(name, {"type": "integer", "minimum": minimum, "maximum": MAX_ID}, description, required)


def text(name: str, description: str) -> Param:
    return Param(name, {"type": "string"}, description)


def flag(name: str, description: str) -> Param:
    """A boolean as Shopify clients send it: true/false, 1/0, yes/no, in any case."""
    return Param(name, {"type": "boolean"}, description)


def timestamp(name: str, description: str) -> Param:
    return Param(name, {"type": "string", "format": "date-time"}, description + " (ISO 8601; shop time when no offset is given)")


def choice(name: str, values: Iterable[str], description: str, default: str | None = None) -> Param:
    schema: dict[str, Any] = {"type": "string", "enum": list(values)}
    if default is not None:
        schema["default"] = default
    return Param(name, schema, description)


def id_list(name: str, description: str) -> Param:
    return Param(name, {"type": "string", "pattern": "^[0-9]+(,[0-9]+)*$"}, description + " (comma-separated, at most 250)")


LIMIT = Param("limit", {"type": "integer", "minimum": 1, "maximum": 250, "default": 50}, "How many results to return (1-250).")
SINCE_ID = integer("since_id", "Only results with an id above this one.")
FIELDS = text("fields", "Comma-separated fields to return, e.g. `id,name,total_price`; all fields when absent.")
IDS = id_list("ids", "Only these ids")
PAGE_INFO = text(
    "page_info",
    "The cursor from a `Link` header's `next` or `previous` URL. With it, only `limit` and `fields` may be given; "
    "the filters travel inside the cursor.",
)


# --- declarations --------------------------------------------------------------------------------


# A body the route accepts and ignores (actions such as close or open take no options).
IGNORED: Mapping[str, Any] = {}


@dataclass(frozen=True)
class Declaration:
    body: Any = None
    body_required: bool = True
    query: tuple[Param, ...] = ()
    returns: Mapping[str, Any] | type | None = None
    idempotent: bool = False
    path: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # Further success codes with the same answer (connect: 201 made, 200 already there).
    also: tuple[int, ...] = ()


def documented(
    *,
    body: Any = None,
    body_required: bool = True,
    query: Sequence[Param] = (),
    returns: Mapping[str, Any] | type | None = None,
    idempotent: bool = False,
    path: Mapping[str, Mapping[str, Any]] | None = None,
    also: Sequence[int] = (),
) -> Callable[[F], F]:
    """Declare what a route reads and answers, for the OpenAPI document only.

    ``body``: Shopify's envelope as ``{"root": Model}`` (``{"order": OrderCreate}``), a model
    for a body without a root key, or ``IGNORED`` for a body accepted and ignored;
    ``body_required=False`` when the route also takes no body or no root key.
    ``query``: the query parameters it reads (``Param``s; see ``LIMIT``, ``FIELDS``, ...).
    ``returns``: the keys of its JSON answer and their types (``{"order": shapes.Order}``,
    ``{"orders": list[shapes.Order]}``, ``{"count": int}``, ``{}`` for an empty object), or a
    model for an answer without a root key.
    ``idempotent``: it honours ``Idempotency-Key`` (it answers through ``writes.respond``).
    ``path``: extra JSON schema for path parameters, e.g. ``{"name": {"enum": [...]}}``.
    ``also``: further success codes answering the same (``returns``) as the route's own.
    """
    declaration = Declaration(body, body_required, tuple(query), returns, idempotent, dict(path or {}), tuple(also))

    def mark(endpoint: F) -> F:
        endpoint.__openapi__ = declaration  # type: ignore[attr-defined]
        return endpoint

    return mark


def declaration_of(route: APIRoute) -> Declaration | None:
    return getattr(route.endpoint, "__openapi__", None)


# --- the document ---------------------------------------------------------------------------------


class _Schemas:
    """Every model the declarations name, turned into JSON schema in one Pydantic pass."""

    def __init__(self) -> None:
        self._inputs: dict[tuple[str, str], TypeAdapter[Any]] = {}
        self._types: dict[Any, str] = {}

    def key(self, tp: Any, mode: str) -> tuple[str, str]:
        if (tp, mode) not in self._types:
            self._types[(tp, mode)] = f"t{len(self._types)}"
            self._inputs[(self._types[(tp, mode)], mode)] = TypeAdapter(tp)
        return (self._types[(tp, mode)], mode)

    def resolve(self) -> tuple[dict[tuple[str, str], Any], dict[str, Any]]:
        if not self._inputs:
            return {}, {}
        mapping, defs = TypeAdapter.json_schemas(
            [(key, mode, adapter) for (key, mode), adapter in self._inputs.items()],  # type: ignore[misc]
            ref_template=REF,
        )
        found: dict[str, Any] = defs.get("$defs", {})
        return {(key, str(mode)): schema for (key, mode), schema in mapping.items()}, found


def _envelope(keys: Mapping[str, Any], schemas: _Schemas, mode: str, required: bool) -> dict[str, Any]:
    """``{"order": Model}`` → an object schema whose ``order`` is a (later resolved) placeholder.

    A nested mapping (``{"fulfillment": {"tracking_info": TrackingInfo, "notify_customer": bool}}``)
    describes an object read key by key, each key optional.
    """
    properties = {
        name: _envelope(tp, schemas, mode, False) if isinstance(tp, Mapping) else {"$placeholder": schemas.key(tp, mode)}
        for name, tp in keys.items()
    }
    return {"type": "object", "properties": properties, **({"required": list(keys)} if required and keys else {})}


def _body_schema(declaration: Declaration, schemas: _Schemas) -> dict[str, Any]:
    body = declaration.body
    if body is IGNORED:
        return {"type": "object", "description": "Accepted and ignored."}
    if isinstance(body, Mapping):
        return _envelope(body, schemas, "validation", declaration.body_required)
    return {"$placeholder": schemas.key(body, "validation")}


def _fill(node: Any, resolved: Mapping[tuple[str, str], Any]) -> Any:
    if isinstance(node, dict):
        if "$placeholder" in node:
            key, mode = node["$placeholder"]
            return resolved[(key, mode)]
        return {k: _fill(v, resolved) for k, v in node.items()}
    if isinstance(node, list):
        return [_fill(v, resolved) for v in node]
    return node


def _errors(method: str, has_body: bool, schemas: _Schemas) -> dict[str, Any]:
    shape = {"$placeholder": schemas.key(shapes.Errors, "serialization")}

    def _error(description: str) -> dict[str, Any]:
        return {"description": description, "content": {"application/json": {"schema": shape}}}

    out = {
        "400": _error("Malformed request: invalid JSON or query parameter, or a missing root key."),
        "401": _error("No access token, or one that is unknown or revoked."),
        "403": _error("The token lacks a scope this request needs."),
        "404": _error(
            "No such object, or one this token may not see (another app's, or an order older than 60 days without `read_all_orders`)."
        ),
        "422": _error("The request is understood but refused: invalid fields, or an action the object's state does not allow."),
        "429": {
            **_error("The token's call limit is exhausted."),
            "headers": {"Retry-After": {"description": "Seconds to wait before the next call.", "schema": {"type": "string"}}},
        },
    }
    if method != "get":
        out["409"] = _error("A request with the same `Idempotency-Key` is still in flight, or the object changed concurrently.")
    if has_body:
        out["413"] = _error("The request body is too large.")
    return out


SUCCESS_HEADERS = {
    "X-Shopify-API-Version": {"description": "The API version that served the request.", "schema": {"type": "string"}, "required": True},
    "X-Shopify-Shop-Api-Call-Limit": {
        "description": "Calls used / bucket size of the token's leaky bucket (when rate limiting is on).",
        "schema": {"type": "string"},
    },
}
LINK_HEADER = {"Link": {"description": 'Absolute URLs of the next and previous pages: `<url>; rel="next"`.', "schema": {"type": "string"}}}


def _scopes_text(route: APIRoute) -> str:
    access = declared_access(route)
    if access is None or not (access.all_of or access.any_of):
        return "Any valid access token."
    parts = []
    if access.all_of:
        parts.append("Needs " + " and ".join(f"`{s}`" for s in access.all_of) + ".")
    if access.any_of:
        parts.append("Needs one of " + ", ".join(f"`{s}`" for s in access.any_of) + ".")
    return " ".join(parts)


def _complete_operation(operation: dict[str, Any], method: str, route: APIRoute, schemas: _Schemas) -> None:
    declaration = declaration_of(route) or Declaration()
    parameters = [p for p in operation.get("parameters", []) if p.get("name") != "version"]
    for parameter in parameters:
        if parameter.get("in") == "path":
            if parameter["schema"].get("type") == "integer":
                parameter["schema"].update({"format": "int64", "minimum": 1, "maximum": MAX_ID})
            parameter["schema"].update(declaration.path.get(parameter["name"], {}))
    parameters.insert(0, copy.deepcopy(VERSION_PARAMETER))
    parameters += [p.spec() for p in declaration.query]
    if declaration.idempotent:
        parameters.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "Replaying a request with the same key returns the first answer (keys are kept 48 h); "
                "the same key with another request is refused with 422.",
                "schema": {"type": "string", "minLength": 1, "maxLength": 255},
            }
        )
    operation["parameters"] = parameters

    has_body = declaration.body is not None
    if has_body:
        operation["requestBody"] = {
            "required": declaration.body_required and declaration.body is not IGNORED,
            "content": {"application/json": {"schema": _body_schema(declaration, schemas)}},
        }

    status = str(route.status_code or 200)
    responses = {k: v for k, v in operation.get("responses", {}).items() if k not in ("200", "201", "422")}
    success = responses.setdefault(status, {"description": "Success"})
    success["description"] = "Success" if success.get("description") in (None, "Successful Response") else success["description"]
    if declaration.returns is not None:
        returned = (
            _envelope(declaration.returns, schemas, "serialization", True)
            if isinstance(declaration.returns, Mapping)
            else {"type": "object", "allOf": [{"$placeholder": schemas.key(declaration.returns, "serialization")}]}
        )
        success["content"] = {"application/json": {"schema": returned}}
    success["headers"] = {**SUCCESS_HEADERS, **(LINK_HEADER if any(p.name == "page_info" for p in declaration.query) else {})}
    for code in declaration.also:
        responses[str(code)] = copy.deepcopy(success)
    responses.update(_errors(method, has_body, schemas))
    operation["responses"] = dict(sorted(responses.items()))

    # Grouped by the resource the path starts with (orders, products, fulfillment_orders, ...).
    operation["tags"] = [route.path.strip("/").split("/")[0].removesuffix(".json")]
    operation["security"] = [{SECURITY_SCHEME: []}]
    operation["description"] = "\n\n".join(p for p in (operation.get("description"), _scopes_text(route)) if p)


def complete(document: dict[str, Any], routes: Sequence[tuple[str, APIRoute]]) -> dict[str, Any]:
    """FastAPI's document for ``routes`` (full path, route), completed from their declarations."""
    schemas = _Schemas()
    paths = document.get("paths", {})
    for full_path, route in routes:
        operations = paths.get(full_path, {})
        for method in route.methods or ():
            operation = operations.get(method.lower())
            if operation is not None:
                _complete_operation(operation, method.lower(), route, schemas)
    resolved, defs = schemas.resolve()
    document["paths"] = _fill(paths, resolved)
    components = document.setdefault("components", {})
    found = components.setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        if unused in found and unused not in str(document["paths"]):
            del found[unused]
    found.update(defs)
    components.setdefault("securitySchemes", {})[SECURITY_SCHEME] = {
        "type": "apiKey",
        "in": "header",
        "name": "X-Shopify-Access-Token",
        "description": "An Admin API access token (`shpat_...`, from `orderdesk token create`). Each operation says which scopes it needs.",
    }
    return document


def install(app: FastAPI, routes: Sequence[tuple[str, APIRoute]]) -> None:
    """Serve ``complete``'s document at /openapi.json (rebuilt when FastAPI rebuilds its own)."""
    built: dict[str, dict[str, Any]] = {}

    def openapi() -> dict[str, Any]:
        raw = FastAPI.openapi(app)
        if built.get("raw") is not raw:
            built["raw"], built["document"] = raw, complete(copy.deepcopy(raw), routes)
        return built["document"]

    app.openapi = openapi  # type: ignore[method-assign]
