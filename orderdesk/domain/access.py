"""Who may see and change what: the one access rule every route, resolver and screen applies.

A ``Caller`` is an app (acting through one of its access tokens), a staff member, or orderdesk
itself (the worker's jobs, the CLI). Its scopes are Shopify's: ``read_*``/``write_*`` per
resource, a write scope implying the read one. Three rules follow from them, as on Shopify:

* a caller without a resource's scope is refused (403, naming the scope);
* orders older than 60 days are invisible without ``read_all_orders`` (404, as if absent),
  however they are reached: by id, through a fulfillment order, a fulfillment, a refund, ...;
* what an app created for itself (webhook subscriptions, fulfillment services) is that app's:
  another app finds nothing there (404).

Fulfillment orders have their own scopes by who fulfils them (Shopify's kinds): the merchant's
own locations (``merchant_managed``), a fulfillment service of the calling app (``assigned``),
or another app's service (``third_party``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from .errors import Forbidden

# Orders older than this are invisible to callers without read_all_orders.
RECENT_ORDERS = timedelta(days=60)

FulfillmentOrderKind = Literal["merchant_managed", "assigned", "third_party"]
FULFILLMENT_ORDER_KINDS: tuple[FulfillmentOrderKind, ...] = ("merchant_managed", "assigned", "third_party")


def fulfillment_order_scope(verb: Literal["read", "write"], kind: FulfillmentOrderKind) -> str:
    return f"{verb}_{kind}_fulfillment_orders"


ANY_FULFILLMENT_ORDER_READ = tuple(fulfillment_order_scope("read", k) for k in FULFILLMENT_ORDER_KINDS)
ANY_FULFILLMENT_ORDER_WRITE = tuple(fulfillment_order_scope("write", k) for k in FULFILLMENT_ORDER_KINDS)


def needs_scope_message(scope: str) -> str:
    return f"[API] This action requires merchant approval for {scope} scope."


@dataclass(frozen=True)
class Caller:
    """Who is asking. ``name`` is what the timeline shows as the author."""

    name: str
    scopes: frozenset[str] = frozenset()
    app_id: int | None = None
    token_id: int | None = None
    staff_id: int | None = None
    system: bool = False
    # A staff member's permissions in the admin (domain/staff.py); apps have scopes instead.
    permissions: frozenset[str] = frozenset()

    def has(self, scope: str) -> bool:
        """A write scope implies the matching read scope; orderdesk itself may do anything."""
        if self.system or scope in self.scopes:
            return True
        return scope.startswith("read_") and "write_" + scope[len("read_") :] in self.scopes

    def has_any(self, scopes: Iterable[str]) -> bool:
        return any(self.has(s) for s in scopes)

    def require(self, scope: str) -> None:
        if not self.has(scope):
            raise Forbidden(needs_scope_message(scope), field="scope")

    def require_any(self, scopes: tuple[str, ...]) -> None:
        if not self.has_any(scopes):
            raise Forbidden(needs_scope_message(scopes[0]), field="scope")

    def may(self, permission: str) -> bool:
        """Whether a staff member may use an admin action needing ``permission``."""
        return self.system or permission in self.permissions

    def require_permission(self, permission: str) -> None:
        if not self.may(permission):
            raise Forbidden(f"Your account does not have the {permission} permission.", field="permission")

    @property
    def reads_all_orders(self) -> bool:
        return self.has("read_all_orders")

    def orders_visible_since(self, now: datetime) -> datetime | None:
        """The oldest ``created_at`` of an order this caller may see, or None for all of them."""
        return None if self.reads_all_orders else now - RECENT_ORDERS

    def owns(self, owner_app_id: int | None) -> bool:
        """Whether an object an app created (its ``owner_app_id``) is this caller's to see and
        change. Objects from before owners were recorded (None) belong to every app; staff and
        orderdesk itself act for the shop and see every app's objects."""
        return owner_app_id is None or self.app_id is None or owner_app_id == self.app_id

    def fulfillment_order_kind(self, service_owner_app_id: int | None, at_service: bool) -> FulfillmentOrderKind:
        """Which kind a fulfillment order is for this caller: at the merchant's location, at
        a service this caller's app registered, or at another app's service."""
        if not at_service:
            return "merchant_managed"
        if self.app_id is not None and service_owner_app_id == self.app_id:
            return "assigned"
        return "third_party"

    def may_fulfillment_order(self, verb: Literal["read", "write"], kind: FulfillmentOrderKind) -> bool:
        return self.has(fulfillment_order_scope(verb, kind))

    def check_fulfillment_order(self, verb: Literal["read", "write"], kind: FulfillmentOrderKind) -> None:
        self.require(fulfillment_order_scope(verb, kind))


# orderdesk acting on its own: scheduled jobs, the worker, the command line, the demo seed.
SYSTEM = Caller(name="orderdesk", system=True)
