"""The append-only audit log: who did what to which object, when, from which state to which.

Entries never carry post or reply bodies: ``detail`` holds ids, verdicts, counts and reasons only,
and :func:`record` refuses keys that could hold text. The database refuses UPDATE and DELETE on the
table (triggers in the first migration), and the ORM refuses them before they reach it.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import ipaddress
import json
import typing
from typing import Any

from sqlalchemy import String, Table, and_, cast, insert, or_, select
from sqlalchemy.orm import Session

# Imported for its session hooks: every entry recorded here is linked into its hash chain.
from safereply.services import audit_chain
from safereply.services.access import require_role
from safereply.services.actor import Actor
from safereply.store.engine import Store
from safereply.store.models import AuditEvent, Membership, User

__all__ = [
    "AUDIT_FIELDS",
    "SIGN_IN_ACTIONS",
    "AuditLog",
    "audit_row",
    "csv_cell",
    "record",
    "record_failed_sign_in",
    "record_many",
]

#: Instance-level entries about an account that its practices' exports include (object = user).
SIGN_IN_ACTIONS = ("auth.login", "auth.login_failed", "auth.logout")

AUDIT_FIELDS = (
    "id",
    "created_at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "from_state",
    "to_state",
    "detail",
)
#: First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection), with
#: their full-width forms, which some spreadsheets fold to the same.
_FORMULA_START = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")


def csv_cell(value: Any) -> Any:
    """Return a cell for a CSV export that no spreadsheet runs as a formula.

    As OWASP recommends: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return gets a single quote in front (the csv writer then quotes the field when it needs to);
    anything else is unchanged. Numbers are not text, so ``-3`` stays a number.
    """
    if value is None:
        return ""
    if isinstance(value, str) and value and value[0] in _FORMULA_START:
        return "'" + value
    return value


# Keys whose values could carry a post or a reply: never allowed in an audit entry.
_BODY_KEYS = frozenset({"text", "reply", "post", "body", "content", "message"})


def _checked(detail: dict[str, Any] | None) -> dict[str, Any]:
    detail = dict(detail or {})
    leaked = _BODY_KEYS.intersection(detail)
    if leaked:
        raise ValueError(f"audit detail may not carry bodies: {sorted(leaked)}")
    return detail


def record(
    session: Session,
    actor: Actor,
    action: str,
    *,
    object_type: str,
    object_id: Any = None,
    practice_id: int | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    detail: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> AuditEvent:
    """Append one entry to the audit log, in the caller's transaction."""
    detail = _checked(detail)
    event_ = AuditEvent(
        practice_id=practice_id,
        actor_id=actor.user_id,
        actor=actor.email,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        from_state=from_state,
        to_state=to_state,
        detail=detail,
    )
    if at is not None:
        event_.created_at = at
    session.add(event_)
    return event_


#: The table itself, for inserting many entries in one statement.
_EVENTS = typing.cast(Table, AuditEvent.__table__)


def record_many(
    session: Session,
    actor: Actor,
    action: str,
    entries: list[dict[str, Any]],
    *,
    practice_id: int | None,
    at: dt.datetime,
) -> list[int]:
    """Append one entry per item of ``entries`` in one statement; return their ids, in order.

    What :func:`record` does for one entry, for an import's hundreds: each item holds
    ``object_type``, ``object_id``, ``from_state``, ``to_state`` and ``detail``; the entries are
    linked into their chain when the transaction commits, like those recorded one by one.
    """
    if not entries:
        return []
    rows = [
        {
            "practice_id": practice_id,
            "actor_id": actor.user_id,
            "actor": actor.email,
            "action": action,
            "object_type": e["object_type"],
            "object_id": None if e.get("object_id") is None else str(e["object_id"]),
            "from_state": e.get("from_state"),
            "to_state": e.get("to_state"),
            "detail": _checked(e.get("detail")),
            "created_at": at,
        }
        for e in entries
    ]
    statement = insert(_EVENTS).returning(_EVENTS.c.id, sort_by_parameter_order=True)
    ids = list(session.execute(statement, rows).scalars())
    audit_chain.link_at_commit(session, ids)
    return ids


def record_failed_sign_in(
    store: Store, *, email: str | None, user_id: int | None, source: str | None, stage: str
) -> None:
    """Record one failed sign-in in the instance chain, ids only, in its own transaction.

    The account is named by id when the e-mail belongs to one (the typed e-mail itself is never
    stored: people type passwords into the wrong field); ``source`` is kept only when it is an IP
    address. ``stage`` is ``password`` or ``code``.
    """
    with store.write() as session:
        if user_id is None and email:
            user_id = session.scalar(select(User.id).where(User.email == email.strip().lower()))
        detail: dict[str, Any] = {"stage": stage, "known_account": user_id is not None}
        with contextlib.suppress(ValueError):  # not an address: leave it out
            detail["source"] = str(ipaddress.ip_address((source or "").strip()))
        record(
            session,
            Actor(user_id=None, email="anonymous"),
            "auth.login_failed",
            object_type="user",
            object_id=user_id,
            detail=detail,
        )


def audit_row(e: AuditEvent) -> dict[str, Any]:
    """Return one audit entry as the API, pages and exports show it."""
    return {
        "id": e.id,
        "created_at": e.created_at.isoformat(),
        "actor": e.actor,
        "action": e.action,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "from_state": e.from_state,
        "to_state": e.to_state,
        "detail": e.detail,
    }


class AuditLog:
    """Reading and exporting a practice's audit log (managers and admins)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def events(
        self,
        actor: Actor,
        practice_id: int,
        *,
        object_type: str | None = None,
        object_id: Any = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Return a practice's audit entries, oldest first, as plain data."""
        with self.store.read() as session:
            require_role(session, actor, practice_id, "manager")
            members = select(cast(Membership.user_id, String)).where(
                Membership.practice_id == practice_id
            )
            # The practice's own entries, and its members' sign-ins (instance-level entries).
            query = select(AuditEvent).where(
                or_(
                    AuditEvent.practice_id == practice_id,
                    and_(
                        AuditEvent.practice_id.is_(None),
                        AuditEvent.action.in_(SIGN_IN_ACTIONS),
                        AuditEvent.object_type == "user",
                        AuditEvent.object_id.in_(members),
                    ),
                )
            )
            if object_type:
                query = query.where(AuditEvent.object_type == object_type)
            if object_id is not None:
                query = query.where(AuditEvent.object_id == str(object_id))
            if since:
                query = query.where(AuditEvent.created_at >= since)
            if until:
                query = query.where(AuditEvent.created_at < until)
            query = query.order_by(AuditEvent.created_at, AuditEvent.id)
            if limit:
                query = query.limit(limit)
            return [audit_row(e) for e in session.scalars(query)]

    def export(self, actor: Actor, practice_id: int, *, fmt: str = "json", **filters: Any) -> str:
        """Return the audit log as CSV or JSON text.

        The CSV is made safe for spreadsheets: a cell that would start a formula (an actor's
        e-mail such as ``=HYPERLINK(...)@x``) is prefixed with a quote (:func:`csv_cell`); the
        JSON export keeps every value exactly.

        Raises:
            ValueError: ``fmt`` is neither ``csv`` nor ``json``.
        """
        if fmt not in ("json", "csv"):
            raise ValueError(f"unknown audit export format {fmt!r}; use csv or json")
        rows = self.events(actor, practice_id, **filters)
        with self.store.write() as session:  # who exported what is itself audited
            record(
                session,
                actor,
                "audit.export",
                object_type="practice",
                object_id=practice_id,
                practice_id=practice_id,
                detail={"format": fmt, "entries": len(rows)},
            )
        if fmt == "json":
            return json.dumps(rows, ensure_ascii=False, indent=1)
        out = io.StringIO()
        # CRLF (RFC 4180): a cell holding a carriage return or a newline is quoted as a whole.
        writer = csv.DictWriter(out, fieldnames=AUDIT_FIELDS, lineterminator="\r\n")
        writer.writeheader()
        for row in rows:
            cells = {**row, "detail": json.dumps(row["detail"], sort_keys=True)}
            writer.writerow({k: csv_cell(v) for k, v in cells.items()})
        return out.getvalue()
