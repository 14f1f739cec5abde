"""OAuth 2.0 authorization-code connect with ``state`` and PKCE (RFC 6749 §4.1, RFC 7636).

An admin starts on the Connections page; the browser goes to the platform's consent screen with a
random ``state`` and a PKCE ``code_challenge`` (S256). What the callback must check travels in a
cookie *sealed* with the instance's key (``services/sealing.py``): the state, the code verifier,
who started it, for which practice and location, and until when (10 minutes). The callback
refuses a state that does not match, a flow started by someone else or expired, then exchanges the
code (with the verifier) for tokens and connects. Nothing of it is stored in the database but
the state's spent mark: :func:`spend` takes a lease named after the state's hash for the rest of the
flow's life, so a callback (or a Page pick) runs once even if its cookie was copied.

Facebook, Instagram and X connect the same way (:func:`provider` says where each platform's consent
screen is and which client this instance uses). PKCE is sent where the platform documents it for
this flow: Google and X (X requires it); Meta documents PKCE only for its OIDC login (marked
"still in testing"), so Facebook and Instagram Login use a confidential client (the app secret
stays on the server) and the checked ``state``. A Facebook login can manage several Pages: its
long-lived user token travels sealed to the Page picker (:class:`PendingPick`, another cookie) and
is never stored; the chosen Page's own token is what the connection keeps.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
import urllib.parse
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import delete, select

from safereply.connectors.base import Credentials, Transport, http_json, urllib_transport
from safereply.errors import InputError
from safereply.services.leases import DatabaseLeases
from safereply.services.sealing import SealError, seal, unseal
from safereply.store.engine import Store
from safereply.store.models import Connection, Lease

__all__ = [
    "FLOW_LIFETIME",
    "GOOGLE_EXTRA",
    "GOOGLE_SCOPE",
    "SOCIAL_PLATFORMS",
    "OAuthFlow",
    "PendingPick",
    "Provider",
    "authorization_url",
    "code_challenge",
    "exchange_code",
    "new_flow",
    "new_pick",
    "open_flow",
    "open_pick",
    "provider",
    "push_states",
    "record_push",
    "seal_flow",
    "seal_pick",
    "spend",
]

GOOGLE_SCOPE = "https://www.googleapis.com/auth/business.manage"
#: Google gives a refresh token only for offline access, and again only with the consent prompt.
GOOGLE_EXTRA = {"access_type": "offline", "prompt": "consent"}
FLOW_LIFETIME = dt.timedelta(minutes=10)
#: The platforms an admin connects from the Connections page besides Google, in page order.
SOCIAL_PLATFORMS = ("facebook", "instagram", "x")
_LEASE_PREFIX = "oauth-spent:"


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
    auth_url: str,
    *,
    client_id: str,
    redirect_uri: str,
    scope: str,
    flow: OAuthFlow,
    pkce: bool = True,
    extra: Mapping[str, str] | None = None,
) -> str:
    """Return the consent-screen address: the code flow, the flow's state and (``pkce``) its
    S256 challenge, plus the platform's own parameters (``extra``, e.g. :data:`GOOGLE_EXTRA`).

    An empty ``scope`` is left out (a Facebook Login for Business configuration names the
    permissions instead, in ``extra``).
    """
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri}
    if scope:
        params["scope"] = scope
    params["state"] = flow.state
    if pkce:
        params["code_challenge"] = code_challenge(flow.verifier)
        params["code_challenge_method"] = "S256"
    params.update(extra or {})
    query = urllib.parse.urlencode(params)
    return f"{auth_url}{'&' if '?' in auth_url else '?'}{query}"


@dataclass(frozen=True, slots=True)
class Provider:
    """Where one platform's consent screen is, and this instance's client there."""

    platform: str
    label: str
    auth_url: str
    client_id: str
    client_secret: str = field(repr=False)
    scope: str
    pkce: bool
    extra: dict[str, str] = field(default_factory=dict)


def provider(settings: Any, platform: str) -> Provider | None:
    """Return how ``platform`` is connected from the page, or None while its client is not set.

    The client id and secret both come from settings (never from a form); a platform without
    them has no "Connect" button, and ``safereply connect`` stays the way to connect it.
    """
    from safereply.connectors import meta, x

    if platform == "facebook":
        config = settings.meta_login_config_id
        return _configured(
            Provider(
                "facebook",
                "Facebook",
                settings.facebook_auth_url,
                settings.meta_app_id,
                settings.meta_app_secret,
                "" if config else meta.FACEBOOK_SCOPE,
                pkce=False,
                extra={"config_id": config} if config else {},
            )
        )
    if platform == "instagram":
        return _configured(
            Provider(
                "instagram",
                "Instagram",
                settings.instagram_auth_url,
                settings.instagram_app_id,
                settings.instagram_app_secret,
                meta.INSTAGRAM_SCOPE,
                pkce=False,
            )
        )
    if platform == "x":
        return _configured(
            Provider(
                "x",
                "X",
                settings.x_auth_url,
                settings.x_client_id,
                settings.x_client_secret,
                x.X_SCOPE,
                pkce=True,
            )
        )
    return None


def _configured(found: Provider) -> Provider | None:
    # X also takes a public client (no secret): PKCE alone then proves the code is ours.
    needs_secret = found.platform != "x"
    if not found.client_id or (needs_secret and not found.client_secret):
        return None
    return found


def seal_flow(flow: OAuthFlow, settings: Any) -> str:
    """Return the flow sealed for a cookie (unreadable and unforgeable without the key)."""
    return seal(json.dumps(asdict(flow)), settings)


def open_flow(
    sealed: str | None,
    settings: Any,
    *,
    state: str | None,
    user_id: int | None,
    platform: str | None = None,
    now: dt.datetime | None = None,
) -> OAuthFlow:
    """Return the flow of a callback once every check passed.

    Raises:
        InputError: no flow, a state that does not match, another user's flow, a flow for
            another platform, or expired.
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
    if platform is not None and flow.platform != platform:
        raise InputError("this connect was started for another platform; start it again")
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


# -- single use --------------------------------------------------------------------------------


def spend(secret: str, store: Store, *, until: float, now: dt.datetime | None = None) -> None:
    """Mark a flow's state (or a pick's nonce) used; refuse it the second time.

    A lease named after the value's SHA-256 is taken until the flow would expire anyway (one
    atomic statement decides, across every process over the database); spent marks of
    finished flows are deleted on the way.

    Raises:
        InputError: the value was used already.
    """
    now = now or dt.datetime.now(dt.UTC)
    digest = hashlib.sha256(secret.encode()).hexdigest()[:64]
    with store.write() as session:
        session.execute(
            delete(Lease).where(Lease.name.like(f"{_LEASE_PREFIX}%"), Lease.until <= now)
        )
    ttl = max(1.0, until - now.timestamp())
    if not DatabaseLeases(store, holder="oauth", clock=lambda: now).take(
        _LEASE_PREFIX + digest, ttl
    ):
        raise InputError("this connect was finished already; start it again")


# -- the Page picker (Facebook) ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PendingPick:
    """A Facebook login waiting for its admin to pick a Page (sealed in a cookie, 10 minutes)."""

    platform: str
    practice_id: int
    user_id: int | None
    site: str | None
    token: str = field(repr=False)  # the long-lived user token: lists the Pages, then dropped
    nonce: str = field(repr=False)
    expires_at: float

    def __repr__(self) -> str:  # never print the token, even in a traceback
        return f"PendingPick(platform={self.platform!r}, practice_id={self.practice_id!r}, ...)"


def new_pick(flow: OAuthFlow, token: str, *, now: dt.datetime | None = None) -> PendingPick:
    """Return the pick that follows a finished Facebook callback (a fresh nonce, 10 minutes)."""
    now = now or dt.datetime.now(dt.UTC)
    return PendingPick(
        platform=flow.platform,
        practice_id=flow.practice_id,
        user_id=flow.user_id,
        site=flow.site,
        token=token,
        nonce=secrets.token_urlsafe(32),
        expires_at=(now + FLOW_LIFETIME).timestamp(),
    )


def seal_pick(pick: PendingPick, settings: Any) -> str:
    """Return the pick sealed for a cookie."""
    return seal(json.dumps(asdict(pick)), settings)


def open_pick(
    sealed: str | None,
    settings: Any,
    *,
    practice_id: int,
    user_id: int | None,
    now: dt.datetime | None = None,
) -> PendingPick:
    """Return the pending pick of this admin and practice.

    Raises:
        InputError: none, unreadable, someone else's, another practice's, or expired.
    """
    if not sealed:
        raise InputError("no Facebook login is waiting for a Page to be picked; start again")
    try:
        pick = PendingPick(**json.loads(unseal(sealed, settings)))
    except (SealError, ValueError, TypeError):
        raise InputError("the Facebook login could not be read back; start again") from None
    if pick.user_id != user_id or pick.practice_id != practice_id:
        raise InputError("this Facebook login was started by someone else; start again")
    if (now or dt.datetime.now(dt.UTC)).timestamp() > pick.expires_at:
        raise InputError("picking the Page took longer than 10 minutes; start again")
    return pick


# -- push (webhooks) state, kept in the connection's cursor --------------------------------------


def record_push(store: Store, connection_id: int, state: str) -> None:
    """Remember whether the platform took the webhook subscription (``on`` or ``refused``).

    It is the ``webhooks`` key of the cursor that ``FacebookConnector.fetch`` reads (a sync then
    does not subscribe again) and that every finished Meta sync keeps.
    """
    with store.write() as session:
        row = session.get(Connection, connection_id)
        if row is not None:
            row.cursor = {**(row.cursor or {}), "webhooks": state}


def push_states(store: Store, practice_id: int) -> dict[int, str | None]:
    """Return each connection's webhook state (None: never subscribed) for the page.

    The caller has checked the admin role already (the Connections list requires it).
    """
    with store.read() as session:
        rows = session.execute(
            select(Connection.id, Connection.cursor).where(Connection.practice_id == practice_id)
        ).all()
    return {
        row_id: (
            str(cursor["webhooks"]) if isinstance(cursor, dict) and cursor.get("webhooks") else None
        )
        for row_id, cursor in rows
    }
