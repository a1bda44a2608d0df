"""Settings read once from the environment and passed down.

A malformed value raises ``ValueError`` naming the variable, which the CLI prints as one line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_DATABASE_URL = "sqlite:///orderdesk-data/orderdesk.db"


def _port(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise ValueError(f"{name} must be a port number from 1 to 65535, got {raw!r}")
    return int(raw)


def _flag(name: str) -> bool | None:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return None
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} must be 1 or 0, got {raw!r}")


@dataclass(frozen=True)
class SmtpSettings:
    """Where customer emails go: ORDERDESK_SMTP_HOST, ORDERDESK_SMTP_PORT, ORDERDESK_SMTP_FROM.

    Without a host there is no server to send to, so emails are captured: kept in the database
    (``captured_emails``) and logged as delivered, instead of failing and retrying for a day.
    ORDERDESK_MAIL_CAPTURE=1 captures even with a host (a staging copy of a live shop).
    """

    host: str | None = None
    port: int = 25
    from_address: str = "orderdesk@localhost"
    capture: bool = False

    @property
    def captures(self) -> bool:
        return self.capture or not self.host

    @classmethod
    def from_env(cls) -> SmtpSettings:
        host = os.environ.get("ORDERDESK_SMTP_HOST", "").strip() or None
        capture = _flag("ORDERDESK_MAIL_CAPTURE")
        if capture is False and host is None:
            raise ValueError("ORDERDESK_MAIL_CAPTURE=0 needs ORDERDESK_SMTP_HOST: there is no SMTP server to send to")
        return cls(
            host=host,
            port=_port("ORDERDESK_SMTP_PORT", 25),
            from_address=os.environ.get("ORDERDESK_SMTP_FROM", "").strip() or "orderdesk@localhost",
            capture=bool(capture),
        )


def public_url_from_env() -> str | None:
    """ORDERDESK_PUBLIC_URL: where shoppers and apps reach this server, e.g. https://orders.example.com
    (the shop setting ``public_url`` wins when set)."""
    return os.environ.get("ORDERDESK_PUBLIC_URL", "").strip() or None


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 8000

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=os.environ.get("ORDERDESK_DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL,
            host=os.environ.get("ORDERDESK_HOST", "").strip() or "127.0.0.1",
            port=_port("ORDERDESK_PORT", 8000),
        )
