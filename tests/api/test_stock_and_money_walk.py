"""A model-based random walk over an order's life, against the real API and database.

Hypothesis drives orders (deny, continue and untracked items over three locations, every
inventory behaviour), authorizations, captures, voids, refunds with each restock type (with and
without a location, with a fee kept), cancels with and without restock, holds and releases,
fulfilments (whole and partial) and their cancellation, moves (whole and partial) and inventory
adjustments. A small model says what the stock must be; after every step:

* per item and location, available and committed are what the model says, and every unit
  committed to an order waits at the location of the live fulfillment order that will ship it;
* no deny item goes below zero unless an order placed ignoring the policy (or an adjustment) took it there;
* money never runs ahead: refunded <= captured + sales, captured <= authorized, per parent too;
* the stored statuses are the pure derivations;
* an order with nothing left (every line refunded, no shipping to pay) owes nothing, and the
  diagnosis never calls it unpaid.

The walk is derandomized (the same steps on every run; a failure prints them, and the blob
that replays it). 15 examples of 50 steps: the 750 steps of the probe that found the defects
in tests/api/test_stock_follows_moves.py and tests/api/test_refund_fees.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test
from sqlalchemy import select

from orderdesk.db import tables as t
from orderdesk.domain import diagnosis, status
from orderdesk.domain.fulfillment_order_rules import LIVE
from orderdesk.services import inventory

BASE = "/admin/api/2024-10"
WALK = settings(
    max_examples=20,
    stateful_step_count=50,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=list(HealthCheck),
    # No shrinking: each step goes through the API, and a failure's steps (and the blob that
    # replays them) are printed as found, so CI stays within its minute.
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
)
FEES = (None, None, Decimal("1.00"), Decimal("3.57"))


@dataclass
class Item:
    variant_id: int
    item_id: int
    policy: str
    tracked: bool
    forced: bool = False  # a deny item taken below zero on purpose (ignoring policy, or an adjustment)


@dataclass
class Line:
    id: int
    item: Item
    quantity: int
    home: int | None  # where its stock was committed; None: it holds no stock (bypass, untracked)
    waiting: dict[int, int]  # unshipped units the order still offers, by location
    refunded: int = 0
    returned: int = 0

    @property
    def tracked(self) -> bool:
        return self.home is not None


@dataclass
class Shipment:
    id: int
    location: int
    quantities: dict[int, int]
    live: bool = True


@dataclass
class Order:
    id: int
    lines: dict[int, Line]
    shipping: bool
    shipping_refunded: bool = False
    cancelled: bool = False
    refunded_shipped: bool = False  # a refund counted against shipped units (no unshipping after it)
    shipments: list[Shipment] = field(default_factory=list)

    @property
    def nothing_left(self) -> bool:
        return all(line.refunded == line.quantity for line in self.lines.values()) and (not self.shipping or self.shipping_refunded)


def _add(bucket: dict[int, int], key: int, qty: int) -> None:
    bucket[key] = bucket.get(key, 0) + qty
    if bucket[key] == 0:
        del bucket[key]


class Walk(RuleBasedStateMachine):
    """Bound to one test's API client and services by ``bind`` before it runs."""

    api = None
    services = None
    locations: list[int] = []

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Item] = []
        self.stock: dict[tuple[int, int], list[int]] = {}
        self.orders: list[Order] = []
        self.touched: set[int] = set()

    # --- setup -------------------------------------------------------------------------

    @initialize(data=st.data())
    def stock_items(self, data):
        for policy, tracked in (("deny", True), ("deny", True), ("continue", True), ("deny", False)):
            product = self.api.post(
                f"{BASE}/products.json",
                json={
                    "product": {
                        "title": f"{policy} item",
                        "variants": [
                            {
                                "title": "Default Title",
                                "price": "10.00",
                                "inventory_policy": policy,
                                "inventory_management": "shopify" if tracked else None,
                            }
                        ],
                    }
                },
            )
            assert product.status_code == 201, product.text
            variant = product.json()["product"]["variants"][0]
            item = Item(variant["id"], variant["inventory_item_id"], policy, tracked)
            self.items.append(item)
            for location in self.locations:
                qty = data.draw(st.integers(0, 6), label="stock") if tracked else 0
                self.stock[(item.item_id, location)] = [qty, 0]
                if qty:
                    r = self.api.post(
                        f"{BASE}/inventory_levels/set.json",
                        json={"location_id": location, "inventory_item_id": item.item_id, "available": qty},
                    )
                    assert r.status_code == 200, r.text

    # --- helpers -----------------------------------------------------------------------

    def _live_units(self, order_id: int) -> dict[tuple[int, int], int]:
        """(line id, location) -> units live fulfillment orders offer."""
        with self.services.db.reading() as uow:
            order = uow.orders.get(order_id, created_since=None, fulfillment_orders=True)
        units: dict[tuple[int, int], int] = {}
        for fo in order.fulfillment_orders:
            if fo.status in LIVE:
                for fl in fo.lines:
                    if fl.fulfillable_quantity:
                        key = (fl.line_item_id, fo.assigned_location_id)
                        units[key] = units.get(key, 0) + fl.fulfillable_quantity
        return units

    def _fos(self, order_id: int) -> list[dict]:
        return self.api.get(f"{BASE}/orders/{order_id}/fulfillment_orders.json").json()["fulfillment_orders"]

    def _move_stock(self, item: Item, location: int, available: int = 0, committed: int = 0) -> None:
        level = self.stock[(item.item_id, location)]
        level[0] += available
        level[1] += committed
        if item.policy == "deny" and level[0] < 0:
            item.forced = True

    def _transactions(self, order_id: int) -> list[dict]:
        return self.api.get(f"{BASE}/orders/{order_id}/transactions.json").json()["transactions"]

    def _open_authorizations(self, order_id: int) -> list[tuple[dict, Decimal]]:
        txs = [tx for tx in self._transactions(order_id) if tx["status"] == "success"]
        voided = {tx["parent_id"] for tx in txs if tx["kind"] == "void"}
        out = []
        for auth in txs:
            if auth["kind"] != "authorization" or auth["id"] in voided:
                continue
            captured = sum((Decimal(tx["amount"]) for tx in txs if tx["kind"] == "capture" and tx["parent_id"] == auth["id"]), Decimal(0))
            left = Decimal(auth["amount"]) - captured
            if left > 0:
                out.append((auth, left))
        return out

    # --- orders and money --------------------------------------------------------------

    @rule(data=st.data())
    def create_order(self, data):
        picks = data.draw(st.lists(st.sampled_from(range(len(self.items))), min_size=1, max_size=2, unique=True), label="items")
        quantities = [data.draw(st.integers(1, 3), label="quantity") for _ in picks]
        behaviour = data.draw(st.sampled_from(["decrement_obeying_policy", "decrement_ignoring_policy", "bypass"]), label="behaviour")
        payment = data.draw(st.sampled_from(["paid", "authorized", "pending"]), label="payment")
        shipping = data.draw(st.booleans(), label="shipping")
        # Where each line commits: items in id order, the first location with enough, else the first one.
        scratch = {key: level[0] for key, level in self.stock.items()}
        homes: dict[int, int] = {}
        refused = False
        for index, qty in sorted(zip(picks, quantities), key=lambda p: self.items[p[0]].item_id):
            item = self.items[index]
            if not item.tracked or behaviour == "bypass":
                continue
            home = next((loc for loc in self.locations if scratch[(item.item_id, loc)] >= qty), None)
            if home is None:
                if behaviour == "decrement_obeying_policy" and item.policy == "deny":
                    refused = True
                    break
                home = self.locations[0]
            scratch[(item.item_id, home)] -= qty
            homes[index] = home
        body = {
            "email": "walker@example.com",
            "line_items": [{"variant_id": self.items[i].variant_id, "quantity": q, "price": "10.00"} for i, q in zip(picks, quantities)],
            "inventory_behaviour": behaviour,
            "shipping_lines": [{"title": "Standard", "price": "5.00"}] if shipping else [],
        }
        # Shopify's API records an order sent without payment facts as paid; ask for pending otherwise.
        body["financial_status"] = "paid" if payment == "paid" else "pending"
        r = self.api.post(f"{BASE}/orders.json", json={"order": body})
        if refused:
            assert r.status_code == 422, r.text
            return
        assert r.status_code == 201, r.text
        placed = r.json()["order"]
        lines = {}
        by_variant = {li["variant_id"]: li for li in placed["line_items"]}
        for index, qty in zip(picks, quantities):
            item = self.items[index]
            home = homes.get(index)
            li = by_variant[item.variant_id]
            lines[li["id"]] = Line(li["id"], item, qty, home, {home if home is not None else self.locations[0]: qty})
            if home is not None:
                self._move_stock(item, home, -qty, qty)
        order = Order(placed["id"], lines, shipping)
        self.orders.append(order)
        self.touched.add(order.id)
        if payment == "authorized":
            auth = self.api.post(
                f"{BASE}/orders/{order.id}/transactions.json",
                json={
                    "transaction": {"kind": "authorization", "gateway": "bogus", "credit_card_number": "1", "amount": placed["total_price"]}
                },
            )
            assert auth.status_code == 201, auth.text

    @precondition(lambda self: self.orders)
    @rule(data=st.data())
    def capture(self, data):
        order = data.draw(st.sampled_from(self.orders), label="order")
        open_auths = self._open_authorizations(order.id)
        if not open_auths:
            return
        auth, left = open_auths[0]
        part = data.draw(st.sampled_from(["all", "most", "half"]), label="capture")
        amount = left if part == "all" else (left - Decimal("3.57") if part == "most" else (left / 2).quantize(Decimal("0.01")))
        if amount <= 0:
            amount = left
        # A capture never takes more than is outstanding (a refund may have left less to pay).
        outstanding = Decimal(self.api.get(f"{BASE}/orders/{order.id}.json").json()["order"]["total_outstanding"])
        r = self.api.post(
            f"{BASE}/orders/{order.id}/transactions.json",
            json={"transaction": {"kind": "capture", "parent_id": auth["id"], "amount": str(min(amount, outstanding) or amount)}},
        )
        assert r.status_code == (201 if outstanding > 0 else 422), r.text
        self.touched.add(order.id)

    @precondition(lambda self: self.orders)
    @rule(data=st.data())
    def void(self, data):
        order = data.draw(st.sampled_from(self.orders), label="order")
        open_auths = self._open_authorizations(order.id)
        if not open_auths:
            return
        r = self.api.post(
            f"{BASE}/orders/{order.id}/transactions.json", json={"transaction": {"kind": "void", "parent_id": open_auths[0][0]["id"]}}
        )
        assert r.status_code == 201, r.text
        self.touched.add(order.id)

    def _shipped_out(self, order: Order, line: Line) -> int:
        """Units of the line shipped and not returned."""
        return sum(s.quantities.get(line.id, 0) for s in order.shipments if s.live) - line.returned

    def _refundable(self, order: Order, line: Line, restock: str) -> int:
        left = line.quantity - line.refunded
        if restock == "return":
            return min(left, self._shipped_out(order, line))
        if restock == "cancel" and not order.cancelled:
            return min(left, sum(line.waiting.values()))
        return left

    def _lines_to_refund(self, restock: str) -> list[tuple[Order, Line]]:
        return [(o, line) for o in self.orders for line in o.lines.values() if self._refundable(o, line, restock) > 0]

    @precondition(lambda self: self._lines_to_refund("no_restock"))
    @rule(data=st.data())
    def refund(self, data):
        """Any restock type for any line left to refund: the API refuses what the line's state
        does not allow, changing nothing."""
        order, line = data.draw(st.sampled_from(self._lines_to_refund("no_restock")), label="line")
        restock = data.draw(st.sampled_from(["no_restock", "cancel", "return"]), label="restock_type")
        self._refund(data, order, line, restock, data.draw(st.integers(1, line.quantity - line.refunded), label="quantity"))

    @precondition(lambda self: self._lines_to_refund("return"))
    @rule(data=st.data())
    def refund_returned_goods(self, data):
        order, line = data.draw(st.sampled_from(self._lines_to_refund("return")), label="line")
        self._refund(data, order, line, "return", data.draw(st.integers(1, self._refundable(order, line, "return")), label="quantity"))

    @precondition(lambda self: self._lines_to_refund("cancel"))
    @rule(data=st.data())
    def refund_unshipped_goods(self, data):
        order, line = data.draw(st.sampled_from(self._lines_to_refund("cancel")), label="line")
        restock = data.draw(st.sampled_from(["cancel", "cancel", "no_restock"]), label="restock_type")
        self._refund(data, order, line, restock, data.draw(st.integers(1, self._refundable(order, line, "cancel")), label="quantity"))

    def _refund(self, data, order: Order, line: Line, restock: str, qty: int) -> None:
        location = data.draw(st.sampled_from([None, None, None, *self.locations]), label="location_id")
        fee = data.draw(st.sampled_from(FEES), label="fee")
        shipping = order.shipping and not order.shipping_refunded and data.draw(st.booleans(), label="refund shipping")
        refund_line = {"line_item_id": line.id, "quantity": qty, "restock_type": restock}
        if location is not None:
            refund_line["location_id"] = location
        body: dict = {"refund_line_items": [refund_line]}
        if shipping:
            body["shipping"] = {"full_refund": True}
        if fee is not None:
            calc = self.api.post(f"{BASE}/orders/{order.id}/refunds/calculate.json", json={"refund": body})
            assert calc.status_code == 200, calc.text
            suggested = calc.json()["refund"]["transactions"]
            if suggested and Decimal(suggested[0]["amount"]) > fee:
                first = suggested[0]
                body["transactions"] = [
                    {
                        "parent_id": first["parent_id"],
                        "amount": str(Decimal(first["amount"]) - fee),
                        "kind": "refund",
                        "gateway": first["gateway"],
                    }
                ] + [
                    {"parent_id": tx["parent_id"], "amount": tx["amount"], "kind": "refund", "gateway": tx["gateway"]}
                    for tx in suggested[1:]
                ]
        before = self._live_units(order.id)
        shipped_before = sum(s.quantities.get(line.id, 0) for s in order.shipments if s.live)
        r = self.api.post(f"{BASE}/orders/{order.id}/refunds.json", json={"refund": body})
        self.touched.add(order.id)
        if r.status_code != 201:
            assert r.status_code == 422, r.text
            return
        after = self._live_units(order.id)
        item = line.item
        line.refunded += qty
        if shipping:
            order.shipping_refunded = True
        if restock == "return" or (restock == "no_restock" and shipped_before - line.returned > 0):
            order.refunded_shipped = True
        # Units the live fulfillment orders gave up (every line, though only this one should).
        dropped: dict[int, int] = {}
        for (line_id, loc), units in before.items():
            gone = units - after.get((line_id, loc), 0)
            if gone:
                assert line_id == line.id, ("a refund of one line took units of another", line_id, line.id)
                dropped[loc] = gone
        assert all(units <= before.get(key, 0) for key, units in after.items()), "a refund added units to a fulfillment order"
        for loc, gone in dropped.items():
            _add(line.waiting, loc, -gone)
        if not line.tracked:
            if restock == "return":
                line.returned += qty
            return
        if restock == "return":
            if location is not None:
                self._move_stock(item, location, qty)
            else:
                skip, left = line.returned, qty
                for shipment in order.shipments:
                    if not shipment.live or left == 0:
                        continue
                    units = shipment.quantities.get(line.id, 0)
                    passed = min(units, skip)
                    skip -= passed
                    take = min(units - passed, left)
                    if take:
                        self._move_stock(item, shipment.location, take)
                        left -= take
                if left:
                    self._move_stock(item, line.home, left)
            line.returned += qty
        elif restock == "cancel":
            for loc, gone in dropped.items():
                self._move_stock(item, loc, gone, -gone)
            rest = qty - sum(dropped.values())
            if rest:
                assert order.cancelled, "cancelled units were neither on a fulfillment order nor written off"
                self._move_stock(item, location if location is not None else line.home, rest)
        else:
            for loc, gone in dropped.items():
                self._move_stock(item, loc, 0, -gone)

    @precondition(lambda self: any(not o.cancelled for o in self.orders))
    @rule(data=st.data())
    def cancel_order(self, data):
        order = data.draw(st.sampled_from([o for o in self.orders if not o.cancelled]), label="order")
        restock = data.draw(st.booleans(), label="restock")
        r = self.api.post(f"{BASE}/orders/{order.id}/cancel.json", json={"restock": restock})
        self.touched.add(order.id)
        if r.status_code != 200:
            assert r.status_code == 422, r.text
            return
        order.cancelled = True
        for line in order.lines.values():
            if line.tracked:
                for loc, units in line.waiting.items():
                    self._move_stock(line.item, loc, units if restock else 0, -units)
            line.waiting = {}

    # --- fulfillment -------------------------------------------------------------------

    def _pick_fo(self, data, statuses) -> tuple[Order, dict] | None:
        candidates = [o for o in self.orders if not o.cancelled and any(o_line.waiting for o_line in o.lines.values())]
        if not candidates:
            return None
        order = data.draw(st.sampled_from(candidates), label="order")
        fos = [fo for fo in self._fos(order.id) if fo["status"] in statuses and any(li["fulfillable_quantity"] for li in fo["line_items"])]
        if not fos:
            return None
        return order, data.draw(st.sampled_from(fos), label="fulfillment order")

    @precondition(lambda self: self.orders)
    @rule(data=st.data())
    def hold_or_release(self, data):
        picked = self._pick_fo(data, ("open", "in_progress", "on_hold"))
        if picked is None:
            return
        order, fo = picked
        if fo["status"] == "on_hold":
            r = self.api.post(f"{BASE}/fulfillment_orders/{fo['id']}/release_hold.json", json={})
        else:
            r = self.api.post(f"{BASE}/fulfillment_orders/{fo['id']}/hold.json", json={"fulfillment_hold": {"reason": "other"}})
        assert r.status_code == 200, r.text
        self.touched.add(order.id)

    @precondition(lambda self: self.orders)
    @rule(data=st.data())
    def fulfil(self, data):
        picked = self._pick_fo(data, tuple(LIVE))
        if picked is None:
            return
        order, fo = picked
        group: dict = {"fulfillment_order_id": fo["id"]}
        if data.draw(st.booleans(), label="partial"):
            fl = data.draw(st.sampled_from([li for li in fo["line_items"] if li["fulfillable_quantity"]]), label="line")
            qty = data.draw(st.integers(1, fl["fulfillable_quantity"]), label="quantity")
            group["fulfillment_order_line_items"] = [{"id": fl["id"], "quantity": qty}]
        r = self.api.post(f"{BASE}/fulfillments.json", json={"fulfillment": {"line_items_by_fulfillment_order": [group]}})
        self.touched.add(order.id)
        if fo["status"] not in ("open", "in_progress"):
            assert r.status_code == 422, r.text
            return
        assert r.status_code == 201, r.text
        shipped = r.json()["fulfillment"]
        location = shipped["location_id"]
        assert location == fo["assigned_location_id"]
        quantities = {li["id"]: li["quantity"] for li in shipped["line_items"]}
        order.shipments.append(Shipment(shipped["id"], location, quantities))
        for line_id, qty in quantities.items():
            line = order.lines[line_id]
            _add(line.waiting, location, -qty)
            if line.tracked:
                self._move_stock(line.item, location, 0, -qty)

    @precondition(lambda self: any(s.live for o in self.orders for s in o.shipments))
    @rule(data=st.data())
    def cancel_fulfillment(self, data):
        # Once a refund counted against shipped units, unshipping them would offer refunded units
        # again (a separate question from stock); the walk leaves such orders' shipments alone.
        candidates = [(o, s) for o in self.orders if not o.refunded_shipped for s in o.shipments if s.live]
        if not candidates:
            return
        order, shipment = data.draw(st.sampled_from(candidates), label="shipment")
        r = self.api.post(f"{BASE}/fulfillments/{shipment.id}/cancel.json")
        assert r.status_code == 200, r.text
        self.touched.add(order.id)
        shipment.live = False
        for line_id, qty in shipment.quantities.items():
            line = order.lines[line_id]
            if not order.cancelled:
                _add(line.waiting, shipment.location, qty)
            if line.tracked:
                if order.cancelled:
                    self._move_stock(line.item, shipment.location, qty)
                else:
                    self._move_stock(line.item, shipment.location, 0, qty)

    @precondition(lambda self: self.orders)
    @rule(data=st.data())
    def move(self, data):
        picked = self._pick_fo(data, tuple(LIVE))
        if picked is None:
            return
        order, fo = picked
        target = data.draw(st.sampled_from([loc for loc in self.locations if loc != fo["assigned_location_id"]]), label="to")
        body: dict = {"new_location_id": target}
        moving = {li["line_item_id"]: li["fulfillable_quantity"] for li in fo["line_items"] if li["fulfillable_quantity"]}
        if data.draw(st.booleans(), label="partial"):
            fl = data.draw(st.sampled_from([li for li in fo["line_items"] if li["fulfillable_quantity"]]), label="line")
            qty = data.draw(st.integers(1, fl["fulfillable_quantity"]), label="quantity")
            body["fulfillment_order_line_items"] = [{"id": fl["id"], "quantity": qty}]
            moving = {fl["line_item_id"]: qty}
        source = fo["assigned_location_id"]
        short = any(
            order.lines[line_id].tracked
            and order.lines[line_id].item.policy == "deny"
            and self.stock[(order.lines[line_id].item.item_id, target)][0] < qty
            for line_id, qty in moving.items()
        )
        r = self.api.post(f"{BASE}/fulfillment_orders/{fo['id']}/move.json", json={"fulfillment_order": body})
        self.touched.add(order.id)
        if fo["status"] not in ("open", "scheduled") or short:
            assert r.status_code == 422, r.text
            if short and fo["status"] in ("open", "scheduled"):
                assert "new_location_id" in r.json()["errors"], r.text
            return
        assert r.status_code == 200, r.text
        for line_id, qty in moving.items():
            line = order.lines[line_id]
            _add(line.waiting, source, -qty)
            _add(line.waiting, target, qty)
            if line.tracked:
                self._move_stock(line.item, target, -qty, qty)
                self._move_stock(line.item, source, qty, -qty)

    @rule(data=st.data())
    def adjust(self, data):
        item = data.draw(st.sampled_from([i for i in self.items if i.tracked]), label="item")
        location = data.draw(st.sampled_from(self.locations), label="location")
        delta = data.draw(st.integers(-2, 3), label="delta")
        r = self.api.post(
            f"{BASE}/inventory_levels/adjust.json",
            json={"location_id": location, "inventory_item_id": item.item_id, "available_adjustment": delta},
        )
        assert r.status_code == 200, r.text
        self._move_stock(item, location, delta)

    # --- invariants --------------------------------------------------------------------

    @invariant()
    def stock_is_what_the_model_says(self):
        if not self.items:
            return
        ids = tuple(item.item_id for item in self.items)
        with self.services.db.reading() as uow:
            levels = {
                (lv["inventory_item_id"], lv["location_id"]): [lv["available"], lv["committed"]]
                for lv in uow.inventory.levels(item_ids=ids)
            }
        for item in self.items:
            for location in self.locations:
                key = (item.item_id, location)
                assert levels.get(key, [0, 0]) == self.stock[key], (item.policy, location, levels.get(key), self.stock[key])
                available, committed = levels.get(key, [0, 0])
                assert committed >= 0
                if item.policy == "deny" and not item.forced:
                    assert available >= 0, (item, location, available)
        # The model's own books: committed stock is exactly the tracked units waiting there.
        waiting: dict[tuple[int, int], int] = {}
        for order in self.orders:
            for line in order.lines.values():
                if line.tracked:
                    for loc, units in line.waiting.items():
                        waiting[(line.item.item_id, loc)] = waiting.get((line.item.item_id, loc), 0) + units
        for key, (_, committed) in self.stock.items():
            assert committed == waiting.get(key, 0), (key, committed, waiting.get(key, 0))

    @invariant()
    def touched_orders_are_consistent(self):
        for order_id in sorted(self.touched):
            self._check_order(next(o for o in self.orders if o.id == order_id))
        self.touched.clear()

    def teardown(self):
        for order in self.orders:
            self._check_order(order)

    def _check_order(self, model: Order) -> None:
        with self.services.db.reading() as uow:
            order = uow.orders.get(model.id, created_since=None, fulfillment_orders=True)
            stored = uow.conn.execute(
                select(t.orders.c.financial_status, t.orders.c.fulfillment_status).where(t.orders.c.id == model.id)
            ).one()
        # Statuses: the stored copies are the pure derivations.
        assert stored.financial_status == status.financial_status(order.transactions, order.current_totals().total.presentment.amount)
        assert stored.fulfillment_status == status.fulfillment_status(
            order.line_items, order.fulfillments, cancelled=order.cancelled_at is not None
        )
        # Money never runs ahead.
        ok = [tx for tx in order.transactions if tx.succeeded]

        def total(kind, parent=None):
            return sum(
                (tx.amount.presentment.amount for tx in ok if tx.kind == kind and (parent is None or tx.parent_id == parent)), Decimal(0)
            )

        assert total("refund") <= total("capture") + total("sale")
        assert total("capture") <= total("authorization")
        for tx in ok:
            if tx.kind == "authorization":
                assert total("capture", tx.id) <= tx.amount.presentment.amount
            if tx.kind in ("capture", "sale"):
                assert total("refund", tx.id) <= tx.amount.presentment.amount
        assert order.total_outstanding >= 0
        # Nothing left to buy: nothing owed, and the diagnosis does not call it unpaid.
        assert order.nothing_left == model.nothing_left, (order.nothing_left, model.nothing_left)
        if model.nothing_left:
            assert order.total_outstanding == 0
            reasons = diagnosis.diagnose(order, datetime.now(UTC))
            unpaid = [r for r in reasons if r.area == "payment" or r.code == "not_paid"]
            assert not unpaid, unpaid
        # Units: live fulfillment orders offer what the model says, where it says, and the stock
        # committed to each line is exactly its units waiting.
        offered: dict[tuple[int, int], int] = {}
        for fo in order.fulfillment_orders:
            if fo.status in LIVE:
                for fl in fo.lines:
                    if fl.fulfillable_quantity:
                        key = (fl.line_item_id, fo.assigned_location_id)
                        offered[key] = offered.get(key, 0) + fl.fulfillable_quantity
        expected = {(line.id, loc): units for line in model.lines.values() for loc, units in line.waiting.items()}
        assert offered == expected, (model.id, offered, expected)
        for li in order.line_items:
            line = model.lines[li.id]
            assert li.location_id == line.home
            assert li.committed_quantity == (sum(line.waiting.values()) if line.tracked else 0), (
                li.id,
                li.committed_quantity,
                line.waiting,
            )


def test_a_random_walk_keeps_stock_money_and_statuses_consistent(api, services):
    first = api.get(f"{BASE}/locations.json").json()["locations"][0]["id"]
    others = [dict(inventory.create_location(services, {"name": name}))["id"] for name in ("Second", "Third")]
    Walk.api, Walk.services, Walk.locations = api, services, sorted([first, *others])
    run_state_machine_as_test(Walk, settings=WALK)
