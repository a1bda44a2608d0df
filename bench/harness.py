"""What every API benchmark needs: a scratch database, a shop behind the API, a table of results.

Each benchmark measures its API path against a raw-driver baseline in the same process; this module
only keeps the set-up and the printing out of the way, so the files read as the measurements they are.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from orderdesk.api.app import create_app
from orderdesk.db.engine import make_engine
from orderdesk.db.migrate import upgrade
from orderdesk.db.uow import Database
from orderdesk.domain.shop import Shop
from orderdesk.services.clock import SystemClock
from orderdesk.services.context import Services
from orderdesk.services.setup import init_shop
from orderdesk.services.tokens import create_token

PG_SERVER = os.environ.get("ORDERDESK_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
PG_ADMIN_DB = "test"  # only used to CREATE/DROP the bench database
BASE = "/admin/api/2024-10"
SCOPES = ["read_orders", "write_orders", "read_all_orders", "read_customers", "write_customers"]

Row = tuple[str, str, str, str]


@contextmanager
def scratch_database(backend: str, pg_name: str) -> Iterator[tuple[str, str]]:
    """Yield (SQLAlchemy URL, raw driver target) of an empty database that is gone afterwards.

    PostgreSQL gets a database of its own, so the tests' `test` database is never touched.
    """
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix=f"{pg_name}-") as tmpdir:
            path = os.path.join(tmpdir, "bench.db")
            yield f"sqlite:///{path}", path
        return
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/{PG_ADMIN_DB}", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {pg_name}")
    try:
        url = f"{PG_SERVER}/{pg_name}"
        yield url, url
    finally:
        with psycopg.connect(f"{PG_SERVER}/{PG_ADMIN_DB}", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)")


@dataclass
class BenchShop:
    engine: Engine
    services: Services
    client: TestClient
    token: str


@contextmanager
def bench_shop(url: str, shop: Shop) -> Iterator[BenchShop]:
    """A migrated database with one shop, an all-orders token and an in-process API client."""
    engine = make_engine(url)
    try:
        upgrade(engine)
        services = Services(db=Database(engine), clock=SystemClock())
        init_shop(services, shop)
        token = create_token(services, "bench", SCOPES)
        client = TestClient(create_app(services), base_url="http://testserver")
        client.headers["X-Shopify-Access-Token"] = token
        yield BenchShop(engine, services, client, token)
    finally:
        engine.dispose()


def print_statements(title: str, statements: Iterable[str]) -> None:
    print(title)
    for s in statements:
        print("   ", " ".join(s.split())[:200])


def print_table(backend: str, rows: list[Row]) -> None:
    w = [max(len(r[i]) for r in rows) for i in range(4)]
    print(f"\n== {backend} ==")
    for r in rows:
        print("  " + "  ".join(c.ljust(w[i]) for i, c in enumerate(r)).rstrip())


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--db", choices=["sqlite", "postgres", "all"], default="all")
    p.add_argument("-v", "--verbose", action="store_true", help="print the SQL statements")
    return p


def run_all(title: str, args: argparse.Namespace, run: Callable[[str, argparse.Namespace], list[Row]], settings: str) -> int:
    """Print the machine banner, run each chosen database in turn, and the total time."""
    backends = ["sqlite", "postgres"] if args.db == "all" else [args.db]
    print(
        f"orderdesk {title}  {time.strftime('%Y-%m-%d %H:%M:%S %Z')}  python {platform.python_version()}  "
        f"sqlite {sqlite3.sqlite_version}  cpus {os.cpu_count()}  {settings}"
    )
    started = time.perf_counter()
    for backend in backends:
        print_table(backend, run(backend, args))
    print(f"\ntotal {time.perf_counter() - started:.0f} s")
    return 0
