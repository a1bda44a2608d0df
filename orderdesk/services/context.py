"""What every use case needs: the database, a clock and the shop's settings."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from ..config import SmtpSettings, public_url_from_env
from ..db.revocations import RevocationWatch
from ..db.revocations import watch as revocation_watch
from ..db.uow import Database
from ..domain.errors import NotFound
from ..domain.shop import Shop, check_public_url
from .clock import Clock, SystemClock

# Settings change rarely; re-reading them on every request would cost a statement each time.
SHOP_CACHE_SECONDS = 5.0


@dataclass
class Services:
    db: Database
    clock: Clock = field(default_factory=SystemClock)
    # Signs order status links; set from ORDERDESK_SECRET_KEY (or the data folder's secret file).
    secret_key: str = "development-secret-change-me"
    # Outgoing mail; read from ORDERDESK_SMTP_* when not given.
    smtp: SmtpSettings = field(default_factory=SmtpSettings.from_env)
    # Links the system sends start here unless the shop sets its own; read from ORDERDESK_PUBLIC_URL when not given.
    public_url: str | None = field(default_factory=public_url_from_env)
    _shop: Shop | None = None
    _shop_read_at: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if self.public_url:
            self.public_url = check_public_url(self.public_url, field="ORDERDESK_PUBLIC_URL")

    def shop(self) -> Shop:
        now = time.monotonic()
        if self._shop is None or now - self._shop_read_at > SHOP_CACHE_SECONDS:
            with self._lock, self.db.reading() as uow:
                shop = uow.shop.get()
            if shop is None:
                raise NotFound("The shop is not set up; run `orderdesk db upgrade` and `orderdesk shop init`")
            shop.link_secret = self.secret_key
            shop.server_public_url = self.public_url
            self._shop, self._shop_read_at = shop, now
        return self._shop

    def default_location_id(self) -> int | None:
        """The first active location, where lines without committed stock are fulfilled from."""
        cached = getattr(self, "_default_location", None)
        if cached is not None and time.monotonic() - cached[0] <= SHOP_CACHE_SECONDS:
            return cached[1]
        with self.db.reading() as uow:
            active = [loc["id"] for loc in uow.inventory.locations() if loc["active"]]
        self._default_location = (time.monotonic(), active[0] if active else None)
        return self._default_location[1]

    def forget_shop(self) -> None:
        self._shop = None

    @property
    def revocations(self) -> RevocationWatch:
        """How this process learns that a token or session was revoked anywhere."""
        return revocation_watch(self.db.engine)
