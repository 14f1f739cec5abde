"""Platform connectors: posts arrive by themselves, replies go out exactly once.

One module per platform behind the :class:`~safereply.connectors.base.Connector` protocol:

* ``google`` — Google Business Profile reviews (``safereply.connectors.google``);
* ``facebook``, ``instagram`` — Meta comments (``safereply.connectors.meta``);
* ``x`` — X mentions (``safereply.connectors.x``).

:func:`registry` builds the registry of every connector module that is present; a module
registers itself with a ``register(registry)`` function. The sync (``connectors.sync``) and the
publisher (``connectors.publish``) take a registry, so tests can pass their own.
"""

from __future__ import annotations

import importlib

from safereply.connectors.base import (
    REPLY_STATES,
    Connector,
    ConnectorError,
    ConnectorFactory,
    Credentials,
    HttpResponse,
    ItemGone,
    NeedsReauth,
    Page,
    PermanentRefusal,
    RateLimited,
    Registry,
    RemoteItem,
    RemoteReply,
    Target,
    Transient,
    Transport,
    http_json,
    parse_retry_after,
    urllib_transport,
)

__all__ = [
    "CONNECTOR_MODULES",
    "REPLY_STATES",
    "Connector",
    "ConnectorError",
    "ConnectorFactory",
    "Credentials",
    "HttpResponse",
    "ItemGone",
    "NeedsReauth",
    "Page",
    "PermanentRefusal",
    "RateLimited",
    "Registry",
    "RemoteItem",
    "RemoteReply",
    "Target",
    "Transient",
    "Transport",
    "http_json",
    "parse_retry_after",
    "registry",
    "urllib_transport",
]

#: Modules that each define ``register(registry: Registry) -> None``.
CONNECTOR_MODULES = (
    "safereply.connectors.google",
    "safereply.connectors.meta",
    "safereply.connectors.x",
)


def registry() -> Registry:
    """Return a new registry holding every connector module that is installed."""
    found = Registry()
    for name in CONNECTOR_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # a connector not built yet
            raise
        register = getattr(module, "register", None)
        if callable(register):  # a module still being written may not register yet
            register(found)
    return found
