"""Shopify's Bogus Gateway: test card numbers decide the outcome.

Card ``1`` (or 4242424242424242) succeeds, ``2`` (or 4000000000000002) is declined, ``3``
raises a gateway error. Later actions on a successful payment succeed.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from ..domain.money import Money
from .port import GatewayResult, PaymentMethod

SUCCESS = {"1", "4242424242424242", "4111111111111111"}
DECLINE = {"2", "4000000000000002"}
ERROR = {"3"}


def _card(method: PaymentMethod) -> str:
    return (method.credit_card_number or "1").replace(" ", "").replace("-", "")


class BogusGateway:
    name = "bogus"
    authorization_validity = timedelta(days=7)
    supports_multiple_captures = True
    settles_immediately = True

    def _charge(self, amount: Money, method: PaymentMethod) -> GatewayResult:
        card = _card(method)
        details = {"credit_card_company": "Bogus", "credit_card_number": f"•••• •••• •••• {card[-4:]:>4}".rstrip()}
        if card in DECLINE:
            return GatewayResult("failure", error_code="card_declined", message="Your card was declined.", payment_details=details)
        if card in ERROR:
            return GatewayResult("error", error_code="processing_error", message="Bogus Gateway: Forced failure", payment_details=details)
        if card not in SUCCESS:
            return GatewayResult(
                "failure", error_code="invalid_number", message="The card number is not a valid test number.", payment_details=details
            )
        auth = "bogus-" + secrets.token_hex(6)
        return GatewayResult("success", authorization=auth, receipt={"testcase": True, "authorization": auth}, payment_details=details)

    def authorize(self, amount: Money, method: PaymentMethod, *, reference: str) -> GatewayResult:
        return self._charge(amount, method)

    def sale(self, amount: Money, method: PaymentMethod, *, reference: str) -> GatewayResult:
        return self._charge(amount, method)

    def capture(self, amount: Money, authorization: str | None, *, reference: str) -> GatewayResult:
        return GatewayResult("success", authorization=authorization, receipt={"testcase": True, "captured": str(amount.amount)})

    def void(self, authorization: str | None, *, reference: str) -> GatewayResult:
        return GatewayResult("success", authorization=authorization, receipt={"testcase": True, "voided": True})

    def refund(self, amount: Money, authorization: str | None, *, reference: str) -> GatewayResult:
        return GatewayResult("success", authorization=authorization, receipt={"testcase": True, "refunded": str(amount.amount)})
