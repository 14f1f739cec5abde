"""The audit log's hash chain: every entry is bound to the one before it, so tampering shows.

Triggers refuse UPDATE and DELETE on the audit table, but whoever owns the database can
TRUNCATE it, disable the triggers or insert a backdated row. The chain makes each of those
visible: every entry gets a *link* (``audit_links``) holding its position ``seq`` in its chain, the
hash of the entry before it and its own hash, SHA-256 over a canonical serialisation of the
entry's fields, its position and the previous hash (:func:`entry_hash`). ``audit_heads`` holds each
chain's newest link.

**One chain per practice** (and chain 0 for instance-level entries: accounts, sign-ins): one
practice's chain is verified, and its head handed to that practice, without walking or showing
any other practice's entries; practices append without waiting for each other; and a practice's
records can be kept or handed over on their own. What a per-practice chain cannot show by itself
(a whole chain removed) the shipped chain heads show (``safereply audit head`` to write-once
storage, ``safereply audit verify --against FILE``).

Links are written when the transaction that recorded the entries commits (a session hook), after
every other change of that transaction, holding the chain's head row locked (``SELECT ... FOR
UPDATE`` on PostgreSQL; SQLite's writers are serialised by ``BEGIN IMMEDIATE``), so concurrent
appends keep each chain linear and the lock is held only for the last moment of a transaction.
Entries written in a savepoint that was rolled back are not linked (they are gone). Entries
written without the ORM's unit of work (a Core insert, a later migration) are not seen by the
hook: in a session, hand their ids to :func:`link_at_commit` (``audit.record_many`` does, for an
import's entries); on a bare connection, call :func:`link_events` with their ids in the same
transaction, as migration 0013 did for the log as it stood.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Table, event, func, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from safereply.store.engine import Store
from safereply.store.models import AuditEvent, AuditHead, AuditLink

__all__ = [
    "GENESIS",
    "Broken",
    "Verification",
    "chain_head",
    "entry_hash",
    "link_at_commit",
    "link_events",
    "verify_chain",
]

#: The "previous hash" of a chain's first entry.
GENESIS = "0" * 64
_PENDING = "safereply.audit_unlinked"
_PENDING_IDS = "safereply.audit_unlinked_ids"
_EVENTS = cast(Table, AuditEvent.__table__)  # mapped classes declare a FromClause; these are tables
_LINKS = cast(Table, AuditLink.__table__)
_HEADS = cast(Table, AuditHead.__table__)
_FIELDS = (
    "id",
    "practice_id",
    "actor_id",
    "actor",
    "action",
    "object_type",
    "object_id",
    "from_state",
    "to_state",
    "detail",
    "created_at",
)


def _when(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(row: Mapping[str, Any], *, chain: int, seq: int, prev_hash: str) -> str:
    """Return the SHA-256 (hex) of an entry's canonical serialisation.

    Canonical: a JSON object of the entry's fields (times in UTC with microseconds), its chain,
    position and the previous hash, keys sorted, no spaces, UTF-8. Every field is covered, so
    editing any of them, moving an entry to another chain or position, or re-inserting it under
    another id changes the hash.
    """
    doc = {name: row[name] for name in _FIELDS}
    doc["created_at"] = _when(row["created_at"])
    doc.update(v=1, chain=chain, seq=seq, prev_hash=prev_hash)
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _chain_of(practice_id: int | None) -> int:
    return practice_id or 0


def _lock_head(conn: Connection, chain: int) -> tuple[int, str]:
    """Lock the chain's head row and return (seq, hash), creating it first if missing.

    The head is locked by reading it ``FOR UPDATE``; only a chain's first entry finds no row and
    creates it (``ON CONFLICT DO NOTHING``: another transaction may create it at the same time)
    before locking it. Creating it every time cost every audited request a round trip."""
    locked = select(_HEADS.c.seq, _HEADS.c.hash).where(_HEADS.c.chain == chain).with_for_update()
    row = conn.execute(locked).one_or_none()
    if row is None:
        insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
        conn.execute(
            insert(_HEADS)
            .values(chain=chain, seq=0, hash=GENESIS, event_id=None)
            .on_conflict_do_nothing(index_elements=["chain"])
        )
        row = conn.execute(locked).one()
    return row.seq, row.hash


def link_events(conn: Connection, event_ids: Iterable[int]) -> int:
    """Append links for these (unlinked) entries, chain by chain in a fixed order; return count.

    Heads are locked in ascending chain order, so two transactions never wait on each other in
    a circle.
    """
    ids = sorted(set(event_ids))
    if not ids:
        return 0
    # Only the hashed fields: migrations call this too, on the table as it is at their revision.
    columns = [_EVENTS.c[name] for name in _FIELDS]
    by_chain: dict[int, list[Any]] = {}
    count = 0
    for start in range(0, len(ids), 500):  # bounded IN lists (SQLite's variable limit)
        part = ids[start : start + 500]
        for row in conn.execute(
            select(*columns).where(_EVENTS.c.id.in_(part)).order_by(_EVENTS.c.id)
        ):
            by_chain.setdefault(_chain_of(row.practice_id), []).append(row._mapping)
            count += 1
    for chain in sorted(by_chain):
        seq, prev = _lock_head(conn, chain)
        links = []
        for row in by_chain[chain]:
            seq += 1
            digest = entry_hash(row, chain=chain, seq=seq, prev_hash=prev)
            links.append(
                {
                    "event_id": row["id"],
                    "chain": chain,
                    "seq": seq,
                    "prev_hash": prev,
                    "hash": digest,
                }
            )
            prev = digest
        conn.execute(_LINKS.insert(), links)
        conn.execute(
            update(_HEADS)
            .where(_HEADS.c.chain == chain)
            .values(seq=seq, hash=prev, event_id=links[-1]["event_id"])
        )
    return count


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _ctx: Any) -> None:
    """Remember the audit entries this flush inserted, to link them at commit."""
    new = [obj for obj in session.new if isinstance(obj, AuditEvent)]
    if new:
        session.info.setdefault(_PENDING, []).extend(new)


def link_at_commit(session: Session, event_ids: Iterable[int]) -> None:
    """Link these entries, inserted in this session's transaction without the ORM's unit of
    work (a Core insert), when it commits, with the ones recorded through the ORM.

    An id whose row is gone by then (its savepoint was rolled back) is not linked."""
    session.info.setdefault(_PENDING_IDS, []).extend(event_ids)


@event.listens_for(Session, "before_commit")
def _link_at_commit(session: Session) -> None:
    """Link the transaction's audit entries as its last act (not when a savepoint is released)."""
    if session.in_nested_transaction():
        return
    session.flush()  # entries added since the last flush are collected by _collect now
    pending = session.info.pop(_PENDING, [])
    ids = [obj.id for obj in pending if sa_inspect(obj).persistent]
    ids.extend(session.info.pop(_PENDING_IDS, []))
    if ids:
        link_events(session.connection(), ids)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    if not session.in_transaction():
        session.info.pop(_PENDING, None)
        session.info.pop(_PENDING_IDS, None)


# -- verification -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Broken:
    """The first broken link: the entry where the chain stops holding, and what differs."""

    event_id: int | None
    chain: int
    reason: str


@dataclass(slots=True)
class Verification:
    """What ``verify_chain`` found: entries checked, the newest link, or the first broken one."""

    checked: int = 0
    head_id: int | None = None
    head_hash: str = GENESIS
    broken: Broken | None = None
    chains: dict[int, tuple[int, str]] | None = None


def _chains(conn: Connection, practice_id: int | None) -> list[int]:
    if practice_id is not None:
        return [practice_id]
    found = set(conn.scalars(select(_HEADS.c.chain)))
    found |= set(conn.scalars(select(_LINKS.c.chain).distinct()))
    found |= {_chain_of(p) for p in conn.scalars(select(_EVENTS.c.practice_id).distinct())}
    return sorted(found)


def _walk(conn: Connection, chain: int) -> Iterator[tuple[Mapping[str, Any] | None, Any]]:
    """Yield (event fields or None, link) in chain order, streaming."""
    query = (
        select(_LINKS, *[_EVENTS.c[n].label(f"e_{n}") for n in _FIELDS])
        .select_from(_LINKS.outerjoin(_EVENTS, _EVENTS.c.id == _LINKS.c.event_id))
        .where(_LINKS.c.chain == chain)
        .order_by(_LINKS.c.seq)
    )
    for row in conn.execution_options(yield_per=1000).execute(query):
        fields = {n: row._mapping[f"e_{n}"] for n in _FIELDS}
        yield (fields if fields["id"] is not None else None), row


def _check_chain(conn: Connection, chain: int, out: Verification) -> Broken | None:
    """Walk one chain; return its first broken link, updating the counts in ``out``."""
    seq, prev, last_id = 0, GENESIS, None
    for fields, link in _walk(conn, chain):
        eid = link.event_id
        if fields is None:
            return Broken(eid, chain, f"link {link.seq} names entry {eid}, which is gone")
        if link.seq != seq + 1:
            return Broken(
                eid,
                chain,
                f"entries {seq + 1} to {link.seq - 1} of the chain are missing "
                f"before entry {eid} (deleted)",
            )
        if link.prev_hash != prev:
            return Broken(
                eid,
                chain,
                f"its previous hash {link.prev_hash[:16]}... is not the "
                f"hash of the entry before it ({prev[:16]}...): an entry was removed "
                "or inserted",
            )
        if _chain_of(fields["practice_id"]) != chain:
            return Broken(
                eid,
                chain,
                f"its practice is now {fields['practice_id']}, not the "
                "chain's: the entry was edited",
            )
        computed = entry_hash(fields, chain=chain, seq=link.seq, prev_hash=prev)
        if computed != link.hash:
            return Broken(
                eid,
                chain,
                f"its fields do not match its hash (stored "
                f"{link.hash[:16]}..., computed {computed[:16]}...): the entry was "
                "edited",
            )
        seq, prev, last_id = link.seq, link.hash, eid
        out.checked += 1
    head = conn.execute(select(_HEADS).where(_HEADS.c.chain == chain)).first()
    if head is None and seq:
        return Broken(last_id, chain, "the chain has no head record (audit_heads was emptied)")
    if head is not None and (head.seq, head.hash) != (seq, prev):
        return Broken(
            last_id,
            chain,
            f"the chain ends at entry {seq} but its head says "
            f"{head.seq}: entries were removed from the end or the table was truncated",
        )
    if out.chains is not None:
        out.chains[chain] = (seq, prev)
    if last_id is not None and (out.head_id is None or last_id > out.head_id):
        out.head_id, out.head_hash = last_id, prev
    return None


def _unlinked(conn: Connection, practice_id: int | None) -> Broken | None:
    query = select(_EVENTS.c.id, _EVENTS.c.practice_id).where(
        ~select(_LINKS.c.event_id).where(_LINKS.c.event_id == _EVENTS.c.id).exists()
    )
    if practice_id is not None:
        query = query.where(func.coalesce(_EVENTS.c.practice_id, 0) == practice_id)
    row = conn.execute(query.order_by(_EVENTS.c.id).limit(1)).first()
    if row is None:
        return None
    return Broken(
        row.id,
        _chain_of(row.practice_id),
        "the entry has no link in the chain: it "
        "was inserted outside SafeReply (a direct INSERT, perhaps backdated)",
    )


#: How much earlier than a shipped head an entry linked after it may be dated before it counts as
#: backdated. An entry is dated when its transaction starts (the service's clock) and linked when
#: it commits, and the head may be read on another machine: an import or a sweep in flight while
#: ``audit head`` ran, or a few seconds of clock skew, is not tampering (review defect 5).
DEFAULT_GRACE = dt.timedelta(minutes=10)


def verify_chain(
    store: Store,
    *,
    practice_id: int | None = None,
    against: Iterable[Mapping[str, Any]] = (),
    grace: dt.timedelta = DEFAULT_GRACE,
) -> Verification:
    """Walk every chain (or one practice's) and return the first broken link, if any.

    ``against`` takes chain heads shipped earlier (``safereply audit head`` lines): each must still
    be in its chain with the same hash, and no later entry may be dated more than ``grace`` before
    the head was taken.
    """
    out = Verification(chains={})
    with store.engine.connect() as conn:
        found = [_unlinked(conn, practice_id)]
        for chain in _chains(conn, practice_id):
            found.append(_check_chain(conn, chain, out))
        for shipped in against:
            if practice_id is None or int(shipped["chain"]) == practice_id:
                found.append(_check_shipped(conn, shipped, grace))
    problems = [b for b in found if b is not None]
    if problems:
        out.broken = min(problems, key=lambda b: (b.event_id is None, b.event_id or 0))
    return out


def _check_shipped(
    conn: Connection, shipped: Mapping[str, Any], grace: dt.timedelta = DEFAULT_GRACE
) -> Broken | None:
    """Check one shipped head against the chain as it is now."""
    chain, seq, digest = int(shipped["chain"]), int(shipped["seq"]), str(shipped["hash"])
    if seq == 0:
        return None
    link = conn.execute(select(_LINKS).where(_LINKS.c.chain == chain, _LINKS.c.seq == seq)).first()
    if link is None or link.hash != digest:
        return Broken(
            None if link is None else link.event_id,
            chain,
            f"the head shipped at {shipped.get('at')} (chain {chain}, entry {seq}, hash "
            f"{digest[:16]}...) is no longer in the chain: the log was rewritten or truncated",
        )
    taken = dt.datetime.fromisoformat(str(shipped["at"]))
    if taken.tzinfo is None:  # written by hand or another tool: heads are taken in UTC
        taken = taken.replace(tzinfo=dt.UTC)
    later = conn.execute(
        select(_EVENTS.c.id, _EVENTS.c.created_at)
        .join(_LINKS, _LINKS.c.event_id == _EVENTS.c.id)
        .where(_LINKS.c.chain == chain, _LINKS.c.seq > seq, _EVENTS.c.created_at < taken - grace)
        .order_by(_LINKS.c.seq)
        .limit(1)
    ).first()
    if later is not None:
        return Broken(
            later.id,
            chain,
            f"it comes after the head shipped at {shipped['at']} but "
            f"is dated {_when(later.created_at)}: a backdated entry",
        )
    return None


def chain_head(store: Store, *, practice_id: int | None = None) -> list[dict[str, Any]]:
    """Return each chain's head (chain, seq, hash, event id) with the time it was read."""
    now = dt.datetime.now(dt.UTC).isoformat()
    with store.engine.connect() as conn:
        query = select(_HEADS).order_by(_HEADS.c.chain)
        if practice_id is not None:
            query = query.where(_HEADS.c.chain == practice_id)
        return [
            {"chain": r.chain, "seq": r.seq, "hash": r.hash, "event_id": r.event_id, "at": now}
            for r in conn.execute(query)
        ]
