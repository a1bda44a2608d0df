"""Send one HTML email over SMTP with smtplib (aiosmtpd stands in for the server in tests)."""

from __future__ import annotations

import re
import smtplib
from email.message import EmailMessage
from email.utils import formataddr, formatdate
from html import unescape

from ..config import SmtpSettings

__all__ = ["SmtpSettings", "build_message", "message_id", "send"]

TIMEOUT_SECONDS = 10.0


def message_id(event_id: str, from_address: str) -> str:
    """The same outbox event gives the same Message-ID, so a retried send is recognisable."""
    domain = from_address.rpartition("@")[2] or "localhost"
    return f"<{event_id}@{domain}>"


def _text(html: str) -> str:
    text = re.sub(r"(?is)<(style|script|head)[^>]*>.*?</\1>", "", html)
    text = re.sub(r"(?i)<br\s*/?>|</(p|tr|h[1-6]|div)>", "\n", text)
    text = re.sub(r"(?i)<a [^>]*href=\"([^\"]+)\"[^>]*>(.*?)</a>", r"\2 (\1)", text)
    text = re.sub(r"(?i)</t[dh]>", " ", text)
    text = re.sub(r"<[^>]+>", "", text)
    lines = [" ".join(line.split()) for line in unescape(text).splitlines()]
    return "\n".join(line for line in lines if line) + "\n"


def build_message(
    *, to: str, subject: str, html: str, event_id: str, settings: SmtpSettings, sender_name: str | None = None, reply_to: str | None = None
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = formataddr((sender_name or "", settings.from_address))
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = message_id(event_id, settings.from_address)
    if reply_to:
        msg["Reply-To"] = reply_to
    msg.set_content(_text(html))
    msg.add_alternative(html, subtype="html")
    return msg


def send(settings: SmtpSettings, message: EmailMessage) -> None:
    """Deliver ``message``; any connection or protocol error propagates so the worker retries."""
    with smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS) as smtp:
        smtp.send_message(message)
