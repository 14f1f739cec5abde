"""Time-based one-time passwords (TOTP, RFC 6238) and recovery codes, from the standard library.

TOTP is HOTP (RFC 4226) over the number of 30-second steps since the epoch: HMAC-SHA1 of the
step as an 8-byte big-endian counter, dynamically truncated to 6 digits. Every authenticator app
(Google Authenticator, Microsoft Authenticator, 1Password, FreeOTP ...) speaks exactly this, with
the secret handed over as base32 text or an ``otpauth://`` URI. Twenty lines of ``hmac`` need no
dependency; the RFC's own test vectors check them (tests/web/test_auth_mfa.py).

A code is accepted one step either side of now (phone clocks drift) and only once: the caller
stores the last step accepted and passes it back, so a code seen over a shoulder cannot be
replayed. Recovery codes are ten random codes of 50 bits each, shown once, stored as SHA-256
(they are random, so a fast hash is enough, as for API tokens) and spent on use.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import secrets
import struct
from urllib.parse import quote, urlencode

__all__ = [
    "DIGITS",
    "RECOVERY_CODES",
    "STEP",
    "hash_recovery_code",
    "hotp",
    "new_recovery_codes",
    "new_secret",
    "normalise_code",
    "otpauth_uri",
    "qr_data_uri",
    "totp",
    "verify_totp",
]

#: Seconds per step and digits per code: the values every authenticator app assumes.
STEP = 30
DIGITS = 6
#: Steps either side of now that still count (one: 30 seconds of clock drift each way).
DRIFT_STEPS = 1
#: How many recovery codes an account holds.
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def new_secret() -> str:
    """Return a new random TOTP secret: 160 bits (RFC 4226's recommendation) as base32."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    text = secret.strip().replace(" ", "").upper()
    return base64.b32decode(text + "=" * (-len(text) % 8))


def hotp(key: bytes, counter: int, digits: int = DIGITS) -> str:
    """Return the HOTP value (RFC 4226) of ``key`` at ``counter``, zero-padded to ``digits``."""
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def totp(secret: str, at: float, digits: int = DIGITS) -> str:
    """Return the code of a base32 ``secret`` at Unix time ``at``."""
    return hotp(_key(secret), int(at) // STEP, digits)


def normalise_code(code: str | None) -> str:
    """Return a typed code without spaces and dashes, lower case ('123 456' -> '123456')."""
    return "".join(c for c in (code or "") if c not in " -\t").lower()


def verify_totp(secret: str, code: str, at: float, last_step: int | None) -> int | None:
    """Return the step a right code belongs to, or None (wrong, malformed, or already used).

    Args:
        secret: the account's base32 secret.
        code: what the person typed (spaces allowed).
        at: now, as Unix time.
        last_step: the step of the last code accepted for the account (None: never).
    """
    code = normalise_code(code)
    if len(code) != DIGITS or not code.isascii() or not code.isdigit():
        return None
    key = _key(secret)
    now = int(at) // STEP
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(hotp(key, step), code):
            return step
    return None


def otpauth_uri(secret: str, account: str, issuer: str = "SafeReply") -> str:
    """Return the ``otpauth://totp/...`` URI an authenticator app imports (Key URI Format)."""
    label = quote(f"{issuer}:{account}", safe=":@")
    query = urlencode({"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS})
    return f"otpauth://totp/{label}?{query}&period={STEP}"


def qr_data_uri(uri: str) -> str | None:
    """Return the ``otpauth://`` URI drawn as a QR code (an SVG ``data:`` URI for an ``<img>``),
    or None without the optional ``qrcode`` package (the ``qr`` extra): the pages then show the
    secret as text and the link, which every authenticator app also takes."""
    try:
        import qrcode
        import qrcode.image.svg
    except ImportError:
        return None
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def new_recovery_codes(count: int = RECOVERY_CODES) -> list[str]:
    """Return ``count`` fresh recovery codes, ``xxxxx-xxxxx`` (10 characters, ~50 bits each)."""
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def hash_recovery_code(code: str) -> str:
    """Return the SHA-256 under which a recovery code is stored (dashes and case ignored)."""
    return hashlib.sha256(normalise_code(code).encode("utf-8")).hexdigest()
