"""The insights, the reports and the dashboard count a post in the month it was written, not the
month SafeReply received it (migration 0018): a year of reviews imported on one day falls in its
own twelve months; a post without a posting time (or with one after its arrival) counts on
arrival; the before/after comparison of an improvement reads the posting times; remembered
months are counted again when imported posts or replies change them; the time to reply still
counts from the arrival, and a reply recorded before its post arrived is left out of it.
SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from safereply.services import SYSTEM, NewPost
from safereply.services.importer import import_posts, parse_posts
from safereply.services.insights import InsightsService, MonthRange, forget_counted_months
from safereply.services.overview import Overview
from safereply.store.models import Draft, Post, PublishedReply

UTC = dt.UTC
#: The import day: the clock of the service tests' world (a Monday morning).
IMPORTED = dt.datetime(2026, 11, 2, 9, tzinfo=UTC)
YEAR = MonthRange(dt.date(2025, 12, 1), dt.date(2026, 11, 1))


@pytest.fixture(autouse=True)
def _fresh_months(request):
    # The PostgreSQL store is shared by the tests and emptied between them: forget its months.
    if "world" in request.fixturenames:
        forget_counted_months(request.getfixturevalue("world").services.store)


def _csv(rows: list[tuple[str, int, str, str]]) -> bytes:
    """An export with ids, ratings, texts and dates (``Date``: the posting time)."""
    lines = ["Review ID,Star Rating,Review Text,Date"]
    lines += [f"{ext},{rating},{text},{date}" for ext, rating, text, date in rows]
    return ("\n".join(lines) + "\n").encode()


def _import(world, rows) -> None:
    report = import_posts(
        world.services.inbox,
        world.manager,
        world.practice,
        _csv(rows),
        name="history.csv",
        platform="google",
    )
    assert report.created == len(rows) and not report.rejected


def _a_year_of_history(world) -> dict[str, tuple[int, float]]:
    """Import, on one day, n posts written in the n-th month of the year before (December 2025:
    1 post ... November 2026: 12), every second one a 1-star complaint about waiting; return
    each month's (posts, average rating)."""
    rows, expected = [], {}
    for n, month in enumerate(YEAR.months, start=1):
        ratings = [1 if k % 2 else 5 for k in range(n)]
        for k, rating in enumerate(ratings):
            text = "We waited an hour" if rating == 1 else "Lovely team"
            # Late on the 28th, UTC, so a month's posts never stray into the next one.
            rows.append((f"{month}-{k}", rating, text, f"{month}-28T20:{k:02d}:00Z"))
        expected[month] = (n, round(sum(ratings) / n, 2))
    world.clock.now = IMPORTED
    _import(world, rows)
    return expected


def test_a_year_imported_on_one_day_falls_in_the_months_it_was_written(world):
    expected = _a_year_of_history(world)
    insights = InsightsService.of(world.services)
    trend = insights.trend(world.staff, world.practice, YEAR)
    assert {m.month: (m.posts, m.average_rating) for m in trend.by_month} == expected
    figures = insights.practice(world.staff, world.practice, YEAR)
    assert [m.posts for m in figures.by_month] == list(range(1, 13))
    waiting = next(t for t in figures.topics if t.topic == "wait-time")
    # Complaints about waiting: every second post, by month (the n-th month holds n // 2).
    assert [m.criticised for m in waiting.by_month] == [n // 2 for n in range(1, 13)]
    march = insights.monthly(world.staff, world.practice, "2026-03")
    assert (march.this_month.posts, march.previous.posts) == (4, 3)
    assert [m.posts for m in march.trend] == [0] * 8 + [1, 2, 3, 4]  # April 2025 .. March 2026
    summary = world.services.reports.summary(world.staff, world.practice)
    assert sorted(summary["topics_by_month"]) == [m for m in YEAR.months if m != "2025-12"]
    assert summary["topics_by_month"]["2026-03"]["wait-time"] == 2
    assert summary["posts"] == 78
    since = dt.datetime(2026, 6, 1, tzinfo=UTC)
    assert world.services.reports.summary(world.staff, world.practice, since=since)["posts"] == sum(
        range(7, 13)
    )


def test_the_dashboard_counts_the_posts_written_in_its_days(world):
    _a_year_of_history(world)
    dashboard = Overview(world.services.store, clock=world.clock).dashboard(
        world.staff, world.practice, days=30
    )
    # Written from 2026-10-03 on: the 11 of October 28 (November's 12 were written on the 28th,
    # after the import day, so they count on arrival, today; see the next test).
    assert dashboard["received"] == 11 + 12
    assert dashboard["complaints"] == 5 + 6
    # Every post is still waiting: the inbox counts what arrived, whenever it was written.
    assert dashboard["unanswered"] == 78


def test_a_post_without_a_posting_time_or_one_after_arrival_counts_on_arrival(world):
    world.clock.now = IMPORTED
    inbox = world.services.inbox
    times = {
        "none": None,
        "july": dt.datetime(2026, 7, 9, 15, tzinfo=UTC),
        "ahead": IMPORTED + dt.timedelta(days=40),  # a clock ahead or a date typed wrong
    }
    for ext, posted in times.items():
        inbox.receive(
            SYSTEM,
            world.practice,
            NewPost(platform="google", external_id=ext, text="Lovely team", posted_at=posted),
        )
    with world.services.store.read() as session:
        written = dict(session.execute(select(Post.external_id, Post.written_at)).all())
    assert written == {"none": IMPORTED, "july": times["july"], "ahead": IMPORTED}
    trend = InsightsService.of(world.services).trend(world.staff, world.practice, YEAR)
    by_month = {m.month: m.posts for m in trend.by_month}
    assert (by_month["2026-07"], by_month["2026-11"], sum(by_month.values())) == (1, 2, 3)


def _improvement_history(world) -> None:
    """Around 2026-08-01, imported on 2026-11-02: 12 of 40 posts complain about waiting in the
    90 days before, 4 of 40 in the 90 days after; 5 more on each side just outside."""
    rows = []

    def batch(prefix: str, day: str, kinds: list[bool]) -> None:
        for n, waited in enumerate(kinds):
            text = "We waited an hour" if waited else "Lovely team"
            rows.append((f"{prefix}{n}", 1 if waited else 5, text, f"{day}T12:{n:02d}:00Z"))

    batch("b", "2026-05-20", [True] * 12 + [False] * 28)
    batch("a", "2026-08-15", [True] * 4 + [False] * 36)
    batch("f", "2026-05-02", [True] * 5)
    batch("g", "2026-10-30", [True] * 5)
    world.clock.now = IMPORTED
    _import(world, rows)


def test_the_before_and_after_comparison_reads_when_posts_were_written(world):
    _improvement_history(world)
    world.services.practices.add_improvement(
        world.manager,
        world.practice,
        topic="wait-time",
        text="second desk",
        since=dt.date(2026, 8, 1),
    )
    [effect] = InsightsService.of(world.services).practice(world.staff, world.practice).improvements
    # By arrival, all 90 posts came after both windows: "too few posts to tell".
    assert effect.status == "fell"
    assert (effect.before.posts, effect.before.complaints) == (40, 12)
    assert (effect.after.posts, effect.after.complaints) == (40, 4)
    [entry] = world.services.reports.summary(world.staff, world.practice)["improvements"]
    assert (entry["posts_90_days_before"], entry["posts_90_days_after"]) == (12, 4)


def _answer(world, post_id: int, after_hours: float) -> None:
    inbox = world.services.inbox
    inbox.save_draft(world.staff, post_id, "Thank you for your feedback.")
    inbox.approve(world.manager, post_id)
    world.clock.advance(hours=after_hours)
    inbox.mark_replied(world.staff, post_id)


def _post_id(world, ext: str) -> int:
    with world.services.store.read() as session:
        return session.scalar(select(Post.id).where(Post.external_id == ext))


def test_remembered_months_are_counted_again_when_imports_and_replies_change_them(world):
    _a_year_of_history(world)
    insights = InsightsService.of(world.services)
    first = {m.month: m for m in insights.practice(world.staff, world.practice, YEAR).by_month}
    summary = world.services.reports.summary(world.staff, world.practice)
    assert (first["2026-02"].posts, first["2026-02"].replies) == (3, 0)
    assert summary["topics_by_month"]["2026-02"]["wait-time"] == 1
    # Today: more of February's history, and a reply to one of February's posts.
    _import(world, [("late-1", 1, "We waited all morning", "2026-02-10T10:00:00Z")])
    _answer(world, _post_id(world, "2026-02-0"), after_hours=3)
    again = {m.month: m for m in insights.practice(world.staff, world.practice, YEAR).by_month}
    assert (again["2026-02"].posts, again["2026-02"].replies) == (4, 1)
    assert again["2026-02"].median_hours_to_reply == 3.0
    assert {k: v.posts for k, v in again.items() if k != "2026-02"} == {
        k: v.posts for k, v in first.items() if k != "2026-02"
    }
    summary = world.services.reports.summary(world.staff, world.practice)
    assert summary["topics_by_month"]["2026-02"]["wait-time"] == 2
    assert (summary["replied"], summary["median_hours_to_reply"]) == (1, 3.0)


def test_time_to_reply_counts_from_arrival_and_leaves_out_replies_before_it(world):
    world.clock.now = IMPORTED
    _import(
        world,
        [
            ("answered-here", 5, "Lovely team", "2026-03-10T10:00:00Z"),
            ("answered-before", 5, "Kind nurses", "2026-03-11T10:00:00Z"),
        ],
    )
    # Answered in SafeReply five hours after the import, eight months after it was written.
    _answer(world, _post_id(world, "answered-here"), after_hours=5)
    # Answered on the platform the day it was written, long before the import, and written in
    # as a reply by a script (no part of SafeReply records a reply dated before its post).
    before = _post_id(world, "answered-before")
    with world.services.store.write() as session:
        draft = Draft(post_id=before, number=1, text="Thank you.", verdict="pass")
        session.add(draft)
        session.flush()
        session.add(
            PublishedReply(
                post_id=before,
                draft_id=draft.id,
                text="Thank you.",
                method="manual",
                platform="google",
                published_at=dt.datetime(2026, 3, 11, 12, tzinfo=UTC),
            )
        )
        session.execute(
            update(Post)
            .where(Post.id == before)
            .values(state="marked_replied", version=Post.version + 1)
        )
    trend = InsightsService.of(world.services).trend(world.staff, world.practice, YEAR)
    [march] = [m for m in trend.by_month if m.month == "2026-03"]
    assert (march.posts, march.answered, march.response_rate) == (2, 2, 1.0)
    assert (march.replies, march.median_hours_to_reply) == (1, 5.0)
    summary = world.services.reports.summary(world.staff, world.practice)
    assert (summary["replied"], summary["median_hours_to_reply"]) == (1, 5.0)
    dashboard = Overview(world.services.store, clock=world.clock).dashboard(
        world.staff, world.practice, days=365
    )
    assert (dashboard["answered"], dashboard["replies"]) == (2, 1)
    assert dashboard["median_hours_to_reply"] == 5.0


def test_an_import_reads_dates_without_a_zone_on_the_practices_clock(world):
    """A date alone is midnight where the practice is, not UTC midnight (the evening before in
    New York, and for the 1st of a month, the month before); the id an export without ids gets
    stays what it was, so importing the file again adds nothing."""
    world.services.practices.update_settings(
        SYSTEM, world.practice, {"timezone": "America/New_York"}
    )
    data = b"Reviewer Name,Star Rating,Review Text,Date\nDana P.,5,Lovely team,03/01/2026\n"
    [utc] = parse_posts(data, name="h.csv", platform="google")
    world.clock.now = IMPORTED
    assert (
        import_posts(
            world.services.inbox,
            world.manager,
            world.practice,
            data,
            name="h.csv",
            platform="google",
        ).created
        == 1
    )
    with world.services.store.read() as session:
        [(ext, written)] = session.execute(select(Post.external_id, Post.written_at)).all()
    assert written == dt.datetime(2026, 3, 1, 5, tzinfo=UTC)  # midnight, New York (EST)
    assert ext == utc.external_id
    again = import_posts(
        world.services.inbox, world.manager, world.practice, data, name="h.csv", platform="google"
    )
    assert (again.created, again.duplicates) == (0, 1)
    report = InsightsService.of(world.services).monthly(world.staff, world.practice, "2026-03")
    assert (report.this_month.posts, report.previous.posts) == (1, 0)
