"""The FastAPI application: the Admin API under /admin/api/{version}, and the admin pages."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from ..db.repositories import hash_token
from ..graphql import cost as graphql_cost
from ..services.context import Services
from . import auth, docs, errors, openapi, versions
from .edge import RequestEdge
from .limits import LeakyBucket
from .routes import catalog, customers, events, fulfillments, graphql, inventory, orders, refunds, shop, transactions, webhooks
from .routes import fulfillment_services as fulfillment_service_routes
from .routes import notifications as notification_routes
from .security_headers import SecurityHeaders

MAX_ID = 2**63 - 1


# Shopify sends these in mixed case, and the Python client looks them up case-sensitively.
_WIRE_NAMES = {
    name.lower().encode(): name.encode()
    for name in ("X-Shopify-Shop-Api-Call-Limit", "X-Shopify-API-Version", "Link", "Retry-After", "Location")
}


class ShopifyWire:
    """Header names cased as Shopify sends them, and HEAD answered like GET without a body
    (the Python client's ``exists()`` sends HEAD)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        head = scope["method"] == "HEAD"
        if head:
            scope = dict(scope, method="GET")
        state = {"body_sent": False}

        async def wire_send(message):
            if message["type"] == "http.response.start":
                message = dict(message, headers=[(_WIRE_NAMES.get(k, k), v) for k, v in message.get("headers", [])])
            elif head and message["type"] == "http.response.body":
                if state["body_sent"]:
                    return
                state["body_sent"] = True
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        return await self.app(scope, receive, wire_send)


API_PREFIX = "/admin/api/{version}"
# Every router of the Admin API: mounted under API_PREFIX, and the route table the access
# check and the access tests read.
API_ROUTERS = (
    orders.router,
    transactions.router,
    refunds.router,
    fulfillments.router,
    shop.router,
    catalog.router,
    customers.router,
    inventory.router,
    webhooks.router,
    notification_routes.router,
    fulfillment_service_routes.router,
    events.router,
    graphql.router,
)


def api_routes() -> list[tuple[str, APIRoute]]:
    """(full path, route) of every Admin API route."""
    return [(API_PREFIX + r.path, r) for router in API_ROUTERS for r in router.routes if isinstance(r, APIRoute)]


def create_app(services: Services, *, with_admin: bool = True, rate_limit: LeakyBucket | None = None) -> FastAPI:
    app = FastAPI(
        title="orderdesk Admin API",
        version="0.1.0",
        description="Shopify REST Admin API compatible order management.",
        # Served by docs.py from installed assets, not from a CDN.
        docs_url=None,
        redoc_url=None,
    )
    app.state.services = services
    # Each app's GraphQL cost bucket, in this process (as the REST call limit is).
    app.state.graphql_throttle = graphql_cost.Throttle()
    errors.install(app)

    @app.middleware("http")
    async def _versioning(request: Request, call_next):
        parts = request.url.path.split("/")
        if len(parts) > 3 and parts[1] == "admin" and parts[2] == "api":
            try:
                served = versions.resolve(parts[3])
            except errors.ApiError:
                return JSONResponse({"errors": "Not Found"}, status_code=404)
            # An id beyond BIGINT names nothing; the database driver would refuse it with a 500.
            if any(p.removesuffix(".json").isdigit() and int(p.removesuffix(".json")) > MAX_ID for p in parts[4:]):
                return JSONResponse({"errors": "Not Found"}, status_code=404, headers={"X-Shopify-API-Version": served})
            headers = {"X-Shopify-API-Version": served}
            token = request.headers.get("x-shopify-access-token")
            # GraphQL is limited by what its queries cost (graphql/cost.py), not by calls, as on Shopify.
            if rate_limit is not None and token and not request.url.path.endswith("/graphql.json"):
                allowed, used, wait = rate_limit.take(hash_token(token))
                headers["X-Shopify-Shop-Api-Call-Limit"] = f"{used}/{rate_limit.size}"
                if not allowed:
                    headers["Retry-After"] = f"{max(wait, 0.1):.1f}"
                    return JSONResponse(
                        {"errors": "Exceeded call limit for this access token. Reduce request rates to resume uninterrupted service."},
                        status_code=429,
                        headers=headers,
                    )
            response = await call_next(request)
            response.headers.update(headers)
            return response
        return await call_next(request)

    auth.check_routes(api_routes())
    openapi.install(app, api_routes())
    docs.install(app)
    api = APIRouter(prefix=API_PREFIX)
    for router in API_ROUTERS:
        api.include_router(router)
    app.include_router(api)

    from ..status_page.logo import router as logo_router
    from ..status_page.views import router as status_page_router

    app.include_router(status_page_router)  # the shopper's order_status_url
    app.include_router(logo_router)  # the shop's logo, for emails and packing slips
    app.mount("/status/static", StaticFiles(packages=[("orderdesk.status_page", "static")]), name="status-static")

    if with_admin:
        from .. import admin

        admin.install(app)
    app.add_middleware(RequestEdge)  # inside ShopifyWire: HEAD is a GET by the time it looks
    app.add_middleware(SecurityHeaders)  # CSP, framing, sniffing, referrer for the status page and admin, edge errors included
    app.add_middleware(ShopifyWire)
    return app
