"""Postal addresses on an order, and the rules a changed shipping address must meet: an
address line, a city and a country known to ISO 3166 (by code, or by name), so a parcel can
be sent there. The billing address is kept as placed and is never changed."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .errors import InvalidInput

# The fields a shipping address must have, with the merchant's word for each.
REQUIRED = (("address1", "Address"), ("city", "City"))
MAX_FIELD_LENGTH = 255
_TEXT_FIELDS = ("first_name", "last_name", "name", "company", "address1", "address2", "city", "province", "province_code", "zip", "phone")

# Finds a country by ISO 3166-1 code or by name: (alpha-2 code, name), or None if there is no such
# country. The table itself is data the edge supplies (representation/places.py, pycountry's).
CountryLookup = Callable[[str], "tuple[str, str] | None"]


def check_shipping_address(address: dict[str, Any], countries: CountryLookup) -> dict[str, Any]:
    """The address as stored, or InvalidInput naming the field (``shipping_address.city``).

    The country may come as a code or a name; the code is kept upper-case and the name beside it.
    """
    for name in _TEXT_FIELDS:
        value = address.get(name)
        if isinstance(value, str) and len(value) > MAX_FIELD_LENGTH:
            raise InvalidInput(f"is too long (maximum is {MAX_FIELD_LENGTH} characters)", field=f"shipping_address.{name}")
    for name, word in REQUIRED:
        if not str(address.get(name) or "").strip():
            raise InvalidInput(f"{word} can't be blank", field=f"shipping_address.{name}")
    given_code = str(address.get("country_code") or "").strip()
    given_name = str(address.get("country") or "").strip()
    if given_code:
        found = countries(given_code) if len(given_code) == 2 else None
        if found is None:
            raise InvalidInput(f"'{given_code[:20]}' is not a country code", field="shipping_address.country_code")
    elif given_name:
        found = countries(given_name)
        if found is None:
            raise InvalidInput(f"'{given_name[:40]}' is not a country", field="shipping_address.country_code")
    else:
        raise InvalidInput("Country/region can't be blank", field="shipping_address.country_code")
    code, name = found
    return {**address, "country_code": code, "country": name}


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_contact_email(value: str | None) -> str | None:
    """An order's contact email: blank removes it; anything else must look like one."""
    email = (value or "").strip()
    if not email:
        return None
    if not _EMAIL.match(email) or len(email) > 255:
        raise InvalidInput("Enter an email address like name@example.com", field="email")
    return email
