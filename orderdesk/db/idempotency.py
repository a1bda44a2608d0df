"""Stored responses for Idempotency-Key requests, written in the same transaction as the effect."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, text

from . import tables as t


class IdempotencyKeys:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def try_lock(self, principal: str, key: str) -> bool:
        """Claim the key for this transaction; False while another request holds it.

        PostgreSQL: a transaction-scoped advisory lock, released at commit or rollback.
        SQLite: writers are already serialised, so the key is always free here.
        """
        if self.conn.dialect.name != "postgresql":
            return True
        return bool(
            self.conn.execute(
                text("SELECT pg_try_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": f"{principal}\x1f{key}"}
            ).scalar_one()
        )

    def find(self, principal: str, key: str) -> Any | None:
        return (
            self.conn.execute(
                select(t.idempotency_keys).where(t.idempotency_keys.c.principal == principal, t.idempotency_keys.c.key == key)
            )
            .mappings()
            .first()
        )

    def save(self, principal: str, key: str, request_hash: str, status: int, body: Any, at: datetime) -> None:
        self.conn.execute(
            insert(t.idempotency_keys).values(
                principal=principal, key=key, request_hash=request_hash, response_status=status, response_body=body, created_at=at
            )
        )

    def prune(self, older_than: datetime) -> int:
        return self.conn.execute(delete(t.idempotency_keys).where(t.idempotency_keys.c.created_at < older_than)).rowcount

    def count(self) -> int:
        return self.conn.execute(select(func.count()).select_from(t.idempotency_keys)).scalar_one()
