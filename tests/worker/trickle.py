"""A loopback HTTP server that answers slowly on purpose: it reads the request, then writes
its response a few bytes at a time with a pause between, so every read on the client side
finishes well within a per-read timeout while the whole answer takes much longer."""

from __future__ import annotations

import socket
import threading
import time


class Trickle:
    """``part`` = "headers" trickles the status line and headers, "body" sends the headers at
    once and trickles a ``body_size``-byte body. ``pause`` is the gap between pieces."""

    def __init__(self, part: str = "body", pause: float = 0.05, body_size: int = 200) -> None:
        self.part, self.pause, self.body_size = part, pause, body_size
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.requests = 0
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def start(self) -> Trickle:
        self.thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(timeout=5)
        self.sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                data = b""
                while b"\r\n\r\n" not in data:
                    data += conn.recv(65536)
                head, _, body = data.partition(b"\r\n\r\n")
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")), 0)
                while len(body) < length:
                    body += conn.recv(65536)
                self.requests += 1
                headers = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % self.body_size
                pieces = [headers[i : i + 4] for i in range(0, len(headers), 4)] if self.part == "headers" else [headers]
                pieces += [b"x" * 10] * (self.body_size // 10)
                for piece in pieces:
                    if self._stop.is_set():
                        return
                    conn.sendall(piece)
                    time.sleep(self.pause)
            except OSError:
                return  # the client gave up, as it should
