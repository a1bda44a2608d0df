"""POST handling shared by every route: one transaction, and Idempotency-Key support."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from ..db.uow import UnitOfWork
from ..services import idempotency
from .auth import Principal


def fingerprint(request: Request) -> str:
    raw = getattr(request.state, "raw_body", b"") or b""
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.url.path.encode(), str(request.url.query).encode(), raw):
        digest.update(part)
        digest.update(b"\x00")
    return digest.hexdigest()


def respond(request: Request, principal: Principal, work: Callable[[UnitOfWork], tuple[int, Any]]) -> JSONResponse:
    """Run ``work`` (which returns status and body) once per Idempotency-Key."""
    services = request.app.state.services
    key = request.headers.get("idempotency-key")
    idem = None
    if key is not None:
        idem = idempotency.IdempotentRequest(f"token:{principal.token_id}", key.strip(), fingerprint(request))
    result = idempotency.run(services, idem, work)
    headers = {"Idempotent-Replayed": "true"} if result.replayed else {}
    return JSONResponse(result.body, status_code=result.status, headers=headers)
