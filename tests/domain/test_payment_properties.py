"""Payment invariants under random sequences of captures, voids, refunds and expiry.

A state machine drives an authorized order through Order.add_transaction and
Order.expire_authorizations, respecting what the ledger says is left, and checks after
every step that money never runs ahead of itself and that the financial status matches a
small reference model kept by the test.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from orderdesk.domain import ledger
from orderdesk.domain.errors import DomainError
from orderdesk.domain.events import AuthorizationExpired, PaymentRecorded
from orderdesk.domain.payments import Transaction
from orderdesk.domain.placement import NewOrder, place_order
from orderdesk.domain.status import FINANCIAL_STATUSES

from .factories import AT, line, usd_bag

CENT = Decimal("0.01")
DUE = Decimal("100.00")
MAX_AUTHS = 3


def cents(n: int) -> Decimal:
    return (Decimal(n) * CENT).quantize(CENT)


@dataclass
class AuthModel:
    tx: Transaction
    captured: Decimal = Decimal(0)
    voided: bool = False
    expired: bool = False


@dataclass
class CaptureModel:
    tx: Transaction
    refunded: Decimal = Decimal(0)


def reference_status(auths: list[AuthModel], captures: list[CaptureModel], due: Decimal) -> str:
    captured = sum((c.tx.amount.presentment.amount for c in captures), Decimal(0))
    refunded = sum((c.refunded for c in captures), Decimal(0))
    if refunded > 0 and captured > 0:
        return "refunded" if refunded >= captured else "partially_refunded"
    if captured > 0:
        return "paid" if captured >= due else "partially_paid"
    if any(not a.voided and not a.expired for a in auths):
        return "authorized"
    if any(a.voided for a in auths):
        return "voided"
    if any(a.expired for a in auths):
        return "expired"
    return "pending"


class AuthorizedOrder(RuleBasedStateMachine):
    @initialize()
    def place(self):
        new = NewOrder(currency="USD", presentment_currency="USD", line_items=[line("Boots", "100.00")], financial_status="authorized")
        self.order = place_order(new, at=AT, token="tok")
        (auth,) = self.order.transactions
        auth.id = 1
        auth.authorization_expires_at = AT + timedelta(days=7)
        self.next_id = 2
        self.now = AT
        self.auths = [AuthModel(auth)]
        self.captures: list[CaptureModel] = []
        self.events_before = len(self.order.events)

    # --- helpers ---

    def _add(self, kind: str, amount: Decimal, status: str = "success", **kw) -> Transaction:
        t = Transaction(kind=kind, status=status, amount=usd_bag(amount), id=self.next_id, **kw)
        self.next_id += 1
        before = len(self.order.events)
        self.order.add_transaction(t, self.now)
        event = self.order.events[before]
        assert isinstance(event, PaymentRecorded) and (event.kind, event.status) == (kind, status)
        assert self.order.updated_at == self.now
        return t

    @property
    def txs(self) -> list[Transaction]:
        return self.order.transactions

    # --- actions ---

    @precondition(lambda self: len(self.auths) < MAX_AUTHS)
    @rule(amount=st.integers(1, 10_000), days=st.integers(1, 10), ok=st.booleans())
    def authorize(self, amount, days, ok):
        t = self._add(
            "authorization",
            cents(amount),
            "success" if ok else "failure",
            authorization_expires_at=self.now + timedelta(days=days),
        )
        if ok:
            self.auths.append(AuthModel(t))

    @rule(data=st.data(), ok=st.sampled_from(["success", "success", "success", "failure", "pending"]))
    def capture(self, data, ok):
        a = data.draw(st.sampled_from(self.auths))
        left = ledger.capturable(a.tx, self.txs, self.now)
        if left <= 0:
            try:
                ledger.parent_for_capture(self.txs, a.tx.id, self.now)
            except DomainError:
                return
            raise AssertionError("parent_for_capture accepted an authorization with nothing left")
        assert ledger.parent_for_capture(self.txs, a.tx.id, self.now) is a.tx
        amount = cents(data.draw(st.integers(1, int(left / CENT))))
        t = self._add("capture", amount, ok, parent_id=a.tx.id)
        if ok == "success":
            a.captured += amount
            self.captures.append(CaptureModel(t))

    @rule(data=st.data(), ok=st.sampled_from(["success", "success", "failure"]))
    def void(self, data, ok):
        a = data.draw(st.sampled_from(self.auths))
        try:
            ledger.parent_for_void(self.txs, a.tx.id, self.now)
        except DomainError:
            assert a.voided or a.expired or ledger.capturable(a.tx, self.txs, self.now) == 0
            return
        assert not a.voided and not a.expired
        self._add("void", Decimal("0.00"), ok, parent_id=a.tx.id)
        if ok == "success":
            a.voided = True

    @precondition(lambda self: self.captures)
    @rule(data=st.data(), ok=st.sampled_from(["success", "success", "failure"]))
    def refund(self, data, ok):
        c = data.draw(st.sampled_from(self.captures))
        left = ledger.refundable(c.tx, self.txs)
        assert left == c.tx.amount.presentment.amount - c.refunded
        if left <= 0:
            return
        assert ledger.parent_for_refund(self.txs, c.tx.id) is c.tx
        amount = cents(data.draw(st.integers(1, int(left / CENT))))
        self._add("refund", amount, ok, parent_id=c.tx.id)
        if ok == "success":
            c.refunded += amount

    @rule(hours=st.integers(0, 24 * 5))
    def wait(self, hours):
        self.now += timedelta(hours=hours)

    @rule()
    def expire(self):
        expected = [
            a for a in self.auths if not a.expired and not a.voided and a.captured == 0 and self.now >= a.tx.authorization_expires_at
        ]
        before = len(self.order.events)
        expired = self.order.expire_authorizations(self.now)
        assert [t.id for t in expired] == [a.tx.id for a in expected]
        assert all(isinstance(e, AuthorizationExpired) for e in self.order.events[before:])
        assert len(self.order.events) - before == len(expected)
        for a in expected:
            a.expired = True
            assert a.tx.expired_at == self.now

    # --- invariants ---

    @invariant()
    def money_never_runs_ahead(self):
        ok = [t for t in self.txs if t.succeeded]

        def total(kinds):
            return sum((t.amount.presentment.amount for t in ok if t.kind in kinds), Decimal(0))

        authorized, captured, refunded = total(("authorization",)), total(("capture", "sale")), total(("refund",))
        assert refunded <= captured <= authorized

    @invariant()
    def no_parent_is_over_captured_or_over_refunded(self):
        for a in self.auths:
            assert ledger.captured_against(a.tx, self.txs) == a.captured <= a.tx.amount.presentment.amount
            left = ledger.capturable(a.tx, self.txs, self.now)
            assert 0 <= left <= a.tx.amount.presentment.amount - a.captured
            if a.voided or a.expired:
                assert left == 0
        for c in self.captures:
            assert ledger.refunded_against(c.tx, self.txs) == c.refunded <= c.tx.amount.presentment.amount

    @invariant()
    def financial_status_matches_the_reference_model(self):
        status = self.order.financial_status
        assert status in FINANCIAL_STATUSES
        assert status == reference_status(self.auths, self.captures, DUE)

    @invariant()
    def outstanding_is_what_is_due_less_what_was_kept(self):
        kept = sum((c.tx.amount.presentment.amount - c.refunded for c in self.captures), Decimal(0))
        assert self.order.total_outstanding == max(DUE - kept, Decimal(0))


AuthorizedOrder.TestCase.settings = settings(
    max_examples=150, stateful_step_count=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
test_payment_sequences_keep_money_and_status_consistent = AuthorizedOrder.TestCase
