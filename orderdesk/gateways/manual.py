"""Manual payments (cash on delivery, bank deposit, money order).

Nothing moves through a provider: a sale stays pending until staff mark the order paid,
which records a successful sale. Refunds and voids are bookkeeping done by staff.
"""

from __future__ import annotations

from datetime import timedelta

from ..domain.money import Money
from .port import GatewayResult, PaymentMethod

METHODS = ("Cash on Delivery (COD)", "Bank Deposit", "Money Order")


class ManualGateway:
    name = "manual"
    authorization_validity = timedelta(days=30)
    supports_multiple_captures = True
    settles_immediately = False

    def authorize(self, amount: Money, method: PaymentMethod, *, reference: str) -> GatewayResult:
        return GatewayResult("success", receipt={"manual_method": method.manual_method})

    def sale(self, amount: Money, method: PaymentMethod, *, reference: str) -> GatewayResult:
        return GatewayResult(
            "pending",
            receipt={"manual_method": method.manual_method or METHODS[0]},
            message="Awaiting payment; mark the order as paid when the money arrives.",
        )

    def capture(self, amount: Money, authorization: str | None, *, reference: str) -> GatewayResult:
        return GatewayResult("success", authorization=authorization)

    def void(self, authorization: str | None, *, reference: str) -> GatewayResult:
        return GatewayResult("success", authorization=authorization)

    def refund(self, amount: Money, authorization: str | None, *, reference: str) -> GatewayResult:
        return GatewayResult("success", authorization=authorization, receipt={"manual": True})
