"""The summary report from the counted months (issue 16): the same answer as the report that read
a practice's whole history of topic rows and replies on every request (kept below as the
reference, as it was before), on both backends, for the whole history and for windows cut
anywhere, after the months were counted once, and after posts of counted months changed."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import statistics
import sys
from array import array
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from safereply.core.vocab import TOPICS
from safereply.services import SYSTEM
from safereply.services.insights import _MONTHS, hours_to_reply
from safereply.services.queries import counts_by, median_hours, reply_hours
from safereply.services.reports import ReportService, _median, _month_bounds
from safereply.store.models import Draft, Improvement, Location, Post, PostTopic, PublishedReply

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
gen_million = pytest.importorskip("gen_million")

UTC = dt.UTC


# -- the reference: the summary as it was computed before (a scan of the history) ---------------


def _topic_tables(
    session: Any, dialect: str, practice_id: int, scope: list[Any]
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """Topic counts per UTC month and per location name, counted by the database.

    Grouped by topic, month and location in one query (issue 16: reading every topic row took
    seconds at 100,000 posts in one practice). The topic rows are found by their own practice
    column (``ix_post_topics_practice_topic``): filtered only through the posts they join,
    PostgreSQL read every topic row of the instance (1.8 million at a million posts) to keep one
    practice's. Locations are grouped by id and named afterwards (two of the same name add up).
    """
    month = _utc_month(dialect)
    rows = session.execute(
        select(PostTopic.topic, month, Post.location_id, func.count())
        .join(Post, Post.id == PostTopic.post_id)
        .where(PostTopic.practice_id == practice_id, *scope)
        .group_by(PostTopic.topic, month, Post.location_id)
    ).all()
    ids = {location for _topic, _month, location, _n in rows if location is not None}
    names = dict(
        session.execute(select(Location.id, Location.name).where(Location.id.in_(ids))).all()
        if ids
        else []
    )
    by_month: dict[str, dict[str, int]] = {}
    by_location: dict[str, dict[str, int]] = {}
    for topic, month, location, n in rows:
        month_name = month if isinstance(month, str) else f"{month:%Y-%m}"
        by_month.setdefault(month_name, dict.fromkeys(TOPICS, 0))[topic] += n
        loc = names.get(location) or "(none)"
        by_location.setdefault(loc, dict.fromkeys(TOPICS, 0))[topic] += n
    return by_month, by_location


def _utc_month(dialect: str) -> Any:
    """The month of a post's arrival in UTC, computed by the database: ``YYYY-MM`` on SQLite,
    the month's first instant on PostgreSQL (``date_trunc``: a fifth to a third quicker over
    190,000 topic rows than formatting each with ``to_char``; named ``YYYY-MM`` afterwards)."""
    if dialect == "postgresql":
        return func.date_trunc("month", func.timezone("UTC", Post.received_at))
    return func.strftime("%Y-%m", Post.received_at)


def _reply_median(
    session: Any, dialect: str, practice_id: int, scope: list[Any]
) -> tuple[int, float | None]:
    """(replies, median hours to reply): PostgreSQL computes the median itself (issue 16:
    reading every wait took seconds at 100,000 posts); SQLite reads the waits as before.

    The replies are found by their own practice column (``ix_published_replies_practice``,
    migration 0016): joined only through the practice's posts, PostgreSQL hash-joined every
    published reply of the instance."""
    mine = [*scope, PublishedReply.practice_id == practice_id]
    if dialect != "postgresql":
        waits = reply_hours(session, dialect, mine)
        return len(waits), median_hours(waits)
    hours = func.greatest(hours_to_reply(dialect), 0.0)
    n, median = session.execute(
        select(func.count(), func.percentile_cont(0.5).within_group(hours))
        .select_from(Post)
        .join(PublishedReply, PublishedReply.post_id == Post.id)
        .where(*mine)
    ).one()
    return int(n), (round(float(median), 2) if n else None)


def reference(store, practice_id: int, since=None, until=None) -> dict[str, Any]:
    """The summary as ``ReportService.summary`` computed it before (session 6's code)."""
    with store.read() as session:
        scope = [Post.practice_id == practice_id]
        if since:
            scope.append(Post.received_at >= since)
        if until:
            scope.append(Post.received_at < until)
        by_kind = counts_by(session, Post.kind, scope)
        by_state = counts_by(session, Post.state, scope)
        by_month, by_location = _topic_tables(session, store.dialect, practice_id, scope)
        replied, median = _reply_median(session, store.dialect, practice_id, scope)
        improvements = ReportService(store)._improvements(session, practice_id)
    return {
        "practice_id": practice_id,
        "posts": sum(by_kind.values()),
        "by_kind": by_kind,
        "by_state": by_state,
        "topics_by_month": dict(sorted(by_month.items())),
        "topics_by_location": dict(sorted(by_location.items())),
        "replied": replied,
        "median_hours_to_reply": median,
        "improvements": improvements,
    }


# -- the fixture ----------------------------------------------------------------------------------


@pytest.fixture
def seeded(store):
    """Three practices' posts over two years, some without a location, and improvements (one
    without a date)."""
    inst = gen_million.generate(store, 900, practices=3, locations=6, progress=lambda m: None)
    first = inst.practices[0]
    with store.write() as s:
        ids = s.scalars(select(Post.id).where(Post.practice_id == first).limit(12)).all()
        for post_id in ids[::3]:
            s.get(Post, post_id).location_id = None
        s.add_all(
            [
                Improvement(
                    practice_id=first, topic="wait-time", text="desk", since=dt.date(2026, 3, 2)
                ),
                Improvement(practice_id=first, topic="billing", text="leaflet", since=None),
            ]
        )
    return store, inst


def _windows(store) -> list[tuple[dt.datetime | None, dt.datetime | None]]:
    """Whole history, windows cut mid-month and on month boundaries, open at either end, one
    before every post and one that is empty because it ends before it starts."""
    with store.read() as s:
        times = sorted(s.scalars(select(Post.received_at)).all())
    quarter, three = times[len(times) // 4], times[3 * len(times) // 4]
    boundary = dt.datetime(2025, 6, 1, tzinfo=UTC)
    return [
        (None, None),
        (quarter, three),
        (quarter, None),
        (None, three),
        (boundary, dt.datetime(2026, 2, 1, tzinfo=UTC)),
        (boundary + dt.timedelta(hours=7), boundary + dt.timedelta(days=3)),
        (dt.datetime(2001, 1, 1, tzinfo=UTC), dt.datetime(2001, 2, 1, tzinfo=UTC)),
        (three, quarter),
        (dt.datetime(2001, 1, 1, tzinfo=UTC), dt.datetime(2031, 1, 1, tzinfo=UTC)),
        # Another zone than UTC: the months are still UTC months.
        (quarter.astimezone(dt.timezone(dt.timedelta(hours=-7))), None),
    ]


def _check_all(store, inst) -> int:
    reports = ReportService(store)
    compared = 0
    for practice in inst.practices:
        for since, until in _windows(store):
            got = reports.summary(SYSTEM, practice, since=since, until=until)
            assert got == reference(store, practice, since, until), (practice, since, until)
            compared += bool(got["posts"])
    return compared


# -- the tests ------------------------------------------------------------------------------------


def test_the_summary_matches_the_scan_on_every_window(seeded):
    store, inst = seeded
    whole = ReportService(store).summary(SYSTEM, inst.practices[0])
    assert whole["replied"] > 50 and len(whole["topics_by_month"]) >= 20
    assert "(none)" in whole["topics_by_location"]
    assert whole["improvements"][0]["posts_90_days_before"] > 0
    assert _check_all(store, inst) >= 18
    # Counted once, answered from the months kept: still the same.
    assert _MONTHS[store]
    assert _check_all(store, inst) >= 18


def test_changed_posts_of_counted_months_are_counted_again(seeded):
    store, inst = seeded
    practice = inst.practices[0]
    assert _check_all(store, inst)
    with store.write() as s:
        old = s.scalars(
            select(Post).where(Post.practice_id == practice).order_by(Post.id).limit(40)
        ).all()
        # A post edited on the platform: another kind, state and topics (its version grows).
        edited = next(p for p in old if p.kind != "spam" and p.state != "published")
        edited.kind, edited.state = "spam", "dismissed"
        edited.topics = [PostTopic(topic="facility", practice_id=practice)]
        # A reply published to an old post (its state changes with it).
        waiting = next(p for p in old if p.state in ("new", "drafted") and p is not edited)
        waiting.state = "published"
        draft = Draft(
            post_id=waiting.id,
            number=1,
            text="Thank you.",
            source="manual",
            verdict="pass",
            report={},
            created_at=waiting.received_at,
        )
        s.add(draft)
        s.flush()
        s.execute(
            insert(PublishedReply).values(
                post_id=waiting.id,
                practice_id=practice,
                draft_id=draft.id,
                text="Thank you.",
                method="manual",
                platform=waiting.platform,
                published_at=waiting.received_at + dt.timedelta(hours=5),
            )
        )
        # A post of an old month written now (with a later id).
        s.add(
            Post(
                practice_id=practice,
                platform="google",
                external_id="late",
                text="Late arrival",
                kind="complaint",
                priority="high",
                state="new",
                received_at=old[0].received_at + dt.timedelta(minutes=1),
                due_at=old[0].received_at,
                topics=[PostTopic(topic="billing", practice_id=practice)],
            )
        )
    assert _check_all(store, inst)


def test_month_bounds_cut_at_utc_months_and_at_the_window(seeded):
    store, inst = seeded
    practice = inst.practices[0]
    with store.read() as s:
        first, last = s.execute(
            select(func.min(Post.received_at), func.max(Post.received_at)).where(
                Post.practice_id == practice
            )
        ).one()
        bounds = _month_bounds(s, [Post.practice_id == practice], None, None)
        assert bounds[0] == first.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        assert bounds[0] <= first and last < bounds[-1]
        assert all(b.day == 1 and b.hour == 0 and b.tzinfo for b in bounds)
        assert all(a < b for a, b in itertools.pairwise(bounds))
        since = dt.datetime(2025, 6, 10, 5, tzinfo=UTC)
        until = dt.datetime(2025, 8, 3, tzinfo=UTC)
        scope = [Post.practice_id == practice, Post.received_at >= since, Post.received_at < until]
        assert _month_bounds(s, scope, since, until) == [
            since,
            dt.datetime(2025, 7, 1, tzinfo=UTC),
            dt.datetime(2025, 8, 1, tzinfo=UTC),
            until,
        ]
        nothing = [
            Post.practice_id == practice,
            Post.received_at < dt.datetime(2001, 1, 1, tzinfo=UTC),
        ]
        assert _month_bounds(s, nothing, None, None) == []


def test_the_median_of_sorted_runs_is_statistics_median():
    rng = random.Random(5)
    for trial in range(300):
        runs = []
        for _ in range(rng.randint(1, 30)):
            size = rng.choice((0, 1, 2, rng.randint(0, 60)))
            # Few distinct values in some trials: many ties across and within runs.
            pick = (lambda: float(rng.randint(0, 4))) if trial % 3 == 0 else rng.random
            runs.append(array("d", sorted(pick() * 40 for _ in range(size))))
        values = [v for run in runs for v in run]
        expected = round(statistics.median(values), 2) if values else None
        assert _median(runs, len(values)) == expected


def test_remembered_months_are_bounded_and_the_least_recently_used_go_first(
    sqlite_store, monkeypatch
):
    from safereply.services import insights

    monkeypatch.setattr(insights, "_MONTHS_KEPT", 3)
    insights.forget_counted_months(sqlite_store)
    insights.remember_counted(sqlite_store, {("a",): 1, ("b",): 2, ("c",): 3})
    assert insights.recall_counted(sqlite_store, [("a",)]) == [1]  # now the most recent
    insights.remember_counted(sqlite_store, {("d",): 4})
    assert insights.recall_counted(sqlite_store, [("a",), ("b",), ("c",), ("d",)]) == [
        1,
        None,
        3,
        4,
    ]
    insights.forget_counted_months(sqlite_store)
    assert insights.recall_counted(sqlite_store, [("a",)]) == [None]


def test_sqlite_finds_a_months_topic_rows_by_their_posts(sqlite_store):
    """Given the topics' practice column, SQLite searched every topic row of the practice for
    each post of the month (250 s a month at 100,000 posts); it must look them up by post."""
    from sqlalchemy import true

    from safereply.services.reports import _topics_query

    span = (dt.datetime(2025, 6, 1, tzinfo=UTC), dt.datetime(2025, 7, 1, tzinfo=UTC))
    query = _topics_query([span], 1, [0], lambda column, i: true(), postgres=False)
    compiled = query.compile(sqlite_store.engine, compile_kwargs={"literal_binds": True})
    with sqlite_store.engine.connect() as conn:
        plan = " / ".join(
            str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")
        )
    assert "SEARCH post_topics USING COVERING INDEX sqlite_autoindex_post_topics_1 (post_id=?)" in (
        plan
    ), plan
