"""Who is asking: the client address the sign-in limiter counts, proxies taken into account.

Behind a reverse proxy every request comes from the proxy, and the client's address is in
``X-Forwarded-For`` or ``Forwarded`` (RFC 7239). Those headers are whatever the client wrote,
plus what each proxy appended, so they are believed only when the peer is one of the proxies
named in ``SAFEREPLY_TRUSTED_PROXIES``, and then read from the right: the first address that is
not a trusted proxy is the one the outermost trusted proxy saw, and the client cannot forge it
(whatever it put to the left is ignored). With no trusted proxies (the default) the headers are
ignored entirely, so rotating ``X-Forwarded-For`` buys an attacker nothing.

The limiter itself (its policy and its database-backed state) is a service:
:mod:`safereply.services.auth_limits`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from fastapi import Request

__all__ = ["Network", "client_address", "forwarded_hops"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """Parse one hop: ``1.2.3.4``, ``1.2.3.4:80``, ``[2001:db8::1]:443``, quoted or not."""
    text = text.strip().strip('"').strip()
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:  # IPv4 with a port (bare IPv6 has several colons)
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def forwarded_hops(request: Request) -> list[str]:
    """Return the addresses the forwarding headers list, client first, as written.

    ``Forwarded`` wins over ``X-Forwarded-For`` when both are present (it is the standard one).
    """
    forwarded = request.headers.getlist("forwarded")
    if forwarded:
        hops = []
        for element in ",".join(forwarded).split(","):
            for pair in element.split(";"):
                name, _, value = pair.strip().partition("=")
                if name.lower() == "for":
                    hops.append(value)
        return hops
    return [h for h in ",".join(request.headers.getlist("x-forwarded-for")).split(",") if h.strip()]


def _trusted(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, proxies: Sequence[Network]
) -> bool:
    return any(address.version == net.version and address in net for net in proxies)


def client_address(request: Request, proxies: Sequence[Network] = ()) -> str:
    """Return the address of the client: the peer, or, when the peer is a trusted proxy, the
    first address from the right of the forwarding headers that is not a trusted proxy."""
    peer_text = request.client.host if request.client else "unknown"
    peer = _address(peer_text)
    if peer is None or not proxies or not _trusted(peer, proxies):
        return str(peer) if peer is not None else peer_text
    for hop in reversed(forwarded_hops(request)):
        address = _address(hop)
        if address is None:
            break  # a hop a trusted proxy wrote that is not an address: trust nothing further
        if not _trusted(address, proxies):
            return str(address)
    return str(peer)
