"""Customer use cases."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..db.uow import UnitOfWork
from ..domain.customer import Customer
from ..domain.errors import InvalidInput, NotFound
from .context import Services
from .transaction import writing

CustomerView = tuple[Customer, int, str]


def _view(found) -> CustomerView:
    customer, count, spent = found
    return customer, count, str(spent.quantize(Decimal("0.01")))


def customer_in(uow: UnitOfWork, customer_id: int) -> CustomerView:
    found = uow.directory.get(customer_id)
    if found is None:
        raise NotFound("Not Found")
    return _view(found)


def get_customer(services: Services, customer_id: int) -> CustomerView:
    with services.db.reading() as uow:
        return customer_in(uow, customer_id)


def list_customers(services: Services, *, limit: int, since_id: int = 0, ids: tuple[int, ...] = ()) -> list[CustomerView]:
    with services.db.reading() as uow:
        return [_view(f) for f in uow.directory.page(limit=limit, since_id=since_id, ids=ids)]


def count_customers(services: Services) -> int:
    with services.db.reading() as uow:
        return uow.directory.count()


def _check_email(uow: UnitOfWork, email: str | None, customer_id: int | None = None) -> str | None:
    """Emails are unique and compared in lower case. Raises InvalidInput if taken."""
    if not email:
        return None
    email = email.strip().lower()
    existing = uow.directory.id_for_email(email)
    if existing is not None and existing != customer_id:
        raise InvalidInput("has already been taken", field="email")
    return email


def create_customer(services: Services, values: dict[str, Any], *, uow: UnitOfWork | None = None) -> int:
    at = services.clock.now()
    with writing(services, uow) as uow:
        values["email"] = _check_email(uow, values.get("email"))
        return uow.directory.create(values, at)


def update_customer(services: Services, customer_id: int, values: dict[str, Any]) -> None:
    at = services.clock.now()
    with writing(services, None) as uow:
        if not uow.directory.lock(customer_id):
            raise NotFound("Not Found")
        if "email" in values:
            values["email"] = _check_email(uow, values["email"], customer_id)
        uow.directory.update(customer_id, values, at)
