"""Connections: a practice's link to a platform account, with its tokens sealed at rest.

Admins connect, list and disconnect; the sync and the publisher open a connection's connector
with :meth:`ConnectionService.open` and seal refreshed tokens back with
:meth:`ConnectionService.save_credentials`. Nothing here ever returns a token: listings carry the
connection's state (last and next sync, last error, needs re-authorisation), never its secrets.
"""

from __future__ import annotations

import datetime as dt
import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from safereply.connectors.base import (
    Connector,
    ConnectorError,
    Credentials,
    NeedsReauth,
    Registry,
    Target,
    Transport,
)
from safereply.errors import InputError, NotFoundError, SafeReplyError
from safereply.services.access import practice_ids, require_role
from safereply.services.actor import Actor
from safereply.services.audit import record
from safereply.services.sealing import seal, unseal
from safereply.settings import Settings
from safereply.store.engine import Store
from safereply.store.models import (
    OPEN_STATES,
    Connection,
    ConnectionItem,
    Draft,
    Location,
    Post,
    utcnow,
)
from safereply.store.rows import get_row

__all__ = ["ConnectionInfo", "ConnectionService", "api_base"]

log = logging.getLogger("safereply.connectors")


def api_base(settings: Settings, platform: str) -> tuple[str, str]:
    """Return (API base URL, token URL) of a platform from settings (test doubles stand in)."""
    if platform == "google":
        return settings.google_business_api, settings.google_token_url
    names = {"facebook": "meta_graph_api", "instagram": "instagram_api", "x": "x_api"}
    base = getattr(settings, names.get(platform, ""), "") or ""
    token = getattr(settings, f"{platform}_token_url", "") or ""
    return base, token


@dataclass(frozen=True, slots=True)
class ConnectionInfo:
    """What may be shown of a connection (never its tokens)."""

    id: int
    practice_id: int
    platform: str
    account: str
    external_id: str
    name: str
    location: str | None
    connected: bool
    needs_reauth: bool
    last_sync_at: dt.datetime | None
    next_sync_at: dt.datetime | None
    last_error: str | None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (times in ISO 8601)."""
        out: dict[str, Any] = {}
        for name in self.__slots__:
            value = getattr(self, name)
            out[name] = value.isoformat() if isinstance(value, dt.datetime) else value
        return out


def _info(row: Connection, location: str | None) -> ConnectionInfo:
    return ConnectionInfo(
        id=row.id,
        practice_id=row.practice_id,
        platform=row.platform,
        account=row.account,
        external_id=row.external_id,
        name=row.name,
        location=location,
        connected=row.tokens is not None,
        needs_reauth=row.needs_reauth,
        last_sync_at=row.last_sync_at,
        next_sync_at=row.next_sync_at,
        last_error=row.last_error,
    )


class ConnectionService:
    """Connect, list, disconnect; open a connection's connector and keep its tokens sealed."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        registry: Registry,
        *,
        transport: Transport | None = None,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.store = store
        self.settings = settings
        self.registry = registry
        self.transport = transport
        self.clock = clock

    def connect(
        self,
        actor: Actor,
        practice_id: int,
        *,
        platform: str,
        account: str,
        external_id: str,
        credentials: Credentials,
        name: str | None = None,
        location: str | None = None,
    ) -> ConnectionInfo:
        """Create (or re-authorise) the connection of a practice to one platform account (admins).

        Connecting an account that is connected already replaces its tokens and clears
        "needs re-authorisation": that is how an admin re-authorises.

        Raises:
            InputError: unknown platform or location, or credentials without any token.
        """
        platform = platform.strip().lower()
        if platform not in self.registry.platforms():
            known = ", ".join(self.registry.platforms()) or "none"
            raise InputError(f"no connector for platform {platform!r} (known: {known})")
        if not (credentials.refresh_token or credentials.access_token):
            raise InputError("the credentials hold neither a refresh_token nor an access_token")
        if not account or not external_id or max(len(account), len(external_id)) > 300:
            raise InputError("the account and its id must each be 1 to 300 characters")
        now = self.clock()
        sealed = seal(credentials.to_json(), self.settings)
        with self.store.write() as session:
            require_role(session, actor, practice_id, "admin")
            location_id = self._location_id(session, practice_id, location)
            row = self._find_or_add(session, actor, practice_id, platform, account, external_id)
            row.name = (name or external_id)[:200]
            row.location_id = location_id
            row.tokens = sealed
            row.token_expires_at = credentials.expires_at
            row.needs_reauth = False
            row.last_error = None
            row.next_sync_at = now
            session.flush()
            record(
                session,
                actor,
                "connection.connect",
                object_type="connection",
                object_id=row.id,
                practice_id=practice_id,
                detail={"platform": platform, "external_id": external_id},
                at=now,
            )
            return _info(row, location)

    def _find_or_add(
        self,
        session: Any,
        actor: Actor,
        practice_id: int,
        platform: str,
        account: str,
        external_id: str,
    ) -> Connection:
        """Return the practice's connection to this account, adding it when there is none."""
        row = session.scalar(
            select(Connection).where(
                Connection.practice_id == practice_id,
                Connection.platform == platform,
                Connection.external_id == external_id,
            )
        )
        if row is None:
            row = Connection(
                practice_id=practice_id,
                platform=platform,
                account=account,
                external_id=external_id,
                cursor={},
                created_by=actor.user_id,
                created_at=self.clock(),
            )
            session.add(row)
        return row

    @staticmethod
    def _location_id(session: Any, practice_id: int, location: str | None) -> int | None:
        if not location:
            return None
        found = session.scalar(
            select(Location.id).where(
                Location.practice_id == practice_id, Location.name == location.strip()
            )
        )
        if found is None:
            raise InputError(f"practice {practice_id} has no location named {location!r}")
        return found

    def list(self, actor: Actor, practice_id: int | None = None) -> list[ConnectionInfo]:
        """Return the connections the actor may see (admins of their practices)."""
        with self.store.read() as session:
            query = select(Connection, Location.name).outerjoin(
                Location, Location.id == Connection.location_id
            )
            if practice_id is not None:
                require_role(session, actor, practice_id, "admin")
                query = query.where(Connection.practice_id == practice_id)
            else:
                visible = practice_ids(session, actor)
                if visible is not None:
                    query = query.where(Connection.practice_id.in_(visible))
            rows = session.execute(query.order_by(Connection.id)).all()
            return [_info(row, loc) for row, loc in rows]

    def get(self, actor: Actor, connection_id: int) -> ConnectionInfo:
        """Return one connection (admins of its practice)."""
        with self.store.read() as session:
            row = session.get(Connection, connection_id)
            if row is None:
                raise NotFoundError(f"no connection {connection_id}")
            try:
                require_role(session, actor, row.practice_id, "admin")
            except NotFoundError:
                raise NotFoundError(f"no connection {connection_id}") from None
            location = session.get(Location, row.location_id) if row.location_id else None
            return _info(row, location.name if location else None)

    def disconnect(self, actor: Actor, connection_id: int) -> ConnectionInfo:
        """Delete the connection's tokens and stop its syncs (its posts stay in the inbox)."""
        now = self.clock()
        with self.store.write() as session:
            row = session.get(Connection, connection_id)
            if row is None:
                raise NotFoundError(f"no connection {connection_id}")
            try:
                require_role(session, actor, row.practice_id, "admin")
            except NotFoundError:
                raise NotFoundError(f"no connection {connection_id}") from None
            row.tokens = None
            row.token_expires_at = None
            row.next_sync_at = None
            row.cursor = {}
            record(
                session,
                actor,
                "connection.disconnect",
                object_type="connection",
                object_id=row.id,
                practice_id=row.practice_id,
                detail={"platform": row.platform},
                at=now,
            )
            return _info(row, None)

    def attention(self, actor: Actor, practice_id: int, *, limit: int = 200) -> dict[str, Any]:
        """Return what managers must look at (managers and admins).

        ``risky_elsewhere``: replies written outside SafeReply that the linter blocks or warns
        about; ``refused``: replies a platform refused (now on the manual path), with the reason;
        ``rejected``: our replies the platform's moderation rejected, with the policy reason;
        ``changed_since_draft``: open posts edited on the platform after their reply was drafted
        ("post changed since this draft"); ``pending``: our replies the platform still moderates.
        Reply text is shown only on these pages, never in logs.
        """
        with self.store.read() as session:
            require_role(session, actor, practice_id, "manager")
            base = (
                select(ConnectionItem, Connection.platform)
                .join(Connection, Connection.id == ConnectionItem.connection_id)
                .where(Connection.practice_id == practice_id)
                .order_by(ConnectionItem.id.desc())
                .limit(limit)
            )
            risky = session.execute(
                base.where(
                    ConnectionItem.replied_elsewhere.is_(True),
                    ConnectionItem.remote_reply_verdict.in_(("block", "warn")),
                )
            ).all()
            refused = session.execute(base.where(ConnectionItem.manual_only.is_(True))).all()
            rejected = session.execute(base.where(ConnectionItem.reply_state == "rejected")).all()
            pending = session.execute(
                base.where(
                    ConnectionItem.reply_state == "pending",
                    ConnectionItem.replied_elsewhere.is_(False),
                )
            ).all()
            drafted_before = (
                select(Draft.id)
                .where(Draft.post_id == ConnectionItem.post_id)
                .where(Draft.created_at <= ConnectionItem.changed_at)
                .exists()
            )
            changed = session.execute(
                base.join(Post, Post.id == ConnectionItem.post_id).where(
                    ConnectionItem.changed_at.is_not(None),
                    Post.state.in_(OPEN_STATES),
                    drafted_before,
                )
            ).all()
            return {
                "risky_elsewhere": [_item(i, p, reply=True) for i, p in risky],
                "refused": [_item(i, p) for i, p in refused],
                "rejected": [_item(i, p) for i, p in rejected],
                "changed_since_draft": [_item(i, p) for i, p in changed],
                "pending": [_item(i, p) for i, p in pending],
            }

    def refresh_expiring(self, *, within: dt.timedelta = dt.timedelta(minutes=10)) -> int:
        """Refresh the tokens that expire soon, before any job needs them; return how many.

        A refusal flags the connection "needs re-authorisation" at once (the Connections page
        shows it before the next poll fails); a passing failure is left to the next attempt.
        """
        now = self.clock()
        with self.store.read() as session:
            rows = session.scalars(
                select(Connection).where(
                    Connection.tokens.is_not(None),
                    Connection.needs_reauth.is_(False),
                    Connection.token_expires_at <= now + within,
                )
            ).all()
            opened = []
            for row in rows:
                try:
                    opened.append((row.id, self.open(row)))
                except SafeReplyError as exc:  # tokens no key opens: shown, not fatal
                    log.warning("connection %s: %s", row.id, type(exc).__name__)
        refreshed = 0
        for connection_id, connector in opened:
            try:
                changed = _refresh_now(connector)
            except NeedsReauth as exc:
                self.flag_reauth(connection_id, connector.credentials, str(exc))
                continue
            except ConnectorError:
                continue  # a passing failure: the next attempt or the next poll retries
            with self.store.write() as session:
                saved = self.save_credentials(
                    session, get_row(session, Connection, connection_id), connector.credentials
                )
            refreshed += int(changed and saved)
        return refreshed

    def flag_reauth(self, connection_id: int, credentials: Credentials, error: str) -> bool:
        """Flag "needs re-authorisation" after a refused refresh; return True if flagged.

        Not flagged when the row no longer holds the tokens that were refused (another job
        rotated them meanwhile, an admin reconnected, or disconnected).
        """
        with self.store.write() as session:
            row = session.scalar(
                select(Connection)
                .where(Connection.id == connection_id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
            if row is None or row.tokens is None:
                return False
            if credentials.sealed_from and row.tokens != credentials.sealed_from:
                return False
            row.needs_reauth, row.last_error, row.next_sync_at = True, error[:500], None
            return True

    # -- for the sync and the publisher ---------------------------------------------------------

    def open(self, row: Connection) -> Connector:
        """Build the connector of a connection row, with its unsealed credentials.

        Raises:
            InputError: the connection was disconnected (it has no tokens).
            SealError: the tokens cannot be opened with the configured keys.
        """
        if row.tokens is None:
            raise InputError(f"connection {row.id} is disconnected; connect it again")
        credentials = Credentials.from_mapping(_loads(unseal(row.tokens, self.settings)))
        credentials.sealed_from, credentials.opened_json = row.tokens, credentials.to_json()
        base, token_url = api_base(self.settings, row.platform)
        target = Target(
            row.platform,
            row.account,
            row.external_id,
            base,
            token_url,
            timeout=self.settings.connector_timeout,
        )
        return self.registry.create(target, credentials, self.transport)

    def save_credentials(self, session: Any, row: Connection, credentials: Credentials) -> bool:
        """Seal refreshed credentials back into the connection, in the caller's transaction.

        Compare-and-swap: the row is read again (locked) and written only when the credentials
        changed since they were opened *and* the row still holds the tokens they were opened
        from. A job that opened tokens another job has since refreshed (X rotates refresh
        tokens), or a connection disconnected meanwhile, is left as it is. Returns True if written.
        """
        current = session.scalar(
            select(Connection)
            .where(Connection.id == row.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        text = credentials.to_json()
        if current is None or current.tokens is None:
            return False  # disconnected meanwhile: never bring tokens back
        if credentials.opened_json and text == credentials.opened_json:
            return False  # nothing refreshed: nothing to write
        if credentials.sealed_from and current.tokens != credentials.sealed_from:
            log.info("connection %s: tokens changed meanwhile; newer ones kept", row.id)
            return False
        current.tokens = seal(text, self.settings)
        current.token_expires_at = credentials.expires_at
        credentials.sealed_from, credentials.opened_json = current.tokens, text
        return True

    def reopen_if_changed(self, connection_id: int, credentials: Credentials) -> Connector | None:
        """Return a connector over the connection's current tokens when they are no longer the
        ones ``credentials`` were opened from (another job refreshed them), else None.

        A refused refresh calls this before flagging "needs re-authorisation": the refusal may
        only mean a rotated refresh token another job already saved.
        """
        with self.store.read() as session:
            row = session.get(Connection, connection_id)
            if row is None or row.tokens is None or row.tokens == credentials.sealed_from:
                return None
            try:
                return self.open(row)
            except SafeReplyError:
                return None


def _refresh_now(connector: Connector) -> bool:
    """Refresh a connector's tokens now (``force`` where the connector takes it: its own margin
    may be shorter than the job's ten minutes)."""
    if "force" in inspect.signature(connector.refresh_tokens).parameters:
        return bool(connector.refresh_tokens(force=True))  # type: ignore[call-arg]
    return bool(connector.refresh_tokens())


def _item(row: ConnectionItem, platform: str, *, reply: bool = False) -> dict[str, Any]:
    findings = (row.remote_reply_report or {}).get("findings") or []
    out: dict[str, Any] = {
        "post_id": row.post_id,
        "platform": platform,
        "external_id": row.external_id,
        "verdict": row.remote_reply_verdict,
        "codes": sorted({str(f.get("code")) for f in findings if f.get("code")}),
        "categories": sorted({str(f.get("category")) for f in findings if f.get("category")}),
        "reply_state": row.reply_state,
        "policy_reason": row.policy_reason,
        "publish_error": row.publish_error,
        "removed": row.removed_at is not None,
        "changed_at": row.changed_at.isoformat() if row.changed_at else None,
    }
    if reply:
        out["reply"] = row.remote_reply
    return out


def _loads(text: str) -> dict[str, Any]:
    import json

    value = json.loads(text)
    if not isinstance(value, dict):
        raise InputError("the stored credentials are not an object")
    return value
