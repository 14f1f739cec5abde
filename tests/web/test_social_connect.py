"""Connecting Facebook Pages, Instagram accounts and X accounts from the Connections page.

OAuth 2.0 authorization code with a ``state`` that is checked, bound to the admin and the
practice, and spent once (PKCE on X), driven like a browser against the local doubles of the Graph
API and the X API: connect, pick, listed without any secret in the page, wrong state refused,
denial explained, managers refused. No test reaches a platform.
"""

from __future__ import annotations

import sys
import urllib.parse
from pathlib import Path

import pytest
from factories import csrf_of, sign_in

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "connectors"))
from doubles_http import DoubleServer
from doubles_meta import GraphDouble
from doubles_x import XDouble

from safereply.connectors import oauth
from safereply.connectors.runtime import build_connectors
from safereply.services import SYSTEM
from safereply.store.models import AuditEvent, Connection

IG_USER = "17841400000000001"
SECRETS = ("page-token", "user-short", "ig-short", "ig-long", "x-access", "x-refresh")


def _serve(double):
    server = DoubleServer(double)
    server.__enter__()
    double.base_url = server.url
    return server


@pytest.fixture
def doubles():
    facebook = GraphDouble("facebook", app_secret="meta-secret-1")
    facebook.pages.append(
        {
            "id": "1002",
            "name": "Eastside Events",
            "access_token": "page-token-9",
            "tasks": ["ANALYZE"],
        }
    )
    instagram = GraphDouble(
        "instagram", owner_id=IG_USER, owner_name="riverside.dental", token="ig-token-0"
    )
    x = XDouble()
    x.client_secret = "x-secret"
    servers = {name: _serve(d) for name, d in (("facebook", facebook), ("instagram", instagram))}
    servers["x"] = _serve(x)
    yield {"facebook": facebook, "instagram": instagram, "x": x, "servers": servers}
    for server in servers.values():
        server.__exit__()


@pytest.fixture
def app(site, doubles):
    app, services, *_ = site
    urls = {name: server.url for name, server in doubles["servers"].items()}
    for name, value in {
        "meta_app_id": "meta-app-1",
        "meta_app_secret": "meta-secret-1",
        "meta_graph_api": urls["facebook"],
        "facebook_auth_url": "https://facebook.example.test/v26.0/dialog/oauth",
        "instagram_app_id": "meta-app-1",
        "instagram_app_secret": "meta-secret-1",
        "instagram_api": urls["instagram"],
        "instagram_token_url": f"{urls['instagram']}/oauth/access_token",
        "instagram_auth_url": "https://instagram.example.test/oauth/authorize",
        "x_client_id": "x-client",
        "x_client_secret": "x-secret",
        "x_api": urls["x"],
        "x_auth_url": "https://x.example.test/i/oauth2/authorize",
    }.items():
        setattr(services.settings, name, value)
    return app, services


def start(client, platform, site_name=""):
    """Press "Connect with ..." and return (the answer, the consent screen's query)."""
    csrf = csrf_of(client.get("/p/1/connections").text)
    response = client.post(
        f"/p/1/connections/{platform}/start",
        data={"csrf_token": csrf, "site": site_name},
        follow_redirects=False,
    )
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(response.headers["location"]).query))
    return response, query


def grant(doubles, platform, query, code):
    """Play the consent screen: hand out ``code`` for this authorization request."""
    if platform == "x":
        doubles["x"].codes[code] = (query["code_challenge"], query["redirect_uri"])
    else:
        doubles[platform].codes[code] = query["redirect_uri"]


def callback(client, platform, **params):
    return client.get(f"/oauth/{platform}/callback", params=params, follow_redirects=False)


def connections(services):
    rows = build_connectors(services.store, services.settings, services.inbox)
    return [
        (c.platform, c.external_id, c.name, c.location, c.connected)
        for c in rows.connections.list(SYSTEM)
    ]


def assert_no_secret(text):
    assert "sealed:" not in text and "meta-secret-1" not in text and "x-secret" not in text
    for prefix in SECRETS:
        assert prefix not in text, prefix


def test_an_admin_connects_a_facebook_page_picked_from_the_login(app, doubles):
    app, services = app
    admin = sign_in(app, "admin")
    response, query = start(admin, "facebook")
    assert response.status_code == 303
    assert response.headers["location"].startswith("https://facebook.example.test/")
    assert query["client_id"] == "meta-app-1" and len(query["state"]) >= 40
    assert "pages_manage_engagement" in query["scope"] and "code_challenge" not in query
    assert query["redirect_uri"] == "http://127.0.0.1:8000/oauth/facebook/callback"
    grant(doubles, "facebook", query, "fb-code-1")

    done = callback(admin, "facebook", code="fb-code-1", state=query["state"])
    assert done.status_code == 303
    assert done.headers["location"] == "/p/1/connections/facebook/pick"
    picker = admin.get("/p/1/connections/facebook/pick")
    assert picker.status_code == 200
    assert "Riverside Family Dental" in picker.text and "Eastside Events" in picker.text
    assert 'value="1002" disabled' in picker.text  # no MODERATE task: cannot answer comments
    assert_no_secret(picker.text)
    assert connections(services) == []  # nothing is connected before the pick

    csrf = csrf_of(picker.text)
    refused = admin.post(
        "/p/1/connections/facebook/pick", data={"csrf_token": csrf, "page_id": "1002"}
    )
    assert refused.status_code == 422 and "MODERATE" in refused.text
    picked = admin.post(
        "/p/1/connections/facebook/pick",
        data={"csrf_token": csrf, "page_id": "1001"},
        follow_redirects=False,
    )
    assert picked.status_code == 303 and "done=connected" in picked.headers["location"]
    assert connections(services) == [("facebook", "1001", "Riverside Family Dental", None, True)]
    assert doubles["facebook"].subscribed == "feed"  # installed at connect time

    page = admin.get(picked.headers["location"])
    assert (
        "Riverside Family Dental" in page.text and "Webhooks on, polling as fallback" in page.text
    )
    assert "Connected. The first sync" in page.text
    assert_no_secret(page.text)
    assert_no_secret(admin.get("/p/1/connections?format=json").text)
    with services.store.read() as s:
        tokens = s.query(Connection.tokens).scalar()
        audit = [str(e.detail) for e in s.query(AuditEvent).filter_by(action="connection.connect")]
    assert tokens.startswith("sealed:") and "page-token-1" not in tokens
    assert audit == ["{'platform': 'facebook', 'external_id': '1001'}"]

    # The stored Page token works: a sync reads the Page (appsecret_proof checked by the double).
    doubles["facebook"].add_comment(doubles["facebook"].add_root("Open house"), "Great team")
    report = build_connectors(services.store, services.settings, services.inbox).syncer.sync(1)
    assert report.errors == 0 and report.new == 1, report.error


def test_an_admin_connects_an_instagram_account_and_its_webhooks(app, doubles):
    app, services = app
    admin = sign_in(app, "admin")
    response, query = start(admin, "instagram", "Downtown")
    assert response.headers["location"].startswith("https://instagram.example.test/oauth/")
    assert query["scope"] == "instagram_business_basic,instagram_business_manage_comments"
    assert "code_challenge" not in query
    grant(doubles, "instagram", query, "ig-code-1")

    done = callback(admin, "instagram", code="ig-code-1", state=query["state"])
    assert done.status_code == 303 and "done=connected" in done.headers["location"]
    assert connections(services) == [("instagram", IG_USER, "@riverside.dental", "Downtown", True)]
    assert doubles["instagram"].subscribed == "comments"
    page = admin.get("/p/1/connections")
    assert "@riverside.dental" in page.text and "Webhooks on, polling as fallback" in page.text
    assert_no_secret(page.text)

    doubles["instagram"].add_comment(doubles["instagram"].add_root("Smile"), "Lovely")
    report = build_connectors(services.store, services.settings, services.inbox).syncer.sync(1)
    assert report.errors == 0 and report.new == 1, report.error


def test_an_admin_connects_an_x_account_with_pkce(app, doubles):
    app, services = app
    admin = sign_in(app, "admin")
    _, query = start(admin, "x")
    assert query["code_challenge_method"] == "S256" and query["client_id"] == "x-client"
    assert query["scope"] == "tweet.read tweet.write users.read offline.access"
    grant(doubles, "x", query, "x-code-1")

    done = callback(admin, "x", code="x-code-1", state=query["state"])
    assert done.status_code == 303, done.text
    assert connections(services) == [("x", "42", "@riversidedental", None, True)]
    page = admin.get("/p/1/connections")
    assert "@riversidedental" in page.text and ">Polling<" in page.text
    assert_no_secret(page.text)

    doubles["x"].mention("@riversidedental thanks for fitting me in")
    report = build_connectors(services.store, services.settings, services.inbox).syncer.sync(1)
    assert report.errors == 0 and report.new == 1, report.error


def test_x_refuses_a_code_sent_without_its_verifier(app, doubles):
    app, services = app
    admin = sign_in(app, "admin")
    _, query = start(admin, "x")
    doubles["x"].codes["x-code-2"] = ("another-challenge", query["redirect_uri"])
    refused = callback(admin, "x", code="x-code-2", state=query["state"])
    assert refused.status_code == 422
    assert "X could not be connected" in refused.text and "Nothing was connected" in refused.text
    assert connections(services) == []


@pytest.mark.parametrize("platform", ["facebook", "instagram", "x"])
def test_a_wrong_state_is_refused_and_changes_nothing(app, doubles, platform):
    app, services = app
    admin = sign_in(app, "admin")
    _, query = start(admin, platform)
    grant(doubles, platform, query, "code-1")
    forged = callback(admin, platform, code="code-1", state="forged")
    assert forged.status_code == 422 and "state does not match" in forged.text
    assert connections(services) == []
    none = sign_in(app, "admin")  # another browser, without the flow's cookie
    assert callback(none, platform, code="code-1", state=query["state"]).status_code == 422
    assert connections(services) == []


@pytest.mark.parametrize("platform", ["facebook", "instagram", "x"])
def test_a_denied_consent_is_shown_in_plain_words(app, doubles, platform):
    app, services = app
    admin = sign_in(app, "admin")
    _, query = start(admin, platform)
    denied = callback(
        admin,
        platform,
        error="access_denied",
        error_reason="user_denied",
        error_description="Permissions error",
        state=query["state"],
    )
    assert denied.status_code == 422
    assert "access was not granted" in denied.text and "Nothing was connected" in denied.text
    assert "<h1>Connections</h1>" in denied.text
    assert connections(services) == []


@pytest.mark.parametrize("platform", ["facebook", "instagram", "x"])
def test_a_callback_runs_once_even_with_a_copied_cookie(app, doubles, platform):
    from safereply.web.views.connections import FLOW_COOKIE

    app, _ = app
    admin = sign_in(app, "admin")
    _, query = start(admin, platform)
    copied = next(c for c in admin.cookies.jar if c.name == FLOW_COOKIE)
    grant(doubles, platform, query, "code-1")
    assert callback(admin, platform, code="code-1", state=query["state"]).status_code == 303
    assert all(c.name != FLOW_COOKIE for c in admin.cookies.jar)  # the browser forgot it
    admin.cookies.jar.set_cookie(copied)  # ... but someone kept a copy
    grant(doubles, platform, query, "code-2")  # even a fresh code does not revive the state
    again = callback(admin, platform, code="code-2", state=query["state"])
    assert again.status_code == 422 and "finished already" in again.text


def test_a_used_facebook_code_is_explained(app, doubles):
    app, services = app
    admin = sign_in(app, "admin")
    _, query = start(admin, "facebook")
    used = callback(admin, "facebook", code="never-issued", state=query["state"])
    assert used.status_code == 422
    assert "Facebook could not be connected" in used.text and "has been used" in used.text
    assert connections(services) == []


def test_instagram_without_the_comments_permission_is_explained(app, doubles):
    app, services = app
    doubles["instagram"].granted = "instagram_business_basic"
    admin = sign_in(app, "admin")
    _, query = start(admin, "instagram")
    grant(doubles, "instagram", query, "ig-code-1")
    refused = callback(admin, "instagram", code="ig-code-1", state=query["state"])
    assert refused.status_code == 422 and "manage comments" in refused.text
    assert connections(services) == []


def test_only_admins_connect(app, doubles):
    app, _ = app
    manager = sign_in(app, "manager")
    page = manager.get("/p/1/connections")
    assert page.status_code == 200 and "Connect with Facebook" not in page.text
    csrf = csrf_of(page.text)
    for platform in ("facebook", "instagram", "x"):
        started = manager.post(
            f"/p/1/connections/{platform}/start", data={"csrf_token": csrf}, follow_redirects=False
        )
        assert started.status_code == 403
    assert manager.get("/p/1/connections/facebook/pick").status_code == 403
    picked = manager.post(
        "/p/1/connections/facebook/pick", data={"csrf_token": csrf, "page_id": "1001"}
    )
    assert picked.status_code == 403
    other = sign_in(app, "other")  # an admin of another practice
    csrf = csrf_of(other.get("/p/2/connections").text)
    assert other.post("/p/1/connections/x/start", data={"csrf_token": csrf}).status_code == 404


def test_a_platform_without_its_client_has_no_button(app):
    app, services = app
    services.settings.x_client_id = ""
    admin = sign_in(app, "admin")
    page = admin.get("/p/1/connections")
    assert "Connect with Facebook" in page.text and "Connect with Instagram" in page.text
    assert "Connect with X" not in page.text and "SAFEREPLY_X_CLIENT_ID" in page.text
    csrf = csrf_of(page.text)
    refused = admin.post("/p/1/connections/x/start", data={"csrf_token": csrf})
    assert refused.status_code == 422 and "client id and secret" in refused.text


def test_the_flow_is_bound_to_its_platform():
    from safereply.errors import InputError
    from safereply.settings import Settings

    settings = Settings(environment="test", secret_key="s" * 40)
    flow = oauth.new_flow("x", 1, 7, "")
    sealed = oauth.seal_flow(flow, settings)
    with pytest.raises(InputError, match="another platform"):
        oauth.open_flow(sealed, settings, state=flow.state, user_id=7, platform="facebook")
    assert oauth.open_flow(sealed, settings, state=flow.state, user_id=7, platform="x") == flow


def test_a_page_pick_runs_once_even_with_a_copied_cookie(app, doubles):
    from safereply.web.views.connections import PICK_COOKIE

    app, services = app
    admin = sign_in(app, "admin")
    _, query = start(admin, "facebook")
    grant(doubles, "facebook", query, "fb-code-1")
    callback(admin, "facebook", code="fb-code-1", state=query["state"])
    copied = next(c for c in admin.cookies.jar if c.name == PICK_COOKIE)
    csrf = csrf_of(admin.get("/p/1/connections/facebook/pick").text)
    form = {"csrf_token": csrf, "page_id": "1001"}
    assert admin.post("/p/1/connections/facebook/pick", data=form).status_code == 200
    assert all(c.name != PICK_COOKIE for c in admin.cookies.jar)
    admin.cookies.jar.set_cookie(copied)
    again = admin.post("/p/1/connections/facebook/pick", data=form)
    assert again.status_code == 422 and "finished already" in again.text
    assert len(connections(services)) == 1


@pytest.mark.parametrize(
    ("granted", "reason"),
    [
        ("tweet.read tweet.write users.read", "no refresh token"),
        ("tweet.read users.read offline.access", "did not grant posting replies"),
    ],
)
def test_x_without_offline_access_or_posting_is_explained(app, doubles, granted, reason):
    app, services = app
    doubles["x"].granted = granted
    admin = sign_in(app, "admin")
    _, query = start(admin, "x")
    grant(doubles, "x", query, "x-code-1")
    refused = callback(admin, "x", code="x-code-1", state=query["state"])
    assert refused.status_code == 422 and reason in refused.text
    assert connections(services) == []


def test_a_pending_pick_is_bound_to_its_admin_practice_and_ten_minutes():
    import datetime as dt

    from safereply.errors import InputError
    from safereply.settings import Settings

    settings = Settings(environment="test", secret_key="s" * 40)
    pick = oauth.new_pick(oauth.new_flow("facebook", 1, 7, ""), "user-token")
    sealed = oauth.seal_pick(pick, settings)
    assert "user-token" not in sealed and "user-token" not in repr(pick)
    assert oauth.open_pick(sealed, settings, practice_id=1, user_id=7) == pick
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=11)
    for practice, user, when, message in [
        (2, 7, None, "someone else"),
        (1, 8, None, "someone else"),
        (1, 7, later, "10 minutes"),
    ]:
        with pytest.raises(InputError, match=message):
            oauth.open_pick(sealed, settings, practice_id=practice, user_id=user, now=when)
    with pytest.raises(InputError, match="read back"):
        oauth.open_pick(sealed[:-4] + "AAAA", settings, practice_id=1, user_id=7)


def test_a_facebook_login_for_business_configuration_replaces_the_scope():
    from safereply.settings import Settings

    settings = Settings(
        environment="test",
        secret_key="s" * 40,
        meta_app_id="meta-app-1",
        meta_app_secret="meta-secret-1",
        meta_login_config_id="cfg-9",
    )
    found = oauth.provider(settings, "facebook")
    flow = oauth.new_flow("facebook", 1, 7, "")
    url = oauth.authorization_url(
        found.auth_url,
        client_id=found.client_id,
        redirect_uri="https://example.test/oauth/facebook/callback",
        scope=found.scope,
        flow=flow,
        pkce=found.pkce,
        extra=found.extra,
    )
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    assert query["config_id"] == "cfg-9" and "scope" not in query and "code_challenge" not in query
    assert url.startswith("https://www.facebook.com/v26.0/dialog/oauth?")
    assert "meta-secret-1" not in url and "meta-secret-1" not in repr(found)
    assert oauth.provider(settings.model_copy(update={"meta_app_secret": ""}), "facebook") is None


def test_x_connects_as_a_public_client_too(app, doubles):
    app, services = app
    services.settings.x_client_secret = ""
    doubles["x"].client_secret = None
    admin = sign_in(app, "admin")
    _, query = start(admin, "x")
    grant(doubles, "x", query, "x-code-1")
    assert callback(admin, "x", code="x-code-1", state=query["state"]).status_code == 303
    token_calls = doubles["servers"]["x"].requests("POST", "/2/oauth2/token")
    assert "authorization" not in token_calls[-1].headers
    assert token_calls[-1].form()["client_id"] == "x-client"
    assert connections(services) == [("x", "42", "@riversidedental", None, True)]
