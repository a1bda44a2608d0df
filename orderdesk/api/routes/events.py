"""The shop's events (Shopify's Event resource): orders' and products' timelines together."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from ...representation.common import only_fields
from ...representation.events import event_json
from ...services import events as event_service
from .. import openapi_models as shapes
from .. import pagination, params
from ..auth import Principal, requires, requires_any
from ..openapi import FIELDS, LIMIT, PAGE_INFO, SINCE_ID, documented, text, timestamp

router = APIRouter()
# Shopify asks for the read scope of the events' subjects; a caller holding one of them sees
# those subjects' events (services/events.py leaves the others out).
READ_EVENTS = requires_any(*event_service.READ_SCOPES.values())
EVENT_FILTER = text("filter", "Only events of these subjects, comma-separated: `Order`, `Product`.")
EVENT_VERB = text("verb", "Only events with this verb, e.g. `placed`, `confirmed`, `create`.")
CREATED_MIN = timestamp("created_at_min", "Only events created at or after this time.")
CREATED_MAX = timestamp("created_at_max", "Only events created at or before this time.")
FILTER_PARAMS = ("filter", "verb", "since_id", "created_at_min", "created_at_max")


def _filter(request: Request, raw: dict[str, str], principal: Principal, subject_types: tuple[str, ...] = ()):
    services = request.app.state.services
    tz = services.shop().iana_timezone
    wanted = tuple(part.strip() for part in (raw.get("filter") or "").split(",") if part.strip())
    return event_service.event_filter(
        services,
        principal,
        subject_types or wanted,
        verb=raw.get("verb") or None,
        since_id=params.integer(raw.get("since_id"), "since_id"),
        created_at_min=params.timestamp(raw.get("created_at_min"), "created_at_min", tz),
        created_at_max=params.timestamp(raw.get("created_at_max"), "created_at_max", tz),
    )


def _rows_json(request: Request, rows: list[dict[str, Any]], fields: list[str] | None) -> list[dict[str, Any]]:
    shop = request.app.state.services.shop()
    return [only_fields(event_json(r, shop, r["subject_name"]), fields) for r in rows]


@router.get("/events.json", summary="The shop's events (orders' and products' timelines), oldest first; cursor pagination through Link")
@documented(
    query=(LIMIT, FIELDS, PAGE_INFO, EVENT_FILTER, EVENT_VERB, SINCE_ID, CREATED_MIN, CREATED_MAX), returns={"events": list[shapes.Event]}
)
def list_events(request: Request, principal: Principal = Depends(READ_EVENTS)) -> Response:
    services = request.app.state.services
    page = pagination.page_of(request, FILTER_PARAMS)
    rows, more = event_service.list_events(services, _filter(request, page.filters, principal), limit=page.limit, cursor=page.cursor)
    first, last = ((rows[0]["created_at"], rows[0]["id"]), (rows[-1]["created_at"], rows[-1]["id"])) if rows else (None, None)
    return JSONResponse({"events": _rows_json(request, rows, page.fields)}, headers=pagination.links_for(request, page, first, last, more))


@router.get("/events/count.json", summary="Count the shop's events matching the list filters")
@documented(query=(EVENT_FILTER, EVENT_VERB, SINCE_ID, CREATED_MIN, CREATED_MAX), returns={"count": int})
def count_events(request: Request, principal: Principal = Depends(READ_EVENTS)) -> dict[str, int]:
    services = request.app.state.services
    return {"count": event_service.count_events(services, _filter(request, dict(request.query_params), principal))}


@router.get("/events/{event_id}.json", summary="One event")
@documented(query=(FIELDS,), returns={"event": shapes.Event})
def get_event(event_id: int, request: Request, principal: Principal = Depends(READ_EVENTS)) -> dict[str, Any]:
    row = event_service.get_event(request.app.state.services, event_id, caller=principal)
    fields = params.field_list(request.query_params.get("fields"))
    return {"event": _rows_json(request, [row], fields)[0]}


@router.get("/products/{product_id}/events.json", summary="A product's events (its creation, changes and deletion)")
@documented(query=(LIMIT, FIELDS, EVENT_VERB, SINCE_ID, CREATED_MIN, CREATED_MAX), returns={"events": list[shapes.Event]})
def product_events(product_id: int, request: Request, principal: Principal = Depends(requires("read_products"))) -> dict[str, Any]:
    services = request.app.state.services
    query = request.query_params
    f = _filter(request, dict(query), principal, ("Product",))
    rows = event_service.product_events(services, product_id, f, limit=pagination.parse_limit(query.get("limit")))
    return {"events": _rows_json(request, rows, params.field_list(query.get("fields")))}
