"""Cancelling an order: void, refund when asked, restock when asked, close its fulfillment orders."""

from __future__ import annotations

from ..db.uow import UnitOfWork
from ..domain import fulfillment_orders, ledger
from ..domain.access import Caller
from ..domain.errors import InvalidTransition
from ..domain.refunds import RefundRequest
from . import stock
from .context import Services
from .loading import load_for_change
from .payments import TransactionSpec, run_transaction
from .refunds import RefundOutcome, commit_refund, refund_with_stock
from .transaction import writing


def cancel_order(
    services: Services,
    order_id: int,
    *,
    reason: str | None = None,
    restock: bool = False,
    email: bool = False,
    refund: RefundRequest | None = None,
    caller: Caller,
    uow: UnitOfWork | None = None,
) -> RefundOutcome:
    """Cancel an order: void what is still authorized, refund what was captured when asked
    (``refund``), restock unfulfilled items when asked, tell the customer when asked —
    all in one transaction with the timeline."""
    at = services.clock.now()
    with writing(services, uow) as uow:
        order = load_for_change(uow, services, caller, order_id, fulfillment_orders=True)
        author = caller.name
        order.check_cancellable(reason or "other")
        fulfillment_orders.check_cancellable(order)
        voids = [
            run_transaction(order, TransactionSpec(kind="void", parent_id=auth.id), at, author)
            for auth in ledger.open_authorizations(order.transactions, at)
        ]
        done_refund, failed = (None, [])
        if refund is not None:
            done_refund, failed = refund_with_stock(uow, order, refund, at, author)
            if failed:
                raise InvalidTransition(
                    "The refund failed at the gateway, so the order was not cancelled: "
                    + "; ".join(t.message or t.error_code or t.status for t in failed),
                    field="refund",
                )
        order.cancel(at, reason=reason, restock=restock, notify_customer=email, author=author)
        # The committed stock leaves where it waits, which the fulfillment orders still say.
        stock.release_restocked(uow, order, at)
        # Nothing is left to ship, so no fulfillment order may offer to ship it.
        if fulfillment_orders.close_for_cancelled_order(order, at):
            uow.orders.save_fulfillment_orders(order)
        if voids:
            uow.orders.add_transactions(order.saved_id, voids)
        commit_refund(
            uow,
            services,
            order,
            done_refund,
            [],
            at,
            lines_changed=True,
            emails=["order_cancelled"] if email else [],
            transactions=voids,
        )
    return RefundOutcome(order, done_refund, [])
