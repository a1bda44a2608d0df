"""Idempotent requests: the key, the caller, a hash of the request and the first response
are stored in the same transaction as the effect, so a retry can never repeat it.

* same key, same request, first one finished  -> the first response again
* same key, different request                 -> InvalidInput (422)
* same key while the first is still running   -> Conflict (409)
* a request that fails validation stores nothing, so the client may retry with the key
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ..db.uow import UnitOfWork
from ..domain.errors import Conflict, InvalidInput
from .context import Services

# Keys are kept at least this long (Stripe prunes after 24 hours; we keep two days).
RETENTION = timedelta(hours=48)
MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class IdempotentRequest:
    principal: str
    key: str
    request_hash: str

    def __post_init__(self) -> None:
        if not self.key or len(self.key) > MAX_KEY_LENGTH:
            raise InvalidInput(f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters", field="Idempotency-Key")


@dataclass(frozen=True)
class Response:
    status: int
    body: Any
    replayed: bool = False


def run(services: Services, request: IdempotentRequest | None, work: Callable[[UnitOfWork], tuple[int, Any]]) -> Response:
    """Run ``work`` in one transaction, storing its response under the key when there is one."""
    with services.db.writing() as uow:
        if request is not None:
            if not uow.idempotency.try_lock(request.principal, request.key):
                raise Conflict("A request with this Idempotency-Key is still being processed; retry later", field="Idempotency-Key")
            stored = uow.idempotency.find(request.principal, request.key)
            if stored is not None:
                if stored["request_hash"] != request.request_hash:
                    raise InvalidInput("This Idempotency-Key was used with a different request", field="Idempotency-Key")
                return Response(stored["response_status"], stored["response_body"], replayed=True)
        status, body = work(uow)
        if request is not None:
            uow.idempotency.save(request.principal, request.key, request.request_hash, status, body, services.clock.now())
        uow.commit()
    return Response(status, body)


def prune(services: Services) -> int:
    with services.db.writing() as uow:
        removed = uow.idempotency.prune(services.clock.now() - RETENTION)
        uow.commit()
    return removed
