"""Conversions between table rows and domain objects."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..domain.customer import Customer
from ..domain.fulfillments import Fulfillment
from ..domain.money import Money, MoneyBag
from ..domain.order import DiscountAllocation, DiscountCode, LineItem, Order, ShippingLine, TaxLine, Totals
from ..domain.payments import Transaction
from ..domain.refunds import OrderAdjustment, Refund, RefundLine
from ..domain.tags import format_tags, parse_tags
from ..domain.terms import PaymentTerms


def shipping_line_id(order_id: int, position: int) -> int:
    # Shipping lines live inside the order row; their ids are derived so they stay stable and unique.
    return order_id * 100 + position


def refund_line_id(refund_id: int, position: int) -> int:
    # Refund lines live inside the refund row; their ids are derived from it, like shipping lines.
    return refund_id * 1000 + position


def bag(row: Any, column: str, shop_currency: str, presentment_currency: str) -> MoneyBag:
    return MoneyBag(Money(row[column], shop_currency), Money(row[f"{column}_presentment"], presentment_currency))


def bag_to_json(value: MoneyBag) -> list[str]:
    return [str(value.shop.amount), str(value.presentment.amount)]


def bag_from_json(value: list[str], shop_currency: str, presentment_currency: str) -> MoneyBag:
    return MoneyBag(Money(Decimal(value[0]), shop_currency), Money(Decimal(value[1]), presentment_currency))


def tax_lines_to_json(lines: list[TaxLine]) -> list[dict[str, Any]]:
    return [{"title": t.title, "rate": str(t.rate), "price": bag_to_json(t.price), "channel_liable": t.channel_liable} for t in lines]


def tax_lines_from_json(data: list[dict[str, Any]], shop: str, pres: str) -> list[TaxLine]:
    return [TaxLine(d["title"], Decimal(d["rate"]), bag_from_json(d["price"], shop, pres), d.get("channel_liable")) for d in data]


def allocations_to_json(allocs: list[DiscountAllocation]) -> list[dict[str, Any]]:
    return [{"amount": bag_to_json(a.amount), "index": a.discount_application_index} for a in allocs]


def allocations_from_json(data: list[dict[str, Any]], shop: str, pres: str) -> list[DiscountAllocation]:
    return [DiscountAllocation(bag_from_json(d["amount"], shop, pres), d["index"]) for d in data]


def order_values(order: Order) -> dict[str, Any]:
    t = order.totals
    values: dict[str, Any] = {
        "custom_name": order.name if order.extra.get("custom_name") else None,
        "token": order.token,
        "confirmation_number": order.confirmation_number,
        "email": order.email,
        "phone": order.phone,
        "note": order.note,
        "tags": format_tags(order.tags),
        "note_attributes": order.note_attributes,
        "currency": order.currency,
        "presentment_currency": order.presentment_currency,
        "billing_address": order.billing_address,
        "shipping_address": order.shipping_address,
        "customer_id": order.customer_id,
        "shipping_lines": [
            {
                "title": s.title,
                "code": s.code,
                "source": s.source,
                "carrier_identifier": s.carrier_identifier,
                "phone": s.phone,
                "price": bag_to_json(s.price),
                "tax_lines": tax_lines_to_json(s.tax_lines),
                "discount_allocations": allocations_to_json(s.discount_allocations),
            }
            for s in order.shipping_lines
        ],
        "tax_lines": tax_lines_to_json(order.tax_lines),
        "discount_codes": [
            {"code": d.code, "type": d.type, "amount": bag_to_json(d.amount), "value": None if d.value is None else str(d.value)}
            for d in order.discount_codes
        ],
        "taxes_included": order.taxes_included,
        "tax_exempt": order.tax_exempt,
        "buyer_accepts_marketing": order.buyer_accepts_marketing,
        "test": order.test,
        "source_name": order.source_name,
        "extra": {k: v for k, v in order.extra.items() if k not in ("custom_name", "status_key_hash")},
        "total_weight": t.weight,
        "financial_status": order.financial_status,
        "fulfillment_status": order.fulfillment_status,
        "created_at": order.created_at,
        "processed_at": order.processed_at,
        "updated_at": order.updated_at,
        "closed_at": order.closed_at,
        "cancelled_at": order.cancelled_at,
        "cancel_reason": order.cancel_reason,
        "payment_terms": terms_to_json(order.payment_terms),
        "status_key_hash": order.extra.get("status_key_hash"),
        "fulfillment_count": len(order.fulfillments),
        **({"fulfillment_order_count": len(order.fulfillment_orders)} if order.fulfillment_orders is not None else {}),
        "refund_count": len(order.refunds),
    }
    for column, value in (
        ("total_line_items_price", t.line_items),
        ("total_discounts", t.discounts),
        ("subtotal_price", t.subtotal),
        ("total_shipping_price", t.shipping),
        ("total_tax", t.tax),
        ("total_price", t.total),
    ):
        values[column] = value.shop.amount
        values[f"{column}_presentment"] = value.presentment.amount
    return values


def line_values(order_id: int, line: LineItem) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "position": line.position,
        "title": line.title,
        "variant_title": line.variant_title,
        "sku": line.sku,
        "vendor": line.vendor,
        "product_id": line.product_id,
        "variant_id": line.variant_id,
        "quantity": line.quantity,
        "price": line.price.shop.amount,
        "price_presentment": line.price.presentment.amount,
        "grams": line.grams,
        "requires_shipping": line.requires_shipping,
        "taxable": line.taxable,
        "gift_card": line.gift_card,
        "fulfillment_service": line.fulfillment_service,
        "variant_inventory_management": line.variant_inventory_management,
        "properties": line.properties,
        "tax_lines": tax_lines_to_json(line.tax_lines),
        "discount_allocations": allocations_to_json(line.discount_allocations),
        "restocked_quantity": line.restocked_quantity,
        "removed_quantity": line.removed_quantity,
        "location_id": line.location_id,
        "committed_quantity": line.committed_quantity,
        "oversold_quantity": line.oversold_quantity,
    }


def transaction_values(order_id: int, t: Transaction) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "kind": t.kind,
        "status": t.status,
        "amount": t.amount.shop.amount,
        "amount_presentment": t.amount.presentment.amount,
        "gateway": t.gateway,
        "parent_id": t.parent_id,
        "authorization": t.authorization,
        "authorization_expires_at": t.authorization_expires_at,
        "error_code": t.error_code,
        "message": t.message,
        "test": t.test,
        "source_name": t.source_name,
        "receipt": t.receipt,
        "created_at": t.created_at,
        "processed_at": t.processed_at or t.created_at,
        "expired_at": t.expired_at,
        "refund_id": t.refund_id,
        "author": t.user,
        "payment_details": t.payment_details,
    }


def terms_to_json(terms: PaymentTerms | None) -> dict[str, Any] | None:
    if terms is None:
        return None
    return {
        "type": terms.type,
        "issued_at": terms.issued_at.isoformat(),
        "due_in_days": terms.due_in_days,
        "fixed_due_at": terms.fixed_due_at.isoformat() if terms.fixed_due_at else None,
    }


def terms_from_json(data: dict[str, Any] | None) -> PaymentTerms | None:
    if not data:
        return None
    from datetime import datetime

    return PaymentTerms(
        type=data["type"],
        issued_at=datetime.fromisoformat(data["issued_at"]),
        due_in_days=data.get("due_in_days"),
        fixed_due_at=datetime.fromisoformat(data["fixed_due_at"]) if data.get("fixed_due_at") else None,
    )


def refund_values(order_id: int, refund: Refund) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "note": refund.note,
        "author": refund.user,
        "lines": [
            {
                "line_item_id": rl.line_item_id,
                "quantity": rl.quantity,
                "restock_type": rl.restock_type,
                "location_id": rl.location_id,
                "subtotal": bag_to_json(rl.subtotal),
                "total_tax": bag_to_json(rl.total_tax),
            }
            for rl in refund.lines
        ],
        "adjustments": [
            {"kind": a.kind, "reason": a.reason, "amount": bag_to_json(a.amount), "tax_amount": bag_to_json(a.tax_amount)}
            for a in refund.adjustments
        ],
        "created_at": refund.created_at,
        "processed_at": refund.processed_at or refund.created_at,
    }


def refund_from_row(r: Any, transactions: list[Transaction], shop: str, pres: str) -> Refund:
    return Refund(
        id=r["id"],
        note=r["note"],
        user=r["author"],
        created_at=r["created_at"],
        processed_at=r["processed_at"],
        lines=[
            RefundLine(
                id=refund_line_id(r["id"], position),
                line_item_id=d["line_item_id"],
                quantity=d["quantity"],
                restock_type=d["restock_type"],
                location_id=d.get("location_id"),
                subtotal=bag_from_json(d["subtotal"], shop, pres),
                total_tax=bag_from_json(d["total_tax"], shop, pres),
            )
            for position, d in enumerate(r["lines"], start=1)
        ],
        adjustments=[
            OrderAdjustment(
                kind=d["kind"],
                reason=d["reason"],
                amount=bag_from_json(d["amount"], shop, pres),
                tax_amount=bag_from_json(d["tax_amount"], shop, pres),
            )
            for d in r["adjustments"]
        ],
        transactions=[t for t in transactions if t.refund_id == r["id"]],
    )


def fulfillment_values(order_id: int, name: str, f: Fulfillment) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "name": name,
        "status": f.status,
        "location_id": f.location_id,
        "service": f.service,
        "tracking_company": f.tracking_company,
        "tracking_numbers": f.tracking_numbers,
        "tracking_urls": f.tracking_urls,
        "shipment_status": f.shipment_status,
        "notify_customer": f.notify_customer,
        "quantities": {str(k): v for k, v in f.quantities.items()},
        "fulfillment_order_id": f.fulfillment_order_id,
        "created_at": f.created_at,
        "updated_at": f.updated_at or f.created_at,
    }


def joined_customer(row: Any, prefix: str) -> Customer | None:
    """The customer columns of an outer join: None when the row has no customer."""
    return None if row[f"{prefix}id"] is None else customer_from_row(row, prefix)


def customer_from_row(row: Any, prefix: str = "") -> Customer:
    return Customer(
        id=row[f"{prefix}id"],
        email=row[f"{prefix}email"],
        first_name=row[f"{prefix}first_name"],
        last_name=row[f"{prefix}last_name"],
        phone=row[f"{prefix}phone"],
        state=row[f"{prefix}state"],
        note=row[f"{prefix}note"],
        tags=row[f"{prefix}tags"],
        verified_email=row[f"{prefix}verified_email"],
        tax_exempt=row[f"{prefix}tax_exempt"],
        accepts_marketing=row[f"{prefix}accepts_marketing"],
        currency=row[f"{prefix}currency"],
        default_address=row[f"{prefix}default_address"],
        created_at=row[f"{prefix}created_at"],
        updated_at=row[f"{prefix}updated_at"],
    )


def order_from_rows(row: Any, line_rows: list[Any], tx_rows: list[Any], ful_rows: list[Any], refund_rows: Sequence[Any] = ()) -> Order:
    shop, pres = row["currency"], row["presentment_currency"]
    lines = [
        LineItem(
            id=r["id"],
            position=r["position"],
            title=r["title"],
            variant_title=r["variant_title"],
            sku=r["sku"],
            vendor=r["vendor"],
            product_id=r["product_id"],
            variant_id=r["variant_id"],
            quantity=r["quantity"],
            price=bag(r, "price", shop, pres),
            grams=r["grams"],
            requires_shipping=r["requires_shipping"],
            taxable=r["taxable"],
            gift_card=r["gift_card"],
            fulfillment_service=r["fulfillment_service"],
            variant_inventory_management=r["variant_inventory_management"],
            properties=r["properties"],
            tax_lines=tax_lines_from_json(r["tax_lines"], shop, pres),
            discount_allocations=allocations_from_json(r["discount_allocations"], shop, pres),
            restocked_quantity=r["restocked_quantity"],
            removed_quantity=r["removed_quantity"],
            location_id=r["location_id"],
            committed_quantity=r["committed_quantity"],
            oversold_quantity=r["oversold_quantity"],
        )
        for r in sorted(line_rows, key=lambda r: r["position"])
    ]
    shipping = [
        ShippingLine(
            id=shipping_line_id(row["id"], i),
            title=s["title"],
            code=s["code"],
            source=s["source"],
            carrier_identifier=s["carrier_identifier"],
            phone=s["phone"],
            price=bag_from_json(s["price"], shop, pres),
            tax_lines=tax_lines_from_json(s["tax_lines"], shop, pres),
            discount_allocations=allocations_from_json(s["discount_allocations"], shop, pres),
        )
        for i, s in enumerate(row["shipping_lines"], start=1)
    ]
    txs = [
        Transaction(
            id=r["id"],
            kind=r["kind"],
            status=r["status"],
            amount=bag(r, "amount", shop, pres),
            gateway=r["gateway"],
            parent_id=r["parent_id"],
            authorization=r["authorization"],
            authorization_expires_at=r["authorization_expires_at"],
            error_code=r["error_code"],
            message=r["message"],
            test=r["test"],
            source_name=r["source_name"],
            receipt=r["receipt"],
            created_at=r["created_at"],
            processed_at=r["processed_at"],
            expired_at=r["expired_at"],
            refund_id=r["refund_id"],
            user=r["author"],
            payment_details=r["payment_details"],
        )
        for r in sorted(tx_rows, key=lambda r: r["id"])
    ]
    refunds = [refund_from_row(r, txs, shop, pres) for r in sorted(refund_rows, key=lambda r: r["id"])]
    by_line = {line.id: line for line in lines}
    for refund in refunds:
        for rl in refund.lines:
            line = by_line.get(rl.line_item_id)
            if line is None:
                continue
            line.refunded_quantity += rl.quantity
            if rl.restock_type == "cancel":
                line.cancelled_quantity += rl.quantity
            elif rl.restock_type == "return":
                line.returned_quantity += rl.quantity
    fuls = [
        Fulfillment(
            id=r["id"],
            name=r["name"],
            status=r["status"],
            location_id=r["location_id"],
            service=r["service"],
            tracking_company=r["tracking_company"],
            tracking_numbers=r["tracking_numbers"],
            tracking_urls=r["tracking_urls"],
            shipment_status=r["shipment_status"],
            notify_customer=r["notify_customer"],
            quantities={int(k): v for k, v in r["quantities"].items()},
            fulfillment_order_id=r["fulfillment_order_id"],
            created_at=r["created_at"],
            updated_at=r["updated_at"],
        )
        for r in sorted(ful_rows, key=lambda r: r["id"])
    ]
    order_number = row["number"] + row["order_number_offset"]
    extra = dict(row["extra"])
    extra["status_key_hash"] = row["status_key_hash"]
    if row["custom_name"]:
        extra["custom_name"] = True
    order = Order(
        id=row["id"],
        number=row["number"],
        name=row["custom_name"] or f"{row['name_prefix']}{order_number}{row['name_suffix']}",
        currency=shop,
        presentment_currency=pres,
        line_items=lines,
        totals=Totals(
            line_items=bag(row, "total_line_items_price", shop, pres),
            discounts=bag(row, "total_discounts", shop, pres),
            subtotal=bag(row, "subtotal_price", shop, pres),
            shipping=bag(row, "total_shipping_price", shop, pres),
            tax=bag(row, "total_tax", shop, pres),
            total=bag(row, "total_price", shop, pres),
            weight=row["total_weight"],
        ),
        created_at=row["created_at"],
        processed_at=row["processed_at"],
        updated_at=row["updated_at"],
        token=row["token"],
        confirmation_number=row["confirmation_number"],
        email=row["email"],
        phone=row["phone"],
        note=row["note"],
        tags=parse_tags(row["tags"]),
        note_attributes=row["note_attributes"],
        billing_address=row["billing_address"],
        shipping_address=row["shipping_address"],
        customer_id=row["customer_id"],
        shipping_lines=shipping,
        tax_lines=tax_lines_from_json(row["tax_lines"], shop, pres),
        discount_codes=[
            DiscountCode(
                code=d["code"],
                type=d["type"],
                amount=bag_from_json(d["amount"], shop, pres),
                value=None if d.get("value") is None else Decimal(d["value"]),
            )
            for d in row["discount_codes"]
        ],
        taxes_included=row["taxes_included"],
        tax_exempt=row["tax_exempt"],
        buyer_accepts_marketing=row["buyer_accepts_marketing"],
        test=row["test"],
        source_name=row["source_name"],
        closed_at=row["closed_at"],
        cancelled_at=row["cancelled_at"],
        cancel_reason=row["cancel_reason"],
        extra=extra,
        transactions=txs,
        fulfillments=fuls,
        refunds=refunds,
        payment_terms=terms_from_json(row["payment_terms"]),
    )
    order.customer = joined_customer(row, "cust__")
    return order


def fulfillment_order_line_id(fo_id: int, position: int) -> int:
    return fo_id * 1000 + position


def fulfillment_order_line_position(fo_id: int | None, line_id: int | None, index: int) -> int:
    """A line keeps its position (so its id) for good, even when lines before it leave."""
    return line_id - fo_id * 1000 if fo_id is not None and line_id is not None else index


def fulfillment_order_values(order_id: int, fo) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "assigned_location_id": fo.assigned_location_id,
        "status": fo.status,
        "request_status": fo.request_status,
        "status_before_hold": fo.status_before_hold,
        "fulfill_at": fo.fulfill_at,
        "fulfill_by": fo.fulfill_by,
        "lines": [
            {
                "line_item_id": li.line_item_id,
                "quantity": li.quantity,
                "fulfilled": li.fulfilled,
                "position": fulfillment_order_line_position(fo.id, li.id, n),
            }
            for n, li in enumerate(fo.lines, start=1)
        ],
        "holds": [{"reason": h.reason, "reason_notes": h.reason_notes, "held_at": h.held_at.isoformat()} for h in fo.holds],
        "merchant_requests": fo.merchant_requests,
        "service_id": fo.service_id,
        "created_at": fo.created_at,
        "updated_at": fo.updated_at,
    }


def fulfillment_order_from_row(r: Any):
    from datetime import datetime

    from ..domain.fulfillment_orders import FulfillmentHold, FulfillmentOrder, FulfillmentOrderLine

    return FulfillmentOrder(
        id=r["id"],
        assigned_location_id=r["assigned_location_id"],
        status=r["status"],
        request_status=r["request_status"],
        status_before_hold=r["status_before_hold"],
        fulfill_at=r["fulfill_at"],
        fulfill_by=r["fulfill_by"],
        lines=[
            FulfillmentOrderLine(
                d["line_item_id"], d["quantity"], d["fulfilled"], id=fulfillment_order_line_id(r["id"], d.get("position", i))
            )
            for i, d in enumerate(r["lines"], start=1)
        ],
        holds=[FulfillmentHold(h["reason"], h.get("reason_notes"), datetime.fromisoformat(h["held_at"])) for h in r["holds"]],
        merchant_requests=list(r["merchant_requests"] or []),
        service_id=r["service_id"],
        service_handle=r.get("service_handle"),
        created_at=r["created_at"],
        updated_at=r["updated_at"],
    )
