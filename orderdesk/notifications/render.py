"""Render notification templates with python-liquid: resource limits, strict-ish undefined, money filters.

Templates are found by name through ``TemplateLoader``: the merchant's edited row in
``notification_templates`` if there is one, else the packaged default under ``templates/``.
A default file starts with a ``Subject:`` line, then a blank line, then the HTML body.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Any

from liquid import Environment
from liquid.exceptions import LiquidError, TemplateNotFoundError
from liquid.filter import with_context
from liquid.loader import BaseLoader, TemplateSource
from liquid.undefined import FalsyStrictUndefined

from ..domain.currencies import exponent

__all__ = [
    "DEFAULT_NAMES",
    "Environments",
    "NotificationEnvironment",
    "Rendered",
    "TemplateLoader",
    "TemplateProblem",
    "check",
    "default_template",
    "format_money",
    "make_environment",
    "render",
    "render_source",
]

DEFAULT_NAMES = (
    "order_confirmation",
    "order_cancelled",
    "refund",
    "payment_receipt",
    "payment_reminder",
    "shipping_confirmation",
    "shipping_update",
    "out_for_delivery",
    "delivered",
    "fulfillment_request",
    "cancellation_request",
    "contact_customer",
)
SUBJECT_SUFFIX = ".subject"

SYMBOLS = {
    "USD": "$",
    "CAD": "$",
    "AUD": "$",
    "NZD": "$",
    "HKD": "$",
    "SGD": "$",
    "MXN": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "CNY": "¥",
    "INR": "₹",
    "KRW": "₩",
    "CHF": "CHF ",
    "SEK": "kr ",
    "NOK": "kr ",
    "DKK": "kr ",
    "PLN": "zł ",
    "BRL": "R$",
}


class NotificationEnvironment(Environment):
    """Liquid for merchant-edited templates: bounded loops, output and include depth."""

    loop_iteration_limit = 10_000
    output_stream_limit = 1_000_000
    context_depth_limit = 10
    local_namespace_limit = 100_000


@dataclass(frozen=True)
class Rendered:
    subject: str
    html: str


class TemplateProblem(ValueError):
    """A template that does not parse or render, with where: ``line`` and ``column`` (1-based)."""

    def __init__(
        self, part: str, error: LiquidError | None, source: str = "", *, message: str | None = None, index: int | None = None
    ) -> None:
        self.part = part
        if index is None and error is not None and error.token is not None and error.token.start_index >= 0:
            source, index = error.token.source or source, error.token.start_index
        if index is None:
            index = len(source)  # "expected endfor, found end of template" has no token: point at the end
        self.line, self.column = _line_col(source, index)
        first = message or str((error.message if error else None) or type(error).__name__)
        super().__init__(f"{part}: {first} on line {self.line}, column {self.column}")
        self.detail = error.detailed_message() if error is not None else str(self)


def _line_col(source: str, index: int) -> tuple[int, int]:
    """1-based line and column of ``index`` in ``source``."""
    before = source[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def default_template(name: str) -> tuple[str, str] | None:
    """The packaged (subject, body) for ``name``, or None."""
    if name not in DEFAULT_NAMES:
        return None
    text = resources.files(__package__).joinpath("templates", f"{name}.liquid").read_text(encoding="utf-8")
    first, _, body = text.partition("\n")
    return first.removeprefix("Subject:").strip(), body.lstrip("\n")


class TemplateLoader(BaseLoader):
    """``name`` gives the body, ``name.subject`` the subject; ``lookup`` returns the merchant's edit."""

    def __init__(self, lookup: Callable[[str], tuple[str, str] | None]) -> None:
        self.lookup = lookup

    def get_source(self, env: Environment, template_name: str, *, context=None, **kwargs: object) -> TemplateSource:
        name = template_name.removesuffix(SUBJECT_SUFFIX)
        found = self.lookup(name) or default_template(name)
        if found is None:
            raise TemplateNotFoundError(template_name, token=None)
        subject, body = found
        text = subject if template_name.endswith(SUBJECT_SUFFIX) else body
        return TemplateSource(text=text, name=template_name, uptodate=None, matter=None)


def _minor_to_decimal(value: Any, currency: str) -> Decimal:
    places = exponent(currency)
    try:
        cents = Decimal(str(value if value not in (None, "") else 0))
    except ArithmeticError:
        cents = Decimal(0)
    return (cents / (Decimal(10) ** places)).quantize(Decimal(1).scaleb(-places))


def format_money(cents: Any, currency: str, *, with_currency: bool = False) -> str:
    """Amounts in templates are in minor units, as in Shopify's Liquid: 1999 → "$19.99"."""
    amount = _minor_to_decimal(cents, currency)
    sign = "-" if amount < 0 else ""
    text = f"{abs(amount):,}"
    symbol = SYMBOLS.get(currency)
    out = f"{sign}{symbol}{text}" if symbol else f"{sign}{text}"
    if with_currency or symbol is None:
        out = f"{out} {currency}"
    return out


def _currency(context) -> str:
    value = context.resolve("currency", default="USD")
    return value if isinstance(value, str) and value else "USD"


@with_context
def money(value: Any, *, context) -> str:
    return format_money(value, _currency(context))


@with_context
def money_with_currency(value: Any, *, context) -> str:
    return format_money(value, _currency(context), with_currency=True)


@with_context
def money_without_currency(value: Any, *, context) -> str:
    return f"{_minor_to_decimal(value, _currency(context)):,}"


def make_environment(lookup: Callable[[str], tuple[str, str] | None] = lambda name: None, *, html: bool = True) -> NotificationEnvironment:
    """Bodies are HTML, so values are escaped (``html``); subjects are plain text."""
    env = NotificationEnvironment(loader=TemplateLoader(lookup), undefined=FalsyStrictUndefined, autoescape=html)
    env.filters["money"] = money
    env.filters["money_with_currency"] = money_with_currency
    env.filters["money_without_currency"] = money_without_currency
    # ``date`` is Liquid's built-in strftime filter; created_at etc. are datetimes in shop time.
    return env


@dataclass(frozen=True)
class Environments:
    """One environment for subjects (plain text) and one for bodies (HTML, escaped)."""

    subject: Environment
    body: Environment

    @classmethod
    def create(cls, lookup: Callable[[str], tuple[str, str] | None] = lambda name: None) -> Environments:
        return cls(make_environment(lookup, html=False), make_environment(lookup, html=True))


def check(envs: Environments, subject: str, body: str, variables: dict[str, Any] | None = None) -> None:
    """Parse both parts; raises TemplateProblem with the line and column of the first error.

    Given ``variables`` (a sample order's, see ``sample.py``), also look up every variable the
    parts name, in every branch, and render them: a template that would fail on every send
    (``{{ order.name }}``: there is no ``order``) is refused when it is saved, not at send time.
    """
    for part, env, text in (("subject", envs.subject, subject), ("body", envs.body, body)):
        try:
            template = env.from_string(text, name=part)
        except LiquidError as exc:
            raise TemplateProblem(part, exc, text) from exc
        analysis = template.analyze()
        # Unknown filters only fail when rendered (perhaps inside an {% if %} never taken): find them now.
        for filter_name, spans in analysis.filters.items():
            if filter_name not in env.filters:
                raise TemplateProblem(part, None, text, message=f"unknown filter '{filter_name}'", index=spans[0].index)
        if variables is None:
            continue
        for references in analysis.globals.values():
            for ref in references:
                missing = _undefined(list(ref.segments), variables)
                if missing is not None:
                    raise TemplateProblem(part, None, text, message=f"undefined variable '{missing}'", index=ref.span.index)
        try:
            template.render(**variables)
        except LiquidError as exc:
            raise TemplateProblem(part, exc, text) from exc


def _path(segments: list[Any]) -> str:
    return "".join(f"[{s}]" if isinstance(s, int) else (s if n == 0 else f".{s}") for n, s in enumerate(segments))


def _undefined(segments: list[Any], variables: dict[str, Any]) -> str | None:
    """The first part of a variable path that ``variables`` do not have, or None.

    Walks through objects (dicts) and lists as Liquid does (``first``, ``last``, ``size``, an
    index); stops without a verdict at nil, text, dates and computed keys (``a[b]``), where the
    sample cannot say."""
    root = segments[0]
    if not isinstance(root, str):
        return None
    if root not in variables:
        return root
    value = variables[root]
    for n, segment in enumerate(segments[1:], start=1):
        if not isinstance(segment, str | int):
            return None
        if isinstance(value, dict):
            if segment in value:
                value = value[segment]
                continue
            if segment == "size":
                return None
        elif isinstance(value, list):
            if segment == "size":
                return None
            if segment in ("first", "last") or isinstance(segment, int):
                index = segment if isinstance(segment, int) else (0 if segment == "first" else -1)
                value = value[index] if -len(value) <= index < len(value) else None
                continue
        else:
            return None
        return _path(segments[: n + 1])
    return None


def render(envs: Environments, name: str, variables: dict[str, Any]) -> Rendered:
    """Render ``name`` (subject and body) with ``variables``; raises TemplateProblem."""
    out = []
    for part, env, template_name in (("subject", envs.subject, name + SUBJECT_SUFFIX), ("body", envs.body, name)):
        try:
            out.append(env.get_template(template_name).render(**variables))
        except LiquidError as exc:
            raise TemplateProblem(part, exc) from exc
    return Rendered(subject=" ".join(out[0].split()), html=out[1])


def render_source(envs: Environments, subject: str, body: str, variables: dict[str, Any]) -> Rendered:
    """Render unsaved template text (for previews of an edit)."""
    out = []
    for part, env, text in (("subject", envs.subject, subject), ("body", envs.body, body)):
        try:
            out.append(env.from_string(text, name=part).render(**variables))
        except LiquidError as exc:
            raise TemplateProblem(part, exc, text) from exc
    return Rendered(subject=" ".join(out[0].split()), html=out[1])
