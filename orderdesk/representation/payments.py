"""Transactions and refunds as Shopify's REST resources shape them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..domain.money import Money
from ..domain.order import Order
from ..domain.payments import Transaction
from ..domain.refunds import Refund, RefundPlan
from ..domain.shop import Shop
from .common import gid, money_set, timestamp
from .line_items import line_item_json

PAYMENT_DETAIL_KEYS = (
    "credit_card_bin",
    "avs_result_code",
    "cvv_result_code",
    "credit_card_number",
    "credit_card_company",
    "buyer_action_info",
    "credit_card_name",
    "credit_card_wallet",
    "credit_card_expiration_month",
    "credit_card_expiration_year",
    "payment_method_name",
)


def _payment_details(details: dict[str, Any] | None) -> dict[str, Any] | None:
    if details is None:
        return None
    return {key: details.get(key) for key in PAYMENT_DETAIL_KEYS}


def _unsettled(tx: Transaction) -> dict[str, Any]:
    # What an authorization still holds; Shopify writes these money objects with "currency".
    left = tx.amount if tx.kind == "authorization" and tx.succeeded and tx.expired_at is None else tx.amount - tx.amount
    return {
        "presentment_money": {"amount": left.presentment.format(), "currency": left.presentment.currency},
        "shop_money": {"amount": left.shop.format(), "currency": left.shop.currency},
    }


def receipt_json(test: bool, authorization: str | None, stored: dict[str, Any] | None = None) -> dict[str, Any]:
    """Shopify's receipt: what the gateway answered, always with ``testcase`` and ``authorization``
    (the two keys its documentation shows on transactions and fulfillments)."""
    return {"testcase": test, "authorization": authorization, **(stored or {})}


def transaction_json(order: Order, tx: Transaction, shop: Shop) -> dict[str, Any]:
    tz = shop.iana_timezone
    position = next((i for i, t in enumerate(order.transactions, start=1) if t is tx or (t.id is not None and t.id == tx.id)), None)
    return {
        "id": tx.id,
        "admin_graphql_api_id": gid("OrderTransaction", tx.id),
        "order_id": order.id,
        "kind": tx.kind,
        "gateway": tx.gateway,
        "status": tx.status,
        "message": tx.message,
        "created_at": timestamp(tx.created_at, tz),
        "processed_at": timestamp(tx.processed_at or tx.created_at, tz),
        "test": tx.test,
        "authorization": tx.authorization,
        "authorization_expires_at": timestamp(tx.authorization_expires_at, tz),
        "extended_authorization_attributes": {},
        "location_id": None,
        "user_id": None,
        "parent_id": tx.parent_id,
        "device_id": None,
        "receipt": receipt_json(tx.test, tx.authorization, tx.receipt),
        "error_code": tx.error_code,
        "source_name": tx.source_name,
        "payment_details": _payment_details(tx.payment_details),
        "payment_id": f"{order.name}.{position}" if position else None,
        "amount": tx.amount.presentment.format(),
        "currency": tx.amount.presentment.currency,
        "amount_set": money_set(tx.amount),
        "total_unsettled_set": _unsettled(tx),
        "currency_exchange_adjustment": None,
        "manual_payment_gateway": tx.gateway == "manual",
        "amount_rounding": None,
    }


def refund_json(order: Order, refund: Refund, shop: Shop) -> dict[str, Any]:
    tz = shop.iana_timezone
    lines = {li.id: li for li in order.line_items}
    fulfilled = order.line_fulfillment()
    return {
        "id": refund.id,
        "admin_graphql_api_id": gid("Refund", refund.id),
        "order_id": order.id,
        "created_at": timestamp(refund.created_at, tz),
        "processed_at": timestamp(refund.processed_at or refund.created_at, tz),
        "note": refund.note,
        "restock": refund.restock,
        "user_id": None,
        "total_duties_set": None,
        "duties": [],
        "additional_fees": [],
        "total_additional_fees_set": None,
        "return": None,
        "refund_line_items": [
            {
                "id": rl.id,
                "line_item_id": rl.line_item_id,
                "location_id": rl.location_id,
                "quantity": rl.quantity,
                "restock_type": rl.restock_type,
                "subtotal": float(rl.subtotal.shop.amount),
                "subtotal_set": money_set(rl.subtotal),
                "total_tax": float(rl.total_tax.shop.amount),
                "total_tax_set": money_set(rl.total_tax),
                "line_item": line_item_json(order, lines[rl.line_item_id], fulfilled) if rl.line_item_id in lines else None,
            }
            for rl in refund.lines
        ],
        "transactions": [transaction_json(order, tx, shop) for tx in refund.transactions],
        "order_adjustments": [
            {
                "id": None,
                "order_id": order.id,
                "refund_id": refund.id,
                "amount": a.amount.shop.format(),
                "tax_amount": a.tax_amount.shop.format(),
                "kind": a.kind,
                "reason": a.reason,
                "amount_set": money_set(a.amount),
                "tax_amount_set": money_set(a.tax_amount),
            }
            for a in refund.adjustments
        ],
    }


def calculation_json(order: Order, plan: RefundPlan, shop: Shop) -> dict[str, Any]:
    """The suggested refund: ``POST /orders/{id}/refunds/calculate.json``."""
    lines = {li.id: li for li in order.line_items}
    out_lines = []
    for rl in plan.lines:
        line = lines[rl.line_item_id]
        per_unit = Decimal(1) / Decimal(line.quantity)
        unit = (line.line_price - line.total_discount) * per_unit
        out_lines.append(
            {
                "quantity": rl.quantity,
                "line_item_id": rl.line_item_id,
                "location_id": rl.location_id,
                "restock_type": rl.restock_type,
                "price": line.price.shop.format(),
                "subtotal": rl.subtotal.shop.format(),
                "total_tax": rl.total_tax.shop.format(),
                "discounted_price": unit.shop.format(),
                "discounted_total_price": rl.subtotal.shop.format(),
                "total_cart_discount_amount": (line.total_discount * (rl.quantity * per_unit)).shop.format(),
            }
        )
    return {
        "shipping": {
            "amount": plan.shipping.presentment.format(),
            "tax": plan.shipping_tax.presentment.format(),
            "maximum_refundable": plan.shipping_maximum.presentment.format(),
        },
        "duties": [],
        "additional_fees": [],
        "total_duties_set": None,
        "total_additional_fees_set": None,
        "return": None,
        "refund_line_items": out_lines,
        "transactions": [
            {
                "order_id": order.id,
                "kind": "suggested_refund",
                "gateway": s.parent.gateway,
                "parent_id": s.parent.id,
                "amount": Money(s.amount, order.presentment_currency).format(),
                "currency": order.presentment_currency,
                "maximum_refundable": Money(s.maximum_refundable, order.presentment_currency).format(),
            }
            for s in plan.transactions
        ],
        "currency": order.presentment_currency,
    }
