"""Order tags: a comma-separated string on the wire, an ordered set of short labels here."""

from __future__ import annotations

from collections.abc import Iterable

from .errors import InvalidInput

MAX_TAG_LENGTH = 40
MAX_TAGS = 250


def parse_tags(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Split, trim and de-duplicate tags, keeping first-seen order.

    Raises InvalidInput for a tag longer than 40 characters (Shopify's limit).
    """
    if value is None:
        return ()
    parts = value.split(",") if isinstance(value, str) else list(value)
    seen: dict[str, str] = {}
    for raw in parts:
        if not isinstance(raw, str):
            raise InvalidInput("tags must be strings", field="tags")
        tag = raw.strip()
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise InvalidInput(f"Tag '{tag[:20]}…' is too long (maximum is {MAX_TAG_LENGTH} characters)", field="tags")
        seen.setdefault(tag.lower(), tag)
    if len(seen) > MAX_TAGS:
        raise InvalidInput(f"An order can have at most {MAX_TAGS} tags", field="tags")
    return tuple(seen.values())


def format_tags(tags: Iterable[str]) -> str:
    return ", ".join(tags)
