"""Products and variants: enough of the catalog for orders to refer to."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from ...domain.money import Money
from ...representation.catalog import product_json, variant_json
from ...representation.common import only_fields
from ...services import catalog as catalog_service
from .. import openapi_models as shapes
from .. import pagination, params
from ..auth import Principal, requires
from ..body import json_body, unwrap
from ..openapi import FIELDS, IDS, LIMIT, SINCE_ID, documented
from ..writes import respond

router = APIRouter()


class VariantIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    title: str = Field(default="Default Title", max_length=255)
    sku: str | None = Field(default=None, max_length=255)
    barcode: str | None = None
    price: Decimal | int | str = "0"
    compare_at_price: Decimal | int | str | None = None
    option1: str | None = None
    requires_shipping: bool = True
    taxable: bool = True
    grams: int = Field(default=0, ge=0)
    inventory_policy: str = Field(default="deny", pattern="^(deny|continue)$")
    inventory_management: str | None = None


class ProductIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    title: str = Field(min_length=1, max_length=255)
    body_html: str | None = None
    vendor: str | None = None
    product_type: str = ""
    handle: str | None = None
    status: str = Field(default="active", pattern="^(active|archived|draft)$")
    tags: str = ""
    variants: list[VariantIn] = Field(default_factory=list, max_length=100)


@router.get("/products.json", summary="List products")
@documented(query=(LIMIT, SINCE_ID, IDS, FIELDS), returns={"products": list[shapes.Product]})
def list_products(request: Request, principal: Principal = Depends(requires("read_products"))) -> dict[str, Any]:
    services = request.app.state.services
    limit = pagination.parse_limit(request.query_params.get("limit"))
    since_id = params.integer(request.query_params.get("since_id"), "since_id") or 0
    ids = params.id_list(request.query_params.get("ids"), "ids")
    fields = params.field_list(request.query_params.get("fields"))
    products = catalog_service.list_products(services, limit=limit, since_id=since_id, ids=ids)
    shop = services.shop()
    stock = catalog_service.stock_for(services, [v["id"] for _, vs in products for v in vs])
    return {"products": [only_fields(product_json(p, v, shop, stock), fields) for p, v in products]}


@router.get("/products/count.json", summary="Count products")
@documented(returns={"count": int})
def count_products(request: Request, principal: Principal = Depends(requires("read_products"))) -> dict[str, int]:
    return {"count": catalog_service.count_products(request.app.state.services)}


@router.get("/products/{product_id}.json", summary="Get one product")
@documented(query=(FIELDS,), returns={"product": shapes.Product})
def get_product(product_id: int, request: Request, principal: Principal = Depends(requires("read_products"))) -> dict[str, Any]:
    services = request.app.state.services
    product, variants = catalog_service.get_product(services, product_id)
    fields = params.field_list(request.query_params.get("fields"))
    stock = catalog_service.stock_for(services, [v["id"] for v in variants])
    return {"product": only_fields(product_json(product, variants, services.shop(), stock), fields)}


@router.post("/products.json", status_code=201, summary="Create a product with its variants")
@documented(body={"product": ProductIn}, returns={"product": shapes.Product}, idempotent=True)
def create_product(
    request: Request, body: Any = Depends(json_body), principal: Principal = Depends(requires("write_products"))
) -> Response:
    services = request.app.state.services
    data = ProductIn.model_validate(unwrap(body, "product"))
    shop = services.shop()
    variants = [
        {
            **v.model_dump(),
            "price": Money.parse(v.price, shop.currency, field="price").amount,
            "compare_at_price": None
            if v.compare_at_price is None
            else Money.parse(v.compare_at_price, shop.currency, field="compare_at_price").amount,
        }
        for v in (data.variants or [VariantIn()])
    ]

    def work(uow):
        product_id = catalog_service.create_product(services, data.model_dump(exclude={"variants"}), variants, uow=uow, caller=principal)
        product, rows = uow.products.get(product_id)
        ids = [v["id"] for v in rows]
        items, available = uow.inventory.items_by_variant(ids), uow.inventory.available_by_variant(ids)
        stock = {vid: {"item_id": items[vid], "available": available.get(vid, 0)} for vid in items}
        return 201, {"product": product_json(product, rows, shop, stock)}

    return respond(request, principal, work)


@router.put("/products/{product_id}.json", summary="Update a product's details")
@documented(body={"product": shapes.ProductUpdate}, returns={"product": shapes.Product})
def update_product(
    product_id: int, request: Request, body: Any = Depends(json_body), principal: Principal = Depends(requires("write_products"))
) -> dict[str, Any]:
    services = request.app.state.services
    data = unwrap(body, "product")
    allowed: dict[str, Any] = {k: data[k] for k in ("title", "body_html", "vendor", "product_type", "status", "tags") if k in data}
    ProductIn.model_validate({"title": "x", **allowed})
    catalog_service.update_product(services, product_id, allowed, caller=principal)
    product, rows = catalog_service.get_product(services, product_id)
    return {"product": product_json(product, rows, services.shop())}


@router.delete("/products/{product_id}.json", summary="Delete a product")
@documented(returns={})
def delete_product(product_id: int, request: Request, principal: Principal = Depends(requires("write_products"))) -> dict[str, Any]:
    catalog_service.delete_product(request.app.state.services, product_id, caller=principal)
    return {}


@router.get("/products/{product_id}/variants.json", summary="List a product's variants")
@documented(returns={"variants": list[shapes.Variant]})
def list_variants(product_id: int, request: Request, principal: Principal = Depends(requires("read_products"))) -> dict[str, Any]:
    services = request.app.state.services
    _, variants = catalog_service.get_product(services, product_id)
    stock = catalog_service.stock_for(services, [v["id"] for v in variants])
    return {"variants": [variant_json(v, services.shop(), stock.get(v["id"])) for v in variants]}


@router.get("/variants/{variant_id}.json", summary="Get one variant")
@documented(returns={"variant": shapes.Variant})
def get_variant(variant_id: int, request: Request, principal: Principal = Depends(requires("read_products"))) -> dict[str, Any]:
    services = request.app.state.services
    variant = catalog_service.get_variant(services, variant_id)
    return {"variant": variant_json(variant, services.shop(), catalog_service.stock_for(services, [variant_id]).get(variant_id))}
