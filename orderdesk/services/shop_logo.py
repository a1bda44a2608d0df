"""Setting and removing the shop's logo (shown on packing slips and in emails)."""

from __future__ import annotations

from ..domain.access import Caller
from ..domain.errors import NotFound
from ..domain.logo import logo_content_type
from .context import Services


def set_logo(services: Services, data: bytes, *, caller: Caller) -> str:
    """Replace the logo with ``data``; returns its content type. InvalidInput for what is not a logo."""
    caller.require_permission("settings")
    content_type = logo_content_type(data)
    with services.db.writing() as uow:
        if uow.shop.get() is None:
            raise NotFound("The shop is not set up; run `orderdesk shop init`")
        uow.shop.put_logo(content_type, data, services.clock.now())
        uow.commit()
    services.forget_shop()
    return content_type


def remove_logo(services: Services, *, caller: Caller) -> None:
    caller.require_permission("settings")
    with services.db.writing() as uow:
        uow.shop.remove_logo(services.clock.now())
        uow.commit()
    services.forget_shop()


def logo(services: Services) -> tuple[str, bytes] | None:
    with services.db.reading() as uow:
        return uow.shop.logo()
