"""Security administration: ``keys`` (secrets at rest) and ``audit`` (the hash-chained log).

``safereply keys generate`` prints (or writes, owner-only) a new key for
``SAFEREPLY_ENCRYPTION_KEYS``; ``safereply keys rotate`` re-seals every sealed column with the
first key. ``safereply audit verify`` walks the audit chains and names the first broken link;
``safereply audit head`` prints each chain's head to ship to write-once storage.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from safereply.cli.io import Exit, UsageError

__all__ = ["register"]


def _common(p: Any) -> None:
    p.add_argument("--database-url", metavar="URL", help="database (default: SQLite in user data)")
    p.add_argument("--settings", metavar="FILE", help="a TOML settings file")


def register(sub: Any) -> None:
    """Add the ``keys`` and ``audit`` subcommands."""
    p = sub.add_parser(
        "keys",
        help="keys that seal secrets at rest: generate one, re-seal everything with the first",
        description="Secrets at rest (webhook secrets, platform tokens) are sealed with the "
        "first key of SAFEREPLY_ENCRYPTION_KEYS; every listed key (and the key derived from "
        "SAFEREPLY_SECRET_KEY) opens them.",
    )
    keys = p.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    k = keys.add_parser("generate", help="print a new key (or write it to a new owner-only file)")
    k.add_argument("--output", metavar="FILE", help="write the key to this new file (mode 0600)")
    k.set_defaults(func=run_keys_generate)
    k = keys.add_parser(
        "rotate",
        help="re-seal every sealed value with the first key (plain legacy values get sealed)",
    )
    _common(k)
    k.set_defaults(func=run_keys_rotate)
    _register_audit(sub)


def _register_audit(sub: Any) -> None:
    p = sub.add_parser(
        "audit",
        help="the hash-chained audit log: verify the chains, print their heads",
        description="Every audit entry is linked to the entry before it by SHA-256 (one chain "
        "per practice, chain 0 for instance-level entries). 'verify' walks the chains and names "
        "the first broken link (exit 1); 'head' prints each chain's newest link as a JSON line "
        "to ship to write-once storage.",
    )
    audit = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    a = audit.add_parser("verify", help="check every link; exit 1 naming the first broken one")
    _common(a)
    a.add_argument("--practice-id", type=int, help="only this practice's chain")
    a.add_argument(
        "--against",
        metavar="FILE",
        help="heads shipped earlier ('audit head' lines): each must still be in its chain",
    )
    a.add_argument(
        "--grace-minutes",
        type=float,
        default=10.0,
        metavar="M",
        help="with --against: an entry linked after a shipped head but dated up to M minutes "
        "before it is not backdated (work in flight when the head was read, clock skew; "
        "default 10)",
    )
    a.set_defaults(func=run_audit_verify)
    a = audit.add_parser("head", help="print each chain's head as one JSON line")
    _common(a)
    a.add_argument("--practice-id", type=int, help="only this practice's chain")
    a.set_defaults(func=run_audit_head)


def _store(args: Any) -> tuple[Any, Any]:
    from safereply.cli.admin import _settings
    from safereply.store import open_store

    settings = _settings(args)
    return settings, open_store(settings.resolved_database_url)


def write_owner_only(path: Path, text: str) -> None:
    """Write ``text`` to a new file readable by its owner only (missing folders 0700).

    Raises:
        UsageError: the file exists (a key is never overwritten) or cannot be created.
    """
    from safereply.store.engine import owner_only_dirs

    try:
        owner_only_dirs(path.parent)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise UsageError(f"{path} exists; a key file is never overwritten") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot create it: {exc.strerror}") from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def run_keys_generate(args: Any, *, out: TextIO | None = None) -> int:
    """Print a new key, or write it to a new owner-only file."""
    from safereply.services.sealing import generate_key

    out = out or sys.stdout
    key = generate_key()
    if args.output:
        write_owner_only(Path(args.output), key + "\n")
        print(f"new key written to {args.output} (owner-only)", file=out)
    else:
        print(key, file=out)
    return Exit.OK


def run_keys_rotate(args: Any, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Re-seal every sealed column in one transaction; nothing changes if one value fails."""
    from safereply.services.sealing import SealError, reseal_all

    out, err = out or sys.stdout, err or sys.stderr
    settings, store = _store(args)
    try:
        with store.write() as session:
            counts = reseal_all(session, settings)
    except SealError as exc:
        print(f"safereply: error: {exc}; nothing was changed", file=err)
        return Exit.FINDINGS
    finally:
        store.dispose()
    for column, count in counts.items():
        print(f"{column}: {count} re-sealed with the first key", file=out)
    return Exit.OK


def _shipped_heads(path: str) -> list[dict[str, Any]]:
    """Read heads shipped earlier, one JSON object a line (blank lines skipped).

    Raises:
        UsageError: the file cannot be read or a line is not a head.
    """
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read it: {exc}") from None
    heads = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            head = json.loads(line)
            head = {k: head[k] for k in ("chain", "seq", "hash", "at")}
            int(head["chain"]), int(head["seq"])
        except (ValueError, TypeError, KeyError, RecursionError):
            raise UsageError(f"{path}: line {number} is not an 'audit head' line") from None
        heads.append(head)
    return heads


def run_audit_verify(args: Any, *, out: TextIO | None = None) -> int:
    """Walk the audit chains; print the head and count, or the first broken link and exit 1."""
    from safereply.services.audit_chain import verify_chain

    out = out or sys.stdout
    against = _shipped_heads(args.against) if args.against else []
    if args.grace_minutes < 0:
        raise UsageError("--grace-minutes cannot be negative")
    grace = dt.timedelta(minutes=args.grace_minutes)
    _settings, store = _store(args)
    try:
        result = verify_chain(store, practice_id=args.practice_id, against=against, grace=grace)
    finally:
        store.dispose()
    if result.broken is not None:
        b = result.broken
        where = f"entry {b.event_id}" if b.event_id is not None else "a shipped head"
        print(f"audit chain {b.chain} BROKEN at {where}: {b.reason}", file=out)
        return Exit.FINDINGS
    print(
        f"audit chain intact: {result.checked} entries in {len(result.chains or {})} chains; "
        f"newest entry {result.head_id or 'none'}, hash {result.head_hash}",
        file=out,
    )
    return Exit.OK


def run_audit_head(args: Any, *, out: TextIO | None = None) -> int:
    """Print each chain's head as one JSON line, for write-once storage."""
    from safereply.services.audit_chain import chain_head

    out = out or sys.stdout
    _settings, store = _store(args)
    try:
        heads = chain_head(store, practice_id=args.practice_id)
    finally:
        store.dispose()
    for head in heads:
        out.write(json.dumps(head, sort_keys=True) + "\n")
    return Exit.OK
