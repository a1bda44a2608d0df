"""Admin sessions: logging in and out, who a session cookie stands for, and its CSRF token.

The cookie carries a random 256-bit secret; only its SHA-256 is stored. A session ends when
its member logs out, is disabled, has their password reset or their permissions changed, or
after SESSION_DAYS; every process learns it on the next request (db/revocations.py), and a
live session costs no statement per request while nothing was revoked.

Failed logins are counted in the database, per account and per address, over a sliding
window, so many processes share one limit.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..domain.access import Caller
from ..domain.errors import InvalidInput
from ..domain.staff import check_email
from .context import Services
from .staff import hasher, member

SESSION_DAYS = 14
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
CACHE_SECONDS = 60.0
BAD_LOGIN = "The email or password is not right."
THROTTLED = "Too many failed attempts; wait a few minutes and try again."

# Compared against when the email is unknown, so a wrong email costs as long as a wrong password.
_DUMMY_HASH = hasher.hash("not a password anybody has")


class LoginRefused(InvalidInput):
    """A login that did not succeed; the message is safe to show (it never says which part was wrong)."""


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class _Cached:
    read_at: float
    epoch: object
    caller: Caller


_cache: dict[tuple[int, str], _Cached] = {}
_lock = threading.Lock()


def log_in(services: Services, email: str, password: str, *, address: str | None) -> str:
    """Check the credentials and open a session; returns the cookie's secret."""
    at = services.clock.now()
    try:
        email = check_email(email)
    except InvalidInput:
        raise LoginRefused(BAD_LOGIN, field="email") from None
    keys = [f"account:{email}"] + ([f"address:{address}"] if address else [])
    with services.db.writing() as uow:
        since = at - FAILURE_WINDOW
        if uow.staff.failures_since(keys[0], since) >= MAX_FAILURES_PER_ACCOUNT or (
            len(keys) > 1 and uow.staff.failures_since(keys[1], since) >= MAX_FAILURES_PER_ADDRESS
        ):
            raise LoginRefused(THROTTLED, field="email")
        row = uow.staff.by_email(email)
        if not _verify(row["password_hash"] if row is not None else _DUMMY_HASH, password) or row is None or row["disabled_at"]:
            uow.staff.add_failures(keys, at)
            uow.staff.prune_failures(at - FAILURE_WINDOW * 4)
            uow.commit()
            raise LoginRefused(BAD_LOGIN, field="email")
        if hasher.check_needs_rehash(row["password_hash"]):
            uow.staff.update(row["id"], {"password_hash": hasher.hash(password)})
        uow.staff.forget_failures(keys[0])
        secret = secrets.token_urlsafe(32)
        uow.staff.add_session(row["id"], _hash(secret), at, at + timedelta(days=SESSION_DAYS))
        uow.commit()
    return secret


def _verify(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def authenticate(services: Services, secret: str | None) -> Caller | None:
    """The staff member a session cookie stands for, or None (no, ended or expired session)."""
    if not secret or len(secret) > 200:
        return None
    key = (id(services.db.engine), _hash(secret))
    epoch = services.revocations.epoch()
    now = time.monotonic()
    hit = _cache.get(key)
    if hit is not None and epoch is not None and hit.epoch == epoch and now - hit.read_at <= CACHE_SECONDS:
        return hit.caller
    with services.db.reading() as uow:
        row = uow.staff.session(key[1], services.clock.now())
    if row is None:
        _cache.pop(key, None)
        return None
    caller = member({k[len("member_") :]: v for k, v in row.items() if k.startswith("member_")}).caller()
    if epoch is not None:
        with _lock:
            if len(_cache) > 10_000:
                _cache.clear()
            _cache[key] = _Cached(now, epoch, caller)
    return caller


def log_out(services: Services, secret: str | None) -> None:
    if not secret:
        return
    with services.db.writing() as uow:
        if uow.staff.revoke_session(_hash(secret), services.clock.now()):
            services.revocations.announce(uow.conn)
        uow.commit()
    services.revocations.announced()
    _cache.pop((id(services.db.engine), _hash(secret)), None)


def csrf_token(services: Services, secret: str) -> str:
    """The session's CSRF token: forms and htmx requests send it back; a page on another site
    can't read it, so it can't forge a change."""
    return hmac.new(services.secret_key.encode(), b"csrf:" + _hash(secret).encode(), hashlib.sha256).hexdigest()


def csrf_ok(services: Services, secret: str | None, token: str | None) -> bool:
    if not secret or not token:
        return False
    return hmac.compare_digest(csrf_token(services, secret), token)
