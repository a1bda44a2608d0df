"""The shopper's order status link: a per-order key no one can guess or enumerate.

The key is HMAC-SHA256(server secret, order token), 256 bits, so the server can put it in
every ``order_status_url`` without storing it; the database keeps only its SHA-256, which
is what a visit is looked up by. A copy of the database alone opens no status page.
"""

from __future__ import annotations

import base64
import hashlib
import hmac


def status_key(secret: str, order_token: str) -> str:
    digest = hmac.new(secret.encode(), b"order-status:" + order_token.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
