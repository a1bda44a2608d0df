"""Payment terms: when an unpaid order is due, and whether it is overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .errors import InvalidInput

NET_DAYS = (7, 15, 30, 45, 60, 90)
TYPES = ("receipt", "net", "fixed", "fulfillment")


@dataclass(frozen=True)
class PaymentTerms:
    type: str
    issued_at: datetime
    due_in_days: int | None = None
    fixed_due_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise InvalidInput(f"payment terms type must be one of {', '.join(TYPES)}", field="payment_terms")
        if self.type == "net" and self.due_in_days not in NET_DAYS:
            raise InvalidInput(f"net terms must be {', '.join(map(str, NET_DAYS))} days", field="payment_terms")
        if self.type == "fixed" and self.fixed_due_at is None:
            raise InvalidInput("fixed payment terms need a due date", field="payment_terms")

    @property
    def name(self) -> str:
        return {
            "receipt": "Due on receipt",
            "net": f"Net {self.due_in_days}",
            "fixed": "Fixed",
            "fulfillment": "Due on fulfillment",
        }[self.type]

    def due_at(self, first_fulfilled_at: datetime | None) -> datetime | None:
        if self.type == "receipt":
            return self.issued_at
        if self.type == "net":
            return self.issued_at + timedelta(days=self.due_in_days or 0)
        if self.type == "fixed":
            return self.fixed_due_at
        return first_fulfilled_at

    def overdue(self, at: datetime, outstanding: bool, first_fulfilled_at: datetime | None) -> bool:
        due = self.due_at(first_fulfilled_at)
        return outstanding and due is not None and at > due
