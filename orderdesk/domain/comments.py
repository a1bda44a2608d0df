"""Staff comments on an order: private notes for the team, on the timeline beside the order's
events. Only staff write them, only their author changes or deletes them, and no shopper,
email, webhook or API client ever sees one (they are kept apart from the order's events)."""

from __future__ import annotations

from .access import Caller
from .errors import Forbidden, InvalidInput

MAX_COMMENT_LENGTH = 5000


def check_body(text: str | None) -> str:
    """The comment as stored: trimmed, not blank, at most 5,000 characters."""
    body = (text or "").strip()
    if not body:
        raise InvalidInput("Write a comment before posting it", field="comment")
    if len(body) > MAX_COMMENT_LENGTH:
        raise InvalidInput(f"A comment can be at most {MAX_COMMENT_LENGTH:,} characters (this one has {len(body):,})", field="comment")
    return body


def check_author(caller: Caller) -> None:
    """Comments are the staff's: an app or orderdesk itself has no name to sign one with."""
    if caller.staff_id is None:
        raise Forbidden("Only staff members can comment on an order", field="comment")


def is_author(caller: Caller, staff_id: int | None) -> bool:
    return caller.staff_id is not None and staff_id == caller.staff_id


def check_may_change(caller: Caller, staff_id: int | None) -> None:
    """A comment is its author's words: nobody else edits or deletes it, an owner neither."""
    if not is_author(caller, staff_id):
        raise Forbidden("Only the comment's author can change or delete it", field="comment")
