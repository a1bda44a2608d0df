"""Staff comments on an order: post, edit, delete (each one transaction) and list.

A comment is not an order event: it goes to its own table, so the REST events API, webhooks,
emails and the shopper's status page, which all read events or the order, never carry one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..db import order_comments as store
from ..domain import comments as rules
from ..domain.access import Caller
from ..domain.errors import NotFound
from .context import Services
from .loading import load, load_for_change


@dataclass(frozen=True)
class Comment:
    id: int
    order_id: int
    staff_id: int | None
    author: str
    body: str
    created_at: datetime
    updated_at: datetime

    @property
    def edited(self) -> bool:
        return self.updated_at != self.created_at


def _comment(row) -> Comment:
    return Comment(
        id=row["id"],
        order_id=row["order_id"],
        staff_id=row["staff_id"],
        author=row["author"],
        body=row["body"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def post(services: Services, order_id: int, text: str, *, caller: Caller) -> Comment:
    rules.check_author(caller)
    body = rules.check_body(text)
    at = services.clock.now()
    with services.db.writing() as uow:
        load_for_change(uow, services, caller, order_id)
        comment_id = store.add(
            uow.conn,
            {"order_id": order_id, "staff_id": caller.staff_id, "author": caller.name, "body": body, "created_at": at, "updated_at": at},
        )
        row = store.get(uow.conn, order_id, comment_id)
        uow.commit()
    return _comment(row)


def _mine(uow, services: Services, order_id: int, comment_id: int, caller: Caller):
    load_for_change(uow, services, caller, order_id)
    row = store.get(uow.conn, order_id, comment_id)
    if row is None:
        raise NotFound("Not Found")
    rules.check_may_change(caller, row["staff_id"])
    return row


def edit(services: Services, order_id: int, comment_id: int, text: str, *, caller: Caller) -> Comment:
    body = rules.check_body(text)
    at = services.clock.now()
    with services.db.writing() as uow:
        _mine(uow, services, order_id, comment_id, caller)
        store.change(uow.conn, comment_id, body, at)
        row = store.get(uow.conn, order_id, comment_id)
        uow.commit()
    return _comment(row)


def delete(services: Services, order_id: int, comment_id: int, *, caller: Caller) -> None:
    with services.db.writing() as uow:
        _mine(uow, services, order_id, comment_id, caller)
        store.remove(uow.conn, comment_id)
        uow.commit()


def for_order(services: Services, order_id: int, *, caller: Caller) -> list[Comment]:
    """The order's comments, oldest first, for staff who may see the order."""
    with services.db.reading() as uow:
        load(uow, services, caller, order_id)
        return [_comment(row) for row in store.for_order(uow.conn, order_id)]
