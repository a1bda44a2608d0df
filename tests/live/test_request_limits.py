"""Against a real ``orderdesk serve`` process: a 100 MB body is refused within a second without
the server's memory growing, with or without a token; refused input leaves the keep-alive
connection usable.

The bodies are streamed from generators over a raw socket, with the response read while the
body is still being sent, as a client that respects an early answer would.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import subprocess
import sys
import threading
import time

import pytest
import uvicorn

from tests.live.conftest import PG_ADMIN_URL, SCOPES, _cli, _pg_database, _wait_until_up
from tests.loopback import free_port

pytestmark = pytest.mark.live

HUNDRED_MB = 100 * 1024 * 1024
PIECE = b" " * 65_536
PATH = "/admin/api/2024-10/orders.json"


@pytest.fixture(scope="module")
def server(backend, tmp_path_factory):
    """(port, token, pid) of a running ``orderdesk serve`` on a fresh database."""
    tmp = tmp_path_factory.mktemp(f"limits_{backend}")
    drop = None
    if backend == "sqlite":
        database_url = f"sqlite:///{tmp / 'live.db'}"
    else:
        database_url, drop = _pg_database(PG_ADMIN_URL)
    proc = None
    try:
        _cli("db", "upgrade", database_url=database_url)
        _cli("shop", "init", "--name", "T", "--email", "t@example.com", "--currency", "USD", database_url=database_url)
        token = _cli("token", "create", "--scopes", SCOPES, database_url=database_url).strip().splitlines()[-1]
        port = free_port()
        log_path = tmp / "server.log"
        with open(log_path, "w") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "orderdesk", "serve", "--database-url", database_url, "--port", str(port)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        _wait_until_up(proc, port, token, log_path)
        yield port, token, proc.pid
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)
        if drop is not None:
            drop()


def memory_kb(pid: int, field: str) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError(f"no {field} for {pid}")


class RssWatch:
    """The highest VmRSS seen while the block runs, sampled every few milliseconds."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = self.before = memory_kb(pid, "VmRSS")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, memory_kb(self.pid, "VmRSS"))
            time.sleep(0.003)

    def __enter__(self) -> RssWatch:
        self.hwm_before = memory_kb(self.pid, "VmHWM")
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        time.sleep(0.3)  # a server still reading after it answered would keep growing
        self._stop.set()
        self._thread.join()
        self.hwm_growth_mb = (memory_kb(self.pid, "VmHWM") - self.hwm_before) / 1024
        self.growth_mb = (self.peak - self.before) / 1024


def send_huge_body(port: int, headers: dict[str, str], *, chunked: bool) -> tuple[int, float]:
    """POST 100 MB from a generator; return the status and the seconds until it arrived."""
    sock = socket.create_connection(("127.0.0.1", port))
    framing = {"Transfer-Encoding": "chunked"} if chunked else {"Content-Length": str(HUNDRED_MB)}
    lines = [f"POST {PATH} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Content-Type: application/json"]
    lines += [f"{k}: {v}" for k, v in {**headers, **framing}.items()]

    def body():
        for _ in range(HUNDRED_MB // len(PIECE)):
            yield b"%x\r\n%s\r\n" % (len(PIECE), PIECE) if chunked else PIECE
        if chunked:
            yield b"0\r\n\r\n"

    def pump():
        try:
            for piece in body():
                sock.sendall(piece)
        except OSError:
            pass  # the server answered and closed: stop sending

    started = time.monotonic()
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    sender = threading.Thread(target=pump, daemon=True)
    sender.start()
    sock.settimeout(60)
    received = b""
    try:
        while b"\r\n" not in received:
            data = sock.recv(65_536)
            if not data:
                break
            received += data
        elapsed = time.monotonic() - started
    finally:
        # Wakes the sender if it is blocked in sendall; fails if the server reset the connection.
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sender.join(timeout=60)
        sock.close()
    assert received.startswith(b"HTTP/1.1 "), received[:200]
    return int(received.split(b" ", 2)[1]), elapsed


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize("with_token, status", [(False, 401), (True, 413)], ids=["no token", "valid token"])
def test_a_100_mb_body_is_refused_within_a_second_without_growing_the_server(server, chunked, with_token, status):
    port, token, pid = server
    headers = {"X-Shopify-Access-Token": token} if with_token else {}
    with RssWatch(pid) as rss:
        answered, elapsed = send_huge_body(port, headers, chunked=chunked)
    assert answered == status
    assert elapsed < 1.0, f"answered after {elapsed:.2f}s"
    assert rss.growth_mb < 50, f"RSS grew by {rss.growth_mb:.0f} MB"
    assert rss.hwm_growth_mb < 50, f"peak RSS grew by {rss.hwm_growth_mb:.0f} MB"


def test_refused_input_leaves_the_keep_alive_connection_usable(server):
    port, token, _ = server
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"X-Shopify-Access-Token": token, "Content-Type": "application/json"}
    body = {"order": {"note": "a\u0000b", "line_items": [{"title": "T", "price": "1.00", "quantity": 1}]}}
    conn.request("POST", PATH, body=json.dumps(body), headers=headers)
    response = conn.getresponse()
    assert response.status == 422
    assert json.loads(response.read()) == {"errors": {"order.note": ["must not contain NUL characters (\\u0000)"]}}
    first = conn.sock
    for path in ("/admin/api/2024-10/orders.json?fields=id%00", "/admin/orders?q=%00", "/admin/api/2024-10/shop.json"):
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        assert conn.sock is first, f"{path}: the connection was dropped"
    assert response.status == 200


def test_an_unexpected_error_leaves_the_keep_alive_connection_usable(app, token):
    """A real uvicorn (h11, as ``orderdesk serve`` runs it) in this process, with a route that raises."""

    def boom() -> dict:
        raise RuntimeError("unexpected")

    app.add_api_route("/admin/api/{version}/boom.json", boom, methods=["GET"])
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, http="h11", log_level="critical", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        headers = {"X-Shopify-Access-Token": token}
        conn.request("GET", "/admin/api/2024-10/boom.json", headers=headers)
        response = conn.getresponse()
        assert response.status == 500
        assert response.getheader("Content-Type") == "application/json"
        assert json.loads(response.read()) == {"errors": "Internal Server Error"}
        first = conn.sock
        conn.request("GET", "/admin/api/2024-10/shop.json", headers=headers)
        response = conn.getresponse()
        assert response.status == 200, response.read()
        assert conn.sock is first
    finally:
        server.should_exit = True
        thread.join(timeout=30)
