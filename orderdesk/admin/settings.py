"""Settings: the shop's general settings and how orders move on by themselves (fulfillment
automation, auto-archive); and what every settings page shares: its sections, and how a form
answers (saved: back to the page with a note; refused: the page again with the message next
to the field, nothing changed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote
from zoneinfo import available_timezones

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..domain.access import Caller
from ..domain.errors import DomainError, Forbidden, InvalidInput, NotFound
from ..domain.shop import FULFILLMENT_AUTOMATION
from ..services import setup
from .auth import requires
from .templating import FLASH_COOKIE, render

router = APIRouter(include_in_schema=False)

# (path, label, permission): the settings pages, in the order the section menu shows them.
SECTIONS = (
    ("/admin/settings/general", "General", "settings"),
    ("/admin/settings/notifications", "Notifications", "settings"),
    ("/admin/settings/webhooks", "Webhooks", "settings"),
    ("/admin/settings/tokens", "API tokens", "tokens"),
    ("/admin/settings/staff", "Staff", "staff"),
)
SETTINGS_PERMISSIONS = frozenset(p for _, _, p in SECTIONS)
TIMEZONES = sorted(available_timezones())


def sections_for(caller: Caller) -> list[tuple[str, str]]:
    return [(path, label) for path, label, permission in SECTIONS if caller.may(permission)]


def page(request: Request, template: str, context: dict[str, Any], *, section: str, status_code: int = 200) -> HTMLResponse:
    """A settings page: the section menu (what this member may open) around ``template``."""
    caller = request.state.caller
    base = {"sections": sections_for(caller), "section": section, "errors": {}, "values": {}}
    response = render(request, template, {**base, **context}, status_code=status_code)
    # Settings pages show secrets (signing secrets, new tokens, passwords): never keep a copy.
    response.headers["Cache-Control"] = "no-store"
    return response


def saved(url: str, message: str) -> RedirectResponse:
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(FLASH_COOKIE, quote(message), max_age=60, path="/admin", httponly=True, samesite="lax")
    return response


def submit(
    request: Request,
    work: Callable[[], Any],
    *,
    again: Callable[[dict[str, str]], Response],
    done: Callable[[Any], Response],
    fields: tuple[str, ...] = (),
) -> Response:
    """Run ``work`` (one service call). Refused: ``again(errors)`` renders the form with the
    message next to its field (a field the form does not have: above its buttons, as ``form``)."""
    try:
        result = work()
    except NotFound:
        return render(request, "not_found.html", status_code=404)
    except Forbidden as exc:
        if exc.field in fields:
            # A rule about this form's values (what a member may grant): said next to the field.
            return again({exc.field: exc.message})
        return render(request, "forbidden.html", {"permission": None, "reason": exc.message}, status_code=403)
    except DomainError as exc:
        return again({exc.field if exc.field in fields else "form": exc.message})
    return done(result)


@router.get("/admin/settings", response_class=HTMLResponse)
def settings_home(request: Request, caller: Caller = Depends(requires(None))) -> Response:
    """The first settings page this member may use (a member with none of them: 403)."""
    allowed = sections_for(caller)
    if not allowed:
        return render(request, "forbidden.html", {"permission": "settings"}, status_code=403)
    return RedirectResponse(allowed[0][0], status_code=303)


# --- General ---------------------------------------------------------------------------------

GENERAL_FIELDS = ("name", "email", "currency", "iana_timezone", "exchange_rates", "public_url")
AUTOMATION_FIELDS = ("fulfillment_automation", "hold_unpaid_fulfillment", "auto_archive")


def rates_text(rates: dict[str, str]) -> str:
    return "\n".join(f"{code}={rate}" for code, rate in sorted(rates.items()))


def parse_rates(text: str) -> dict[str, str]:
    """``USD=0.92`` per line (or separated by semicolons; a comma may be a decimal comma, which the
    service refuses by name); the service checks codes and amounts."""
    rates: dict[str, str] = {}
    for part in text.replace(";", "\n").splitlines():
        part = part.strip()
        if not part:
            continue
        code, sep, rate = part.partition("=")
        if not sep or not code.strip() or not rate.strip():
            raise InvalidInput(f"write each rate as CODE=RATE, like USD=0.92 (got {part[:40]!r})", field="exchange_rates")
        if code.strip().upper() in rates:
            raise InvalidInput(f"{code.strip().upper()} is given twice", field="exchange_rates")
        rates[code.strip().upper()] = rate.strip()
    return rates


def _general_values(shop: Any) -> dict[str, str]:
    return {
        "name": shop.name,
        "email": shop.email,
        "currency": shop.currency,
        "iana_timezone": shop.iana_timezone,
        "exchange_rates": rates_text(shop.exchange_rates),
        "public_url": shop.public_url or "",
        "fulfillment_automation": shop.fulfillment_automation,
        "hold_unpaid_fulfillment": "1" if shop.hold_unpaid_fulfillment else "",
        "auto_archive": "1" if shop.auto_archive else "",
    }


def general_page(
    request: Request, *, errors: dict[str, str] | None = None, values: dict[str, str] | None = None, status_code: int = 200
) -> HTMLResponse:
    shop = request.app.state.services.shop()
    context = {
        "errors": errors or {},
        "values": {**_general_values(shop), **(values or {})},
        "timezones": TIMEZONES,
        "automation": FULFILLMENT_AUTOMATION,
        "server_public_url": shop.server_public_url,
    }
    return page(request, "settings/general.html", context, section="/admin/settings/general", status_code=status_code)


@router.get("/admin/settings/general", response_class=HTMLResponse)
def general(request: Request, caller: Caller = Depends(requires("settings"))) -> Response:
    return general_page(request)


@router.post("/admin/settings/general")
def save_general(
    request: Request,
    name: str = Form(""),
    email: str = Form(""),
    currency: str = Form(""),
    iana_timezone: str = Form(""),
    exchange_rates: str = Form(""),
    public_url: str = Form(""),
    caller: Caller = Depends(requires("settings")),
) -> Response:
    services = request.app.state.services
    values = {
        "name": name,
        "email": email,
        "currency": currency,
        "iana_timezone": iana_timezone,
        "exchange_rates": exchange_rates,
        "public_url": public_url,
    }

    def work() -> Any:
        return setup.update_shop(
            services,
            name=name,
            email=email,
            currency=currency.strip().upper(),
            iana_timezone=iana_timezone,
            exchange_rates=parse_rates(exchange_rates),
            public_url=public_url,
        )

    def again(errors: dict[str, str]) -> Response:
        errors = {("exchange_rates" if k == "form" and "exchange rate" in v else k): v for k, v in errors.items()}
        return general_page(request, errors=errors, values=values, status_code=422)

    return submit(request, work, again=again, done=lambda shop: saved("/admin/settings/general", "Settings saved."), fields=GENERAL_FIELDS)


@router.post("/admin/settings/automation")
def save_automation(
    request: Request,
    fulfillment_automation: str = Form(""),
    hold_unpaid_fulfillment: str = Form(""),
    auto_archive: str = Form(""),
    caller: Caller = Depends(requires("settings")),
) -> Response:
    services = request.app.state.services
    values = {
        "fulfillment_automation": fulfillment_automation,
        "hold_unpaid_fulfillment": hold_unpaid_fulfillment,
        "auto_archive": auto_archive,
    }

    def work() -> Any:
        return setup.update_shop(
            services,
            fulfillment_automation=fulfillment_automation,
            hold_unpaid_fulfillment=hold_unpaid_fulfillment == "1",
            auto_archive=auto_archive == "1",
        )

    return submit(
        request,
        work,
        again=lambda errors: general_page(request, errors=errors, values=values, status_code=422),
        done=lambda shop: saved("/admin/settings/general#automation", "Order processing settings saved."),
        fields=AUTOMATION_FIELDS,
    )
