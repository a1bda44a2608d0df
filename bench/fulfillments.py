"""Fulfillment benchmarks: API fulfillment rate vs a raw-driver fulfillment, statements per create and per cancel.

Run:  python bench/fulfillments.py [--db sqlite|postgres|all] [-n N] [-v]

Like bench/orders.py and bench/payments.py, the API is driven in-process through
fastapi.testclient.TestClient (one client, one thread), so a real server's HTTP parsing/socket cost is
NOT included; routing, auth, validation, the fulfillment service (order row lock, fulfillment orders,
inventory, outbox), SQL and JSON rendering are.

PostgreSQL: a dedicated database ``orderdesk_bench_ful`` is created on the server at
ORDERDESK_BENCH_PG (default postgresql://postgres@127.0.0.1:5432, connecting to ``test`` only to
CREATE/DROP it) and dropped afterwards. The ``test`` database's public schema is never touched.
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


from bench.harness import BASE, bench_shop, parser, print_statements, run_all, scratch_database
from bench.orders import SHOP, Raw, Template, order_body
from orderdesk.db.engine import StatementCounter

PG_BENCH_DB = "orderdesk_bench_ful"


# --------------------------------------------------------------------------- raw driver fulfillment


class FulfillmentTemplate:
    """The rows one real API fulfillment wrote (fulfillment, timeline event(s), outbox rows), minus ids."""

    def __init__(self, raw: Raw, order_id: int, event_after: int, outbox_after: int) -> None:
        self.ful = Template.strip(raw.rows("SELECT * FROM fulfillments WHERE order_id = ? ORDER BY id", (order_id,)))
        self.events = Template.strip(
            raw.rows("SELECT * FROM events WHERE subject_type = 'Order' AND subject_id = ? AND id > ? ORDER BY id", (order_id, event_after))
        )
        self.outbox = Template.strip(raw.rows("SELECT * FROM outbox WHERE subject_id = ? AND id > ? ORDER BY id", (order_id, outbox_after)))
        _, rows = raw.rows("SELECT fulfillment_status, fulfillment_count, updated_at FROM orders WHERE id = ?", (order_id,))
        self.fulfillment_status, self.fulfillment_count, self.updated_at = rows[0]
        _, rows = raw.rows("SELECT status, updated_at FROM fulfillment_orders WHERE order_id = ?", (order_id,))
        ((self.fo_status, self.fo_updated_at),) = rows
        assert len(self.ful[1]) == 1 and self.events[1] and self.outbox[1], "the template fulfillment wrote no rows?"
        _, ((prefix, number, offset, suffix, custom),) = raw.rows(
            "SELECT name_prefix, number, order_number_offset, name_suffix, custom_name FROM orders WHERE id = ?", (order_id,)
        )
        assert order_name(prefix, number, offset, suffix, custom) + ".1" == self.ful[1][0][self.ful[0].index("name")], "order name rule"


def order_name(prefix, number, offset, suffix, custom) -> str:
    """As orderdesk.db.mapping builds Order.name: custom_name, else prefix + (number + offset) + suffix."""
    return custom or f"{prefix}{number + offset}{suffix}"


def raw_fulfill(raw: Raw, tpl: FulfillmentTemplate, order_ids: list[int]) -> float:
    """Ship everything on each order's single fulfillment order, one transaction per order. Returns seconds.

    Per order: lock the order row (FOR UPDATE on PostgreSQL; BEGIN IMMEDIATE on SQLite), read the
    fulfillment order row, mark its lines fulfilled (lines JSON) and set its status/updated_at, insert the
    fulfillment row (name, quantities), the timeline event(s) and the outbox rows, update the order's
    fulfillment_status/fulfillment_count/updated_at, commit.
    """
    fcols, (frow,) = tpl.ful
    ecols, erows = tpl.events
    xcols, xrows = tpl.outbox
    f_oid, f_name, f_qty, f_foid = (fcols.index(c) for c in ("order_id", "name", "quantities", "fulfillment_order_id"))
    e_sid = ecols.index("subject_id")
    x_sid, x_eid = xcols.index("subject_id"), xcols.index("event_id")
    pg = raw.backend == "postgres"
    if pg:
        from psycopg.types.json import Jsonb

        to_db, from_db = Jsonb, (lambda v: v)
    else:
        to_db, from_db = json.dumps, json.loads
    ph = raw.ph
    lock = (
        f"SELECT id, fulfillment_status, fulfillment_count, name_prefix, number, order_number_offset, name_suffix, custom_name FROM orders WHERE id = {ph}"
        + (" FOR UPDATE" if pg else "")
    )
    sel = f"SELECT id, status, lines FROM fulfillment_orders WHERE order_id = {ph} ORDER BY id"
    fo_upd = f"UPDATE fulfillment_orders SET lines = {ph}, status = {ph}, updated_at = {ph} WHERE id = {ph}"
    f_sql, e_sql, x_sql = raw.insert_sql("fulfillments", fcols), raw.insert_sql("events", ecols), raw.insert_sql("outbox", xcols)
    o_upd = f"UPDATE orders SET fulfillment_status = {ph}, fulfillment_count = {ph}, updated_at = {ph} WHERE id = {ph}"
    cur = raw.conn.cursor()
    start = time.perf_counter()
    for oid in order_ids:
        raw.begin()
        cur.execute(lock, (oid,))
        _, status, count, prefix, number, offset, suffix, custom = cur.fetchone()
        assert status is None and not count, (oid, status, count)
        cur.execute(sel, (oid,))
        ((fo_id, fo_status, lines),) = cur.fetchall()
        assert fo_status == "open", fo_status
        lines = from_db(lines)
        quantities: dict[str, int] = {}
        for line in lines:
            left = line["quantity"] - line["fulfilled"]
            if left:
                quantities[str(line["line_item_id"])] = quantities.get(str(line["line_item_id"]), 0) + left
                line["fulfilled"] = line["quantity"]
        cur.execute(fo_upd, (to_db(lines), tpl.fo_status, tpl.fo_updated_at, fo_id))
        row = list(frow)
        row[f_oid], row[f_name], row[f_qty], row[f_foid] = (
            oid,
            f"{order_name(prefix, number, offset, suffix, custom)}.{count + 1}",
            to_db(quantities),
            fo_id,
        )
        cur.execute(f_sql, row)
        evs = []
        for e in erows:
            e = list(e)
            e[e_sid] = oid
            evs.append(e)
        cur.executemany(e_sql, evs)
        out = []
        for x in xrows:
            x = list(x)
            x[x_sid], x[x_eid] = oid, str(uuid.uuid4())
            out.append(x)
        cur.executemany(x_sql, out)
        cur.execute(o_upd, (tpl.fulfillment_status, count + 1, tpl.updated_at, oid))
        raw.commit()
    return time.perf_counter() - start


# --------------------------------------------------------------------------- per-database run


def run(backend: str, args) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    with scratch_database(backend, PG_BENCH_DB) as (url, raw_target), bench_shop(url, SHOP) as shop:
        engine, client = shop.engine, shop.client
        body = {"order": {**order_body(), "financial_status": "paid"}}

        def create() -> tuple[int, dict]:
            """A paid order with 2 line items, and its single (open) fulfillment order."""
            r = client.post(f"{BASE}/orders.json", json=body)
            assert r.status_code == 201, r.text
            order = r.json()["order"]
            assert order["financial_status"] == "paid" and len(order["line_items"]) == 2, order["financial_status"]
            r = client.get(f"{BASE}/orders/{order['id']}/fulfillment_orders.json")
            assert r.status_code == 200, r.text
            fos = r.json()["fulfillment_orders"]
            assert len(fos) == 1 and fos[0]["status"] == "open" and len(fos[0]["line_items"]) == 2, fos
            return order["id"], fos[0]

        def fulfill(fo: dict) -> dict:
            r = client.post(
                f"{BASE}/fulfillments.json",
                json={
                    "fulfillment": {
                        "line_items_by_fulfillment_order": [
                            {
                                "fulfillment_order_id": fo["id"],
                                "fulfillment_order_line_items": [
                                    {"id": li["id"], "quantity": li["fulfillable_quantity"]} for li in fo["line_items"]
                                ],
                            }
                        ]
                    }
                },
            )
            assert r.status_code == 201, r.text
            f = r.json()["fulfillment"]
            assert f["status"] == "success", f
            return f

        def cancel(fid: int) -> dict:
            r = client.post(f"{BASE}/fulfillments/{fid}/cancel.json")
            assert r.status_code == 200, r.text
            f = r.json()["fulfillment"]
            assert f["status"] == "cancelled", f
            return f

        def fulfillment_status(oid: int) -> str | None:
            return client.get(f"{BASE}/orders/{oid}.json").json()["order"]["fulfillment_status"]

        # --- prepare: 2N paid orders (N for the API, N for the raw baseline) + warm-up/template ones
        n, warm = args.n, 10
        t0 = time.perf_counter()
        orders = [create() for _ in range(2 * n + warm + 3)]
        prep_s = time.perf_counter() - t0
        api_orders, raw_ids = orders[:n], [oid for oid, _ in orders[n : 2 * n]]
        spare = orders[2 * n :]

        for _, fo in spare[:warm]:  # warm-up fulfillments and cancels: statement caches, pool, shop cache
            cancel(fulfill(fo)["id"])

        # --- statements per fulfillment create / cancel (BEGIN/COMMIT excluded by StatementCounter)
        counted_oid, counted_fo = spare[warm]
        with StatementCounter(engine) as sc:
            f = fulfill(counted_fo)
        create_stmts, create_list = sc.count, list(sc.statements)
        status_after_create = fulfillment_status(counted_oid)
        with StatementCounter(engine) as sc:
            cancel(f["id"])
        cancel_stmts, cancel_list = sc.count, list(sc.statements)
        status_after_cancel = fulfillment_status(counted_oid)

        # --- raw template: what one API fulfillment wrote
        raw = Raw(backend, raw_target)
        tpl_oid, tpl_fo = spare[warm + 1]
        _, ((event_max, outbox_max),) = raw.rows(
            "SELECT (SELECT coalesce(max(id), 0) FROM events), (SELECT coalesce(max(id), 0) FROM outbox)"
        )
        fulfill(tpl_fo)
        tpl = FulfillmentTemplate(raw, tpl_oid, event_max, outbox_max)
        raw_fulfill(raw, tpl, [spare[warm + 2][0]])  # warm-up

        # --- API fulfillment rate vs raw, interleaved in 5 rounds (background load hits both alike)
        api_s = raw_s = 0.0
        rounds, done = 5, 0
        made: list[int] = []
        for k in range(rounds):
            chunk = n // rounds + (1 if k < n % rounds else 0)
            t0 = time.perf_counter()
            for _, fo in api_orders[done : done + chunk]:
                made.append(fulfill(fo)["id"])
            api_s += time.perf_counter() - t0
            raw_s += raw_fulfill(raw, tpl, raw_ids[done : done + chunk])
            done += chunk
        api_rate, raw_rate = n / api_s, n / raw_s
        ratio = api_rate / raw_rate

        # both sides left the same state behind (order status/count, fulfillment order status, one fulfillment each)
        ids = ", ".join(str(i) for i in raw_ids + [oid for oid, _ in api_orders])
        _, fs = raw.rows(
            f"SELECT fulfillment_status, fulfillment_count, count(*) FROM orders WHERE id IN ({ids}) GROUP BY fulfillment_status, fulfillment_count"
        )
        assert [tuple(r) for r in fs] == [("fulfilled", 1, 2 * n)], fs
        _, fs = raw.rows(f"SELECT status, count(*) FROM fulfillment_orders WHERE order_id IN ({ids}) GROUP BY status")
        assert [tuple(r) for r in fs] == [(tpl.fo_status, 2 * n)], fs
        _, ((fuls,),) = raw.rows(f"SELECT count(*) FROM fulfillments WHERE status = 'success' AND order_id IN ({ids})")
        assert fuls == 2 * n, fuls
        # the raw side's rows read back through the API like the API's own
        probe = client.get(f"{BASE}/orders/{raw_ids[0]}/fulfillments.json")
        assert probe.status_code == 200 and len(probe.json()["fulfillments"]) == 1, probe.text
        assert fulfillment_status(raw_ids[0]) == "fulfilled"

        # --- API cancel rate (no raw baseline): mark each API fulfillment as unfulfilled
        t0 = time.perf_counter()
        for fid in made:
            cancel(fid)
        cancel_s = time.perf_counter() - t0
        raw.close()

        rows += [
            ("prepare: API create (paid) + GET FOs", f"{len(orders) / prep_s:,.0f} orders/s", f"{len(orders)} orders", ""),
            ("API fulfill (TestClient, 1 thread)", f"{api_rate:,.0f} fulfillments/s", f"{1000 * api_s / n:.2f} ms/fulfillment", ""),
            ("raw driver fulfill, 1 txn/order", f"{raw_rate:,.0f} fulfillments/s", f"{1000 * raw_s / n:.2f} ms/fulfillment", ""),
            ("ratio API(TestClient)/raw", f"{ratio:.3f}", f"raw is {1 / ratio:,.0f}x faster", ""),
            ("API cancel fulfillment", f"{n / cancel_s:,.0f} cancels/s", f"{1000 * cancel_s / n:.2f} ms/cancel", ""),
            ("SQL statements / fulfillment create", str(create_stmts), f"raw baseline: {5 + len(tpl.events[1]) + len(tpl.outbox[1])}", ""),
            ("SQL statements / fulfillment cancel", str(cancel_stmts), "", ""),
            ("fulfillment_status after create/cancel", f"{status_after_create} / {status_after_cancel}", "", ""),
        ]
        if args.verbose:
            print_statements(f"\n[{backend}] statements for one POST /fulfillments.json (1 fulfillment order, 2 lines):", create_list)
            print_statements(f"[{backend}] statements for one POST /fulfillments/{{id}}/cancel.json:", cancel_list)
            print(
                f"[{backend}] raw fulfillment template: 1 fulfillment, {len(tpl.events[1])} event(s), {len(tpl.outbox[1])} outbox rows "
                f"({', '.join(str(r[tpl.outbox[0].index('topic')]) for r in tpl.outbox[1])})"
            )
    return rows


def main() -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("-n", type=int, default=300, help="fulfillments per side (API and raw); 2N+13 orders are prepared")
    args = p.parse_args()
    return run_all("fulfillments bench", args, run, f"n={args.n}")


if __name__ == "__main__":
    raise SystemExit(main())
