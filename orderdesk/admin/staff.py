"""Settings → Staff: the shop's people. Add a member with the permissions they need (a password
the owner sets, or one made here and shown once), change what they may do, disable or enable
them, reset a password. Disabling, a new password or new permissions end the member's sessions
in every process (services/staff.py)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from ..domain.access import Caller
from ..domain.errors import InvalidInput, NotFound
from ..domain.staff import PERMISSIONS
from ..services import staff as staff_service
from .auth import requires
from .settings import page, saved, submit
from .templating import render

router = APIRouter(include_in_schema=False)
SECTION = "/admin/settings/staff"
ADD_FIELDS = ("email", "name", "role", "permissions", "password")


def staff_page(
    request: Request,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    shown_once: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "members": staff_service.list_staff(request.app.state.services),
        "permissions": PERMISSIONS,
        "errors": errors or {},
        "values": values or {"email": "", "name": "", "role": "staff", "permissions": [], "password_choice": "set"},
        "shown_once": shown_once,
    }
    return page(request, "settings/staff.html", context, section=SECTION, status_code=status_code)


def member_page(
    request: Request,
    staff_id: int,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    shown_once: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    try:
        member = staff_service.get_staff(request.app.state.services, staff_id)
    except NotFound:
        return render(request, "not_found.html", status_code=404)
    context = {
        "member": member,
        "permissions": PERMISSIONS,
        "errors": errors or {},
        "values": values or {"role": member.role, "permissions": sorted(member.effective_permissions), "password_choice": "set"},
        "shown_once": shown_once,
        "is_me": request.state.caller.staff_id == member.id,
    }
    return page(request, "settings/member.html", context, section=SECTION, status_code=status_code)


@router.get("/admin/settings/staff", response_class=HTMLResponse)
def staff_list(request: Request, caller: Caller = Depends(requires("staff"))) -> Response:
    return staff_page(request)


def _password(choice: str, password: str) -> tuple[str, bool]:
    """The password to set and whether orderdesk made it (then it is shown once)."""
    if choice == "generate":
        return staff_service.one_time_password(), True
    if not password:
        raise InvalidInput("enter a password, or let orderdesk make one", field="password")
    return password, False


@router.post("/admin/settings/staff")
def add(
    request: Request,
    email: str = Form(""),
    name: str = Form(""),
    role: str = Form("staff"),
    permissions: list[str] = Form([]),
    password_choice: str = Form("set"),
    password: str = Form(""),
    caller: Caller = Depends(requires("staff")),
) -> Response:
    services = request.app.state.services
    values = {"email": email, "name": name, "role": role, "permissions": permissions, "password_choice": password_choice}
    made: dict[str, Any] = {}

    def work() -> Any:
        secret, generated = _password(password_choice, password)
        member = staff_service.create_staff(services, email, secret, role=role, permissions=permissions, name=name, caller=caller)
        made.update(password=secret if generated else "")
        return member

    def done(member: Any) -> Response:
        if made["password"]:
            # Shown on this answer only, never in a redirect or a cookie.
            return staff_page(request, shown_once={"email": member.email, "password": made["password"]})
        return saved(SECTION, f"{member.email} can now log in.")

    return submit(
        request,
        work,
        again=lambda errors: staff_page(request, errors=errors, values=values, status_code=422),
        done=done,
        fields=ADD_FIELDS,
    )


@router.get("/admin/settings/staff/{staff_id}", response_class=HTMLResponse)
def member_view(staff_id: int, request: Request, caller: Caller = Depends(requires("staff"))) -> Response:
    return member_page(request, staff_id)


@router.post("/admin/settings/staff/{staff_id}/permissions")
def change_permissions(
    staff_id: int,
    request: Request,
    role: str = Form("staff"),
    permissions: list[str] = Form([]),
    caller: Caller = Depends(requires("staff")),
) -> Response:
    services = request.app.state.services
    values = {"role": role, "permissions": permissions, "password_choice": "set"}

    def work() -> Any:
        return staff_service.update_staff(services, staff_id, role=role, permissions=permissions, caller=caller)

    return submit(
        request,
        work,
        again=lambda errors: member_page(request, staff_id, errors=errors, values=values, status_code=422),
        done=lambda m: saved(f"{SECTION}/{staff_id}", f"Permissions of {m.email} saved."),
        fields=("role", "permissions"),
    )


@router.post("/admin/settings/staff/{staff_id}/disable")
def disable(staff_id: int, request: Request, caller: Caller = Depends(requires("staff"))) -> Response:
    services = request.app.state.services
    return submit(
        request,
        lambda: staff_service.disable_staff(services, staff_id, caller=caller),
        again=lambda errors: member_page(request, staff_id, errors=errors, status_code=422),
        fields=("role", "email"),
        done=lambda m: saved(f"{SECTION}/{staff_id}", f"{m.email} is disabled and logged out everywhere."),
    )


@router.post("/admin/settings/staff/{staff_id}/enable")
def enable(staff_id: int, request: Request, caller: Caller = Depends(requires("staff"))) -> Response:
    services = request.app.state.services
    return submit(
        request,
        lambda: staff_service.enable_staff(services, staff_id, caller=caller),
        again=lambda errors: member_page(request, staff_id, errors=errors, status_code=422),
        done=lambda m: saved(f"{SECTION}/{staff_id}", f"{m.email} can log in again."),
        fields=("role",),
    )


@router.post("/admin/settings/staff/{staff_id}/password")
def reset_password(
    staff_id: int,
    request: Request,
    password_choice: str = Form("set"),
    password: str = Form(""),
    caller: Caller = Depends(requires("staff")),
) -> Response:
    services = request.app.state.services
    made: dict[str, str] = {}

    def work() -> Any:
        secret, generated = _password(password_choice, password)
        made["password"] = secret if generated else ""
        return staff_service.reset_password(services, staff_id, secret, caller=caller)

    def done(m: Any) -> Response:
        if made["password"]:
            return member_page(request, staff_id, shown_once={"email": m.email, "password": made["password"]})
        return saved(f"{SECTION}/{staff_id}", f"New password set for {m.email}; their sessions have ended.")

    return submit(
        request,
        work,
        again=lambda errors: member_page(
            request, staff_id, errors={"new_password" if k == "password" else k: v for k, v in errors.items()}, status_code=422
        ),
        done=done,
        fields=("password", "role"),
    )
