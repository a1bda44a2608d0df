"""API versions: ``YYYY-MM`` or ``unstable``; versions past support fall forward."""

from __future__ import annotations

import re

from .errors import ApiError

SUPPORTED = ("2024-10", "2025-01", "2025-04", "2025-07", "2025-10", "2026-01", "2026-04", "2026-07", "2026-10")
LATEST = SUPPORTED[-1]
_FORMAT = re.compile(r"^\d{4}-(01|04|07|10)$")


def resolve(requested: str) -> str:
    """The version that serves a request, as sent back in ``X-Shopify-API-Version``."""
    if requested == "unstable":
        return requested
    if not _FORMAT.match(requested):
        raise ApiError(404, "Not Found")
    if requested < SUPPORTED[0]:
        return SUPPORTED[0]
    if requested > LATEST:
        return LATEST
    return requested
