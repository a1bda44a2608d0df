"""What a payment can still do: amounts left to capture, void and refund, per transaction.

All amounts are presentment money, the currency the shopper paid in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from .errors import InvalidInput, InvalidTransition
from .payments import Transaction

ZERO = Decimal(0)


def _ok(transactions: Iterable[Transaction], kind: str, parent_id: int | None) -> list[Transaction]:
    return [t for t in transactions if t.succeeded and t.kind == kind and t.parent_id == parent_id]


def captured_against(auth: Transaction, transactions: list[Transaction]) -> Decimal:
    return sum((t.amount.presentment.amount for t in _ok(transactions, "capture", auth.id)), ZERO)


def is_voided(auth: Transaction, transactions: list[Transaction]) -> bool:
    return bool(_ok(transactions, "void", auth.id))


def is_expired(auth: Transaction, at: datetime | None) -> bool:
    if auth.expired_at is not None:
        return True
    return at is not None and auth.authorization_expires_at is not None and at >= auth.authorization_expires_at


def capturable(auth: Transaction, transactions: list[Transaction], at: datetime | None = None) -> Decimal:
    """What is left to capture on an authorization; zero once voided or expired."""
    if auth.kind != "authorization" or not auth.succeeded:
        return ZERO
    if is_voided(auth, transactions) or is_expired(auth, at):
        return ZERO
    return max(auth.amount.presentment.amount - captured_against(auth, transactions), ZERO)


def refunded_against(parent: Transaction, transactions: list[Transaction]) -> Decimal:
    return sum((t.amount.presentment.amount for t in _ok(transactions, "refund", parent.id)), ZERO)


def refundable(parent: Transaction, transactions: list[Transaction]) -> Decimal:
    """What is left to refund on a capture or sale."""
    if parent.kind not in ("capture", "sale") or not parent.succeeded:
        return ZERO
    return max(parent.amount.presentment.amount - refunded_against(parent, transactions), ZERO)


def total_refundable(transactions: list[Transaction]) -> Decimal:
    return sum((refundable(t, transactions) for t in transactions), ZERO)


def open_authorizations(transactions: list[Transaction], at: datetime | None = None) -> list[Transaction]:
    return [t for t in transactions if capturable(t, transactions, at) > 0]


def find(transactions: list[Transaction], transaction_id: int | None) -> Transaction | None:
    return next((t for t in transactions if t.id == transaction_id), None) if transaction_id is not None else None


def parent_for_capture(transactions: list[Transaction], parent_id: int | None, at: datetime) -> Transaction:
    """The authorization a capture draws on. Raises InvalidInput or InvalidTransition."""
    if parent_id is None:
        candidates = open_authorizations(transactions, at)
        if len(candidates) != 1:
            if not candidates:
                raise InvalidTransition("There is no open authorization to capture", field="parent_id")
            raise InvalidInput("parent_id is required when the order has several authorizations", field="parent_id")
        return candidates[0]
    parent = find(transactions, parent_id)
    if parent is None:
        raise InvalidInput(f"parent transaction {parent_id} does not belong to this order", field="parent_id")
    if parent.kind != "authorization" or not parent.succeeded:
        raise InvalidInput("a capture's parent must be a successful authorization", field="parent_id")
    if is_voided(parent, transactions):
        raise InvalidTransition("The authorization has been voided", field="parent_id")
    if is_expired(parent, at):
        raise InvalidTransition("The authorization has expired and can no longer be captured", field="parent_id")
    if capturable(parent, transactions, at) <= 0:
        raise InvalidTransition("The authorization has been fully captured", field="parent_id")
    return parent


def parent_for_void(transactions: list[Transaction], parent_id: int | None, at: datetime) -> Transaction:
    if parent_id is None:
        candidates = open_authorizations(transactions, at)
        if len(candidates) != 1:
            raise InvalidInput("parent_id is required to void", field="parent_id")
        return candidates[0]
    parent = find(transactions, parent_id)
    if parent is None:
        raise InvalidInput(f"parent transaction {parent_id} does not belong to this order", field="parent_id")
    if parent.kind != "authorization" or not parent.succeeded:
        raise InvalidInput("only a successful authorization can be voided", field="parent_id")
    if is_voided(parent, transactions):
        raise InvalidTransition("The authorization has already been voided", field="parent_id")
    if capturable(parent, transactions, at) <= 0:
        raise InvalidTransition("Nothing is left on the authorization to void", field="parent_id")
    return parent


def parent_for_refund(transactions: list[Transaction], parent_id: int | None) -> Transaction:
    if parent_id is None:
        candidates = [t for t in transactions if refundable(t, transactions) > 0]
        if len(candidates) != 1:
            if not candidates:
                raise InvalidTransition("Nothing has been captured that could be refunded", field="transactions")
            raise InvalidInput("parent_id is required when several payments could be refunded", field="transactions")
        return candidates[0]
    parent = find(transactions, parent_id)
    if parent is None:
        raise InvalidInput(f"parent transaction {parent_id} does not belong to this order", field="transactions")
    if parent.kind == "void" or (parent.kind == "authorization" and is_voided(parent, transactions)):
        raise InvalidInput("a voided transaction cannot be refunded", field="transactions")
    if parent.kind not in ("capture", "sale") or not parent.succeeded:
        raise InvalidInput("a refund's parent must be a successful capture or sale", field="transactions")
    return parent
