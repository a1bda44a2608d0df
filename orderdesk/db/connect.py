"""Check a database URL and open it, with one-line reasons instead of driver tracebacks.

Commands take a URL from the command line or the environment, so anything can arrive:
another database's URL, a typo, a folder that does not exist, a PostgreSQL that is down.
``locate`` only reads the URL (it creates nothing); ``open_engine`` connects and migrates.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic.util.exc import CommandError
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from .engine import make_engine, normalize_url
from .migrate import upgrade

__all__ = ["DatabaseProblem", "Location", "locate", "open_engine"]

EXAMPLES = "use sqlite:///path/to/file.db or postgresql://user@host:5432/db"
# A PostgreSQL that does not answer is reported after this long, not after the system's ~2 minutes.
CONNECT_TIMEOUT_SECONDS = 10


class DatabaseProblem(ValueError):
    """A URL that cannot be used, or a database that cannot be opened; the message is one line."""


@dataclass(frozen=True)
class Location:
    url: str
    backend: str  # sqlite | postgresql
    shown: str  # the URL without its password, for messages
    path: Path | None = None  # the SQLite file

    @property
    def exists(self) -> bool:
        """Whether there is a database to open (always assumed for PostgreSQL: the server says)."""
        return self.path is None or self.path.is_file()


def locate(url: str) -> Location:
    """Parse ``url``; raises DatabaseProblem for anything but a SQLite file or a PostgreSQL database."""
    try:
        shown = make_url(url.strip()).render_as_string(hide_password=True)
        parsed = make_url(normalize_url(url.strip()))
    except ArgumentError:
        raise DatabaseProblem(f"{url!r} is not a database URL; {EXAMPLES}") from None
    backend, _, driver = parsed.drivername.partition("+")
    if (backend, driver or None) not in (("sqlite", None), ("sqlite", "pysqlite"), ("postgresql", "psycopg")):
        raise DatabaseProblem(f"unsupported database {parsed.drivername!r} in {shown}; {EXAMPLES}")
    if backend == "postgresql":
        if not parsed.database:
            raise DatabaseProblem(f"{shown} names no database; {EXAMPLES}")
        if "connect_timeout" not in parsed.query:
            parsed = parsed.update_query_dict({"connect_timeout": str(CONNECT_TIMEOUT_SECONDS)})
        return Location(parsed.render_as_string(hide_password=False), backend, shown)
    name = parsed.database or ""
    if not name or name == ":memory:" or name.startswith("file:"):
        raise DatabaseProblem(f"{shown} names no database file; {EXAMPLES}")
    path = Path(name)
    if path.is_dir():
        raise DatabaseProblem(f"{path} is a folder, not a database file")
    return Location(str(parsed), backend, shown, path)


def open_engine(location: Location, *, migrate: bool = True) -> Engine:
    """Connect (creating a SQLite file if there is none) and apply the migrations."""
    if location.path is not None and not location.path.parent.is_dir():
        # make_engine would create the folder; whoever calls this decides whether it may.
        raise DatabaseProblem(f"the folder {location.path.parent} does not exist (for {location.shown})")
    engine = make_engine(location.url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        if migrate:
            upgrade(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise DatabaseProblem(f"cannot open the database {location.shown}: {reason}") from None
    except CommandError as exc:  # e.g. a database migrated by a newer orderdesk
        engine.dispose()
        raise DatabaseProblem(f"cannot migrate the database {location.shown}: {exc}") from None
    return engine
