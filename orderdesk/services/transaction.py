"""Writing use cases share one transaction when a caller (an idempotent request) opens it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..db.uow import UnitOfWork
from .context import Services


@contextmanager
def writing(services: Services, uow: UnitOfWork | None) -> Iterator[UnitOfWork]:
    """Use the caller's unit of work (the caller commits), or open and commit one here."""
    if uow is not None:
        yield uow
        return
    with services.db.writing() as own:
        yield own
        own.commit()
