"""The SMTP mailer: send one HTML email with smtplib (aiosmtpd stands in for the server in tests)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formatdate

from ..config import SmtpSettings
from .mailer import Email, message_id, plain_text

__all__ = ["SmtpMailer", "SmtpSettings", "build_message", "message_id", "plain_text"]

TIMEOUT_SECONDS = 10.0


def build_message(email: Email) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = email.sender
    msg["To"] = email.to
    msg["Subject"] = email.subject
    msg["Date"] = formatdate(email.at.timestamp(), usegmt=True)
    msg["Message-ID"] = email.message_id
    if email.reply_to:
        msg["Reply-To"] = email.reply_to
    msg.set_content(email.text)
    msg.add_alternative(email.html, subtype="html")
    return msg


class SmtpMailer:
    outcome = "sent"

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def deliver(self, email: Email) -> None:
        """Any connection or protocol error propagates, so the worker retries the row."""
        if not self.settings.host:
            raise ValueError("no SMTP host is configured (ORDERDESK_SMTP_HOST)")
        with smtplib.SMTP(self.settings.host, self.settings.port, timeout=TIMEOUT_SECONDS) as smtp:
            smtp.send_message(build_message(email))
