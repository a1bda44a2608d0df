"""Payment facts: transactions, and the amounts they leave authorized, captured and refunded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from .errors import InvalidInput
from .money import MoneyBag

KINDS = ("authorization", "capture", "sale", "void", "refund")
STATUSES = ("pending", "failure", "success", "error")


@dataclass
class Transaction:
    kind: str
    status: str
    amount: MoneyBag
    gateway: str = "manual"
    id: int | None = None
    parent_id: int | None = None
    authorization: str | None = None
    authorization_expires_at: datetime | None = None
    error_code: str | None = None
    message: str | None = None
    test: bool = False
    source_name: str = "web"
    receipt: dict[str, Any] = field(default_factory=dict)
    created_at: datetime | None = None
    processed_at: datetime | None = None
    # Set when the expiry job found the authorization past authorization_expires_at uncaptured.
    expired_at: datetime | None = None
    refund_id: int | None = None
    user: str | None = None
    payment_details: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise InvalidInput(f"kind must be one of {', '.join(KINDS)}", field="kind")
        if self.status not in STATUSES:
            raise InvalidInput(f"status must be one of {', '.join(STATUSES)}", field="status")
        if self.amount.presentment.amount < 0:
            raise InvalidInput("amount must not be negative", field="amount")

    @property
    def succeeded(self) -> bool:
        return self.status == "success"


@dataclass(frozen=True)
class PaymentTotals:
    """Successful amounts, in presentment money (the currency the shopper paid in)."""

    authorized: Decimal
    captured: Decimal
    refunded: Decimal
    voided: bool
    expired: bool = False


def payment_totals(transactions: list[Transaction]) -> PaymentTotals:
    ok = [t for t in transactions if t.succeeded]
    voids = [t for t in ok if t.kind == "void"]
    voided_ids = {t.parent_id for t in voids}
    # A void recorded without a parent (an imported "voided" order) voids every authorization.
    voids_all = None in voided_ids
    authorized = sum(
        (
            t.amount.presentment.amount
            for t in ok
            if t.kind == "authorization" and not voids_all and t.id not in voided_ids and t.expired_at is None
        ),
        Decimal(0),
    )
    expired = any(t.kind == "authorization" and t.expired_at is not None and t.id not in voided_ids for t in ok)
    captured = sum((t.amount.presentment.amount for t in ok if t.kind in ("capture", "sale")), Decimal(0))
    refunded = sum((t.amount.presentment.amount for t in ok if t.kind == "refund"), Decimal(0))
    return PaymentTotals(authorized, captured, refunded, voided=bool(voids), expired=expired)
