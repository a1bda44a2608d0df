"""The capturing mailer: keeps each rendered email in the database instead of sending it."""

from __future__ import annotations

from ..db import captured_emails
from ..db.uow import Database
from .mailer import Email


class CapturingMailer:
    outcome = "captured"

    def __init__(self, db: Database) -> None:
        self.db = db

    def deliver(self, email: Email) -> None:
        with self.db.writing() as uow:
            captured_emails.add(
                uow.conn,
                {
                    "event_id": email.event_id,
                    "order_id": email.order_id,
                    "template": email.template,
                    "recipient": email.to,
                    "sender": email.sender,
                    "reply_to": email.reply_to,
                    "subject": email.subject,
                    "html": email.html,
                    "text": email.text,
                    "message_id": email.message_id,
                    "created_at": email.at,
                },
            )
            uow.commit()
