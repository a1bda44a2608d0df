"""Staff accounts, their sessions and failed logins."""

from __future__ import annotations

import builtins  # the repository has a method named list: its class body spells the type builtins.list
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from . import tables as t

s = t.staff.c
ss = t.staff_sessions.c
lf = t.login_failures.c


class StaffRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, values: dict[str, Any]) -> int:
        return int(self.conn.execute(insert(t.staff).values(**values).returning(s.id)).scalar_one())

    def get(self, staff_id: int) -> Any | None:
        return self.conn.execute(select(t.staff).where(s.id == staff_id)).mappings().first()

    def by_email(self, email: str) -> Any | None:
        return self.conn.execute(select(t.staff).where(s.email == email)).mappings().first()

    def list(self) -> list[Any]:
        return list(self.conn.execute(select(t.staff).order_by(s.id)).mappings())

    def count_owners(self) -> int:
        query = select(func.count()).select_from(t.staff).where(s.role == "owner", s.disabled_at.is_(None))
        return int(self.conn.execute(query).scalar_one())

    def update(self, staff_id: int, values: dict[str, Any]) -> None:
        self.conn.execute(update(t.staff).where(s.id == staff_id).values(**values))

    # --- sessions -----------------------------------------------------------------------

    def add_session(self, staff_id: int, token_hash: str, at: datetime, expires_at: datetime) -> None:
        self.conn.execute(insert(t.staff_sessions).values(staff_id=staff_id, token_hash=token_hash, created_at=at, expires_at=expires_at))

    def session(self, token_hash: str, at: datetime) -> Any | None:
        """The live session with this hash and its staff member's row (``member_*`` columns)."""
        member = [c.label(f"member_{c.name}") for c in t.staff.c]
        query = (
            select(t.staff_sessions, *member)
            .select_from(t.staff_sessions.join(t.staff, s.id == ss.staff_id))
            .where(ss.token_hash == token_hash, ss.revoked_at.is_(None), ss.expires_at > at, s.disabled_at.is_(None))
        )
        return self.conn.execute(query).mappings().first()

    def revoke_session(self, token_hash: str, at: datetime) -> bool:
        query = update(t.staff_sessions).where(ss.token_hash == token_hash, ss.revoked_at.is_(None)).values(revoked_at=at)
        return self.conn.execute(query).rowcount > 0

    def revoke_sessions_of(self, staff_id: int, at: datetime) -> int:
        query = update(t.staff_sessions).where(ss.staff_id == staff_id, ss.revoked_at.is_(None)).values(revoked_at=at)
        return self.conn.execute(query).rowcount

    # --- failed logins ------------------------------------------------------------------

    def add_failures(self, keys: builtins.list[str], at: datetime) -> None:
        self.conn.execute(insert(t.login_failures), [{"key": k[:300], "failed_at": at} for k in keys])

    def failures_since(self, key: str, since: datetime) -> int:
        query = select(func.count()).select_from(t.login_failures).where(lf.key == key[:300], lf.failed_at > since)
        return int(self.conn.execute(query).scalar_one())

    def forget_failures(self, key: str) -> None:
        self.conn.execute(delete(t.login_failures).where(lf.key == key[:300]))

    def prune_failures(self, before: datetime) -> None:
        self.conn.execute(delete(t.login_failures).where(lf.failed_at < before))
