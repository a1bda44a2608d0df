"""Settings read once from the environment and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_DATABASE_URL = "sqlite:///orderdesk-data/orderdesk.db"


@dataclass(frozen=True)
class SmtpSettings:
    """Where customer emails go: ORDERDESK_SMTP_HOST, ORDERDESK_SMTP_PORT, ORDERDESK_SMTP_FROM."""

    host: str = "localhost"
    port: int = 1025
    from_address: str = "orderdesk@localhost"

    @classmethod
    def from_env(cls) -> SmtpSettings:
        return cls(
            host=os.environ.get("ORDERDESK_SMTP_HOST", "localhost"),
            port=int(os.environ.get("ORDERDESK_SMTP_PORT", "1025")),
            from_address=os.environ.get("ORDERDESK_SMTP_FROM", "orderdesk@localhost"),
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
            database_url=os.environ.get("ORDERDESK_DATABASE_URL", DEFAULT_DATABASE_URL),
            host=os.environ.get("ORDERDESK_HOST", "127.0.0.1"),
            port=int(os.environ.get("ORDERDESK_PORT", "8000")),
        )
