"""OAuth 2.0 authorization-code connect with ``state`` and PKCE (RFC 6749 §4.1, RFC 7636).

An admin starts on the Connections page; the browser goes to the platform's consent screen with a
random ``state`` and a PKCE ``code_challenge`` (S256). What the callback must check travels in a
cookie *sealed* with the instance's key (``services/sealing.py``): the state, the code verifier,
who started it, for which practice and location, and until when (10 minutes). The callback
refuses a state that does not match, a flow started by someone else or expired, then exchanges the
code (with the verifier) for tokens and connects. Nothing of it is stored in the database.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
import urllib.parse
from dataclasses import asdict, dataclass
from typing import Any

from safereply.connectors.base import Credentials, Transport, http_json, urllib_transport
from safereply.errors import InputError
from safereply.services.sealing import SealError, seal, unseal

__all__ = [
    "FLOW_LIFETIME",
    "GOOGLE_SCOPE",
    "OAuthFlow",
    "authorization_url",
    "code_challenge",
    "exchange_code",
    "new_flow",
    "open_flow",
    "seal_flow",
]

GOOGLE_SCOPE = "https://www.googleapis.com/auth/business.manage"
FLOW_LIFETIME = dt.timedelta(minutes=10)


def code_challenge(verifier: str) -> str:
    """Return the S256 PKCE challenge of a verifier: base64url(SHA-256), no padding."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


@dataclass(frozen=True, slots=True)
class OAuthFlow:
    """One started connect: what the callback checks and needs."""

    platform: str
    practice_id: int
    user_id: int | None
    location: str
    site: str | None
    state: str
    verifier: str
    expires_at: float  # epoch seconds


def new_flow(
    platform: str,
    practice_id: int,
    user_id: int | None,
    location: str,
    *,
    site: str | None = None,
    now: dt.datetime | None = None,
) -> OAuthFlow:
    """Start a flow with a fresh state (256 bits) and a fresh PKCE verifier (86 characters)."""
    now = now or dt.datetime.now(dt.UTC)
    return OAuthFlow(
        platform=platform,
        practice_id=practice_id,
        user_id=user_id,
        location=location,
        site=site or None,
        state=secrets.token_urlsafe(32),
        verifier=secrets.token_urlsafe(64),
        expires_at=(now + FLOW_LIFETIME).timestamp(),
    )


def authorization_url(
    auth_url: str, *, client_id: str, redirect_uri: str, scope: str, flow: OAuthFlow
) -> str:
    """Return the consent-screen address (offline access: Google then gives a refresh token)."""
    query = urllib.parse.urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": scope,
            "state": flow.state,
            "code_challenge": code_challenge(flow.verifier),
            "code_challenge_method": "S256",
            "access_type": "offline",
            "prompt": "consent",
        }
    )
    return f"{auth_url}{'&' if '?' in auth_url else '?'}{query}"


def seal_flow(flow: OAuthFlow, settings: Any) -> str:
    """Return the flow sealed for a cookie (unreadable and unforgeable without the key)."""
    return seal(json.dumps(asdict(flow)), settings)


def open_flow(
    sealed: str | None,
    settings: Any,
    *,
    state: str | None,
    user_id: int | None,
    now: dt.datetime | None = None,
) -> OAuthFlow:
    """Return the flow of a callback once every check passed.

    Raises:
        InputError: no flow, a state that does not match, another user's flow, or expired.
    """
    if not sealed:
        raise InputError("no connect was started in this browser (or it was finished already)")
    try:
        flow = OAuthFlow(**json.loads(unseal(sealed, settings)))
    except (SealError, ValueError, TypeError):
        raise InputError("the connect could not be read back; start it again") from None
    if not state or not hmac.compare_digest(flow.state.encode(), state.encode()):
        raise InputError("the state does not match the connect this browser started")
    if flow.user_id != user_id:
        raise InputError("this connect was started by someone else; start it again")
    if (now or dt.datetime.now(dt.UTC)).timestamp() > flow.expires_at:
        raise InputError("the connect took longer than 10 minutes; start it again")
    return flow


def exchange_code(
    token_url: str,
    *,
    client_id: str,
    client_secret: str,
    code: str,
    verifier: str,
    redirect_uri: str,
    transport: Transport | None = None,
    now: dt.datetime | None = None,
) -> Credentials:
    """Exchange an authorization code (with its PKCE verifier) for the connection's tokens.

    Raises:
        InputError: the platform refused the code, or gave no refresh token (the message says
            what to do; it never holds a token).
    """
    response = http_json(
        transport or urllib_transport,
        "POST",
        token_url,
        form={
            "grant_type": "authorization_code",
            "code": code,
            "code_verifier": verifier,
            "redirect_uri": redirect_uri,
            "client_id": client_id,
            "client_secret": client_secret,
        },
    )
    body = response.json()
    if response.status != 200 or not isinstance(body, dict):
        error = body.get("error") if isinstance(body, dict) else None
        raise InputError(f"the platform refused the authorization ({error or response.status})")
    if not body.get("refresh_token"):
        raise InputError(
            "the platform gave no refresh token: remove SafeReply's access in the account's "
            "security settings and connect again"
        )
    seconds = body.get("expires_in")
    expires = (now or dt.datetime.now(dt.UTC)) + dt.timedelta(
        seconds=float(seconds) if isinstance(seconds, int | float) else 3600.0
    )
    return Credentials(
        client_id=client_id,
        client_secret=client_secret,
        refresh_token=str(body["refresh_token"]),
        access_token=str(body.get("access_token") or ""),
        expires_at=expires,
    )
