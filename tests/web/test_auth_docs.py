"""Who reads the API reference (issue 12): /docs and /openapi.json follow the api_docs setting;
by default open on a developer's machine, behind a sign-in in production, and they can be off."""

from __future__ import annotations

import pytest
from auth_site import build_site, client, post_login


@pytest.mark.parametrize(
    ("environment", "api_docs", "anonymous", "signed_in"),
    [
        ("development", "auto", 200, 200),
        ("production", "auto", 401, 200),
        ("development", "signed-in", 401, 200),
        ("production", "public", 200, 200),
        ("production", "off", 404, 404),
    ],
)
def test_the_api_reference_follows_the_setting(
    tmp_path, environment, api_docs, anonymous, signed_in
):
    site = build_site(
        f"sqlite:///{tmp_path / 'docs.sqlite3'}", environment=environment, api_docs=api_docs
    )
    try:
        assert client(site).get("/openapi.json").status_code == anonymous
        docs = client(site).get("/docs", follow_redirects=False).status_code
        assert docs == (303 if anonymous == 401 else anonymous)
        browser = client(site)
        post_login(browser, "staff")
        assert browser.get("/openapi.json").status_code == signed_in
        assert browser.get("/docs").status_code == signed_in
    finally:
        site.store.dispose()
