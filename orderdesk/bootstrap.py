"""Wire the real adapters together: engine, unit of work, services, app."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from .db.engine import make_engine
from .db.migrate import upgrade
from .db.uow import Database
from .services.clock import Clock, SystemClock
from .services.context import Services


def secret_key() -> str:
    """The server secret: ORDERDESK_SECRET_KEY, or a random one kept in the data folder.

    Every process serving one shop needs the same value; set the variable when they run on
    several machines.
    """
    given = os.environ.get("ORDERDESK_SECRET_KEY")
    if given:
        return given
    path = Path(os.environ.get("ORDERDESK_DATA_DIR", "orderdesk-data")) / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()


def services_for(database_url: str, *, clock: Clock | None = None, migrate: bool = False) -> Services:
    engine = make_engine(database_url)
    if migrate:
        upgrade(engine)
    return Services(db=Database(engine), clock=clock or SystemClock(), secret_key=secret_key())
