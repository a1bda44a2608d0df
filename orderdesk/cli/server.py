"""Run the ASGI app under uvicorn."""

from __future__ import annotations

import os


def app_factory():
    from ..api import limits
    from ..api.app import create_app
    from ..bootstrap import services_for

    return create_app(
        services_for(os.environ["ORDERDESK_DATABASE_URL"]),
        rate_limit=limits.parse(os.environ.get("ORDERDESK_RATE_LIMIT", limits.DEFAULT)),
    )


def serve(database_url: str, host: str, port: int, *, workers: int = 1) -> int:
    import uvicorn

    os.environ["ORDERDESK_DATABASE_URL"] = database_url
    # h11 writes header names in the case the app gives them; httptools lower-cases them, and the
    # Python client reads X-Shopify-Shop-Api-Call-Limit case-sensitively.
    uvicorn.run(
        "orderdesk.cli.server:app_factory",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=False,
        http="h11",
    )
    return 0
