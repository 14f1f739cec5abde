"""Schemathesis against the ASGI app (issue 12): every documented operation, signed in, with
generated valid and invalid input, answers no 5xx and only status codes its schema documents.

SQLite always; PostgreSQL when ``SAFEREPLY_TEST_POSTGRES_URL`` is set. The number of examples per
operation is bounded (``SAFEREPLY_SCHEMATHESIS_EXAMPLES``, 5 by default) so both backends run in
well under a minute; raise it for a longer hunt.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from factories import MAPLE, add_post, add_practice, add_user, make_services
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from safereply.store import Store, upgrade
from safereply.store.testing import postgres_url, temporary_postgres

EXAMPLES = int(os.environ.get("SAFEREPLY_SCHEMATHESIS_EXAMPLES", "5"))


def _seeded_app(store: Store):
    """The app over ``store`` with a practice, its admin, a few posts and an admin token."""
    from safereply.web import create_app

    services = make_services(
        store,
        secret_key="s" * 40,
        base_url="http://inbox.test",
        # Meta webhooks configured, as where they are used (unset, they answer 503 by design).
        meta_app_secret="m" * 32,
        meta_verify_token="v" * 24,
        # Thousands of generated requests by one user: not a test of the rate limits.
        request_limits="off",
    )
    practice = add_practice(services, MAPLE, locations=("Main",))
    user = add_user(services, practice, "admin")
    for n, text in enumerate(["Lovely team, thank you", "Waited an hour, rude desk", "Open Sat?"]):
        add_post(services, practice, text, external_id=f"s{n}")
    actor = services.users.actor_for(user["id"])
    token = services.users.create_token(actor, name="fuzz", scope="admin", expires_in_days=30)
    app = create_app(services=services, sweep=False)
    return app, {"Authorization": f"Bearer {token['token']}"}


@pytest.fixture(scope="module")
def sqlite_api(tmp_path_factory):
    store = Store.from_url(f"sqlite:///{tmp_path_factory.mktemp('st') / 'st.sqlite3'}")
    upgrade(store)
    yield _seeded_app(store)
    store.dispose()


@pytest.fixture(scope="module")
def postgres_api():
    url = postgres_url()
    if not url:
        pytest.skip("PostgreSQL schemathesis run needs SAFEREPLY_TEST_POSTGRES_URL")
    with temporary_postgres(url, prefix="safereply_schemathesis") as store:
        yield _seeded_app(store)


_CHECKS = [not_a_server_error, status_code_conformance]
_MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


def _first(exc: BaseException) -> str:
    """Return the failure's first lines (the check, the status, the body), not the traceback."""
    text = str(exc)
    for sub in getattr(exc, "exceptions", ()):
        text += "\n" + str(sub)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    keep = [
        ln for ln in lines if ln.startswith(("- ST", "Received", "Documented", "[", "curl", "`"))
    ]
    return " | ".join(keep or lines[:6])[:1500]


def _hunt(app, headers: dict[str, str]) -> list[str]:
    """Run every operation with valid and invalid generated input; return the failures.

    (schemathesis' pytest fixture loader does not run under pytest 9, so the operations are
    walked here, each under Hypothesis with a bounded number of examples.)
    """
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in _MODES:

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case) -> None:
                case.call_and_validate(headers=headers, checks=_CHECKS)

            try:
                run()
            except Unsatisfiable:  # nothing to make invalid (no parameters, no body)
                continue
            except (Exception, BaseExceptionGroup) as exc:  # collected: one run reports all
                failures.append(
                    f"{operation.method.upper()} {operation.path} ({mode.value}): {exc}"
                )
    return failures


def test_api_on_sqlite(sqlite_api):
    failures = _hunt(*sqlite_api)
    assert not failures, f"{len(failures)} failing:\n" + "\n".join(failures)


@pytest.mark.postgres
def test_api_on_postgres(postgres_api):
    failures = _hunt(*postgres_api)
    assert not failures, f"{len(failures)} failing:\n" + "\n".join(failures)
