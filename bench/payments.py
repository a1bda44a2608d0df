"""Payment benchmarks: API capture rate vs a raw-driver capture, statements per capture and per refund.

Run:  python bench/payments.py [--db sqlite|postgres|all] [-n N] [-v]

Like bench/orders.py, the API is driven in-process through fastapi.testclient.TestClient (one client,
one thread), so a real server's HTTP parsing/socket cost is NOT included; routing, auth, validation,
the payment service (row lock, ledger, gateway), SQL and JSON rendering are.

PostgreSQL: a dedicated database ``orderdesk_bench_pay`` is created on the server at
ORDERDESK_BENCH_PG (default postgresql://postgres@127.0.0.1:5432, connecting to ``test`` only to
CREATE/DROP it) and dropped afterwards. The ``test`` database's public schema is never touched.
"""

from __future__ import annotations

import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


from bench.harness import BASE, bench_shop, parser, print_statements, run_all, scratch_database
from bench.orders import SHOP, Raw, Template, order_body
from orderdesk.db.engine import StatementCounter

PG_BENCH_DB = "orderdesk_bench_pay"


# --------------------------------------------------------------------------- raw driver capture


class CaptureTemplate:
    """The rows one real API capture wrote (capture transaction, timeline event, outbox rows), minus ids."""

    def __init__(self, raw: Raw, order_id: int, outbox_after: int) -> None:
        self.tx = Template.strip(raw.rows("SELECT * FROM transactions WHERE order_id = ? AND kind = 'capture' ORDER BY id", (order_id,)))
        self.event = Template.strip(
            raw.rows("SELECT * FROM events WHERE subject_type = 'Order' AND subject_id = ? ORDER BY id DESC LIMIT 1", (order_id,))
        )
        self.outbox = Template.strip(raw.rows("SELECT * FROM outbox WHERE subject_id = ? AND id > ? ORDER BY id", (order_id, outbox_after)))
        cols, rows = raw.rows("SELECT financial_status, updated_at FROM orders WHERE id = ?", (order_id,))
        self.financial_status, self.updated_at = rows[0]
        assert self.tx[1] and self.event[1] and self.outbox[1], "the template capture wrote no rows?"


def raw_capture(raw: Raw, tpl: CaptureTemplate, order_ids: list[int]) -> float:
    """Capture the open authorization of each order, one transaction per order. Returns seconds.

    Per order: lock the order row (FOR UPDATE on PostgreSQL; BEGIN IMMEDIATE on SQLite), select its
    transactions, compute what is left on the authorization, insert the capture transaction, the
    timeline event and the outbox rows, update financial_status/updated_at, commit.
    """
    tcols, (trow,) = tpl.tx
    ecols, (erow,) = tpl.event
    xcols, xrows = tpl.outbox
    t_oid, t_pid = tcols.index("order_id"), tcols.index("parent_id")
    t_amt, t_amtp = tcols.index("amount"), tcols.index("amount_presentment")
    e_sid = ecols.index("subject_id")
    x_sid, x_eid = xcols.index("subject_id"), xcols.index("event_id")
    as_db = type(trow[t_amt])  # str on SQLite (ExactDecimal), Decimal on PostgreSQL
    lock = "SELECT id, financial_status FROM orders WHERE id = ?" + (" FOR UPDATE" if raw.backend == "postgres" else "")
    lock, sel = (
        lock.replace("?", raw.ph),
        f"SELECT id, kind, status, amount, amount_presentment, parent_id FROM transactions WHERE order_id = {raw.ph}",
    )
    t_sql, e_sql, x_sql = raw.insert_sql("transactions", tcols), raw.insert_sql("events", ecols), raw.insert_sql("outbox", xcols)
    u_sql = f"UPDATE orders SET financial_status = {raw.ph}, updated_at = {raw.ph} WHERE id = {raw.ph}"
    cur = raw.conn.cursor()
    start = time.perf_counter()
    for oid in order_ids:
        raw.begin()
        cur.execute(lock, (oid,))
        assert cur.fetchone()[1] == "authorized"
        cur.execute(sel, (oid,))
        txs = cur.fetchall()
        auth = next(t for t in txs if t[1] == "authorization" and t[2] == "success")
        done = sum((Decimal(str(t[4])) for t in txs if t[1] == "capture" and t[2] == "success" and t[5] == auth[0]), Decimal(0))
        left = Decimal(str(auth[4])) - done
        row = list(trow)
        row[t_oid], row[t_pid], row[t_amt], row[t_amtp] = oid, auth[0], as_db(left), as_db(left)
        cur.execute(t_sql, row)
        ev = list(erow)
        ev[e_sid] = oid
        cur.execute(e_sql, ev)
        out = []
        for x in xrows:
            x = list(x)
            x[x_sid], x[x_eid] = oid, str(uuid.uuid4())
            out.append(x)
        cur.executemany(x_sql, out)
        cur.execute(u_sql, (tpl.financial_status, tpl.updated_at, oid))
        raw.commit()
    return time.perf_counter() - start


# --------------------------------------------------------------------------- per-database run


def run(backend: str, args) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    with scratch_database(backend, PG_BENCH_DB) as (url, raw_target), bench_shop(url, SHOP) as shop:
        engine, client = shop.engine, shop.client
        body = {"order": {**order_body(), "financial_status": "authorized"}}

        def create() -> dict:
            r = client.post(f"{BASE}/orders.json", json=body)
            assert r.status_code == 201, r.text
            order = r.json()["order"]
            assert order["financial_status"] == "authorized", order["financial_status"]
            return order

        def capture(oid: int) -> dict:
            r = client.post(f"{BASE}/orders/{oid}/transactions.json", json={"transaction": {"kind": "capture"}})
            assert r.status_code == 201, r.text
            tx = r.json()["transaction"]
            assert tx["status"] == "success", tx
            return tx

        def refund(order: dict, capture_id: int) -> dict:
            r = client.post(
                f"{BASE}/orders/{order['id']}/refunds.json",
                json={
                    "refund": {
                        "refund_line_items": [{"line_item_id": order["line_items"][0]["id"], "quantity": 1}],
                        "transactions": [{"parent_id": capture_id, "amount": "10.00", "kind": "refund"}],
                    }
                },
            )
            assert r.status_code == 201, r.text
            return r.json()["refund"]

        # --- prepare: 2N authorized orders (N for the API, N for the raw baseline) + warm-up/template ones
        n, warm = args.n, 10
        t0 = time.perf_counter()
        orders = [create() for _ in range(2 * n + warm + 3)]
        prep_s = time.perf_counter() - t0
        api_orders, raw_ids = orders[:n], [o["id"] for o in orders[n : 2 * n]]
        spare = orders[2 * n :]

        for o in spare[:warm]:  # warm-up captures and refunds: statement caches, pool, shop cache
            refund(o, capture(o["id"])["id"])

        # --- statements per capture / per refund (BEGIN/COMMIT excluded by StatementCounter)
        counted = spare[warm]
        with StatementCounter(engine) as sc:
            cap = capture(counted["id"])
        capture_stmts, capture_list = sc.count, list(sc.statements)
        status_after_capture = client.get(f"{BASE}/orders/{counted['id']}.json").json()["order"]["financial_status"]
        with StatementCounter(engine) as sc:
            refund(counted, cap["id"])
        refund_stmts, refund_list = sc.count, list(sc.statements)
        status_after_refund = client.get(f"{BASE}/orders/{counted['id']}.json").json()["order"]["financial_status"]

        # --- raw template: what one API capture wrote
        raw = Raw(backend, raw_target)
        tpl_order = spare[warm + 1]
        _, ((outbox_max,),) = raw.rows("SELECT coalesce(max(id), 0) FROM outbox")
        capture(tpl_order["id"])
        tpl = CaptureTemplate(raw, tpl_order["id"], outbox_max)
        raw_capture(raw, tpl, [spare[warm + 2]["id"]])  # warm-up

        # --- API capture rate vs raw, interleaved in 5 rounds (background load hits both alike)
        api_s = raw_s = 0.0
        rounds, done = 5, 0
        captures: list[tuple[dict, int]] = []
        for k in range(rounds):
            chunk = n // rounds + (1 if k < n % rounds else 0)
            t0 = time.perf_counter()
            for o in api_orders[done : done + chunk]:
                captures.append((o, capture(o["id"])["id"]))
            api_s += time.perf_counter() - t0
            raw_s += raw_capture(raw, tpl, raw_ids[done : done + chunk])
            done += chunk
        api_rate, raw_rate = n / api_s, n / raw_s
        ratio = api_rate / raw_rate

        # both sides left the same state behind
        _, fs = raw.rows(
            f"SELECT financial_status, count(*) FROM orders WHERE id IN ({', '.join(str(i) for i in raw_ids + [o['id'] for o in api_orders])}) GROUP BY financial_status"
        )
        assert [tuple(r) for r in fs] == [("paid", 2 * n)], fs
        _, ((raw_caps,),) = raw.rows(
            f"SELECT count(*) FROM transactions WHERE kind = 'capture' AND order_id IN ({', '.join(str(i) for i in raw_ids)})"
        )
        assert raw_caps == n

        # --- API refund rate (no raw baseline): one line + one refund transaction per captured order
        t0 = time.perf_counter()
        for o, cid in captures:
            refund(o, cid)
        refund_s = time.perf_counter() - t0
        raw.close()

        rows += [
            ("prepare: API create (authorized)", f"{len(orders) / prep_s:,.0f} orders/s", f"{len(orders)} orders", ""),
            ("API capture (TestClient, 1 thread)", f"{api_rate:,.0f} captures/s", f"{1000 * api_s / n:.2f} ms/capture", ""),
            ("raw driver capture, 1 txn/order", f"{raw_rate:,.0f} captures/s", f"{1000 * raw_s / n:.2f} ms/capture", ""),
            ("ratio API(TestClient)/raw", f"{ratio:.3f}", f"raw is {1 / ratio:,.0f}x faster", ""),
            ("API refund (1 line + 1 transaction)", f"{n / refund_s:,.0f} refunds/s", f"{1000 * refund_s / n:.2f} ms/refund", ""),
            ("SQL statements / capture", str(capture_stmts), "raw baseline: 6", ""),
            ("SQL statements / refund", str(refund_stmts), "", ""),
            ("financial_status after capture/refund", f"{status_after_capture} / {status_after_refund}", "", ""),
        ]
        if args.verbose:
            print_statements(f"\n[{backend}] statements for one POST /orders/{{id}}/transactions.json (kind capture):", capture_list)
            print_statements(f"[{backend}] statements for one POST /orders/{{id}}/refunds.json (1 line, 1 transaction):", refund_list)
            print(
                f"[{backend}] raw capture template: 1 transaction, 1 event, {len(tpl.outbox[1])} outbox rows "
                f"({', '.join(str(r[tpl.outbox[0].index('topic')]) for r in tpl.outbox[1])})"
            )
    return rows


def main() -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("-n", type=int, default=300, help="captures per side (API and raw); 2N+13 orders are prepared")
    args = p.parse_args()
    return run_all("payments bench", args, run, f"n={args.n}")


if __name__ == "__main__":
    raise SystemExit(main())
