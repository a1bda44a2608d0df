"""Errors in Shopify's ``{"errors": ...}`` shapes."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..domain.errors import Conflict, DomainError, Forbidden, NotFound


class ApiError(Exception):
    """An error a route raises with its status and Shopify-shaped body."""

    def __init__(self, status: int, errors: Any, headers: dict[str, str] | None = None) -> None:
        self.status = status
        self.errors = errors
        self.headers = headers or {}


def bad_request(field: str, message: str) -> ApiError:
    return ApiError(400, {field: message})


def validation_errors(exc: ValidationError | RequestValidationError, root: str | None = None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
        field = ".".join(loc) if loc else (root or "base")
        message = err.get("msg", "is invalid")
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        errors.setdefault(field, []).append(message)
    return errors


def install(app) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return JSONResponse({"errors": exc.errors}, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound):
        return JSONResponse({"errors": "Not Found"}, status_code=404)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden):
        return JSONResponse({"errors": exc.message}, status_code=403)

    @app.exception_handler(Conflict)
    async def _conflict(request: Request, exc: Conflict):
        return JSONResponse({"errors": {exc.field: [exc.message]}}, status_code=409)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError):
        return JSONResponse({"errors": {exc.field: [exc.message]}}, status_code=422)

    @app.exception_handler(ValidationError)
    async def _pydantic(request: Request, exc: ValidationError):
        return JSONResponse({"errors": validation_errors(exc)}, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _request(request: Request, exc: RequestValidationError):
        return JSONResponse({"errors": validation_errors(exc)}, status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        message = "Not Found" if exc.status_code == 404 else exc.detail
        return JSONResponse({"errors": message}, status_code=exc.status_code, headers=getattr(exc, "headers", None))
