"""Where a webhook may be sent: public addresses only, checked after resolving the host (OWASP API7).

The delivery connects to the address that was checked (pinned), so a second DNS answer
cannot point the request somewhere else (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import os
import socket
from urllib.parse import urlsplit

# Instance metadata endpoints; refused even when private addresses are allowed.
METADATA = frozenset(ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200"))
# Tests (and on-premises setups delivering to an intranet) may allow private addresses.
ALLOW_PRIVATE: bool | None = None


class Refused(Exception):
    """The address may not receive webhooks."""


def allow_private() -> bool:
    if ALLOW_PRIVATE is not None:
        return ALLOW_PRIVATE
    return os.environ.get("ORDERDESK_WEBHOOK_ALLOW_PRIVATE", "") in ("1", "true", "yes")


def check_address(address: str, *, private_ok: bool | None = None) -> str | None:
    """A reason the address is unacceptable as a subscription, or None (checked at create time)."""
    private_ok = allow_private() if private_ok is None else private_ok
    try:
        parts = urlsplit(address)
        port = parts.port
    except ValueError:
        return "is invalid"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "must be an http or https URL" if private_ok else "must be an https URL"
    if parts.scheme != "https" and not private_ok:
        return "must be an https URL"
    if parts.username or parts.password:
        return "must not contain credentials"
    del port
    host = parts.hostname.rstrip(".").lower()
    try:
        literal = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        # A name is checked when it is resolved, at every delivery; "localhost" needs no resolving.
        if not private_ok and (host == "localhost" or host.endswith(".localhost")):
            return "must not point at a loopback address"
        return None
    reason = forbidden(literal, private_ok=private_ok)
    return f"must not point at a {reason}" if reason else None


def forbidden(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, *, private_ok: bool) -> str | None:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in METADATA:
        return "cloud metadata address"
    if ip.is_multicast:
        return "multicast address"
    if ip.is_unspecified:
        return "unspecified address"
    if private_ok:
        return None
    for name in ("loopback", "link_local", "private", "reserved"):
        if getattr(ip, f"is_{name}"):
            return f"{name.replace('_', '-')} address"
    if not ip.is_global:
        return "non-public address"
    return None


def resolve(host: str, port: int, *, private_ok: bool | None = None) -> str:
    """The IP to connect to for ``host``; raises Refused if any address it resolves to is not allowed."""
    private_ok = allow_private() if private_ok is None else private_ok
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise Refused(f"cannot resolve {host}: {exc}") from None
    ips = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        reason = forbidden(ip, private_ok=private_ok)
        if reason:
            raise Refused(f"{host} resolves to {ip}, a {reason}")
        ips.append(ip)
    if not ips:
        raise Refused(f"cannot resolve {host}")
    return str(ips[0])
