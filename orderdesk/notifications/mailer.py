"""The mailer port: where a rendered email goes once the worker has built it.

``SmtpMailer`` hands it to the configured SMTP server; ``CapturingMailer`` keeps it in the
database when there is no server (the demo, a fresh install), so nothing fails and retries.
``mailer_for`` picks one from the settings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from html import unescape
from typing import TYPE_CHECKING, Protocol

from ..config import SmtpSettings

if TYPE_CHECKING:
    from ..db.uow import Database

__all__ = ["Email", "Mailer", "mailer_for", "message_id", "plain_text"]


@dataclass(frozen=True)
class Email:
    """One rendered message, addressed, with the outbox event and order it comes from."""

    to: str
    subject: str
    html: str
    text: str
    sender: str  # the From header: "Shop name <address>"
    message_id: str
    event_id: str
    template: str
    order_id: int | None
    at: datetime
    reply_to: str | None = None


class Mailer(Protocol):
    # What the delivery log records once ``deliver`` returns: "sent" or "captured".
    outcome: str

    def deliver(self, email: Email) -> None:
        """Hand the message over; raises if it could not be (the worker retries the row)."""
        ...


def message_id(event_id: str, from_address: str) -> str:
    """The same outbox event gives the same Message-ID, so a retried send is recognisable."""
    domain = from_address.rpartition("@")[2] or "localhost"
    return f"<{event_id}@{domain}>"


def plain_text(html: str) -> str:
    """The text part beside the HTML one: tags dropped, links written out, blank lines removed."""
    text = re.sub(r"(?is)<(style|script|head)[^>]*>.*?</\1>", "", html)
    text = re.sub(r"(?i)<br\s*/?>|</(p|tr|h[1-6]|div)>", "\n", text)
    text = re.sub(r"(?i)<a [^>]*href=\"([^\"]+)\"[^>]*>(.*?)</a>", r"\2 (\1)", text)
    text = re.sub(r"(?i)</t[dh]>", " ", text)
    text = re.sub(r"<[^>]+>", "", text)
    lines = [" ".join(line.split()) for line in unescape(text).splitlines()]
    return "\n".join(line for line in lines if line) + "\n"


def mailer_for(settings: SmtpSettings, db: Database) -> Mailer:
    """SMTP when a server is configured, else capture into ``db`` (see SmtpSettings)."""
    if settings.captures:
        from .capture import CapturingMailer

        return CapturingMailer(db)
    from .smtp import SmtpMailer

    return SmtpMailer(settings)
