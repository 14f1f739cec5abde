"""Connecting Google from the Connections page: authorization code with state and PKCE (S256)."""

from __future__ import annotations

import datetime as dt
import urllib.parse

import pytest
from factories import csrf_of, sign_in
from google_world import LOCATION

from safereply.connectors import oauth
from safereply.errors import InputError
from safereply.services import SYSTEM
from safereply.store.models import Connection


def test_the_pkce_challenge_is_rfc_7636s():
    # RFC 7636, appendix B.
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert oauth.code_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_a_flow_is_sealed_and_checked():
    from safereply.settings import Settings

    settings = Settings(environment="test", secret_key="s" * 40)
    flow = oauth.new_flow("google", 1, 7, LOCATION)
    sealed = oauth.seal_flow(flow, settings)
    assert flow.verifier not in sealed and flow.state not in sealed
    assert oauth.open_flow(sealed, settings, state=flow.state, user_id=7) == flow
    for state, user, when, message in [
        ("forged", 7, None, "state"),
        (flow.state, 8, None, "someone else"),
        (flow.state, 7, dt.datetime.now(dt.UTC) + dt.timedelta(minutes=11), "10 minutes"),
    ]:
        with pytest.raises(InputError, match=message):
            oauth.open_flow(sealed, settings, state=state, user_id=user, now=when)
    with pytest.raises(InputError, match="started"):
        oauth.open_flow(None, settings, state=flow.state, user_id=7)


@pytest.fixture
def app(site, google):
    app, services, *_ = site
    services.settings.google_client_id = "client-123"
    services.settings.google_client_secret = "client-secret"
    services.settings.google_token_url = f"{google.url}/token"
    services.settings.google_auth_url = "https://accounts.example.test/o/oauth2/auth"
    return app, services


def start(client, location=LOCATION):
    csrf = csrf_of(client.get("/p/1/connections").text)
    return client.post(
        "/p/1/connections/google/start",
        data={"csrf_token": csrf, "location": location, "site": "Downtown"},
        follow_redirects=False,
    )


def test_an_admin_connects_with_state_and_pkce(app, google):
    app, services = app
    admin = sign_in(app, "admin")
    response = start(admin)
    assert response.status_code == 303
    url = urllib.parse.urlsplit(response.headers["location"])
    query = dict(urllib.parse.parse_qsl(url.query))
    assert url.netloc == "accounts.example.test"
    assert query["code_challenge_method"] == "S256" and len(query["state"]) >= 40
    assert query["client_id"] == "client-123" and query["access_type"] == "offline"
    assert query["scope"] == oauth.GOOGLE_SCOPE
    assert query["redirect_uri"].endswith("/oauth/google/callback")
    google.codes["code-1"] = (query["code_challenge"], query["redirect_uri"])

    forged = admin.get("/oauth/google/callback", params={"code": "code-1", "state": "forged"})
    assert forged.status_code == 422 and "state does not match" in forged.text
    done = admin.get(
        "/oauth/google/callback",
        params={"code": "code-1", "state": query["state"]},
        follow_redirects=False,
    )
    assert done.status_code == 303 and "done=connected" in done.headers["location"]
    listed = services_list(services)
    assert listed == [("google", LOCATION, True)]
    with services.store.read() as s:
        tokens = s.query(Connection.tokens).scalar()
    assert tokens.startswith("sealed:") and "refresh-2" not in tokens
    again = admin.get("/oauth/google/callback", params={"code": "code-1", "state": query["state"]})
    assert again.status_code == 422  # the flow is spent: the cookie is gone


def services_list(services):
    from safereply.connectors.runtime import build_connectors

    rows = build_connectors(services.store, services.settings, services.inbox)
    return [(c.platform, c.external_id, c.connected) for c in rows.connections.list(SYSTEM)]


def test_a_code_without_the_right_verifier_is_refused(app, google):
    app, services = app
    admin = sign_in(app, "admin")
    query = dict(
        urllib.parse.parse_qsl(urllib.parse.urlsplit(start(admin).headers["location"]).query)
    )
    google.codes["code-2"] = ("another-challenge", query["redirect_uri"])
    response = admin.get(
        "/oauth/google/callback", params={"code": "code-2", "state": query["state"]}
    )
    assert response.status_code == 422 and "refused the authorization" in response.text
    assert services_list(services) == []


def test_only_admins_start_and_a_bad_location_is_explained(app):
    app, _ = app
    manager = sign_in(app, "manager")
    assert start(manager).status_code == 403
    admin = sign_in(app, "admin")
    response = start(admin, location="locations/9")
    assert response.status_code == 422 and "accounts/A/locations/B" in response.text
    assert 'value="locations/9"' in response.text
