"""The shop resource, and its exchange rates."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from ...representation.common import only_fields
from ...representation.shop import shop_json
from ...services import inventory, setup
from .. import openapi_models as shapes
from .. import params
from ..auth import Principal, authenticated, requires
from ..body import json_body
from ..errors import ApiError
from ..openapi import FIELDS, documented

router = APIRouter()


@router.get("/shop.json", summary="The shop's settings")
@documented(query=(FIELDS,), returns={"shop": shapes.Shop})
def get_shop(request: Request, principal: Principal = Depends(authenticated())) -> dict[str, Any]:
    services = request.app.state.services
    data = shop_json(services.shop(), inventory.primary_location(services))
    return {"shop": only_fields(data, params.field_list(request.query_params.get("fields")))}


@router.get(
    "/shop/exchange_rates.json",
    summary="The shop's exchange rates: what one unit of each presentment currency is worth in the shop's currency (orderdesk extension)",
)
@documented(returns={"exchange_rates": dict[str, str]})
def get_exchange_rates(request: Request, principal: Principal = Depends(requires("read_markets"))) -> dict[str, Any]:
    return {"exchange_rates": request.app.state.services.shop().exchange_rates}


@router.put(
    "/shop/exchange_rates.json",
    summary=(
        'Replace the shop\'s exchange rates, e.g. {"exchange_rates": {"EUR": "1.10"}} (orderdesk extension; '
        "Shopify manages currencies through Markets, hence write_markets); new orders use them, placed orders keep theirs"
    ),
)
@documented(body={"exchange_rates": dict[str, str]}, returns={"exchange_rates": dict[str, str]})
def set_exchange_rates(
    request: Request, body: Any = Depends(json_body), principal: Principal = Depends(requires("write_markets"))
) -> dict[str, Any]:
    if not isinstance(body, dict) or "exchange_rates" not in body:
        raise ApiError(400, {"exchange_rates": "Required parameter missing or invalid"})
    return {"exchange_rates": setup.set_exchange_rates(request.app.state.services, body["exchange_rates"])}
