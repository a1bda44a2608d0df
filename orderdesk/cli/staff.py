"""``orderdesk staff create|list|disable|enable|reset-password``: the admin's accounts.

Passwords are read from standard input (one line), never from the command line, where other
users of the machine could see them in the process list.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..domain.staff import PERMISSIONS, ROLES

if TYPE_CHECKING:
    from ..services.context import Services


def add_parser(sub: argparse._SubParsersAction, with_db: Callable[[argparse.ArgumentParser], None]) -> None:
    staff = sub.add_parser("staff", help="staff accounts for the admin")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    create = staff_sub.add_parser("create", help="create an account; the password is read from standard input")
    with_db(create)
    create.add_argument("--email", required=True)
    create.add_argument("--name", default="")
    create.add_argument("--role", choices=ROLES, default="staff")
    create.add_argument("--permission", action="append", default=[], choices=list(PERMISSIONS), help="repeat for each; an owner has all")
    lst = staff_sub.add_parser("list", help="list accounts")
    with_db(lst)
    for name, help_text in (("disable", "disable an account and end its sessions"), ("enable", "enable a disabled account")):
        p = staff_sub.add_parser(name, help=help_text)
        with_db(p)
        p.add_argument("email")
    reset = staff_sub.add_parser("reset-password", help="set a new password (from standard input) and end the account's sessions")
    with_db(reset)
    reset.add_argument("email")


def _password() -> str:
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def run(args: argparse.Namespace, services_for: Callable[[str], Services]) -> int:
    from ..services import staff

    services = services_for(args.database_url)
    if args.staff_command == "create":
        member = staff.create_staff(
            services,
            args.email,
            _password(),
            role=args.role,
            permissions=args.permission,
            name=args.name,
        )
        print(f"{member.email} can log in at /admin/login ({member.role})")
    elif args.staff_command == "list":
        for m in staff.list_staff(services):
            state = "disabled" if m.disabled else "active"
            allowed = "all" if m.role == "owner" else (",".join(m.permissions) or "-")
            print(f"{m.id}\t{m.email}\t{m.role}\t{state}\t{allowed}")
    elif args.staff_command in ("disable", "enable", "reset-password"):
        member = staff.find(services, args.email)
        if args.staff_command == "disable":
            staff.disable_staff(services, member.id)
            print(f"{member.email} disabled; their sessions ended")
        elif args.staff_command == "enable":
            staff.enable_staff(services, member.id)
            print(f"{member.email} enabled")
        else:
            staff.reset_password(services, member.id, _password())
            print(f"{member.email} has a new password; their sessions ended")
    return 0
