"""A real HTTP webhook receiver on loopback that records what arrives, and Shopify's documented check."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def verify_shopify_hmac(secret: str, raw_body: bytes, header: str | None) -> bool:
    """Exactly as shopify.dev/docs/apps/build/webhooks/verify-deliveries documents it."""
    digest = hmac.new(secret.encode("utf-8"), raw_body, hashlib.sha256).digest()
    computed = base64.b64encode(digest)
    return header is not None and hmac.compare_digest(computed, header.encode("utf-8"))


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """``status`` maps a path to a status code, or to a callable(received) -> status."""

    secret: str | None = None
    status: dict[str, Any] = field(default_factory=dict)
    requests: list[Received] = field(default_factory=list)
    connections: int = 0

    def __post_init__(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:
                pass

            def setup(self) -> None:
                receiver.connections += 1
                super().setup()

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                got = Received(self.path, {k.lower(): v for k, v in self.headers.items()}, raw)
                rule = receiver.status.get(self.path, 200)
                code = rule(got) if callable(rule) else rule
                if code is None:  # the rule asked not to count this one (e.g. the sender was killed)
                    return
                if receiver.secret is not None and not verify_shopify_hmac(receiver.secret, raw, got.header("X-Shopify-Hmac-Sha256")):
                    code = 401
                receiver.requests.append(got)
                self.send_response(code)
                self.send_header("Content-Length", "2")
                if 300 <= code < 400:
                    self.send_header("Location", "/elsewhere")
                self.end_headers()
                self.wfile.write(b"ok")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> Receiver:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.02)
        return predicate()
