"""Values signed with ``SAFEREPLY_SECRET_KEY``: what the browser carries between requests.

The sign-in form's token, the half-finished sign-in between the password and the second factor,
and the known-device cookie are signed, not stored: HMAC-SHA256 over the JSON payload, with a key
derived per purpose from the secret key (so a value signed for one purpose is refused for
another), and an issue time checked against a maximum age. Password-reset links are random and
stored as an HMAC under the same secret (:meth:`Signer.keyed_hash`), so a copy of the database
alone cannot be matched against links seen in mail logs. Rotating the secret key voids all of
these at once (people sign in again; open reset links stop working).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import Any

__all__ = ["Signer"]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Signer:
    """Sign and check small payloads with keys derived from the instance's secret key."""

    def __init__(self, secret_key: str) -> None:
        self._secret = secret_key.encode("utf-8")

    def _key(self, purpose: str) -> bytes:
        return hmac.new(self._secret, b"safereply/" + purpose.encode(), hashlib.sha256).digest()

    def sign(self, purpose: str, payload: dict[str, Any], *, now: float) -> str:
        """Return ``payload`` (JSON-able) with its issue time, signed for ``purpose``."""
        body = _b64(json.dumps({**payload, "iat": int(now)}, separators=(",", ":")).encode())
        mac = hmac.new(self._key(purpose), body.encode("ascii"), hashlib.sha256).digest()
        return f"{body}.{_b64(mac)}"

    def unsign(
        self, purpose: str, token: str | None, *, max_age: float, now: float
    ) -> dict[str, Any] | None:
        """Return the payload of a value signed for ``purpose`` no longer than ``max_age`` ago.

        None for anything else: forged, signed for another purpose or with another key, expired,
        issued in the future, or not a signed value at all.
        """
        if not token or len(token) > 2000 or token.count(".") != 1:
            return None
        body, _, mac = token.partition(".")
        try:
            expected = hmac.new(self._key(purpose), body.encode("ascii"), hashlib.sha256).digest()
            if not hmac.compare_digest(expected, _unb64(mac)):
                return None
            payload = json.loads(_unb64(body))
        except (ValueError, UnicodeError, binascii.Error):
            return None
        issued = payload.get("iat") if isinstance(payload, dict) else None
        if not isinstance(issued, int) or not now - max_age <= issued <= now + 5:
            return None
        return payload

    def keyed_hash(self, purpose: str, value: str) -> str:
        """Return the hex HMAC-SHA256 of ``value`` under the purpose's key (stored lookups)."""
        return hmac.new(self._key(purpose), value.encode("utf-8"), hashlib.sha256).hexdigest()
