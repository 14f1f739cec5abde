"""Wire the connector services of one instance: connections, sync and publishing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from safereply.connectors import registry as default_registry
from safereply.connectors.base import Registry, Transport
from safereply.connectors.connections import ConnectionService
from safereply.connectors.publish import ReplyPublisher
from safereply.connectors.sync import Syncer
from safereply.services.inbox import InboxService
from safereply.settings import Settings
from safereply.store.engine import Store
from safereply.store.models import utcnow

__all__ = ["ConnectorServices", "build_connectors"]


@dataclass(frozen=True, slots=True)
class ConnectorServices:
    """The connector side of an instance (the CLI, the worker and the web pages share it)."""

    connections: ConnectionService
    syncer: Syncer
    publisher: ReplyPublisher


def build_connectors(
    store: Store,
    settings: Settings,
    inbox: InboxService,
    *,
    registry: Registry | None = None,
    transport: Transport | None = None,
    clock: Callable[[], dt.datetime] = utcnow,
) -> ConnectorServices:
    """Build the connector services over an instance's store and inbox."""
    connections = ConnectionService(
        store, settings, registry or default_registry(), transport=transport, clock=clock
    )
    syncer = Syncer(store, inbox, connections, clock=clock)
    publisher = ReplyPublisher(store, inbox, connections, syncer, clock=clock)
    return ConnectorServices(connections, syncer, publisher)
