"""Secrets at rest: seal a value with a key from settings, never from the database.

A stolen database file or backup must not hand over the secrets it holds (webhook signing
secrets, platform tokens). Each such value is stored *sealed*: encrypted and authenticated with
Fernet (AES-128-CBC + HMAC-SHA256, from the ``cryptography`` package), behind the prefix
``sealed:v1:`` so a sealed value is told from a plain one left by an older version.

Keys come from settings only:

- ``SAFEREPLY_ENCRYPTION_KEYS``: comma-separated Fernet keys (``safereply keys generate``). The
  first seals; every key unseals, so a new key is put first and the old ones kept until
  ``safereply keys rotate`` has re-sealed every sealed column with the new one.
- When it is empty, one key is derived from ``SAFEREPLY_SECRET_KEY`` with HKDF-SHA256 (its own
  salt and purpose label, so it is not the secret key itself). That key always unseals too, so an
  instance can move from the fallback to explicit keys without downtime: set the keys, run
  ``safereply keys rotate``.

A value that no key opens raises :class:`SealError`, whose message names the setting and never
holds the value. Columns that hold sealed values say so in the model
(``mapped_column(..., info={"sealed": True})``); ``keys rotate`` finds them there.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Iterator
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Column, Table, select, update
from sqlalchemy.orm import Session

from safereply.errors import ConfigError, SafeReplyError

__all__ = [
    "PREFIX",
    "SealError",
    "derived_key",
    "generate_key",
    "is_sealed",
    "reseal_all",
    "rotate",
    "seal",
    "sealed_columns",
    "unseal",
]

#: Marks a sealed value; the version lets a later format coexist with this one.
PREFIX = "sealed:v1:"
_HKDF_SALT = b"safereply/sealing/v1"
_HKDF_INFO = b"safereply secrets-at-rest key derived from SAFEREPLY_SECRET_KEY"


class SealError(SafeReplyError):
    """A sealed value cannot be opened with the configured keys (or is not a sealed value)."""


def generate_key() -> str:
    """Return a new random key for ``SAFEREPLY_ENCRYPTION_KEYS`` (32 bytes, URL-safe base64)."""
    return Fernet.generate_key().decode("ascii")


def derived_key(secret_key: str) -> str:
    """Return the fallback key derived from ``SAFEREPLY_SECRET_KEY`` (HKDF-SHA256).

    The salt and info label tie the key to this one purpose: knowing it tells nothing about the
    secret key, and a future use of the secret key derives a different key.
    """
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT, info=_HKDF_INFO)
    raw = hkdf.derive(secret_key.encode("utf-8"))
    return base64.urlsafe_b64encode(raw).decode("ascii")


def _settings_keys(settings: Any) -> tuple[str, tuple[str, ...]]:
    configured = getattr(settings, "encryption_keys", "") or ""
    keys = tuple(k.strip() for k in configured.split(",") if k.strip())
    return settings.secret_key, keys


@functools.lru_cache(maxsize=8)
def _keyring(secret_key: str, keys: tuple[str, ...]) -> MultiFernet:
    """Build the keyring: the configured keys in order, then the derived fallback key."""
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key.encode("ascii")))
        except (ValueError, UnicodeEncodeError):
            raise ConfigError(
                f"SAFEREPLY_ENCRYPTION_KEYS: key {position} is not a Fernet key (32 bytes in "
                "URL-safe base64, 44 characters); make one with 'safereply keys generate'"
            ) from None
    fallback = derived_key(secret_key)
    if fallback not in keys:
        fernets.append(Fernet(fallback.encode("ascii")))
    return MultiFernet(fernets)


def _ring(settings: Any) -> MultiFernet:
    return _keyring(*_settings_keys(settings))


def is_sealed(value: str | None) -> bool:
    """Return True when ``value`` is a sealed value (rather than a plain one left from before)."""
    return isinstance(value, str) and value.startswith(PREFIX)


def seal(plaintext: str, settings: Any) -> str:
    """Return ``plaintext`` encrypted and authenticated with the first key of the settings.

    Raises:
        ConfigError: a configured key is not a valid key.
        TypeError: ``plaintext`` is not text.
    """
    if not isinstance(plaintext, str):
        raise TypeError("only text can be sealed")
    token = _ring(settings).encrypt(plaintext.encode("utf-8"))
    return PREFIX + token.decode("ascii")


def unseal(token: str, settings: Any) -> str:
    """Return the plaintext of a sealed value.

    Raises:
        SealError: not a sealed value, altered, or sealed with a key no longer configured. The
            message never carries the value.
        ConfigError: a configured key is not a valid key.
    """
    if not is_sealed(token):
        raise SealError("the stored value is not sealed (expected the 'sealed:v1:' prefix)")
    try:
        return _ring(settings).decrypt(token[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        raise SealError(
            "a sealed value cannot be opened with the configured keys: it was sealed with a key "
            "that is not in SAFEREPLY_ENCRYPTION_KEYS (nor derived from SAFEREPLY_SECRET_KEY), "
            "or it was altered; put the old key back (after the new one) and run "
            "'safereply keys rotate'"
        ) from None


def rotate(token: str, settings: Any) -> str:
    """Return a sealed value re-sealed with the first key; a plain (legacy) value gets sealed.

    Raises:
        SealError: a sealed value no configured key opens.
    """
    plaintext = unseal(token, settings) if is_sealed(token) else token
    return seal(plaintext, settings)


def sealed_columns(metadata: Any = None) -> Iterator[tuple[Table, Column[Any]]]:
    """Yield every (table, column) whose model marks it ``info={"sealed": True}``."""
    if metadata is None:
        from safereply.store.models import Base

        metadata = Base.metadata
    for table in metadata.sorted_tables:
        for column in table.columns:
            if column.info.get("sealed"):
                yield table, column


def reseal_all(session: Session, settings: Any) -> dict[str, int]:
    """Re-seal every sealed column's values with the first key, in the caller's transaction.

    Plain values left by an older version are sealed on the way. Returns the number of values
    re-sealed per ``table.column``.

    Raises:
        SealError: a value no configured key opens; it names the table, column and row key (never
            the value), and the caller's transaction should be rolled back so nothing half-rotates.
    """
    counts: dict[str, int] = {}
    for table, column in sealed_columns():
        keys = list(table.primary_key.columns)
        rows = session.execute(select(*keys, column).where(column.is_not(None))).all()
        done = 0
        for row in rows:
            *pk, value = row
            try:
                fresh = rotate(value, settings)
            except SealError as exc:
                where = ", ".join(f"{c.name}={v}" for c, v in zip(keys, pk, strict=True))
                raise SealError(f"{table.name}.{column.name} ({where}): {exc}") from None
            match = [c == v for c, v in zip(keys, pk, strict=True)]
            session.execute(update(table).where(*match).values({column.name: fresh}))
            done += 1
        counts[f"{table.name}.{column.name}"] = done
    return counts
