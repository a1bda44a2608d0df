"""Run the ASGI app under uvicorn."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable


def app_factory():
    from ..api import limits
    from ..api.app import create_app
    from ..bootstrap import services_for

    return create_app(
        services_for(os.environ["ORDERDESK_DATABASE_URL"]),
        rate_limit=limits.parse(os.environ.get("ORDERDESK_RATE_LIMIT", limits.DEFAULT)),
    )


def serve(database_url: str, host: str, port: int, *, workers: int = 1, on_listen: Callable[[], None] | None = None) -> int:
    """Serve until interrupted; ``on_listen`` runs once the socket accepts connections."""
    import uvicorn

    os.environ["ORDERDESK_DATABASE_URL"] = database_url
    # h11 writes header names in the case the app gives them; httptools lower-cases them, and the
    # Python client reads X-Shopify-Shop-Api-Call-Limit case-sensitively.
    options = dict(factory=True, host=host, port=port, log_level="info", access_log=False, http="h11")
    if workers > 1:
        uvicorn.run("orderdesk.cli.server:app_factory", workers=workers, **options)  # type: ignore[arg-type]
        return 0

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started and on_listen is not None:
                on_listen()

    server = Server(uvicorn.Config("orderdesk.cli.server:app_factory", **options))  # type: ignore[arg-type]
    server.run()  # Ctrl-C: uvicorn shuts down, then re-raises KeyboardInterrupt (exit code 130)
    # uvicorn has logged why it could not start (the address was taken meanwhile, ...).
    return 0 if server.started else 1
