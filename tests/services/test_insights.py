"""Insights (issue 15, item 4): figures per month and location, topics praised and criticised,
improvements before and after with a confidence interval, the monthly report and the agency
view. A fixed clock and known posts; SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from safereply.errors import InputError, NotFoundError
from safereply.services import SYSTEM, NewPost
from safereply.services.insights import (
    MIN_POSTS,
    InsightsService,
    MonthRange,
    forget_counted_months,
    newcombe_interval,
    wilson_interval,
)
from safereply.store.models import PostTopic

UTC = dt.UTC


@pytest.fixture(autouse=True)
def _fresh_months(request):
    # The PostgreSQL store is shared by the tests and emptied between them: forget its months.
    if "world" in request.fixturenames:
        forget_counted_months(request.getfixturevalue("world").services.store)


def _at(world, when: dt.datetime) -> None:
    world.clock.now = when


def _triaged(kind: str, topics=(), sentiment: float | None = None) -> dict:
    if sentiment is None:
        sentiment = {"complaint": -0.8, "praise": 0.8}.get(kind, 0.0)
    return {
        "kind": kind,
        "topics": list(topics),
        "sentiment": sentiment,
        "discloses_health": False,
        "priority": "normal",
        "reasons": ["test"],
    }


def _post(world, ext, kind, topics=(), *, rating=None, location=None, sentiment=None, pid=None):
    return world.services.inbox.receive(
        SYSTEM,
        pid or world.practice,
        NewPost(
            platform="google",
            external_id=ext,
            text=f"post {ext}",
            rating=rating,
            location=location,
            triaged=_triaged(kind, topics, sentiment),
        ),
    ).post_id


def _answer(world, post_id, after_hours):
    inbox = world.services.inbox
    inbox.save_draft(world.staff, post_id, "Thank you for your feedback.")
    inbox.approve(world.manager, post_id)
    world.clock.advance(hours=after_hours)
    inbox.mark_replied(world.staff, post_id)


def _insights(world) -> InsightsService:
    return InsightsService.of(world.services)


# -- statistics ----------------------------------------------------------------------------------


def test_wilson_and_newcombe_match_newcombes_published_examples():
    # Newcombe, Stat Med 1998;17:857-872, Table I: 81/263 gives 0.2553 to 0.3662 (Wilson).
    low, high = wilson_interval(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    # Newcombe, Stat Med 1998;17:873-890, Table II, example (a): 56/70 - 48/80, method 10
    # (hybrid score, no continuity correction): +0.0524 to +0.3339.
    d, low, high = newcombe_interval(56, 70, 48, 80)
    assert (round(d, 4), round(low, 4), round(high, 4)) == (0.2, 0.0524, 0.3339)
    # Zero events stay inside [0, 1] and the interval is not degenerate.
    assert wilson_interval(0, 10)[0] == 0.0 and wilson_interval(0, 10)[1] > 0.25
    with pytest.raises(InputError):
        wilson_interval(3, 0)


def test_newcombe_interval_computed_by_hand():
    """After: 4 complaints in 40 posts; before: 12 in 40. z = 1.959964, z^2 = 3.841459.

    Wilson for 4/40: p = 0.1, z^2/n = 0.0960365, centre = (0.1 + 0.0480182) / 1.0960365
    = 0.1350487, half = z / 1.0960365 * sqrt(0.1 * 0.9 / 40 + 3.841459 / 6400) = 0.0954691:
    0.0395795 to 0.2305178. Wilson for 12/40: p = 0.3: 0.1807485 to 0.4543002.
    d = 0.1 - 0.3 = -0.2;
    low  = -0.2 - sqrt((0.1 - 0.0395795)^2 + (0.4543002 - 0.3)^2) = -0.2 - 0.1657081 = -0.3657081;
    high = -0.2 + sqrt((0.2305178 - 0.1)^2 + (0.3 - 0.1807485)^2) = -0.2 + 0.1767931 = -0.0232069.
    """
    l1, u1 = wilson_interval(4, 40)
    l2, u2 = wilson_interval(12, 40)
    assert (round(l1, 7), round(u1, 7)) == (0.0395795, 0.2305178)
    assert (round(l2, 7), round(u2, 7)) == (0.1807485, 0.4543002)
    d, low, high = newcombe_interval(4, 40, 12, 40)
    assert round(d, 7) == -0.2
    assert (round(low, 6), round(high, 6)) == (-0.365708, -0.023207)


# -- months ---------------------------------------------------------------------------------------


def test_month_ranges_default_to_a_year_and_refuse_bad_input():
    today = dt.date(2026, 11, 2)
    default = MonthRange.parse(None, None, today=today)
    assert default.months[0] == "2025-12" and default.months[-1] == "2026-11"
    assert len(default) == 12
    r = MonthRange.parse("2025-11", "2026-02", today=today)
    assert r.months == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert r.bounds[0] == dt.datetime(2025, 11, 1, tzinfo=UTC)
    assert r.bounds[-1] == dt.datetime(2026, 3, 1, tzinfo=UTC)
    for first, last, words in [
        ("2026-13", None, "YYYY-MM"),
        ("2026-1", None, "YYYY-MM"),
        ("2026-05", "2026-01", "before"),
        ("2020-01", "2026-01", "at most 36"),
    ]:
        with pytest.raises(InputError, match=words):
            MonthRange.parse(first, last, today=today)


# -- figures per month and location --------------------------------------------------------------


def _three_months(world):
    """Posts in September, October and November 2026 (the clock ends at 2026-11-02 09:00)."""
    _at(world, dt.datetime(2026, 9, 10, 8, tzinfo=UTC))
    _post(world, "s1", "complaint", ["wait-time"], rating=1, location="Downtown")
    praise = _post(world, "s2", "praise", ["staff-courtesy"], rating=5, location="Downtown")
    _answer(world, praise, 2)
    _post(world, "s3", "question", ["scheduling"], location="Eastside", sentiment=-0.7)
    _at(world, dt.datetime(2026, 10, 31, 20, tzinfo=UTC))
    praise = _post(
        world, "o1", "praise", ["staff-courtesy", "billing"], rating=4, location="Downtown"
    )
    bill = _post(world, "o2", "complaint", ["billing"], rating=2, location="Downtown")
    world.services.inbox.dismiss(world.staff, bill, reason="duplicate")
    _post(world, "o3", "other", ["facility"], sentiment=0.2)
    _answer(world, praise, 6)  # the reply is in November; the post counts for October
    _at(world, dt.datetime(2026, 11, 2, 9, tzinfo=UTC))
    _post(world, "n1", "complaint", ["wait-time"], rating=3, location="Eastside")
    # Outside the range, and in the other practice: never counted.
    _at(world, dt.datetime(2026, 8, 31, 23, 59, tzinfo=UTC))
    _post(world, "a1", "complaint", ["wait-time"], rating=1, location="Downtown")
    _post(world, "x1", "complaint", ["wait-time"], rating=1, pid=world.other_practice)
    _at(world, dt.datetime(2026, 11, 2, 9, tzinfo=UTC))


def test_figures_per_month_and_location(world):
    _three_months(world)
    months = MonthRange.parse("2026-09", "2026-11", today=world.clock.now.date())
    data = _insights(world).practice(world.staff, world.practice, months)
    assert data.months == ["2026-09", "2026-10", "2026-11"]
    sep, oct_, nov = data.by_month
    assert (sep.posts, sep.complaints, sep.praise, sep.rated, sep.average_rating) == (
        3,
        1,
        1,
        2,
        3.0,
    )
    assert (sep.needed_answer, sep.answered, sep.response_rate) == (3, 1, 0.3333)
    assert (sep.replies, sep.median_hours_to_reply) == (1, 2.0)
    assert (oct_.posts, oct_.rated, oct_.average_rating) == (3, 2, 3.0)
    assert (oct_.needed_answer, oct_.answered, oct_.response_rate) == (2, 1, 0.5)
    assert oct_.median_hours_to_reply == 6.0
    assert (nov.posts, nov.answered, nov.response_rate, nov.median_hours_to_reply) == (
        1,
        0,
        0.0,
        None,
    )
    assert data.total.posts == 7 and data.total.median_hours_to_reply == 4.0
    downtown, eastside, nowhere = data.by_location
    assert (downtown.name, downtown.posts, downtown.average_rating) == ("Downtown", 4, 3.0)
    assert (downtown.needed_answer, downtown.answered, downtown.response_rate) == (3, 2, 0.6667)
    assert downtown.median_hours_to_reply == 4.0
    assert [(t.topic, t.count) for t in downtown.top_criticised] == [
        ("billing", 1),
        ("wait-time", 1),
    ]
    assert (eastside.posts, eastside.rated, eastside.response_rate) == (2, 1, 0.0)
    assert [t.topic for t in eastside.top_criticised] == ["scheduling", "wait-time"]
    assert (nowhere.id, nowhere.name, nowhere.posts, nowhere.rated) == (None, "No location", 1, 0)
    topics = {t.topic: t for t in data.topics}
    assert (topics["wait-time"].mentioned, topics["wait-time"].criticised) == (2, 2)
    assert (topics["staff-courtesy"].praised, topics["staff-courtesy"].criticised) == (2, 0)
    assert (topics["billing"].praised, topics["billing"].criticised) == (1, 1)
    assert topics["scheduling"].criticised == 1  # a question with a clearly negative sentiment
    assert (topics["facility"].mentioned, topics["facility"].praised) == (1, 0)  # neutral
    assert [(m.month, m.praised, m.criticised) for m in topics["billing"].by_month] == [
        ("2026-09", 0, 0),
        ("2026-10", 1, 1),
        ("2026-11", 0, 0),
    ]
    assert (data.polarity.from_aspects, data.polarity.from_kind_and_sentiment) == (0, 8)


def test_one_location_narrows_every_figure(world):
    _three_months(world)
    months = MonthRange.parse("2026-09", "2026-11", today=world.clock.now.date())
    locations = {
        loc.name: loc.id
        for loc in _insights(world).practice(world.staff, world.practice, months).by_location
    }
    data = _insights(world).practice(
        world.staff, world.practice, months, location_id=locations["Eastside"]
    )
    assert data.location.name == "Eastside"
    assert [m.posts for m in data.by_month] == [1, 0, 1]
    assert [loc.name for loc in data.by_location] == ["Downtown", "Eastside"]
    assert [loc.posts for loc in data.by_location] == [0, 2]


def test_months_and_improvement_days_follow_the_practices_clock(world):
    world.services.practices.update_settings(
        SYSTEM, world.practice, {"timezone": "America/New_York"}
    )
    _at(world, dt.datetime(2026, 10, 1, 2, tzinfo=UTC))  # 22:00 on 30 September in New York
    _post(world, "late", "complaint", ["wait-time"], rating=1)
    _at(world, dt.datetime(2026, 10, 1, 5, tzinfo=UTC))  # 01:00 on 1 October in New York
    _post(world, "early", "praise", [], rating=5)
    _at(world, dt.datetime(2026, 11, 2, 9, tzinfo=UTC))
    months = MonthRange.parse("2026-09", "2026-10", today=world.clock.now.date())
    data = _insights(world).practice(world.staff, world.practice, months)
    assert data.timezone == "America/New_York"
    assert [(m.month, m.posts, m.average_rating) for m in data.by_month] == [
        ("2026-09", 1, 1.0),
        ("2026-10", 1, 5.0),
    ]
    world.services.practices.add_improvement(
        world.manager, world.practice, topic="wait-time", text="desk", since=dt.date(2026, 10, 1)
    )
    [effect] = _insights(world).trend(world.staff, world.practice).improvements
    assert effect.after.start == dt.datetime(2026, 10, 1, 4, tzinfo=UTC)  # midnight, EDT
    assert (effect.before.posts, effect.before.complaints, effect.after.posts) == (1, 1, 1)
    report = _insights(world).monthly(world.staff, world.practice, "2026-09")
    assert report.this_month.posts == 1 and report.timezone == "America/New_York"
    assert report.as_of == dt.datetime(2026, 10, 1, 4, tzinfo=UTC)


def test_aspects_decide_polarity_when_present(world):
    _at(world, dt.datetime(2026, 10, 5, tzinfo=UTC))
    both = _post(world, "c1", "complaint", ["wait-time", "staff-courtesy"], rating=2)
    mixed = _post(world, "c2", "praise", ["billing"], rating=4)
    _at(world, dt.datetime(2026, 11, 2, 9, tzinfo=UTC))
    with world.services.store.write() as session:  # what triage's aspects would have recorded
        session.execute(
            update(PostTopic)
            .where(PostTopic.post_id == both, PostTopic.topic == "staff-courtesy")
            .values(polarity="positive")
        )
        session.execute(
            update(PostTopic).where(PostTopic.post_id == mixed).values(polarity="mixed")
        )
    data = _insights(world).practice(world.staff, world.practice)
    topics = {t.topic: t for t in data.topics}
    assert (topics["staff-courtesy"].praised, topics["staff-courtesy"].criticised) == (1, 0)
    assert (topics["wait-time"].praised, topics["wait-time"].criticised) == (0, 1)  # fallback
    assert (topics["billing"].praised, topics["billing"].criticised) == (1, 1)  # mixed: both
    assert (data.polarity.from_aspects, data.polarity.from_kind_and_sentiment) == (2, 1)


def test_unchanged_months_are_not_read_again_and_changes_are_seen(world):
    from sqlalchemy import event

    _three_months(world)
    months = MonthRange.parse("2026-09", "2026-11", today=world.clock.now.date())
    insights = _insights(world)
    statements: list[str] = []
    engine = world.services.store.engine

    def grab(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", grab)
    try:
        first = insights.practice(world.staff, world.practice, months)
        read_first = [s for s in statements if "published_replies" in s]
        statements.clear()
        again = insights.practice(world.staff, world.practice, months)
        assert again == first
        assert not [s for s in statements if "published_replies" in s]  # all three remembered
        # Answering a September post changes September's fingerprint: only September is read.
        s3 = world.services.inbox.list_posts(world.staff, world.practice, limit=200)["items"]
        question = next(p["id"] for p in s3 if p["external_id"] == "s3")
        statements.clear()
        _at(world, dt.datetime(2026, 11, 2, 9, tzinfo=UTC))
        _answer(world, question, 1)
        statements.clear()
        after = insights.practice(world.staff, world.practice, months)
        read = [s for s in statements if "published_replies" in s]
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    assert read_first and len(read) == 1 and "UNION" not in read[0]
    # The question arrived on 10 September at 10:00 and was answered on 2 November at 10:00.
    assert after.by_month[0].answered == 2
    assert after.by_month[0].median_hours_to_reply == (2 + 53 * 24) / 2
    assert after.by_month[1] == first.by_month[1] and after.topics == first.topics


# -- improvements --------------------------------------------------------------------------------


def _improvement_posts(world):
    """Around 2026-08-01: 12 of 40 posts complain about waiting before, 4 of 40 after."""
    inbox = world.services.inbox

    def batch(when, prefix, kinds):
        _at(world, when)
        posts = []
        for n, (kind, topics) in enumerate(kinds):
            posts.append(
                NewPost(
                    platform="google",
                    external_id=f"{prefix}{n}",
                    text=f"post {prefix}{n}",
                    triaged=_triaged(kind, topics),
                )
            )
        inbox.receive_many(SYSTEM, world.practice, posts)

    wait = ("complaint", ["wait-time"])
    praise = ("praise", [])
    batch(dt.datetime(2026, 5, 20, tzinfo=UTC), "b", [wait] * 12 + [("complaint", ["billing"])])
    batch(dt.datetime(2026, 7, 31, 23, tzinfo=UTC), "c", [praise] * 27 + [("spam", [])] * 2)
    batch(dt.datetime(2026, 8, 1, tzinfo=UTC), "d", [wait] * 4 + [praise] * 16)
    batch(dt.datetime(2026, 10, 29, 23, tzinfo=UTC), "e", [praise] * 20)
    # Just outside the 90-day windows (2026-05-03 to 2026-10-30), and another practice's posts.
    batch(dt.datetime(2026, 5, 2, 23, tzinfo=UTC), "f", [wait] * 5)
    batch(dt.datetime(2026, 10, 30, 0, tzinfo=UTC), "g", [wait] * 5)
    _at(world, dt.datetime(2026, 7, 1, tzinfo=UTC))
    for n in range(3):
        _post(world, f"x{n}", "complaint", ["wait-time"], pid=world.other_practice)
    _at(world, dt.datetime(2026, 11, 2, 9, tzinfo=UTC))


def test_improvement_effect_with_its_confidence_interval(world):
    _improvement_posts(world)
    practices = world.services.practices
    practices.add_improvement(
        world.manager,
        world.practice,
        topic="wait-time",
        text="second desk",
        since=dt.date(2026, 8, 1),
    )
    [effect] = _insights(world).practice(world.staff, world.practice).improvements
    assert effect.status == "fell" and effect.window_days == 90 and effect.min_posts == MIN_POSTS
    assert (effect.before.posts, effect.before.complaints, effect.before.share) == (40, 12, 0.3)
    assert (effect.after.posts, effect.after.complaints, effect.after.share) == (40, 4, 0.1)
    assert effect.before.start == dt.datetime(2026, 5, 3, tzinfo=UTC)
    assert effect.after.end == dt.datetime(2026, 10, 30, tzinfo=UTC)
    assert (effect.change, effect.ci_low, effect.ci_high) == (-0.2, -0.3657, -0.0232)
    assert effect.statement == (
        "Complaints about wait time fell from 30% (12 of 40 posts) in the 90 days before to "
        "10% (4 of 40) in the 90 days after (change −20 percentage points, 95% confidence "
        "interval −36.6 to −2.3)."
    )


def test_improvements_say_when_there_is_too_little_to_tell(world):
    _improvement_posts(world)
    practices = world.services.practices
    add = practices.add_improvement
    add(
        world.manager,
        world.practice,
        topic="billing",
        text="clearer bills",
        since=dt.date(2026, 8, 15),
    )
    add(
        world.manager, world.practice, topic="billing", text="new forms", since=dt.date(2026, 11, 2)
    )
    add(world.manager, world.practice, topic="privacy", text="screens")
    add(world.manager, world.practice, topic="facility", text="ramp", since=dt.date(2026, 10, 20))
    effects = _insights(world).practice(world.staff, world.practice).improvements
    assert [(e.text, e.status) for e in effects] == [
        ("new forms", "not-yet"),
        ("ramp", "too-few-posts"),
        ("clearer bills", "no-clear-change"),
        ("screens", "no-date"),
    ]
    ramp = effects[1]
    assert ramp.window_days == 13 and ramp.change is None and ramp.ci_low is None
    assert (ramp.before.posts, ramp.after.posts) == (0, 25)
    assert ramp.statement.startswith("Too few posts to tell: 0 in the 13 days before and 25")
    bills = effects[2]  # 79-day windows: none of 47 posts before, none of 25 after
    assert bills.window_days == 79
    assert (bills.before.posts, bills.before.complaints) == (47, 0)
    assert (bills.after.posts, bills.after.complaints) == (25, 0)
    assert bills.ci_low < 0 < bills.ci_high
    assert "the interval includes no change" in bills.statement


# -- monthly report and agency -------------------------------------------------------------------


def test_monthly_report_is_the_insights_of_one_month(world):
    _three_months(world)
    report = _insights(world).monthly(world.manager, world.practice)
    assert (report.month, report.previous_month) == ("2026-10", "2026-09")
    assert report.as_of == dt.datetime(2026, 11, 1, tzinfo=UTC)
    same = _insights(world).practice(
        world.manager, world.practice, MonthRange.parse("2026-10", "2026-10", today=dt.date.today())
    )
    assert report.this_month == same.total
    assert [m.month for m in report.trend][-3:] == ["2026-08", "2026-09", "2026-10"]
    assert len(report.trend) == 12
    assert (report.previous.posts, report.this_month.posts) == (3, 3)
    assert [loc.posts for loc in report.by_location] == [2, 0, 1]
    assert {t.topic: (t.praised, t.criticised) for t in report.topics} == {
        "staff-courtesy": (1, 0),
        "billing": (1, 1),
        "facility": (0, 0),
    }
    assert (
        _insights(world).monthly(world.manager, world.practice, "2026-11").as_of == world.clock.now
    )
    with pytest.raises(InputError, match="not started"):
        _insights(world).monthly(world.manager, world.practice, "2026-12")


def test_agency_view_lists_only_the_users_practices(world):
    _three_months(world)
    world.services.users.set_role(
        SYSTEM, practice_id=world.other_practice, user_id=world.manager.user_id, role="staff"
    )
    months = MonthRange.parse("2026-09", "2026-11", today=world.clock.now.date())
    view = _insights(world).agency(world.manager, months)
    assert [(p.name, p.role) for p in view.practices] == [
        ("Harbor View Clinic", "staff"),
        ("Maple Grove Dental", "manager"),
    ]
    harbor, maple = view.practices
    assert (maple.total.posts, maple.unanswered, maple.total.response_rate) == (7, 5, 0.3333)
    assert [(r.month, r.average_rating, r.rated) for r in maple.rating_trend] == [
        ("2026-09", 3.0, 2),
        ("2026-10", 3.0, 2),
        ("2026-11", 3.0, 1),
    ]
    assert [t.topic for t in maple.top_criticised] == ["wait-time", "billing", "scheduling"]
    assert (harbor.total.posts, harbor.unanswered) == (0, 1)  # its post arrived in August
    assert view.total.posts == 7
    alone = _insights(world).agency(world.outsider, months)
    assert [p.name for p in alone.practices] == ["Harbor View Clinic"]


def test_another_practice_is_not_found(world):
    _three_months(world)
    insights = _insights(world)
    with pytest.raises(NotFoundError):
        insights.practice(world.outsider, world.practice)
    with pytest.raises(NotFoundError):
        insights.monthly(world.outsider, world.practice)
    downtown = insights.practice(world.staff, world.practice).by_location[0].id
    with pytest.raises(NotFoundError, match="location"):
        insights.practice(world.outsider, world.other_practice, location_id=downtown)
