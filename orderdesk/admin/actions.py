"""How an action on an order answers: done (back to the order, with a note of what happened),
or refused (the order page again, the domain's message next to the field, nothing changed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from ..domain.access import Caller
from ..domain.errors import DomainError, Forbidden, NotFound
from . import orders
from .templating import FLASH_COOKIE, render


def done(order_id: int, message: str, *, anchor: str = "") -> RedirectResponse:
    response = RedirectResponse(f"/admin/orders/{order_id}{anchor}", status_code=303)
    response.set_cookie(FLASH_COOKIE, quote(message), max_age=60, path="/admin", httponly=True, samesite="lax")
    return response


def act(
    request: Request,
    order_id: int,
    caller: Caller,
    work: Callable[[], Any],
    message: str | Callable[[Any], str],
    *,
    values: dict[str, str] | None = None,
    anchor: str = "",
) -> Response:
    """Run ``work`` (one service call); answer as described above."""
    try:
        result = work()
    except NotFound:
        return render(request, "not_found.html", status_code=404)
    except Forbidden as exc:
        return render(request, "forbidden.html", {"permission": None, "reason": exc.message}, status_code=403)
    except DomainError as exc:
        return orders.page(request, order_id, caller, errors={exc.field: exc.message}, values=values, status_code=422)
    return done(order_id, message(result) if callable(message) else message, anchor=anchor)
