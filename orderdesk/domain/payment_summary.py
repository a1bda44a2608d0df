"""The payment box: what was authorized, captured and refunded, what is still owed and what
may be captured now, in the shop's currency and the shopper's, for staff to read at a glance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from . import ledger
from .money import MoneyBag
from .order import Order
from .payments import payment_totals


@dataclass(frozen=True)
class PaymentSummary:
    authorized: MoneyBag  # still open to capture
    captured: MoneyBag
    refunded: MoneyBag
    outstanding: MoneyBag
    capturable: MoneyBag
    # When the first open authorization expires (None: none open, or the gateway never expires them).
    authorization_expires_at: datetime | None
    can_capture: bool
    can_mark_as_paid: bool


def summarize(order: Order, at: datetime) -> PaymentSummary:
    txs = order.transactions
    totals = payment_totals(txs)
    open_auths = ledger.open_authorizations(txs, at)
    capturable = sum((ledger.capturable(t, txs, at) for t in open_auths), Decimal(0))
    expiries = [t.authorization_expires_at for t in open_auths if t.authorization_expires_at is not None]
    live = order.cancelled_at is None

    def both(amount: Decimal) -> MoneyBag:
        return order.in_both(amount).rounded()

    return PaymentSummary(
        authorized=both(capturable),
        captured=both(totals.captured),
        refunded=both(totals.refunded),
        outstanding=both(order.total_outstanding),
        capturable=both(min(capturable, max(order.total_outstanding, Decimal(0))) if capturable else Decimal(0)),
        authorization_expires_at=min(expiries) if expiries else None,
        can_capture=live and capturable > 0 and order.total_outstanding > 0,
        can_mark_as_paid=live and order.total_outstanding > 0 and not open_auths,
    )
