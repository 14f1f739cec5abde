"""Security administration: ``keys`` (secrets at rest).

``safereply keys generate`` prints (or writes, owner-only) a new key for
``SAFEREPLY_ENCRYPTION_KEYS``; ``safereply keys rotate`` re-seals every sealed column with the
first key.
"""

from __future__ import annotations

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
    """Add the ``keys`` subcommands."""
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
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
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
