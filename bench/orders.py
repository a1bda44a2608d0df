"""Order benchmarks: API create rate vs raw driver inserts, statements per request, list latency.

Run:  python bench/orders.py [--db sqlite|postgres|all] [--orders N] [--big N] [-v] [--profile]

The API is driven in-process through fastapi.testclient.TestClient (one client, one thread),
so HTTP parsing/socket cost of a real server is NOT included; everything else
(routing, auth, validation, service, SQL, JSON rendering) is.

PostgreSQL: a dedicated database ``orderdesk_bench`` is created on the server at
ORDERDESK_BENCH_PG (default postgresql://postgres@127.0.0.1:5432/test's server) and dropped afterwards.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sqlite3
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text

from bench.harness import BASE, bench_shop, parser, print_statements, run_all, scratch_database
from orderdesk.db.engine import StatementCounter
from orderdesk.domain.shop import Shop

PG_BENCH_DB = "orderdesk_bench"
TARGETS = {"ratio": 0.25, "create_stmts": 8, "get_stmts": 3}

SHOP = Shop(
    name="Bench Outfitters",
    email="shop@example.com",
    domain="bench.example",
    currency="USD",
    iana_timezone="America/New_York",
    exchange_rates={"EUR": "1.10"},
)


def order_body() -> dict:
    addr = {
        "first_name": "Bob",
        "last_name": "Norman",
        "address1": "123 Fake Street",
        "city": "Fakecity",
        "country_code": "US",
        "zip": "K2P 1L4",
    }
    return {
        "email": "bob.norman@example.com",
        "line_items": [
            {"title": "Big Brown Bear Boots", "price": "74.99", "quantity": 3, "grams": 1300},
            {"title": "Raspberry Beret", "price": "19.99", "quantity": 1, "sku": "BERET-1"},
        ],
        "customer": {"first_name": "Bob", "last_name": "Norman", "email": "bob.norman@example.com"},
        "billing_address": addr,
        "shipping_address": addr,
        "shipping_lines": [{"title": "Standard", "price": "10.00", "code": "STD"}],
        "tax_lines": [{"title": "State tax", "rate": 0.06, "price": "14.70"}],
        "discount_codes": [{"code": "TENOFF", "amount": "10.00", "type": "fixed_amount"}],
    }


# --------------------------------------------------------------------------- raw driver helpers


class Raw:
    """A raw DBAPI connection (sqlite3 or psycopg) with placeholder style and JSON wrapping."""

    def __init__(self, backend: str, target: str) -> None:
        self.backend = backend
        if backend == "sqlite":
            self.conn = sqlite3.connect(target, isolation_level=None, timeout=30)
            for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
                self.conn.execute(f"PRAGMA {pragma}")
            self.ph = "?"
        else:
            import psycopg

            self.conn = psycopg.connect(target, autocommit=False)
            self.ph = "%s"

    def begin(self) -> None:
        if self.backend == "sqlite":
            self.conn.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.conn.commit() if self.backend == "postgres" else self.conn.execute("COMMIT")

    def rows(self, sql: str, params=()) -> tuple[list[str], list[list]]:
        cur = self.conn.cursor()
        cur.execute(sql.replace("?", self.ph), params)
        cols = [d[0] for d in cur.description]
        data = [self.adapt(list(r)) for r in cur.fetchall()]
        cur.close()
        if self.backend == "postgres":
            self.conn.commit()
        return cols, data

    def adapt(self, row: list) -> list:
        if self.backend == "postgres":
            from psycopg.types.json import Jsonb

            return [Jsonb(v) if isinstance(v, (dict, list)) else v for v in row]
        return row

    def insert_sql(self, table: str, cols: list[str], returning: bool = False) -> str:
        sql = f"INSERT INTO {table} ({', '.join(_q(c) for c in cols)}) VALUES ({', '.join([self.ph] * len(cols))})"
        return sql + (" RETURNING id" if returning else "")

    def close(self) -> None:
        self.conn.close()


def _q(col: str) -> str:
    return f'"{col}"'  # "authorization" is reserved on PostgreSQL


class Template:
    """One real order's rows as the API wrote them (raw driver values), minus ids."""

    def __init__(self, raw: Raw, order_id: int) -> None:
        self.order = raw.rows("SELECT * FROM orders WHERE id = ?", (order_id,))
        self.lines = raw.rows("SELECT * FROM line_items WHERE order_id = ? ORDER BY id", (order_id,))
        self.txs = raw.rows("SELECT * FROM transactions WHERE order_id = ? ORDER BY id", (order_id,))
        self.events = raw.rows("SELECT * FROM events WHERE subject_type = 'Order' AND subject_id = ? ORDER BY id", (order_id,))
        self.outbox = raw.rows("SELECT * FROM outbox WHERE subject_id = ? ORDER BY id", (order_id,))
        self.fulfillment_orders = raw.rows("SELECT * FROM fulfillment_orders WHERE order_id = ? ORDER BY id", (order_id,))

    @staticmethod
    def strip(cols_rows, **replace):
        cols, rows = cols_rows
        keep = [i for i, c in enumerate(cols) if c != "id"]
        out_cols = [cols[i] for i in keep]
        return out_cols, [[r[i] for i in keep] for r in rows]


def raw_create(raw: Raw, tpl: Template, n: int, number_base: int) -> float:
    """Insert n orders with the template's rows, one transaction per order. Returns seconds."""
    ocols, orows = Template.strip(tpl.order)
    lcols, lrows = Template.strip(tpl.lines)
    tcols, trows = Template.strip(tpl.txs)
    ecols, erows = Template.strip(tpl.events)
    xcols, xrows = Template.strip(tpl.outbox)
    fcols, frows = Template.strip(tpl.fulfillment_orders)
    i_num, i_tok, i_key = ocols.index("number"), ocols.index("token"), ocols.index("status_key_hash")
    f_oid = fcols.index("order_id")
    l_oid, t_oid = lcols.index("order_id"), tcols.index("order_id")
    e_sid, x_sid, x_eid = ecols.index("subject_id"), xcols.index("subject_id"), xcols.index("event_id")
    o_sql = raw.insert_sql("orders", ocols, returning=True)
    l_sql, t_sql = raw.insert_sql("line_items", lcols), raw.insert_sql("transactions", tcols)
    e_sql, x_sql = raw.insert_sql("events", ecols), raw.insert_sql("outbox", xcols)
    f_sql = raw.insert_sql("fulfillment_orders", fcols)
    cur = raw.conn.cursor()
    start = time.perf_counter()
    for i in range(n):
        raw.begin()
        orow = list(orows[0])
        orow[i_num] = -(number_base + i)  # negative: never collides with the API's max()+1 / sequence numbers
        orow[i_tok] = uuid.uuid4().hex
        orow[i_key] = uuid.uuid4().hex + uuid.uuid4().hex
        cur.execute(o_sql, orow)
        oid = cur.fetchone()[0]
        for r in lrows:
            r[l_oid] = oid
        cur.executemany(l_sql, lrows)
        if trows:
            for r in trows:
                r[t_oid] = oid
            cur.executemany(t_sql, trows)
        if frows:
            for r in frows:
                r[f_oid] = oid
            cur.executemany(f_sql, frows)
        if erows:
            for r in erows:
                r[e_sid] = oid
            cur.executemany(e_sql, erows)
        if xrows:
            for r in xrows:
                r[x_sid] = oid
                r[x_eid] = str(uuid.uuid4())
            cur.executemany(x_sql, xrows)
        raw.commit()
    return time.perf_counter() - start


def bulk_clone(raw: Raw, tpl: Template, n: int) -> float:
    """Clone the template order n times (order + lines + transactions) with driver executemany / COPY."""
    ocols, (orow,) = tpl.order[0], tpl.order[1]
    lcols, lrows = tpl.lines
    tcols, trows = tpl.txs
    cur = raw.conn.cursor()
    cur.execute("SELECT max(id), max(number) FROM orders")
    max_id, max_num = cur.fetchone()
    cur.execute("SELECT coalesce(max(id), 0) FROM line_items")
    line_id = cur.fetchone()[0]
    cur.execute("SELECT coalesce(max(id), 0) FROM transactions")
    tx_id = cur.fetchone()[0]
    i_id, i_num, i_tok = ocols.index("id"), ocols.index("number"), ocols.index("token")
    i_key = ocols.index("status_key_hash")
    i_cr = ocols.index("created_at")
    created = orow[i_cr]
    l_id, l_oid = lcols.index("id"), lcols.index("order_id")
    t_id, t_oid = tcols.index("id"), tcols.index("order_id")
    start = time.perf_counter()
    batch = 10_000
    for lo in range(0, n, batch):
        orders, lines, txs = [], [], []
        for i in range(lo, min(n, lo + batch)):
            oid = max_id + 1 + i
            r = list(orow)
            r[i_id], r[i_num], r[i_tok], r[i_key] = oid, max_num + 1 + i, f"bench{oid}", f"bench{oid}"
            # Spread creation times backwards so the list's ORDER BY created_at has real work.
            if isinstance(created, str):
                r[i_cr] = created  # SQLite stores text; keep it (ties broken by id)
            else:
                r[i_cr] = created - timedelta(seconds=i)
            orders.append(r)
            for lr in lrows:
                line_id += 1
                x = list(lr)
                x[l_id], x[l_oid] = line_id, oid
                lines.append(x)
            for tr in trows:
                tx_id += 1
                x = list(tr)
                x[t_id], x[t_oid] = tx_id, oid
                txs.append(x)
        raw.begin()
        for table, cols, rows in (("orders", ocols, orders), ("line_items", lcols, lines), ("transactions", tcols, txs)):
            if not rows:
                continue
            if raw.backend == "postgres":
                with cur.copy(f"COPY {table} ({', '.join(_q(c) for c in cols)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cur.executemany(raw.insert_sql(table, cols), rows)
        raw.commit()
    if raw.backend == "postgres":
        for table in ("orders", "line_items", "transactions"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        cur.execute("SELECT setval('order_number_seq', (SELECT max(number) FROM orders))")
        cur.execute("ANALYZE")
        raw.commit()
    else:
        raw.conn.execute("ANALYZE")
    return time.perf_counter() - start


def raw_list(raw: Raw, limit: int = 250) -> int:
    cur = raw.conn.cursor()
    cur.execute(f"SELECT * FROM orders ORDER BY created_at DESC, id DESC LIMIT {limit}")
    rows = cur.fetchall()
    ids = [r[0] for r in rows]
    marks = ", ".join([raw.ph] * len(ids))
    cur.execute(f"SELECT * FROM line_items WHERE order_id IN ({marks})", ids)
    lines = cur.fetchall()
    if raw.backend == "postgres":
        raw.conn.commit()
    return len(rows) + len(lines)


# --------------------------------------------------------------------------- real server


def server_create_rate(url: str, token: str, body: dict, n: int, threads: int) -> float:
    """Start uvicorn (1 worker) on the bench DB, POST n orders from `threads` keep-alive clients."""
    import socket
    import subprocess
    import threading

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # The per-token leaky bucket would throttle the bench to Shopify's 2 requests/s; throughput is the question here.
    env = dict(os.environ, ORDERDESK_DATABASE_URL=url, ORDERDESK_RATE_LIMIT="off")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "orderdesk.cli.server:app_factory",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
        cwd=str(Path(__file__).resolve().parents[1]),
    )
    base = f"http://127.0.0.1:{port}{BASE}"
    headers = {"X-Shopify-Access-Token": token}
    try:
        deadline = time.time() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/__ready__", timeout=1)
                break
            except httpx.TransportError:
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError("uvicorn did not start") from None
                time.sleep(0.1)
        clients = [httpx.Client(headers=headers, timeout=30) for _ in range(threads)]
        for c in clients:  # warm-up and open the keep-alive connection
            for _ in range(5):
                assert c.post(f"{base}/orders.json", json=body).status_code == 201
        per = [n // threads + (1 if i < n % threads else 0) for i in range(threads)]
        errors: list[str] = []

        def work(c, k):
            for _ in range(k):
                r = c.post(f"{base}/orders.json", json=body)
                if r.status_code != 201:
                    errors.append(r.text[:200])

        ts = [threading.Thread(target=work, args=(c, k)) for c, k in zip(clients, per)]
        t0 = time.perf_counter()
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        elapsed = time.perf_counter() - t0
        for c in clients:
            c.close()
        if errors:
            raise RuntimeError(f"{len(errors)} failed creates, first: {errors[0]}")
        return n / elapsed
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


# --------------------------------------------------------------------------- per-database run


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run(backend: str, args) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    with scratch_database(backend, PG_BENCH_DB) as (url, raw_target), bench_shop(url, SHOP) as shop:
        engine, services, client, token = shop.engine, shop.services, shop.client, shop.token
        body = {"order": order_body()}

        def create() -> dict:
            r = client.post(f"{BASE}/orders.json", json=body)
            assert r.status_code == 201, r.text
            return r.json()["order"]

        for _ in range(20):  # warm-up: compiled-statement caches, pool, shop cache
            first = create()

        # --- statements per request
        with StatementCounter(engine) as sc:
            created = create()
        create_stmts, create_list = sc.count, list(sc.statements)
        with StatementCounter(engine) as sc:
            r = client.get(f"{BASE}/orders/{created['id']}.json")
            assert r.status_code == 200
        get_stmts, get_list = sc.count, list(sc.statements)

        # --- API create rate vs raw driver baseline (same rows), interleaved in 5 rounds so
        # that background load on the shared 2 cores hits both sides alike.
        n = args.orders
        raw = Raw(backend, raw_target)
        tpl = Template(raw, first["id"])
        raw_create(raw, tpl, 20, number_base=50_000_000)  # warm-up
        api_s = raw_s = 0.0
        rounds, done = 5, 0
        for k in range(rounds):
            chunk = n // rounds + (1 if k < n % rounds else 0)
            t0 = time.perf_counter()
            for _ in range(chunk):
                create()
            api_s += time.perf_counter() - t0
            raw_s += raw_create(raw, tpl, chunk, number_base=60_000_000 + done)
            done += chunk
        api_rate, raw_rate = n / api_s, n / raw_s
        ratio = api_rate / raw_rate

        # --- TestClient floor: a request that never reaches a route (404 in the router)
        t0 = time.perf_counter()
        for _ in range(200):
            client.get("/__bench_nothing__")
        floor_ms = 1000 * (time.perf_counter() - t0) / 200

        # --- real server: uvicorn subprocess, httpx keep-alive clients in threads
        srv_rate = None
        if args.threads:
            srv_rate = server_create_rate(url, token, body, n, args.threads)
            # compare with a raw rate taken right after, not minutes earlier
            srv_raw_rate = (n // 2) / raw_create(raw, tpl, n // 2, number_base=70_000_000)

        prof_text = None
        if args.profile:
            # The TestClient runs the app in other threads, which cProfile does not see, so profile
            # the route's work directly in this thread: auth lookup, validation, service, rendering.
            from starlette.responses import JSONResponse

            from orderdesk.api.routes import orders as routes
            from orderdesk.db.repositories import TokenRepository
            from orderdesk.representation.orders import order_json
            from orderdesk.schemas.orders import OrderCreate, new_order
            from orderdesk.services import orders as order_service

            def direct() -> None:
                with services.db.reading() as uow:
                    TokenRepository(uow.conn).find(token)
                data = OrderCreate.model_validate(body["order"])
                order = order_service.create_order(services, new_order(data, services.shop()))
                JSONResponse({"order": order_json(order, services.shop())}, status_code=201)

            assert routes  # the route does exactly the above plus Depends/json_body
            prof = cProfile.Profile()
            prof.enable()
            for _ in range(200):
                direct()
            prof.disable()
            import io

            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(35)
            buf.write("\n--- by tottime ---\n")
            pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(25)
            prof_text = buf.getvalue()

        # --- list 250 with a big table
        load_s = bulk_clone(raw, tpl, args.big)
        with engine.connect() as conn:
            total = conn.execute(text("SELECT count(*) FROM orders")).scalar_one()

        def api_list() -> None:
            r = client.get(f"{BASE}/orders.json", params={"limit": 250, "status": "any"})
            assert r.status_code == 200 and len(r.json()["orders"]) == 250

        api_list()
        raw_list(raw)
        with StatementCounter(engine) as sc:
            api_list()
        list_stmts = sc.count
        api_list_s = median_time(api_list, args.repeat)
        if args.profile:
            from orderdesk.db import queries
            from orderdesk.db.queries import OrderFilter

            def direct_list() -> None:
                with services.db.reading() as uow:
                    orders, _ = queries.list_orders(uow.conn, OrderFilter(status="any"), limit=250)
                shop = services.shop()
                JSONResponse({"orders": [order_json(o, shop) for o in orders]})

            import io

            prof = cProfile.Profile()
            prof.enable()
            for _ in range(5):
                direct_list()
            prof.disable()
            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(30)
            print(f"\n[{backend}] cProfile of 5 list calls (limit=250):\n{buf.getvalue()}")
        raw_list_s = median_time(lambda: raw_list(raw), args.repeat)
        raw.close()

        ok = lambda good: "met" if good else "MISSED"  # noqa: E731
        rows += [
            ("API create (TestClient, 1 thread)", f"{api_rate:,.0f} orders/s", f"{1000 * api_s / n:.2f} ms/order", ""),
            *(
                [
                    (
                        f"API create (uvicorn, {args.threads} threads)",
                        f"{srv_rate:,.0f} orders/s",
                        f"ratio {srv_rate / srv_raw_rate:.3f} (raw {srv_raw_rate:,.0f}/s)",
                        ok(srv_rate / srv_raw_rate >= TARGETS["ratio"]),
                    )
                ]
                if srv_rate
                else []
            ),
            ("TestClient floor (404, no DB)", f"{floor_ms:.2f} ms/request", "", ""),
            ("raw driver create, 1 txn/order", f"{raw_rate:,.0f} orders/s", f"{1000 * raw_s / n:.2f} ms/order", ""),
            ("ratio API(TestClient)/raw", f"{ratio:.3f}", f"target >= {TARGETS['ratio']}", ok(ratio >= TARGETS["ratio"])),
            (
                "SQL statements / create",
                str(create_stmts),
                f"target <= {TARGETS['create_stmts']}",
                ok(create_stmts <= TARGETS["create_stmts"]),
            ),
            ("SQL statements / GET order", str(get_stmts), f"target <= {TARGETS['get_stmts']}", ok(get_stmts <= TARGETS["get_stmts"])),
            (f"bulk load {args.big:,} orders (+lines, txs)", f"{load_s:.1f} s", f"{args.big / load_s:,.0f} orders/s", ""),
            (f"GET orders.json limit=250 ({total:,} rows)", f"{1000 * api_list_s:.1f} ms", f"{list_stmts} statements", ""),
            ("raw SELECT 250 orders + lines", f"{1000 * raw_list_s:.1f} ms", "", ""),
            ("ratio list API/raw", f"{api_list_s / raw_list_s:.1f}x slower", "", ""),
        ]
        if args.verbose:
            print_statements(f"\n[{backend}] statements for one POST /orders.json:", create_list)
            print_statements(f"[{backend}] statements for one GET /orders/{{id}}.json:", get_list)
        if prof_text:
            print(f"\n[{backend}] cProfile of 200 API creates:\n{prof_text}")
    return rows


def main() -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--orders", type=int, default=500, help="orders to create per measurement (API and raw)")
    p.add_argument("--big", type=int, default=100_000, help="orders in the table for the list test")
    p.add_argument("--repeat", type=int, default=7, help="list timings: median of this many")
    p.add_argument("--threads", type=int, default=4, help="client threads against a uvicorn subprocess (0: skip)")
    p.add_argument("--profile", action="store_true", help="cProfile 200 API creates")
    args = p.parse_args()
    return run_all("bench", args, run, f"orders={args.orders} big={args.big}")


if __name__ == "__main__":
    raise SystemExit(main())
