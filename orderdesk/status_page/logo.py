"""The shop's logo at /shop/logo: public, because shoppers' email clients and the printed
packing slip fetch it without a session."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..services import shop_logo

router = APIRouter(include_in_schema=False)


@router.get("/shop/logo")
def logo(request: Request) -> Response:
    found = shop_logo.logo(request.app.state.services)
    if found is None:
        return Response("No logo", status_code=404, media_type="text/plain")
    content_type, data = found
    # The address carries the logo's version (?v=...), so it may be cached for long.
    headers = {"Cache-Control": "public, max-age=31536000", "X-Content-Type-Options": "nosniff"}
    if "v" not in request.query_params:
        headers["Cache-Control"] = "public, max-age=300"
    return Response(data, media_type=content_type, headers=headers)
