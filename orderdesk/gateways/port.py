"""The payment gateway port: what the services ask of any gateway (bogus, manual, Stripe, ...)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from ..domain.money import Money


@dataclass(frozen=True)
class PaymentMethod:
    """How the shopper pays: a card number for test gateways, or a manual method name."""

    credit_card_number: str | None = None
    manual_method: str | None = None  # "Cash on Delivery (COD)", "Bank Deposit", "Money Order"


@dataclass(frozen=True)
class GatewayResult:
    status: str  # success | failure | error | pending
    authorization: str | None = None
    error_code: str | None = None
    message: str | None = None
    receipt: dict[str, Any] = field(default_factory=dict)
    payment_details: dict[str, Any] | None = None


class PaymentGateway(Protocol):
    name: str
    # How long an authorization can be captured (Shopify: 7 to 30 days depending on the provider).
    authorization_validity: timedelta
    supports_multiple_captures: bool
    # Whether money moves at once (cards) or waits for staff to confirm it arrived (manual).
    settles_immediately: bool

    def authorize(self, amount: Money, method: PaymentMethod, *, reference: str) -> GatewayResult: ...

    def capture(self, amount: Money, authorization: str | None, *, reference: str) -> GatewayResult: ...

    def sale(self, amount: Money, method: PaymentMethod, *, reference: str) -> GatewayResult: ...

    def void(self, authorization: str | None, *, reference: str) -> GatewayResult: ...

    def refund(self, amount: Money, authorization: str | None, *, reference: str) -> GatewayResult: ...
