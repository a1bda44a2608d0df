"""Staff: the merchant's people, their roles and what each may do in the admin.

Permissions are named as a merchant names them. An owner may do everything; a staff member
only what they were given. The admin shows no control a staff member may not use, and the
server refuses it anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .access import Caller
from .errors import Forbidden, InvalidInput

# permission -> what it lets a staff member do
PERMISSIONS: dict[str, str] = {
    "orders": "View orders and edit their tags, notes, contact details, addresses and comments",
    "payments": "Capture payments and mark orders as paid",
    "refunds": "Refund orders",
    "cancel": "Cancel orders",
    "fulfillment": "Fulfill, hold, release, reschedule and move fulfillment orders; print packing slips",
    "settings": "Change the shop's settings, notifications and webhooks",
    "staff": "Manage staff accounts",
    "tokens": "Create and revoke API access tokens",
}
ROLES = ("owner", "staff")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Staff act for the shop: they see every order, and fulfil at the merchant's and services' locations.
STAFF_SCOPES = frozenset(
    {
        "read_all_orders",
        "write_orders",
        "write_merchant_managed_fulfillment_orders",
        "write_third_party_fulfillment_orders",
        "write_fulfillments",
        "write_products",
        "write_customers",
        "write_inventory",
        "write_locations",
    }
)


def check_email(email: str) -> str:
    email = (email or "").strip().lower()
    if not _EMAIL.match(email) or len(email) > 255:
        raise InvalidInput("enter an email address like name@example.com", field="email")
    return email


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD} characters", field="password")
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(f"a password may have at most {MAX_PASSWORD} characters", field="password")
    return password


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput(f"role must be one of {', '.join(ROLES)}", field="role")
    return role


def check_permissions(permissions: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    unknown = sorted(set(permissions) - set(PERMISSIONS))
    if unknown:
        raise InvalidInput(f"unknown permission(s) {', '.join(unknown)}; choose from {', '.join(PERMISSIONS)}", field="permissions")
    return tuple(p for p in PERMISSIONS if p in set(permissions))


@dataclass(frozen=True)
class StaffMember:
    id: int
    email: str
    name: str
    role: str
    permissions: tuple[str, ...]
    disabled: bool = False

    @property
    def effective_permissions(self) -> frozenset[str]:
        return frozenset(PERMISSIONS) if self.role == "owner" else frozenset(self.permissions)

    def caller(self) -> Caller:
        return Caller(
            name=self.name or self.email,
            scopes=STAFF_SCOPES,
            staff_id=self.id,
            permissions=self.effective_permissions,
        )


def check_may_manage(manager: Caller, *, member_role: str, role: str | None = None, permissions: tuple[str, ...] | list[str] = ()) -> None:
    """Who may change whose account: an owner (or orderdesk itself) anyone's. A member who manages
    staff without being an owner manages only staff (no owner's account, nobody made an owner)
    and gives only permissions they hold themselves, so the staff permission never leads to more."""
    if manager.system or frozenset(PERMISSIONS) <= manager.permissions:
        return
    if member_role == "owner" or role == "owner":
        raise Forbidden("only an owner can change an owner's account or make someone an owner", field="role")
    beyond = [p for p in PERMISSIONS if p in set(permissions) and p not in manager.permissions]
    if beyond:
        raise Forbidden(f"you can only give permissions you have yourself, not {', '.join(beyond)}", field="permissions")
