"""The request edge: what every request passes before any route, in this order.

1. An Admin API request (``/admin/api/...``) without a live access token is answered 401 before
   a single body byte is read: an anonymous client cannot make the server read, let alone hold,
   its body.
2. A NUL character in the path or the query string is answered 422 naming the parameter
   (PostgreSQL cannot store NULs in text; refusing them here keeps both engines alike). Bodies
   are checked where they are parsed (``body.json_body``). A header value with a NUL is refused
   400, as the h11 server would have refused it before it got here.
3. A ``Content-Length`` above ``MAX_BODY`` is answered 413 at once. A body of unknown length
   (chunked) is counted as the server hands it over and answered 413 the moment it passes
   ``MAX_BODY``, so at most the limit plus one chunk is ever in memory; the app is then told
   the client has gone, and whatever it does after is dropped.
4. An exception that no handler took is logged and answered 500 in the path's error shape
   (``errors.unexpected``). Caught here rather than only by Starlette's outermost handler,
   which re-raises it to the server, which then drops the keep-alive connection.

An answer sent while a chunked body is still unread says ``Connection: close``, so the server
stops reading instead of draining a body that may never end. An unread body of declared length
(at most ``MAX_BODY``) is drained by the server and the connection kept.

Pure ASGI (it wraps ``receive`` and ``send``): nothing is buffered, and it can answer before
the app has read anything.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..services import tokens
from . import versions
from .auth import INVALID_TOKEN
from .errors import ApiError, error_response, is_admin_api, unexpected

# The largest request body read (1 MB, as before; an order with 250 line items is ~100 KB).
MAX_BODY = 1_000_000

NUL_MESSAGE = "must not contain NUL characters (%00)"
TOO_LARGE = "Request body is too large"


def has_live_token(request: Request) -> bool:
    """Whether the request carries an access token that may use the Admin API.

    The one credential check the edge makes, through the same cached lookup the routes'
    ``auth.authenticate`` uses; scopes are still checked by each route. Swap this function
    (``RequestEdge(authenticate=...)``) to change what counts as a live credential.
    """
    token = request.headers.get("x-shopify-access-token")
    return token is not None and token != "" and tokens.authenticate(request.app.state.services, token) is not None


def _nul_in_url(scope: Scope) -> str | None:
    """The name of the first URL part holding a NUL character, or None."""
    if "\x00" in scope["path"]:
        return "path"
    query: bytes = scope.get("query_string", b"")
    if b"%00" in query or b"\x00" in query:
        # Decoded as Starlette decodes request.query_params, so "%2500" (a literal "%00") passes.
        for key, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
            if "\x00" in key or "\x00" in value:
                return key.replace("\x00", "%00")
    return None


def _nul_in_headers(scope: Scope) -> str | None:
    headers: list[tuple[bytes, bytes]] = scope["headers"]
    for name, value in headers:
        if b"\x00" in value:
            return name.decode("latin-1")
    return None


def _version_header(path: str) -> dict[str, str] | None:
    """Shopify sends X-Shopify-API-Version on errors too, when the path names a version."""
    parts = path.split("/", 4)
    if len(parts) < 4 or parts[1:3] != ["admin", "api"]:
        return None
    try:
        return {"X-Shopify-API-Version": versions.resolve(parts[3])}
    except ApiError:
        return None


def _declared_length(scope: Scope) -> int | None:
    """The Content-Length, None if absent; -1 if it is not a number."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else -1
    return None


def _chunked(scope: Scope) -> bool:
    """Whether a body of unknown length follows (HTTP/1.1 chunked transfer coding)."""
    return any(name == b"transfer-encoding" for name, _ in scope["headers"])


class RequestEdge:
    def __init__(self, app: ASGIApp, *, max_body: int = MAX_BODY, authenticate: Callable[[Request], bool] = has_live_token) -> None:
        self.app = app
        self.max_body = max_body
        self.authenticate = authenticate

    async def refusal(self, scope: Scope, length: int | None) -> tuple[int, object] | None:
        """The status and errors the edge answers without asking the app, or None to go on."""
        path = scope["path"]
        if is_admin_api(path) and not await run_in_threadpool(self.authenticate, Request(scope)):
            return 401, INVALID_TOKEN
        if (field := _nul_in_url(scope)) is not None:
            return 422, {field: [NUL_MESSAGE]}
        if (header := _nul_in_headers(scope)) is not None:
            return 400, {header: ["must not contain NUL characters"]}
        if length == -1:
            return 400, {"Content-Length": ["must be a number of bytes"]}
        if length is not None and length > self.max_body:
            return 413, TOO_LARGE
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path: str = scope["path"]
        length = _declared_length(scope)
        chunked = _chunked(scope)
        # Without Content-Length or Transfer-Encoding an HTTP/1.1 request has no body.
        state = {"started": False, "answered": False, "body_done": not chunked and not length, "received": 0, "cut": False}

        async def edge_send(message: Message) -> None:
            if state["answered"]:
                return  # the edge has answered already; what the app says after is dropped
            if message["type"] == "http.response.start":
                state["started"] = True
                if not state["body_done"] and (chunked or state["cut"]):
                    message = dict(message, headers=[*message.get("headers", []), (b"connection", b"close")])
            await send(message)

        async def answer(status: int, errors: object) -> None:
            await error_response(path, status, errors, _version_header(path))(scope, receive, edge_send)
            state["answered"] = True

        async def limited_receive() -> Message:
            if state["cut"]:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > self.max_body:
                    # Answer now, from here: an exception raised into the app would reach the
                    # handlers wrapped in task-group exception groups. The app is told the client
                    # left, so it stops; whatever it sends after is dropped.
                    state["cut"] = True
                    if not state["started"]:
                        await answer(413, TOO_LARGE)
                    return {"type": "http.disconnect"}
                if not message.get("more_body", False):
                    state["body_done"] = True
            return message

        try:
            if (refused := await self.refusal(scope, length)) is not None:
                state["cut"] = refused[0] == 413
                return await answer(*refused)
            await self.app(scope, limited_receive, edge_send)
        except Exception as exc:
            if state["answered"]:
                return  # the app gave up on the body the edge cut off; the 413 has gone out
            if state["started"]:
                raise
            response = await unexpected(Request(scope), exc)
            await response(scope, receive, edge_send)
