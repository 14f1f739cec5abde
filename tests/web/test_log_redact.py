"""Secrets in URLs never reach the access log (review defect 4): the reset token in the path,
OAuth codes and states, Meta's verify token. Exercised through uvicorn's own access logger."""

from __future__ import annotations

import logging

import pytest
from uvicorn.logging import AccessFormatter

from safereply.settings import Settings
from safereply.web.app import create_app
from safereply.web.log_redact import RedactSecrets, install, redact_path


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/login/reset/AbC.dEf-123_x", "/login/reset/[redacted]"),
        ("/login/reset/AbC?next=/inbox", "/login/reset/[redacted]?next=/inbox"),
        (
            "/connections/google/callback?state=s1&code=4/0Ab&scope=x",
            "/connections/google/callback?state=[redacted]&code=[redacted]&scope=x",
        ),
        (
            "/hooks/meta?hub.mode=subscribe&hub.verify_token=sekrit&hub.challenge=42",
            "/hooks/meta?hub.mode=subscribe&hub.verify_token=[redacted]&hub.challenge=42",
        ),
        ("/p/1/inbox?page=2&kind=complaint", "/p/1/inbox?page=2&kind=complaint"),
        ("/login", "/login"),
    ],
)
def test_secret_parts_of_a_path_are_hidden(path, expected):
    assert redact_path(path) == expected


def _access_line(path: str) -> str:
    """Format one record exactly as uvicorn's access logger would, after the filter."""
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", path, "1.1", 200),
        None,
    )
    RedactSecrets().filter(record)
    return AccessFormatter(fmt="%(message)s", use_colors=False).format(record)


def test_an_access_line_carries_no_reset_token():
    line = _access_line("/login/reset/tok-very-secret-123")
    assert "tok-very-secret-123" not in line and "/login/reset/[redacted]" in line


def test_building_the_app_installs_the_filter_once(tmp_path):
    logger = logging.getLogger("uvicorn.access")
    for f in [f for f in logger.filters if isinstance(f, RedactSecrets)]:
        logger.removeFilter(f)
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}", sweep_interval=0)
    create_app(settings)
    install()
    assert sum(isinstance(f, RedactSecrets) for f in logger.filters) == 1
