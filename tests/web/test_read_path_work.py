"""Per-request work on the read path (issue 16): the audit of a post read takes its caller from
the route's own authentication instead of finding the session or token again, and the post's
practice from the route too (session 7), an audited write locks its chain's head without trying
to create it first, and a practice's page reads its practice, the practices to switch to and the
settings in one transaction, with the same entries and pages as before."""

from __future__ import annotations

from factories import PASSWORD
from factories import api_login as login
from fastapi.testclient import TestClient
from sqlalchemy import event
from test_access_audit import _entries, _post


class Statements:
    def __init__(self, engine) -> None:
        self.seen: list[str] = []
        event.listen(engine, "before_cursor_execute", self._keep)

    def _keep(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.seen.append(" ".join(statement.split()))

    def reading(self, table: str) -> list[str]:
        return [s for s in self.seen if s.startswith("SELECT") and f"FROM {table} " in s + " "]


def test_a_post_read_is_audited_without_finding_the_caller_again(api):
    app, services, (pid, _other), _users = api
    post_id = _post(services, pid)
    staff = login(app, "staff")
    spy = Statements(services.store.engine)
    assert staff.get(f"/api/v1/posts/{post_id}").status_code == 200
    # one read by the request limiter (per-user budget) and one by the authentication; none by
    # the access audit
    assert len(spy.reading("sessions")) == 2
    # the route reads the post whole once; the audit takes its practice from the route
    whole = [s for s in spy.reading("posts") if s.startswith("SELECT posts.id, posts.practice_id")]
    assert len(whole) == 1
    assert not any(s.startswith("SELECT posts.practice_id FROM posts") for s in spy.seen)
    assert _entries(services, "post.read") == [
        (pid, "staff@example.test", "post", str(post_id), {"via": "api"})
    ]


def test_the_post_page_hands_its_practice_to_the_audit_too(api):
    app, services, (pid, _other), _users = api
    post_id = _post(services, pid)
    staff = login(app, "staff")
    spy = Statements(services.store.engine)
    assert staff.get(f"/posts/{post_id}").status_code == 200
    assert not any(s.startswith("SELECT posts.practice_id FROM posts") for s in spy.seen)
    assert _entries(services, "post.read") == [
        (pid, "staff@example.test", "post", str(post_id), {"via": "page"})
    ]


def test_the_audit_reads_the_practice_itself_when_the_route_kept_another_post():
    from safereply.web.access_audit import _read_practice
    from safereply.web.deps import READ_POST_STATE

    assert _read_practice({"state": {READ_POST_STATE: (7, 3)}}, 7) == 3
    assert _read_practice({"state": {READ_POST_STATE: (8, 3)}}, 7) is None
    assert _read_practice({"state": {}}, 7) is None
    assert _read_practice({}, 7) is None


def test_an_audited_write_locks_the_chain_head_without_creating_it_again(api):
    app, services, (pid, _other), _users = api
    post_id = _post(services, pid)
    staff = login(app, "staff")
    assert staff.get(f"/api/v1/posts/{post_id}").status_code == 200  # the chain's head exists
    spy = Statements(services.store.engine)
    assert staff.get(f"/api/v1/posts/{post_id}").status_code == 200
    heads = [s for s in spy.seen if "audit_heads" in s]
    assert [s.split()[0] for s in heads] == ["SELECT", "UPDATE"]
    # (SQLite: the write transaction began IMMEDIATE; PostgreSQL adds FOR UPDATE to the read)
    from safereply.services.audit_chain import verify_chain

    assert verify_chain(services.store).broken is None


def test_a_token_read_is_audited_as_the_tokens_owner(api):
    app, services, (pid, _other), _users = api
    post_id = _post(services, pid)
    manager = login(app, "manager")
    created = manager.post("/api/v1/auth/tokens", json={"name": "t", "password": PASSWORD})
    assert created.status_code == 201, created.text
    bearer = TestClient(app, headers={"Authorization": f"Bearer {created.json()['token']}"})
    spy = Statements(services.store.engine)
    assert bearer.get(f"/api/v1/posts/{post_id}").status_code == 200
    assert len(spy.reading("api_tokens")) <= 2  # the limiter's and the route's, not the audit's
    assert _entries(services, "post.read") == [
        (pid, "manager@example.test", "post", str(post_id), {"via": "api"})
    ]


def test_a_practice_page_reads_its_context_in_one_transaction(api):
    app, services, (pid, _other), _users = api
    staff = login(app, "staff")
    spy = Statements(services.store.engine)
    page = staff.get(f"/p/{pid}/inbox")  # no post: no selected post's settings either
    assert page.status_code == 200
    assert len(spy.reading("practice_settings")) == 1
    assert len(spy.reading("practices")) == 2  # the practice, then the ones to switch to
    actor = _actor(services, "staff@example.test")
    context = services.practices.page_context(actor, pid)
    assert context["practice"] == services.practices.get_practice(actor, pid)
    assert context["practices"] == services.practices.list_practices(actor)
    assert context["settings"] == services.practices.get_settings(actor, pid)
    assert context["practice"]["name"] in page.text


def _actor(services, email):
    from sqlalchemy import select

    from safereply.services import Actor
    from safereply.store.models import User

    with services.store.read() as s:
        user = s.scalar(select(User).where(User.email == email))
        return Actor(user.id, user.email)


def test_a_move_answers_the_state_and_version_it_committed_without_reading_the_post_again(api):
    """A workflow move's answer (post id, state, version) comes from the post the move changed,
    not from a second transaction that read the post again after the commit (session 10)."""
    from safereply.store.models import Post

    app, services, (pid, _other), _users = api
    post_id = _post(services, pid)
    staff, manager = login(app, "staff"), login(app, "manager")
    spy = Statements(services.store.engine)
    drafted = staff.post(
        f"/api/v1/posts/{post_id}/drafts/acknowledgement", json={"expected_version": 1}
    )
    assert drafted.status_code == 200, drafted.text
    submitted = staff.post(f"/api/v1/posts/{post_id}/submit", json={})
    approved = manager.post(
        f"/api/v1/posts/{post_id}/approve",
        json={"expected_version": submitted.json()["version"], "acknowledge_warnings": True},
    )
    assert approved.status_code == 200, approved.text
    # each move reads the post whole once, to change it (the acknowledgement also reads it once
    # before, to compose); none reads it again to answer (7 reads before session 10)
    whole = [s for s in spy.reading("posts") if s.startswith("SELECT posts.id, posts.practice_id")]
    assert len(whole) == 4
    with services.store.read() as session:
        post = session.get(Post, post_id)
        expected = {"post_id": post_id, "state": post.state, "version": post.version}
    assert {k: approved.json()[k] for k in expected} == expected
    assert approved.json()["state"] == "approved"
    assert drafted.json()["draft"]["number"] == 1
    assert drafted.json()["version"] < submitted.json()["version"] < approved.json()["version"]
