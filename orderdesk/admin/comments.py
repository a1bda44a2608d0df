"""Staff comments on the order page: post, edit and delete (each only by its author)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from ..domain.access import Caller
from ..services import comments as comment_service
from .actions import act
from .auth import requires

router = APIRouter(include_in_schema=False)


@router.post("/admin/orders/{order_id}/comments")
def post_comment(order_id: int, request: Request, comment: str = Form(""), caller: Caller = Depends(requires("orders"))) -> Response:
    services = request.app.state.services
    return act(
        request,
        order_id,
        caller,
        lambda: comment_service.post(services, order_id, comment, caller=caller),
        "Comment posted.",
        values={"comment": comment},
        anchor="#timeline",
    )


@router.post("/admin/orders/{order_id}/comments/{comment_id}/edit")
def edit_comment(
    order_id: int, comment_id: int, request: Request, comment: str = Form(""), caller: Caller = Depends(requires("orders"))
) -> Response:
    services = request.app.state.services
    return act(
        request,
        order_id,
        caller,
        lambda: comment_service.edit(services, order_id, comment_id, comment, caller=caller),
        "Comment saved.",
        values={"comment_id": str(comment_id), "edited_comment": comment},
        anchor=f"#comment-{comment_id}",
    )


@router.post("/admin/orders/{order_id}/comments/{comment_id}/delete")
def delete_comment(order_id: int, comment_id: int, request: Request, caller: Caller = Depends(requires("orders"))) -> Response:
    services = request.app.state.services
    return act(
        request,
        order_id,
        caller,
        lambda: comment_service.delete(services, order_id, comment_id, caller=caller),
        "Comment deleted.",
        anchor="#timeline",
    )
