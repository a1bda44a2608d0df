"""The unit of work: one transaction per use case, rolled back unless committed."""

from __future__ import annotations

import contextlib
from typing import Any

from sqlalchemy import Connection, Engine

from .catalog import ProductRepository
from .customers import CustomerDirectory
from .fulfillment_services import FulfillmentServiceRepository
from .idempotency import IdempotencyKeys
from .inventory import Inventory
from .notification_deliveries import NotificationDeliveryLog
from .repositories import CustomerRepository, OrderRepository, Outbox, TimelineRepository, TokenRepository
from .shop import ShopRepository
from .staff import StaffRepository
from .webhooks import WebhookRepository


class UnitOfWork:
    """Opens a connection and a transaction; writers take the SQLite write lock first."""

    conn: Connection

    def __init__(self, engine: Engine, *, write: bool = True) -> None:
        self.engine = engine
        self.write = write
        self._lock = getattr(engine, "info_write_lock", None) if write else None
        self._committed = False

    def __enter__(self) -> UnitOfWork:
        if self._lock is not None:
            self._lock.acquire()
        try:
            self.conn = self.engine.connect()
            self.conn.info["write"] = self.write
            self._tx = self.conn.begin()
        except BaseException:
            if self._lock is not None:
                self._lock.release()
            raise
        self.orders = OrderRepository(self.conn)
        self.customers = CustomerRepository(self.conn)
        self.directory = CustomerDirectory(self.conn)
        self.inventory = Inventory(self.conn)
        self.products = ProductRepository(self.conn)
        self.timeline = TimelineRepository(self.conn)
        self.outbox = Outbox(self.conn)
        self.tokens = TokenRepository(self.conn)
        self.shop = ShopRepository(self.conn)
        self.idempotency = IdempotencyKeys(self.conn)
        self.webhooks = WebhookRepository(self.conn)
        self.fulfillment_services = FulfillmentServiceRepository(self.conn)
        self.notification_deliveries = NotificationDeliveryLog(self.conn)
        self.staff = StaffRepository(self.conn)
        return self

    def commit(self) -> None:
        self._tx.commit()
        self._committed = True

    def rollback(self) -> None:
        if self._tx.is_active:
            self._tx.rollback()

    def __exit__(self, *exc: Any) -> None:
        try:
            if not self._committed:
                self.rollback()
        finally:
            self.conn.info.pop("write", None)
            self.conn.close()
            if self._lock is not None:
                self._lock.release()


class Database:
    """The engine plus factories for units of work."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def writing(self) -> UnitOfWork:
        return UnitOfWork(self.engine, write=True)

    def reading(self) -> UnitOfWork:
        return UnitOfWork(self.engine, write=False)

    @contextlib.contextmanager
    def connect(self):
        with self.engine.connect() as conn:
            yield conn
