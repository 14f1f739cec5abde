"""Backlog: an unanswered post that arrives long after it was written (a history import, a
connector's first sync) is due 14 days after it arrives, not within the practice's reply time,
so a year of old reviews does not turn overdue and escalate on the first day; a recent post keeps
the reply time, an emergency keeps the urgent one however old, and an answered one is closed.
The import report, the command line and the web page say how many are backlog. SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from safereply.cli.admin import _print_answered
from safereply.services.arrival import BACKLOG_AFTER, BACKLOG_DUE, due_time
from safereply.services.importer import import_posts
from safereply.store.models import Notification, Post

UTC = dt.UTC
IMPORTED = dt.datetime(2026, 11, 2, 9, tzinfo=UTC)

HISTORY = """Review ID,Star Rating,Review Text,Date,Reply,Reply Date
old1,2,Waited forever at the front desk,2025-01-10T10:00:00Z,,
old2,3,Parking is hard to find,2026-09-01T10:00:00Z,,
old3,5,Lovely team,2025-03-10T10:00:00Z,Thank you so much!,2025-03-11T09:00:00Z
old4,1,I have chest pain right now since the visit and my arm is numb,2025-05-03T10:00:00Z,,
new1,2,The front desk never called back,2026-10-30T10:00:00Z,,
"""


def _import(world):
    world.clock.now = IMPORTED
    return import_posts(
        world.services.inbox,
        world.manager,
        world.practice,
        HISTORY,
        name="history.csv",
        platform="google",
    )


def _due(world) -> dict[str, dt.datetime]:
    with world.services.store.read() as session:
        rows = session.execute(
            select(Post.external_id, Post.due_at).where(Post.practice_id == world.practice)
        ).all()
    return {
        r.external_id: r.due_at.astimezone(UTC) if r.due_at.tzinfo else r.due_at.replace(tzinfo=UTC)
        for r in rows
    }


def test_old_open_posts_are_backlog_due_in_two_weeks_and_recent_ones_keep_the_reply_time(world):
    report = _import(world)
    assert (report.created, report.answered, report.backlog) == (5, 1, 2)
    assert report.to_dict()["backlog"] == 2
    due = _due(world)
    assert due["old1"] == due["old2"] == IMPORTED + BACKLOG_DUE
    assert due["new1"] < IMPORTED + dt.timedelta(days=2)  # the practice's reply time
    # The emergency is never backlog: due within the urgent reply time, escalated now.
    assert due["old4"] <= IMPORTED + dt.timedelta(hours=2)
    assert report.escalated == 1


def _notified(world) -> set[str]:
    with world.services.store.read() as session:
        rows = session.scalars(
            select(Post.external_id).join(Notification, Notification.post_id == Post.id)
        ).all()
    return set(rows)


def test_backlog_does_not_turn_overdue_on_the_first_days_but_does_after_two_weeks(world):
    world.services.practices.update_settings(
        world.admin, world.practice, {"notify_emails": ["frontdesk@maple.test"]}
    )
    _import(world)
    inbox = world.services.inbox
    world.clock.now = IMPORTED + dt.timedelta(days=3)
    inbox.sweep()
    overdue = {p["external_id"] for p in inbox.overdue(world.manager, world.practice)}
    assert "new1" in overdue and not overdue & {"old1", "old2"}
    assert not _notified(world) & {"old1", "old2"} and "new1" in _notified(world)
    # Still open and listed: the backlog is tracked until it is answered.
    waiting = inbox.list_posts(world.staff, world.practice, state="open")["items"]
    assert {"old1", "old2", "new1"} <= {p["external_id"] for p in waiting}
    world.clock.now = IMPORTED + BACKLOG_DUE + dt.timedelta(hours=1)
    inbox.sweep()
    overdue = {p["external_id"] for p in inbox.overdue(world.manager, world.practice)}
    assert {"old1", "old2", "new1"} <= overdue
    assert {"old1", "old2"} <= _notified(world)


@pytest.mark.parametrize(
    "written, urgent, backlog",
    [
        (IMPORTED - BACKLOG_AFTER, False, False),  # exactly 30 days: not yet
        (IMPORTED - BACKLOG_AFTER - dt.timedelta(minutes=1), False, True),
        (IMPORTED - dt.timedelta(days=400), True, False),  # urgent: never backlog
        (None, False, False),  # no date: the reply time
        ((IMPORTED - dt.timedelta(days=90)).replace(tzinfo=None), False, True),  # read as UTC
    ],
)
def test_due_time_rule(written, urgent, backlog):
    due, said = due_time(IMPORTED, 24 * 60, written, urgent=urgent)
    assert said is backlog
    expected = IMPORTED + (BACKLOG_DUE if backlog else dt.timedelta(days=1))
    assert due == expected


def test_a_reply_time_longer_than_two_weeks_is_kept_for_backlog_too():
    written = IMPORTED - dt.timedelta(days=365)
    due, backlog = due_time(IMPORTED, 30 * 24 * 60, written, urgent=False)
    assert backlog and due == IMPORTED + dt.timedelta(days=30)


def test_the_command_line_says_how_many_are_backlog():
    report = SimpleNamespace(
        created=5, answered=1, backlog=2, open_with_reply=[], closed_answered=[]
    )
    out = io.StringIO()
    _print_answered(report, "history.csv", out)
    said = out.getvalue()
    assert "1 post arrived already answered; 4 open" in said
    assert (
        "backlog: 2 open posts written more than 30 days before today, due within 14 days "
        "instead of the reply time"
    ) in said.splitlines()
