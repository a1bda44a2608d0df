"""Countries and their provinces by ISO 3166 code and name (pycountry's tables), for addresses
that store a country code and a province name: what Shopify shows beside them (``country_name``,
``province_code``), and what a client may send instead (a country's name, a province's code)."""

from __future__ import annotations

from functools import cache

import pycountry


@cache
def _provinces(country_code: str) -> tuple[dict[str, str], dict[str, str]]:
    """(code -> name, lowercased name -> code) of a country's top-level subdivisions."""
    by_code, by_name = {}, {}
    for sub in pycountry.subdivisions.get(country_code=country_code) or ():
        if sub.parent_code is not None:
            continue  # a county of an English region, say: Shopify's provinces are the top level
        code = sub.code.split("-", 1)[1]
        by_code[code] = sub.name
        by_name[sub.name.lower()] = code
    return by_code, by_name


def country_code(value: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country given by code or by name, or None if unknown."""
    text = value.strip()
    if len(text) == 2:
        found = pycountry.countries.get(alpha_2=text.upper())
    else:
        try:
            found = pycountry.countries.lookup(text)
        except LookupError:
            found = None
    return found.alpha_2 if found is not None else None


def country(value: str) -> tuple[str, str] | None:
    """(ISO code, name) of a country given by code or by name, or None (domain/addresses.py's lookup)."""
    code = country_code(value)
    return (code, country_name(code) or code) if code else None


@cache
def countries() -> list[tuple[str, str]]:
    """Every country as (code, name), by name: the choices of an address form."""
    return sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda pair: pair[1])


def country_name(code: str | None) -> str | None:
    found = pycountry.countries.get(alpha_2=code.upper()) if code else None
    return found.name if found is not None else None


def province_name(country: str, code: str) -> str | None:
    """The name of ``country``'s province with this code (``ON`` for Canada), or None."""
    return _provinces(country.upper())[0].get(code.strip().upper())


def province_code(country: str | None, province: str | None) -> str | None:
    """The code of ``country``'s province with this name, or None (a free-form province too)."""
    if not country or not province:
        return None
    return _provinces(country.upper())[1].get(province.strip().lower())
