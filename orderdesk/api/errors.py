"""Errors in Shopify's ``{"errors": ...}`` shapes, and as HTML pages outside the Admin API.

Every error answer is built by ``error_response``: JSON for ``/admin/api/...`` (what Shopify
clients parse), a small HTML page for the admin and the shopper's status page (what a browser
shows). Neither ever carries a traceback; unexpected exceptions are logged here with theirs.
"""

from __future__ import annotations

import html
import logging
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..domain.errors import Conflict, DomainError, Forbidden, NotFound

log = logging.getLogger("orderdesk.api")

REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Payload Too Large",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
}


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


def is_admin_api(path: str) -> bool:
    return path == "/admin/api" or path.startswith("/admin/api/")


def _lines(errors: Any) -> list[str]:
    if isinstance(errors, dict):
        return [f"{field}: {message}" for field, messages in errors.items() for message in _lines(messages)]
    if isinstance(errors, list):
        return [line for item in errors for line in _lines(item)]
    return [str(errors)]


def error_page(status: int, errors: Any) -> str:
    title = html.escape(f"{status} {REASONS.get(status, 'Error')}")
    items = "".join(f"<li>{html.escape(line)}</li>" for line in _lines(errors))
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">'
        f"<title>{title}</title></head>\n<body><h1>{title}</h1><ul>{items}</ul></body></html>\n"
    )


def error_response(path: str, status: int, errors: Any, headers: dict[str, str] | None = None) -> Response:
    """The error answer for a request to ``path``: Shopify's JSON under /admin/api, else an HTML page."""
    if is_admin_api(path):
        return JSONResponse({"errors": errors}, status_code=status, headers=headers)
    return HTMLResponse(error_page(status, errors), status_code=status, headers=headers)


async def unexpected(request: Request, exc: Exception) -> Response:
    """Any exception no other handler took: logged with its traceback, answered 500 without one."""
    path = request.url.path
    # Status page addresses carry the shopper's secret key; keep it out of the logs.
    shown = path if path.startswith("/admin") else "/" + path.lstrip("/").split("/", 1)[0] + "/..."
    log.error("Unhandled %s on %s %s", type(exc).__name__, request.method, shown, exc_info=exc)
    return error_response(path, 500, "Internal Server Error")


def install(app) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return error_response(request.url.path, exc.status, exc.errors, exc.headers)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound):
        return error_response(request.url.path, 404, "Not Found")

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden):
        return JSONResponse({"errors": exc.message}, status_code=403)

    @app.exception_handler(Conflict)
    async def _conflict(request: Request, exc: Conflict):
        return error_response(request.url.path, 409, {exc.field: [exc.message]})

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError):
        return error_response(request.url.path, 422, {exc.field: [exc.message]})

    @app.exception_handler(ValidationError)
    async def _pydantic(request: Request, exc: ValidationError):
        return error_response(request.url.path, 422, validation_errors(exc))

    @app.exception_handler(RequestValidationError)
    async def _request(request: Request, exc: RequestValidationError):
        return error_response(request.url.path, 400, validation_errors(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        message = "Not Found" if exc.status_code == 404 else exc.detail
        return error_response(request.url.path, exc.status_code, message, getattr(exc, "headers", None))

    # Starlette runs this one outermost, for exceptions that escape everything else; the
    # request edge (edge.py) calls it for exceptions from the routes, so that the server does
    # not also see them and close the keep-alive connection.
    app.add_exception_handler(Exception, unexpected)
