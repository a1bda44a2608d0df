"""The request edge, driven at the ASGI level so the test sees exactly which body bytes the app pulls.

Authentication comes first and reads no body; a declared length over the limit is refused
unread; a chunked body is cut off at the limit; an answer sent with a chunked body still unread
closes the connection, so the server does not go on reading it.
"""

from __future__ import annotations

import asyncio
import itertools
import json

import pytest

from orderdesk.api.edge import MAX_BODY, RequestEdge
from tests.builders import order_body

BASE = "/admin/api/2024-10"
CHUNK = b"x" * 65_536
HUNDRED_MB = str(100 * 1024 * 1024)


class Exchange:
    """One request sent to an ASGI app: what it answered and how many body bytes it pulled."""

    def __init__(self, app, method: str, path: str, headers: dict[str, str], chunks) -> None:
        self.app, self.method, self.path, self.headers, self.chunks = app, method, path, headers, chunks
        self.pulled = 0
        self.status: int | None = None
        self.response_headers: dict[str, str] = {}
        self.body = b""

    async def _receive(self):
        chunk = next(self.chunks, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        self.pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def _send(self, message):
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.response_headers = {k.decode().lower(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")

    def run(self) -> Exchange:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": self.method,
            "scheme": "http",
            "path": self.path,
            "raw_path": self.path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(k.lower().encode(), v.encode()) for k, v in self.headers.items()],
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
        }
        # An app that kept reading the endless bodies below would never answer.
        asyncio.run(asyncio.wait_for(self.app(scope, self._receive, self._send), timeout=30))
        return self

    def json(self):
        return json.loads(self.body)


def endless():
    return itertools.repeat(CHUNK)


def post(app, headers, chunks, path=f"{BASE}/orders.json"):
    return Exchange(app, "POST", path, {"content-type": "application/json", **headers}, chunks).run()


@pytest.mark.parametrize("credentials", [{}, {"x-shopify-access-token": ""}, {"x-shopify-access-token": "shpat_wrong"}])
@pytest.mark.parametrize("framing", [{"content-length": HUNDRED_MB}, {"transfer-encoding": "chunked"}])
def test_no_valid_token_is_401_before_any_body_byte_is_read(app, credentials, framing):
    exchange = post(app, {**credentials, **framing}, endless())
    assert exchange.status == 401
    assert exchange.json() == {"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"}
    assert exchange.pulled == 0


def test_a_declared_length_over_the_limit_is_413_before_any_body_byte_is_read(app, token):
    exchange = post(app, {"x-shopify-access-token": token, "content-length": HUNDRED_MB}, endless())
    assert exchange.status == 413
    assert exchange.json() == {"errors": "Request body is too large"}
    assert exchange.pulled == 0
    assert exchange.response_headers["connection"] == "close"


def test_a_chunked_body_is_cut_off_at_the_limit(app, token):
    exchange = post(app, {"x-shopify-access-token": token, "transfer-encoding": "chunked"}, endless())
    assert exchange.status == 413
    assert exchange.json() == {"errors": "Request body is too large"}
    assert MAX_BODY < exchange.pulled <= MAX_BODY + len(CHUNK)
    # The rest of the body is still on the wire: the server must not keep the connection.
    assert exchange.response_headers["connection"] == "close"


def test_a_chunked_body_within_the_limit_is_read_whole_and_keeps_the_connection(app, token):
    raw = json.dumps({"order": order_body()}).encode()
    pieces = iter([raw[i : i + 100] for i in range(0, len(raw), 100)])
    exchange = post(app, {"x-shopify-access-token": token, "transfer-encoding": "chunked"}, pieces)
    assert exchange.status == 201, exchange.body
    assert "connection" not in exchange.response_headers


def test_a_body_at_the_limit_reaches_the_route(app, token):
    raw = json.dumps({"order": order_body(note="n" * 4000)}).encode()
    padded = raw + b" " * (MAX_BODY - len(raw))
    exchange = post(app, {"x-shopify-access-token": token, "content-length": str(len(padded))}, iter([padded]))
    assert exchange.status == 201, exchange.body


def test_an_unread_chunked_body_closes_the_connection_on_a_page_too(app):
    exchange = Exchange(app, "GET", "/admin/login", {"transfer-encoding": "chunked"}, endless()).run()
    assert exchange.status == 200
    assert exchange.pulled == 0
    assert exchange.response_headers["connection"] == "close"


def test_the_token_check_is_one_swappable_function(app, token):
    async def echo(scope, receive, send):
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    seen = []

    def check(request) -> bool:
        seen.append(request.headers.get("x-shopify-access-token"))
        return request.headers.get("x-shopify-access-token") == "let-me-in"

    edge = RequestEdge(echo, authenticate=check)
    assert post(edge, {"x-shopify-access-token": token, "content-length": "2"}, iter([b"{}"])).status == 401
    assert post(edge, {"x-shopify-access-token": "let-me-in", "content-length": "2"}, iter([b"{}"])).status == 204
    assert seen == [token, "let-me-in"]
    # Pages outside the Admin API do not ask for a token.
    assert post(edge, {"content-length": "2"}, iter([b"{}"]), path="/admin/orders").status == 204
