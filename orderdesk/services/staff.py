"""Staff accounts: create, list, change permissions, disable, reset a password.

Disabling a member or resetting their password ends their sessions in every process at once
(the same revocation epoch tokens use).
"""

from __future__ import annotations

import secrets
from typing import Any

from argon2 import PasswordHasher

from ..domain.access import Caller
from ..domain.errors import InvalidInput, NotFound
from ..domain.staff import StaffMember, check_email, check_may_manage, check_password, check_permissions, check_role
from .context import Services

# argon2id with the library's defaults (memory-hard; RFC 9106's second recommendation).
hasher = PasswordHasher()


def member(row: Any) -> StaffMember:
    return StaffMember(
        id=row["id"],
        email=row["email"],
        name=row["name"] or "",
        role=row["role"],
        permissions=tuple(p for p in (row["permissions"] or "").split(",") if p),
        disabled=row["disabled_at"] is not None,
    )


def create_staff(
    services: Services,
    email: str,
    password: str,
    *,
    role: str = "staff",
    permissions: list[str] | tuple[str, ...] = (),
    name: str = "",
    caller: Caller | None = None,
) -> StaffMember:
    """``caller``: the member adding the account (None: the command line, which may do anything)."""
    email, role = check_email(email), check_role(role)
    chosen = check_permissions(list(permissions))
    if caller is not None:
        check_may_manage(caller, member_role=role, role=role, permissions=chosen)
    check_password(password)
    name = (name or "").strip()[:255]
    at = services.clock.now()
    with services.db.writing() as uow:
        if uow.staff.by_email(email) is not None:
            raise InvalidInput(f"{email} already has an account", field="email")
        staff_id = uow.staff.add(
            {
                "email": email,
                "name": name,
                "role": role,
                "permissions": ",".join(chosen),
                "password_hash": hasher.hash(password),
                "created_at": at,
                "updated_at": at,
            }
        )
        row = uow.staff.get(staff_id)
        uow.commit()
    return member(row)


def one_time_password() -> str:
    """A password for the owner to hand over once (about 120 random bits, easy to type)."""
    return "-".join(secrets.token_urlsafe(6) for _ in range(4))


def get_staff(services: Services, staff_id: int) -> StaffMember:
    with services.db.reading() as uow:
        row = uow.staff.get(staff_id)
    if row is None:
        raise NotFound("Not Found")
    return member(row)


def list_staff(services: Services) -> list[StaffMember]:
    with services.db.reading() as uow:
        return [member(r) for r in uow.staff.list()]


def find(services: Services, email: str) -> StaffMember:
    with services.db.reading() as uow:
        row = uow.staff.by_email(check_email(email))
    if row is None:
        raise NotFound(f"no staff account for {email}")
    return member(row)


def _end_sessions(services: Services, uow: Any, staff_id: int) -> None:
    if uow.staff.revoke_sessions_of(staff_id, services.clock.now()):
        services.revocations.announce(uow.conn)


def _managed(uow: Any, staff_id: int, caller: Caller | None, **change: Any) -> Any:
    """The member's row, if ``caller`` (None: the command line) may change their account."""
    row = uow.staff.get(staff_id)
    if row is None:
        raise NotFound("Not Found")
    if caller is not None:
        check_may_manage(caller, member_role=row["role"], **change)
    return row


def update_staff(
    services: Services,
    staff_id: int,
    *,
    role: str | None = None,
    permissions: list[str] | None = None,
    name: str | None = None,
    caller: Caller | None = None,
) -> StaffMember:
    """Change a member's role, permissions or name; the shop always keeps one active owner."""
    values: dict[str, Any] = {}
    if role is not None:
        values["role"] = check_role(role)
    if permissions is not None:
        values["permissions"] = ",".join(check_permissions(permissions))
    if name is not None:
        values["name"] = name.strip()[:255]
    with services.db.writing() as uow:
        row = _managed(uow, staff_id, caller, role=values.get("role"), permissions=(values.get("permissions") or "").split(","))
        if row["role"] == "owner" and values.get("role") == "staff" and uow.staff.count_owners() <= 1:
            raise InvalidInput("the shop needs at least one owner", field="role")
        values["updated_at"] = services.clock.now()
        uow.staff.update(staff_id, values)
        # What a member may do is read with their session: end it, so the change applies at once.
        _end_sessions(services, uow, staff_id)
        row = uow.staff.get(staff_id)
        uow.commit()
    services.revocations.announced()
    return member(row)


def disable_staff(services: Services, staff_id: int, *, caller: Caller | None = None) -> StaffMember:
    at = services.clock.now()
    with services.db.writing() as uow:
        row = _managed(uow, staff_id, caller)
        if caller is not None and caller.staff_id == staff_id:
            raise InvalidInput("you can't disable your own account", field="email")
        if row["role"] == "owner" and row["disabled_at"] is None and uow.staff.count_owners() <= 1:
            raise InvalidInput("the shop needs at least one active owner", field="email")
        uow.staff.update(staff_id, {"disabled_at": at, "updated_at": at})
        _end_sessions(services, uow, staff_id)
        row = uow.staff.get(staff_id)
        uow.commit()
    services.revocations.announced()
    return member(row)


def enable_staff(services: Services, staff_id: int, *, caller: Caller | None = None) -> StaffMember:
    at = services.clock.now()
    with services.db.writing() as uow:
        _managed(uow, staff_id, caller)
        uow.staff.update(staff_id, {"disabled_at": None, "updated_at": at})
        row = uow.staff.get(staff_id)
        uow.commit()
    return member(row)


def reset_password(services: Services, staff_id: int, password: str, *, caller: Caller | None = None) -> StaffMember:
    check_password(password)
    at = services.clock.now()
    with services.db.writing() as uow:
        _managed(uow, staff_id, caller)
        uow.staff.update(staff_id, {"password_hash": hasher.hash(password), "updated_at": at})
        _end_sessions(services, uow, staff_id)
        row = uow.staff.get(staff_id)
        uow.commit()
    services.revocations.announced()
    return member(row)
