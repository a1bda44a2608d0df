"""One time budget for a whole HTTP attempt: connect, TLS, send and read together.

httpx's timeouts apply to each socket operation, and httpcore takes the read timeout once
per phase, so a receiver that trickles its status line or body a byte at a time (each
within the read timeout) can hold a worker for minutes. Here every socket operation gets
at most what is left of the attempt's budget, and fails with httpcore's own timeout
errors (httpx maps them to ``httpx.ConnectTimeout``/``ReadTimeout``/``WriteTimeout``)
once it is spent. The deadline is per thread, so one pooled client serves every worker
thread and keep-alive connections are reused across attempts.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx

_state = threading.local()


@contextmanager
def within(seconds: float) -> Iterator[float]:
    """Socket operations in this block, on this thread, end by ``seconds`` from now."""
    previous = getattr(_state, "at", None)
    _state.at = at = time.monotonic() + seconds
    try:
        yield at
    finally:
        _state.at = previous


def _left(timeout: float | None, error: type[Exception]) -> float | None:
    at = getattr(_state, "at", None)
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise error("the attempt's time budget is spent")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> httpcore.NetworkStream:
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, _left(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _left(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def transport(limits: httpx.Limits) -> httpx.HTTPTransport:
    """An httpx transport (no proxies, default TLS verification) whose sockets honour ``within``."""
    made = httpx.HTTPTransport(limits=limits, trust_env=False)
    # httpx takes no network backend, so its pool is replaced by an identical one using ours.
    if not isinstance(getattr(made, "_pool", None), httpcore.ConnectionPool):  # pragma: no cover - httpx changed
        raise RuntimeError("httpx.HTTPTransport no longer keeps an httpcore pool in _pool")
    made._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=_Backend(),
    )
    return made
