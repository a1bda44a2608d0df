"""POST /admin/api/{version}/graphql.json: Shopify's GraphQL Admin API (see orderdesk/graphql).

The request is authenticated like every Admin API request (a token, or 401); scopes and the
60-day window are then applied per field by the resolvers, as Shopify does.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from ...graphql import cost
from ...graphql.schema import execute
from .. import openapi_models as shapes
from ..auth import Principal, authenticated
from ..body import json_body
from ..errors import ApiError
from ..openapi import documented

router = APIRouter()


@router.post("/graphql.json", summary="Shopify's GraphQL Admin API: queries and mutations on orders")
@documented(body=shapes.GraphQLRequest, returns=shapes.GraphQLAnswer)
def graphql(request: Request, body: Any = Depends(json_body), principal: Principal = Depends(authenticated())) -> JSONResponse:
    if not isinstance(body, dict) or not isinstance(body.get("query"), str) or not body["query"].strip():
        raise ApiError(400, {"query": "Required parameter missing or invalid"})
    if body.get("variables") is not None and not isinstance(body["variables"], dict):
        raise ApiError(400, {"variables": "Required parameter missing or invalid"})
    if body.get("operationName") is not None and not isinstance(body["operationName"], str):
        raise ApiError(400, {"operationName": "Required parameter missing or invalid"})
    services = request.app.state.services
    answer = cost.run(services, principal, body, execute, request.app.state.graphql_throttle)
    return JSONResponse(answer)
