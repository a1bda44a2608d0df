"""Repositories: load and store aggregates with as few statements as the shapes allow."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..domain.customer import Customer
from ..domain.order import Order
from . import tables as t
from .mapping import (
    customer_from_row,
    fulfillment_order_from_row,
    fulfillment_order_line_id,
    fulfillment_order_values,
    fulfillment_values,
    line_values,
    order_from_rows,
    order_values,
    refund_line_id,
    refund_values,
    shipping_line_id,
    transaction_values,
)

# Ids are BIGINT; a larger one names no row (and drivers refuse to send it).
MAX_ID = 2**63 - 1

_customer_cols = [c.label(f"cust__{c.name}") for c in t.customers.c]


def order_select():
    return select(t.orders, *_customer_cols).select_from(t.orders.outerjoin(t.customers, t.orders.c.customer_id == t.customers.c.id))


_CHILDREN = (
    ("lines", t.line_items, None),
    ("txs", t.transactions, None),
    # Most orders have no fulfillments or refunds yet; the counters on the order row say so.
    ("fuls", t.fulfillments, "fulfillment_count"),
    ("refunds", t.refunds, "refund_count"),
)


def load_orders(conn: Connection, rows: list[Any]) -> list[Order]:
    """Attach children to order rows: one statement per kind of child that any of them has."""
    if not rows:
        return []
    children: dict[str, dict[int, list[Any]]] = {}
    for name, table, counter in _CHILDREN:
        ids = [r["id"] for r in rows if counter is None or r[counter]]
        grouped: dict[int, list[Any]] = defaultdict(list)
        if ids:
            for r in conn.execute(select(table).where(table.c.order_id.in_(ids))).mappings():
                grouped[r["order_id"]].append(r)
        children[name] = grouped
    return [
        order_from_rows(
            r,
            children["lines"][r["id"]],
            children["txs"][r["id"]],
            children["fuls"][r["id"]],
            children["refunds"][r["id"]],
        )
        for r in rows
    ]


# Statements are built once: rebuilding a 40-column INSERT per request costs more than running it.
_INSERT_LINES = insert(t.line_items).returning(t.line_items.c.id, t.line_items.c.position)
_INSERT_TRANSACTIONS = insert(t.transactions).returning(t.transactions.c.id, sort_by_parameter_order=True)
_INSERT_FULFILLMENTS = insert(t.fulfillments).returning(t.fulfillments.c.id, sort_by_parameter_order=True)
_INSERT_ORDER = {
    "postgresql": insert(t.orders).values(number=func.nextval("order_number_seq")).returning(t.orders.c.id, t.orders.c.number),
    # SQLite writers are serialised, so max()+1 cannot race.
    "sqlite": insert(t.orders)
    .values(number=select(func.coalesce(func.max(t.orders.c.number), 0) + 1).scalar_subquery())
    .returning(t.orders.c.id, t.orders.c.number),
}


class OrderRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, order: Order, *, name_prefix: str, name_suffix: str, offset: int) -> Order:
        values = order_values(order)
        values.update(name_prefix=name_prefix, name_suffix=name_suffix, order_number_offset=offset)
        row = self.conn.execute(_INSERT_ORDER[self.conn.dialect.name], values).one()
        order.id, order.number = row.id, row.number
        for position, shipping_line in enumerate(order.shipping_lines, start=1):
            shipping_line.id = shipping_line_id(order.id, position)
        if not order.name or not order.extra.get("custom_name"):
            order.name = f"{name_prefix}{order.number + offset}{name_suffix}"
        key_to_id: dict[int, int] = {}
        line_rows = [line_values(order.id, line) for line in order.line_items]
        # One multi-row INSERT; rows come back matched by position, whatever order the engine returns them in.
        by_position = {line.position: line for line in order.line_items}
        for line_id, position in self.conn.execute(_INSERT_LINES, line_rows):
            line = by_position[position]
            key_to_id[line.key] = line_id
            line.id = line_id
        if order.transactions:
            self.add_transactions(order.id, order.transactions)
        if order.fulfillment_orders:
            for fo in order.fulfillment_orders:
                for fo_line in fo.lines:
                    fo_line.line_item_id = key_to_id.get(fo_line.line_item_id, fo_line.line_item_id)
            self.add_fulfillment_orders(order.id, order.fulfillment_orders)
        if order.fulfillments:
            rows = []
            for n, f in enumerate(order.fulfillments, start=1):
                f.quantities = {key_to_id.get(k, k): q for k, q in f.quantities.items()}
                f.name = f"{order.name}.{n}"
                rows.append(fulfillment_values(order.id, f.name, f))
            f_ids = self.conn.execute(_INSERT_FULFILLMENTS, rows).scalars().all()
            for f, f_id in zip(order.fulfillments, f_ids):
                f.id = f_id
        return order

    def add_transactions(self, order_id: int, transactions: list) -> None:
        """Insert new transactions and give them their ids."""
        rows = [transaction_values(order_id, tx) for tx in transactions]
        if len(rows) == 1:
            transactions[0].id = self.conn.execute(_INSERT_TRANSACTIONS, rows[0]).scalar_one()
            return
        for tx, tx_id in zip(transactions, self.conn.execute(_INSERT_TRANSACTIONS, rows).scalars().all()):
            tx.id = tx_id

    def add_refund(self, order_id: int, refund) -> None:
        """Insert a refund, then its transactions pointing at it."""
        refund.id = self.conn.execute(insert(t.refunds).values(refund_values(order_id, refund)).returning(t.refunds.c.id)).scalar_one()
        for position, line in enumerate(refund.lines, start=1):
            line.id = refund_line_id(refund.id, position)
        for tx in refund.transactions:
            tx.refund_id = refund.id
        if refund.transactions:
            self.add_transactions(order_id, refund.transactions)

    # --- fulfillment --------------------------------------------------------------

    def load_fulfillment_orders(self, order: Order) -> None:
        fos, services = t.fulfillment_orders, t.fulfillment_services
        rows = self.conn.execute(
            select(fos, services.c.handle.label("service_handle"))
            .select_from(fos.outerjoin(services, services.c.id == fos.c.service_id))
            .where(fos.c.order_id == order.id)
            .order_by(fos.c.id)
        ).mappings()
        order.fulfillment_orders = [fulfillment_order_from_row(r) for r in rows]

    def add_fulfillment_orders(self, order_id: int, fos: list) -> None:
        if not fos:
            return
        ids = (
            self.conn.execute(
                insert(t.fulfillment_orders).returning(t.fulfillment_orders.c.id, sort_by_parameter_order=True),
                [fulfillment_order_values(order_id, fo) for fo in fos],
            )
            .scalars()
            .all()
        )
        for fo, fo_id in zip(fos, ids):
            fo.id = fo_id
            for position, line in enumerate(fo.lines, start=1):
                line.id = fulfillment_order_line_id(fo_id, position)

    def save_fulfillment_orders(self, order: Order) -> None:
        """Insert the order's new fulfillment orders and update the others (none when they were not loaded)."""
        order_id, fos = order.saved_id, order.fulfillment_orders or []
        new = [fo for fo in fos if fo.id is None]
        old = [(fo, fo.id) for fo in fos if fo.id is not None]
        self.add_fulfillment_orders(order_id, new)
        for fo, fo_id in old:
            # Units given back to a fulfillment order may bring a line it did not have.
            taken = [line.id - fo_id * 1000 for line in fo.lines if line.id is not None]
            for line in fo.lines:
                if line.id is None:
                    line.id = fulfillment_order_line_id(fo_id, max(taken, default=0) + 1)
                    taken.append(line.id - fo_id * 1000)
        if old:
            self.conn.execute(
                update(t.fulfillment_orders).where(t.fulfillment_orders.c.id == bindparam("fo_id")),
                [{**fulfillment_order_values(order_id, fo), "fo_id": fo_id} for fo, fo_id in old],
            )

    def add_fulfillment(self, order_id: int, fulfillment) -> None:
        fulfillment.id = self.conn.execute(
            insert(t.fulfillments).values(fulfillment_values(order_id, fulfillment.name, fulfillment)).returning(t.fulfillments.c.id)
        ).scalar_one()

    def save_fulfillment(self, order_id: int, fulfillment) -> None:
        self.conn.execute(
            update(t.fulfillments)
            .where(t.fulfillments.c.id == fulfillment.id)
            .values(fulfillment_values(order_id, fulfillment.name, fulfillment))
        )

    def order_id_for_fulfillment_order(self, fo_id: int) -> int | None:
        if not 0 < fo_id <= MAX_ID:
            return None
        return self.conn.execute(select(t.fulfillment_orders.c.order_id).where(t.fulfillment_orders.c.id == fo_id)).scalar()

    def order_id_for_fulfillment(self, fulfillment_id: int) -> int | None:
        if not 0 < fulfillment_id <= MAX_ID:
            return None
        return self.conn.execute(select(t.fulfillments.c.order_id).where(t.fulfillments.c.id == fulfillment_id)).scalar()

    def add_fulfillment_event(self, order_id: int, fulfillment_id: int, values: dict[str, Any], at: datetime) -> Any:
        return (
            self.conn.execute(
                insert(t.fulfillment_events)
                .values(
                    order_id=order_id,
                    fulfillment_id=fulfillment_id,
                    happened_at=values.get("happened_at") or at,
                    created_at=at,
                    updated_at=at,
                    **{k: v for k, v in values.items() if k != "happened_at"},
                )
                .returning(*t.fulfillment_events.c)
            )
            .mappings()
            .one()
        )

    def fulfillment_events(self, fulfillment_id: int) -> list[Any]:
        e = t.fulfillment_events.c
        return list(self.conn.execute(select(t.fulfillment_events).where(e.fulfillment_id == fulfillment_id).order_by(e.id)).mappings())

    def delete_fulfillment_event(self, event_id: int) -> None:
        self.conn.execute(delete(t.fulfillment_events).where(t.fulfillment_events.c.id == event_id))

    def mark_expired(self, transactions: list) -> None:
        for tx in transactions:
            self.conn.execute(update(t.transactions).where(t.transactions.c.id == tx.id).values(expired_at=tx.expired_at))

    def get(
        self, order_id: int, *, created_since: datetime | None, for_update: bool = False, fulfillment_orders: bool = False
    ) -> Order | None:
        """The order, if created at or after ``created_since`` (None: however old; callers decide
        on a caller's behalf in services/loading.py)."""
        if not 0 < order_id <= MAX_ID:
            return None  # no such row; and the driver would refuse an id beyond BIGINT
        query = order_select().where(t.orders.c.id == order_id)
        if created_since is not None:
            query = query.where(t.orders.c.created_at >= created_since)
        if for_update and self.conn.dialect.name == "postgresql":
            query = query.with_for_update(of=t.orders)
        row = self.conn.execute(query).mappings().first()
        if row is None:
            return None
        order = load_orders(self.conn, [row])[0]
        if fulfillment_orders:
            self.load_fulfillment_orders(order)
        if for_update:
            order.settle()  # what its changes are reported against (Order.take_events)
        return order

    def get_by_status_key_hash(self, status_key_hash: str) -> Order | None:
        """The order whose shopper status key hashes to this (see domain.status_links)."""
        row = self.conn.execute(order_select().where(t.orders.c.status_key_hash == status_key_hash)).mappings().first()
        return load_orders(self.conn, [row])[0] if row is not None else None

    def save(self, order: Order, *, lines: bool = False) -> None:
        """Write the order's changeable columns (and its lines' restock/removal counts if asked)."""
        values = order_values(order)
        changeable = (
            "email",
            "phone",
            "note",
            "tags",
            "note_attributes",
            "shipping_address",
            "buyer_accepts_marketing",
            "customer_id",
            "closed_at",
            "cancelled_at",
            "cancel_reason",
            "updated_at",
            "financial_status",
            "fulfillment_status",
            "extra",
            "payment_terms",
            "fulfillment_count",
            "refund_count",
            "fulfillment_order_count",
        )
        self.conn.execute(update(t.orders).where(t.orders.c.id == order.id).values({k: values[k] for k in changeable if k in values}))
        if lines:
            self.conn.execute(
                update(t.line_items)
                .where(t.line_items.c.id == bindparam("line_id"))
                .values(
                    restocked_quantity=bindparam("restocked"),
                    removed_quantity=bindparam("removed"),
                    committed_quantity=bindparam("committed"),
                ),
                [
                    {
                        "line_id": line.id,
                        "restocked": line.restocked_quantity,
                        "removed": line.removed_quantity,
                        "committed": line.committed_quantity,
                    }
                    for line in order.line_items
                ],
            )

    def delete(self, order_id: int) -> None:
        self.conn.execute(delete(t.events).where(t.events.c.subject_type == "Order", t.events.c.subject_id == order_id))
        self.conn.execute(delete(t.orders).where(t.orders.c.id == order_id))


def _customer_values(customer: Customer, at: datetime) -> dict[str, Any]:
    return {
        "email": customer.email,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "phone": customer.phone,
        "accepts_marketing": customer.accepts_marketing,
        "currency": customer.currency,
        "default_address": customer.default_address,
        "tags": customer.tags or "",
        "note": customer.note,
        "created_at": at,
        "updated_at": at,
    }


def _customer_upsert(dialect_insert) -> Any:
    stmt = dialect_insert(t.customers)
    excluded = stmt.excluded
    return stmt.on_conflict_do_update(
        index_elements=[t.customers.c.email],
        set_={
            "first_name": func.coalesce(t.customers.c.first_name, excluded.first_name),
            "last_name": func.coalesce(t.customers.c.last_name, excluded.last_name),
            "phone": func.coalesce(t.customers.c.phone, excluded.phone),
            "default_address": func.coalesce(t.customers.c.default_address, excluded.default_address),
            "updated_at": excluded.updated_at,
        },
    ).returning(*t.customers.c)


_UPSERT_CUSTOMER = {"postgresql": _customer_upsert(postgresql_insert), "sqlite": _customer_upsert(sqlite_insert)}


class CustomerRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, customer_id: int) -> Customer | None:
        if not 0 < customer_id <= MAX_ID:
            return None
        row = self.conn.execute(select(t.customers).where(t.customers.c.id == customer_id)).mappings().first()
        return customer_from_row(row) if row else None

    def upsert_by_email(self, customer: Customer, at: datetime) -> Customer:
        """Find the customer with this email, or create one; fill in names it lacks. One statement."""
        row = self.conn.execute(_UPSERT_CUSTOMER[self.conn.dialect.name], _customer_values(customer, at)).mappings().one()
        return customer_from_row(row)

    def add(self, customer: Customer, at: datetime) -> Customer:
        values = _customer_values(customer, at)
        row = self.conn.execute(insert(t.customers).values(values).returning(*t.customers.c)).mappings().one()
        return customer_from_row(row)


class TimelineRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_many(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            self.conn.execute(insert(t.events), rows)

    def last_reason(self, order_id: int, verb: str) -> str | None:
        """The ``reason`` argument of the order's latest event with this verb."""
        e = t.events.c
        row = self.conn.execute(
            select(e.arguments).where(e.subject_type == "Order", e.subject_id == order_id, e.verb == verb).order_by(e.id.desc()).limit(1)
        ).first()
        if row is None:
            return None
        args = row[0]
        pairs = args.items() if isinstance(args, dict) else args
        return next((v for k, v in pairs if k == "reason"), None)

    def has_verb_since(self, order_id: int, verb: str, since: datetime) -> bool:
        e = t.events.c
        query = select(e.id).where(e.subject_type == "Order", e.subject_id == order_id, e.verb == verb, e.created_at > since).limit(1)
        return self.conn.execute(query).first() is not None


class Outbox:
    """Rows the worker will deliver after commit: webhooks, emails and scheduled jobs."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_many(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        for row in rows:
            row.setdefault("event_id", str(uuid.uuid4()))
            row.setdefault("attempts", 0)
        self.conn.execute(insert(t.outbox), rows)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenRepository:
    """Access tokens and the apps they belong to."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def find(self, token: str) -> Any | None:
        """The active token with this secret, with its app's name (``app_name``)."""
        tok, app = t.api_tokens.c, t.apps.c
        return (
            self.conn.execute(
                select(t.api_tokens, app.name.label("app_name"))
                .select_from(t.api_tokens.join(t.apps, app.id == tok.app_id))
                .where(tok.token_hash == hash_token(token), tok.revoked_at.is_(None))
            )
            .mappings()
            .first()
        )

    def app_named(self, name: str, at: datetime) -> int:
        """The id of the app with this name, made if there is none."""
        found = self.conn.execute(select(t.apps.c.id).where(t.apps.c.name == name)).scalar()
        if found is not None:
            return int(found)
        values = {"name": name, "created_at": at, "webhook_secret": secrets.token_hex(32)}
        return int(self.conn.execute(insert(t.apps).values(**values).returning(t.apps.c.id)).scalar_one())

    def apps(self) -> list[Any]:
        return list(self.conn.execute(select(t.apps).order_by(t.apps.c.id)).mappings())

    def app(self, app_id: int) -> Any | None:
        return self.conn.execute(select(t.apps).where(t.apps.c.id == app_id)).mappings().first()

    def set_app_secret(self, app_id: int, secret: str) -> bool:
        return self.conn.execute(update(t.apps).where(t.apps.c.id == app_id).values(webhook_secret=secret)).rowcount > 0

    def add(self, app_id: int, name: str, token: str, scopes: str, at: datetime) -> int:
        return self.conn.execute(
            insert(t.api_tokens)
            .values(app_id=app_id, name=name, token_hash=hash_token(token), scopes=scopes, created_at=at)
            .returning(t.api_tokens.c.id)
        ).scalar_one()

    def revoke(self, token_id: int, at: datetime) -> bool:
        result = self.conn.execute(
            update(t.api_tokens).where(t.api_tokens.c.id == token_id, t.api_tokens.c.revoked_at.is_(None)).values(revoked_at=at)
        )
        return result.rowcount > 0

    def list(self) -> list[Any]:
        tok, app = t.api_tokens.c, t.apps.c
        return list(
            self.conn.execute(
                select(t.api_tokens, app.name.label("app_name"))
                .select_from(t.api_tokens.join(t.apps, app.id == tok.app_id))
                .order_by(tok.id)
            ).mappings()
        )
