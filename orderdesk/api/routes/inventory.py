"""Locations (list, get, add, change), inventory items and inventory levels (adjust, set, connect, delete)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from ...representation.inventory import item_json, level_json, location_json
from ...services import inventory
from .. import openapi_models as shapes
from .. import pagination, params
from ..auth import Principal, requires
from ..body import json_body, unwrap
from ..errors import ApiError
from ..openapi import LIMIT, documented, id_list, integer
from ..writes import respond

router = APIRouter()


class Adjust(BaseModel):
    model_config = ConfigDict(extra="ignore")
    location_id: int = Field(ge=1, le=2**63 - 1)
    inventory_item_id: int = Field(ge=1, le=2**63 - 1)
    available_adjustment: int = Field(ge=-1_000_000_000, le=1_000_000_000)


class SetLevel(BaseModel):
    model_config = ConfigDict(extra="ignore")
    location_id: int = Field(ge=1, le=2**63 - 1)
    inventory_item_id: int = Field(ge=1, le=2**63 - 1)
    available: int = Field(ge=-1_000_000_000, le=1_000_000_000)


class Connect(BaseModel):
    model_config = ConfigDict(extra="ignore")
    location_id: int = Field(ge=1, le=2**63 - 1)
    inventory_item_id: int = Field(ge=1, le=2**63 - 1)
    relocate_if_necessary: bool = False


class LocationIn(BaseModel):
    """Shopify's location fields (GraphQL locationAdd/locationEdit); what is not sent stays."""

    model_config = ConfigDict(extra="ignore")
    name: str | None = Field(default=None, max_length=255)
    address1: str | None = Field(default=None, max_length=255)
    address2: str | None = Field(default=None, max_length=255)
    city: str | None = Field(default=None, max_length=255)
    zip: str | None = Field(default=None, max_length=32)
    province: str | None = Field(default=None, max_length=255)
    province_code: str | None = Field(default=None, max_length=10)
    country: str | None = Field(default=None, max_length=255)
    country_code: str | None = Field(default=None, max_length=64)
    phone: str | None = Field(default=None, max_length=64)


def _location_fields(body: Any) -> dict[str, Any]:
    return LocationIn.model_validate(unwrap(body, "location")).model_dump(exclude_unset=True)


@router.get("/locations.json", summary="List locations")
@documented(returns={"locations": list[shapes.Location]})
def list_locations(request: Request, principal: Principal = Depends(requires("read_locations"))) -> dict[str, Any]:
    shop = request.app.state.services.shop()
    return {"locations": [location_json(r, shop) for r in inventory.locations(request.app.state.services)]}


@router.get("/locations/count.json", summary="Count locations")
@documented(returns={"count": int})
def count_locations(request: Request, principal: Principal = Depends(requires("read_locations"))) -> dict[str, int]:
    return {"count": len(inventory.locations(request.app.state.services))}


@router.get("/locations/{location_id}.json", summary="Get one location")
@documented(returns={"location": shapes.Location})
def get_location(location_id: int, request: Request, principal: Principal = Depends(requires("read_locations"))) -> dict[str, Any]:
    services = request.app.state.services
    return {"location": location_json(inventory.location(services, location_id), services.shop())}


@router.post(
    "/locations.json",
    status_code=201,
    summary="Add a location (orderdesk extension: Shopify offers this only in GraphQL, as locationAdd; accepts Idempotency-Key)",
)
@documented(body={"location": LocationIn}, returns={"location": shapes.Location}, idempotent=True)
def add_location(request: Request, body: Any = Depends(json_body), principal: Principal = Depends(requires("write_locations"))) -> Response:
    services = request.app.state.services
    fields = _location_fields(body)

    def work(uow):
        return 201, {"location": location_json(inventory.add_location(services, fields, uow=uow), services.shop())}

    return respond(request, principal, work)


@router.put(
    "/locations/{location_id}.json",
    summary="Rename a location or change its address (orderdesk extension: Shopify's GraphQL locationEdit)",
)
@documented(body={"location": LocationIn}, returns={"location": shapes.Location})
def update_location(
    location_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(requires("write_locations"))
) -> dict[str, Any]:
    services = request.app.state.services
    row = inventory.update_location(services, location_id, _location_fields(body))
    return {"location": location_json(row, services.shop())}


@router.get("/locations/{location_id}/inventory_levels.json", summary="Inventory levels at a location")
@documented(query=(LIMIT,), returns={"inventory_levels": list[shapes.InventoryLevel]})
def location_levels(location_id: int, request: Request, principal: Principal = Depends(requires("read_inventory"))) -> dict[str, Any]:
    services = request.app.state.services
    inventory.location(services, location_id)
    limit = pagination.parse_limit(request.query_params.get("limit"))
    rows = inventory.levels(services, location_ids=(location_id,), limit=limit)
    return {"inventory_levels": [level_json(r, services.shop()) for r in rows]}


@router.get("/inventory_levels.json", summary="Inventory levels by item and/or location")
@documented(
    query=(id_list("inventory_item_ids", "Levels of these inventory items"), id_list("location_ids", "Levels at these locations"), LIMIT),
    returns={"inventory_levels": list[shapes.InventoryLevel]},
)
def list_levels(request: Request, principal: Principal = Depends(requires("read_inventory"))) -> dict[str, Any]:
    services = request.app.state.services
    q = request.query_params
    rows = inventory.levels(
        services,
        item_ids=params.id_list(q.get("inventory_item_ids"), "inventory_item_ids"),
        location_ids=params.id_list(q.get("location_ids"), "location_ids"),
        limit=pagination.parse_limit(q.get("limit")),
    )
    return {"inventory_levels": [level_json(r, services.shop()) for r in rows]}


@router.post("/inventory_levels/adjust.json", summary="Adjust what is available (accepts Idempotency-Key)")
@documented(body=Adjust, returns={"inventory_level": shapes.InventoryLevel}, idempotent=True)
def adjust(request: Request, body: Any = Depends(json_body), principal: Principal = Depends(requires("write_inventory"))) -> Response:
    services = request.app.state.services
    data = Adjust.model_validate(body if isinstance(body, dict) else {})

    def work(uow):
        row = inventory.adjust(services, data.inventory_item_id, data.location_id, data.available_adjustment, uow=uow)
        return 200, {"inventory_level": level_json(row, services.shop())}

    return respond(request, principal, work)


@router.post("/inventory_levels/set.json", summary="Set what is available (accepts Idempotency-Key)")
@documented(body=SetLevel, returns={"inventory_level": shapes.InventoryLevel}, idempotent=True)
def set_level(request: Request, body: Any = Depends(json_body), principal: Principal = Depends(requires("write_inventory"))) -> Response:
    services = request.app.state.services
    data = SetLevel.model_validate(body if isinstance(body, dict) else {})

    def work(uow):
        row = inventory.set_available(services, data.inventory_item_id, data.location_id, data.available, uow=uow)
        return 200, {"inventory_level": level_json(row, services.shop())}

    return respond(request, principal, work)


@router.post("/inventory_levels/connect.json", status_code=201, summary="Stock an item at a location (accepts Idempotency-Key)")
@documented(body=Connect, returns={"inventory_level": shapes.InventoryLevel}, idempotent=True, also=(200,))
def connect(request: Request, body: Any = Depends(json_body), principal: Principal = Depends(requires("write_inventory"))) -> Response:
    services = request.app.state.services
    data = Connect.model_validate(body if isinstance(body, dict) else {})

    def work(uow):
        row, created = inventory.connect(services, data.inventory_item_id, data.location_id, uow=uow)
        return (201 if created else 200), {"inventory_level": level_json(row, services.shop())}

    return respond(request, principal, work)


@router.delete("/inventory_levels.json", status_code=204, summary="Stop stocking an item at a location")
@documented(
    query=(
        integer("inventory_item_id", "The inventory item", minimum=1, required=True),
        integer("location_id", "The location", minimum=1, required=True),
    )
)
def disconnect(request: Request, principal: Principal = Depends(requires("write_inventory"))) -> Response:
    services = request.app.state.services
    q = request.query_params
    item_id = params.integer(q.get("inventory_item_id"), "inventory_item_id")
    location_id = params.integer(q.get("location_id"), "location_id")
    if item_id is None or location_id is None:
        raise ApiError(422, {"base": ["inventory_item_id and location_id are required"]})
    inventory.disconnect(services, item_id, location_id)
    return Response(status_code=204)


@router.get("/inventory_items.json", summary="Inventory items by id")
@documented(query=(id_list("ids", "The inventory items to return"),), returns={"inventory_items": list[shapes.InventoryItem]})
def list_items(request: Request, principal: Principal = Depends(requires("read_inventory"))) -> dict[str, Any]:
    services = request.app.state.services
    ids = params.id_list(request.query_params.get("ids"), "ids")
    return {"inventory_items": [item_json(r, services.shop()) for r in inventory.items(services, ids)] if ids else []}


@router.get("/inventory_items/{item_id}.json", summary="Get one inventory item")
@documented(returns={"inventory_item": shapes.InventoryItem})
def get_item(item_id: int, request: Request, principal: Principal = Depends(requires("read_inventory"))) -> dict[str, Any]:
    services = request.app.state.services
    return {"inventory_item": item_json(inventory.item(services, item_id), services.shop())}
