"""Insights a practice acts on (issue 15, item 4): the figures behind the dashboard, the
insights page, the monthly report and the agency view, and their JSON API twins.

Every page and API route calls the functions of :class:`InsightsService`; they return frozen
dataclasses (the API's response models), so a figure is computed in one place only::

    insights = InsightsService(store, clock=services.inbox.clock)
    data = insights.practice(actor, practice_id, MonthRange.parse("2026-01", "2026-06"))

Months are calendar months on the practice's clock (its ``timezone`` setting; UTC without one),
and so are the days improvements start on. A post belongs to the month it was written in
(``written_at``: the platform's posting time, or its arrival in SafeReply when the platform gave
none or one after the arrival), so a year of history imported on one day still falls in its own
twelve months.

* **volume**: posts written; **average rating**: the mean star rating of those that have one;
  **response rate**: of the posts that needed an answer (not dismissed), the share answered
  (published or marked replied); **median time to reply**: from the post's arrival in SafeReply
  to the reply recorded there, over the posts of the month that got one. It measures the team
  (the same clock as the due time), not the months a post waited on the platform before it was
  imported or an account connected; a reply recorded before its post arrived (written by a script
  or an import of old answers) tells nothing about that and is left out, not counted as 0 hours.
* **praised and criticised topics**: a topic of a post is praised or criticised by the triage's
  per-topic aspect when there is one (``post_topics.polarity``: ``positive``, ``negative`` or
  ``mixed``, which counts as both); otherwise by the post: every topic of a complaint is
  criticised, of praise praised, of a question or other post by a clear sentiment (at most -0.5,
  at least 0.5); spam, emergencies and crises neither.
* **before and after an improvement**: the share of posts (spam aside) written in equal windows
  before and after its date that criticise the improvement's topic (90 days, or as many whole
  days as have passed since it, if fewer), with a 95% confidence interval for the change
  (Newcombe's hybrid score interval from two Wilson intervals), or "too few posts to tell" when
  either window holds fewer than :data:`MIN_POSTS` posts.

Performance: every query reads one practice's posts in a range of writing times through
``ix_posts_practice_written`` (practice, written, location, kind, state, rating, id), which holds
every column they group by; topics, triage and replies are then found by their post's key.
Nothing scans all of a practice's posts.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import statistics
import threading
import weakref
from array import array
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    func,
    literal_column,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from safereply.core.vocab import TOPICS
from safereply.errors import InputError, NotFoundError
from safereply.services.access import practice_ids, require_role, role_in
from safereply.services.actor import Actor
from safereply.services.localtime import practice_zone
from safereply.store.engine import Store
from safereply.store.models import (
    OPEN_STATES,
    Improvement,
    Location,
    Post,
    PostTopic,
    Practice,
    PracticeSettings,
    PublishedReply,
    TriageRecord,
    utcnow,
)

__all__ = [
    "MIN_POSTS",
    "WINDOW_DAYS",
    "AgencyOverview",
    "AgencyPractice",
    "Figures",
    "ImprovementEffect",
    "InsightsService",
    "LocationFigures",
    "MonthFigures",
    "MonthRange",
    "MonthlyReport",
    "PracticeInsights",
    "PracticeTrend",
    "TopicCount",
    "TopicFigures",
    "Window",
    "forget_counted_months",
    "hours_to_reply",
    "newcombe_interval",
    "recall_counted",
    "remember_counted",
    "replied_after_arrival",
    "wilson_interval",
]

#: Fewest posts in each window, before and after an improvement, for a comparison.
MIN_POSTS = 20
#: Length of the windows before and after an improvement, at most (days).
WINDOW_DAYS = 90
#: Most months one request may cover.
MAX_MONTHS = 36
#: The normal quantile of a two-sided 95% interval.
Z95 = 1.959963984540054
#: A question or other post judges its topics when its sentiment is at least this clear.
CLEAR_SENTIMENT = 0.5
#: States in which a post got its answer.
ANSWERED_STATES = ("published", "marked_replied")
#: Without an aspect, a topic takes its polarity from the post's kind ...
_KIND_POLARITY = {"complaint": "negative", "praise": "positive"}
#: ... or, for these kinds, from a clear sentiment.
_SENTIMENT_KINDS = ("question", "other")

Polarity = Literal["positive", "negative", "mixed", "neutral"]
Status = Literal["fell", "rose", "no-clear-change", "too-few-posts", "not-yet", "no-date"]

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


# -- statistics ---------------------------------------------------------------------------------


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Return the Wilson score interval of a proportion ``successes / n``.

    Raises:
        InputError: ``n`` is not positive or ``successes`` is outside 0..n.
    """
    if n <= 0 or not 0 <= successes <= n:
        raise InputError(f"a proportion needs 0 <= successes <= n and n > 0, got {successes}/{n}")
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe_interval(
    x1: int, n1: int, x2: int, n2: int, z: float = Z95
) -> tuple[float, float, float]:
    """Return ``(d, low, high)``: the difference ``x1/n1 - x2/n2`` and its confidence interval.

    Newcombe's hybrid score interval (method 10 of Newcombe, Statistics in Medicine 1998;
    17:873-890), built from the Wilson intervals of the two proportions; no continuity
    correction. It keeps its coverage with small counts and with proportions near 0 or 1, where
    the textbook (Wald) interval fails.
    """
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson_interval(x1, n1, z)
    l2, u2 = wilson_interval(x2, n2, z)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, low, high


# -- months -------------------------------------------------------------------------------------


def _month_start(year: int, month: int, zone: dt.tzinfo = dt.UTC) -> dt.datetime:
    """Return when a month starts on the practice's clock, in UTC."""
    return dt.datetime(year, month, 1, tzinfo=zone).astimezone(dt.UTC)


def _add_months(day: dt.date, n: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def _parse_month(value: str, name: str) -> dt.date:
    match = _MONTH.match(value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise InputError(f"{name} must be a month written YYYY-MM, like 2026-01; got {value!r}")
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


@dataclass(frozen=True, slots=True)
class MonthRange:
    """Whole calendar months (UTC), from ``first`` to ``last`` inclusive (first days)."""

    first: dt.date
    last: dt.date

    @classmethod
    def parse(
        cls,
        first: str | None,
        last: str | None,
        *,
        today: dt.date,
        default_months: int = 12,
    ) -> MonthRange:
        """Read a range from ``YYYY-MM`` strings; missing ends default to the ``default_months``
        months up to and including this one.

        Raises:
            InputError: a month that is not ``YYYY-MM``, an end before the start, or more than
                :data:`MAX_MONTHS` months.
        """
        end = _parse_month(last, "the last month") if last else today.replace(day=1)
        start = (
            _parse_month(first, "the first month")
            if first
            else _add_months(end, -(default_months - 1))
        )
        return cls(start, end).validate()

    @classmethod
    def ending(cls, last: dt.date, months: int) -> MonthRange:
        """Return the ``months`` months up to and including the month of ``last``."""
        end = last.replace(day=1)
        return cls(_add_months(end, -(months - 1)), end)

    def validate(self) -> MonthRange:
        """Return the range, or raise InputError naming what is wrong."""
        if self.last < self.first:
            raise InputError("the last month comes before the first month")
        if len(self) > MAX_MONTHS:
            raise InputError(f"a range covers at most {MAX_MONTHS} months; this has {len(self)}")
        return self

    def __len__(self) -> int:
        return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1

    @property
    def months(self) -> list[str]:
        """Return the months as ``YYYY-MM``, oldest first."""
        return [_add_months(self.first, i).strftime("%Y-%m") for i in range(len(self))]

    @property
    def bounds(self) -> list[dt.datetime]:
        """Return the start of every month and the end of the last one (UTC months)."""
        return self.bounds_in(dt.UTC)

    def bounds_in(self, zone: dt.tzinfo) -> list[dt.datetime]:
        """Return the start of every month and the end of the last one, on the clock of
        ``zone``, as UTC times."""
        days = [_add_months(self.first, i) for i in range(len(self) + 1)]
        return [_month_start(d.year, d.month, zone) for d in days]


# -- results ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Figures:
    """Volume, rating and answers of a set of posts (a month, a location, or both)."""

    posts: int = 0
    complaints: int = 0
    praise: int = 0
    rated: int = 0
    average_rating: float | None = None
    needed_answer: int = 0
    answered: int = 0
    response_rate: float | None = None
    replies: int = 0
    median_hours_to_reply: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MonthFigures(Figures):
    """The figures of one month (``YYYY-MM``)."""

    month: str


@dataclass(frozen=True, slots=True)
class TopicCount:
    """A topic and how many posts criticise (or praise) it."""

    topic: str
    count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class LocationFigures(Figures):
    """The figures of one location (``id`` None: posts without a location)."""

    id: int | None
    name: str
    top_criticised: list[TopicCount] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TopicMonth:
    """How many posts praised and criticised a topic in one month."""

    month: str
    praised: int
    criticised: int


@dataclass(frozen=True, slots=True)
class TopicFigures:
    """How often a topic was mentioned, praised and criticised, in all and per month."""

    topic: str
    mentioned: int
    praised: int
    criticised: int
    by_month: list[TopicMonth]


@dataclass(frozen=True, slots=True)
class Window:
    """One side of a before/after comparison: its dates, posts and complaints on the topic."""

    start: dt.datetime
    end: dt.datetime
    posts: int
    complaints: int
    share: float | None


@dataclass(frozen=True, slots=True)
class ImprovementEffect:
    """The change in an improvement's topic's complaint share, with its uncertainty.

    ``change``, ``ci_low`` and ``ci_high`` are differences of proportions (after minus before;
    -0.05 is five percentage points fewer), set only when both windows hold :data:`MIN_POSTS`
    posts or more. ``statement`` says it in words.
    """

    id: int
    topic: str
    text: str
    since: dt.date | None
    status: Status
    window_days: int
    min_posts: int
    before: Window | None
    after: Window | None
    change: float | None
    ci_low: float | None
    ci_high: float | None
    statement: str


@dataclass(frozen=True, slots=True)
class LocationRef:
    """A location a view is narrowed to."""

    id: int
    name: str


@dataclass(frozen=True, slots=True)
class PolarityNote:
    """Where the praised/criticised judgements came from: topic rows judged by the triage's
    per-topic aspects, and those judged by the post's kind and sentiment."""

    from_aspects: int
    from_kind_and_sentiment: int


@dataclass(frozen=True, slots=True)
class PracticeInsights:
    """A practice's insights over a range of months, optionally for one location."""

    practice_id: int
    practice_name: str
    first_month: str
    last_month: str
    months: list[str]
    location: LocationRef | None
    timezone: str
    total: Figures
    by_month: list[MonthFigures]
    by_location: list[LocationFigures]
    topics: list[TopicFigures]
    improvements: list[ImprovementEffect]
    polarity: PolarityNote
    min_posts: int
    generated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class PracticeTrend:
    """The dashboard's cut: figures per month and each improvement's effect (no locations or
    topics, which cost as much again to count)."""

    practice_id: int
    first_month: str
    last_month: str
    months: list[str]
    timezone: str
    total: Figures
    by_month: list[MonthFigures]
    improvements: list[ImprovementEffect]
    min_posts: int
    generated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class MonthlyReport:
    """One month of one practice, for a manager to read, print or save as PDF."""

    practice_id: int
    practice_name: str
    month: str
    previous_month: str
    timezone: str
    this_month: Figures
    previous: Figures
    by_location: list[LocationFigures]
    topics: list[TopicFigures]
    trend: list[MonthFigures]
    improvements: list[ImprovementEffect]
    polarity: PolarityNote
    as_of: dt.datetime
    generated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class RatingPoint:
    """A month's average rating and how many rated posts it rests on."""

    month: str
    average_rating: float | None
    rated: int


@dataclass(frozen=True, slots=True)
class AgencyPractice:
    """One practice in the agency view."""

    practice_id: int
    name: str
    role: str
    unanswered: int
    overdue: int
    total: Figures
    rating_trend: list[RatingPoint]
    top_criticised: list[TopicCount]


@dataclass(frozen=True, slots=True)
class AgencyOverview:
    """Every practice the user belongs to, side by side, over a range of months."""

    first_month: str
    last_month: str
    months: list[str]
    practices: list[AgencyPractice]
    total: Figures
    generated_at: dt.datetime


# -- accumulation -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Tally:
    posts: int = 0
    complaints: int = 0
    praise: int = 0
    rated: int = 0
    rating_sum: float = 0.0
    needed: int = 0
    answered: int = 0
    hours: list[float] = field(default_factory=list)

    def merge(self, other: _Tally) -> None:
        self.posts += other.posts
        self.complaints += other.complaints
        self.praise += other.praise
        self.rated += other.rated
        self.rating_sum += other.rating_sum
        self.needed += other.needed
        self.answered += other.answered
        self.hours.extend(other.hours)

    def values(self) -> dict[str, Any]:
        return {
            "posts": self.posts,
            "complaints": self.complaints,
            "praise": self.praise,
            "rated": self.rated,
            "average_rating": round(self.rating_sum / self.rated, 2) if self.rated else None,
            "needed_answer": self.needed,
            "answered": self.answered,
            "response_rate": round(self.answered / self.needed, 4) if self.needed else None,
            "replies": len(self.hours),
            "median_hours_to_reply": (
                round(statistics.median(self.hours), 2) if self.hours else None
            ),
        }


@dataclass(slots=True)
class _Raw:
    """What the three range queries return, keyed by (month index, location id)."""

    tallies: dict[tuple[int, int | None], _Tally]
    # (month index, location id, topic) -> [mentioned, praised, criticised]
    topics: dict[tuple[int, int | None, str], list[int]]
    from_aspects: int
    from_kind: int


@dataclass(slots=True)
class _Month:
    """What one month's replies and topics came to, for the fingerprint it had then."""

    fingerprint: tuple[int, int]
    waits: dict[int | None, array[float]]
    # (location id, topic) -> [mentioned, praised, criticised]; None: topics not counted
    topics: dict[tuple[int | None, str], list[int]] | None
    from_aspects: int = 0
    from_kind: int = 0


@dataclass(frozen=True, slots=True)
class _Window:
    """How many posts of an improvement's window criticised its topic, for its fingerprint."""

    fingerprint: tuple[int, int | None, int | None, int]
    hits: int


#: Per store, the months whose replies and topics were counted and the improvement windows
#: whose complaints were, newest use last (see ``InsightsService._collect``), and the summary
#: report's months (``services/reports.py``). Keyed by the store, so two databases never share
#: an entry; each entry carries the fingerprint it was counted for, and its reader checks it.
_MONTHS: weakref.WeakKeyDictionary[Store, OrderedDict[tuple[Any, ...], object]] = (
    weakref.WeakKeyDictionary()
)
#: Months kept per store (each holds its replies' hours, 8 bytes a reply).
_MONTHS_KEPT = 1000
_MONTHS_LOCK = threading.Lock()


def forget_counted_months(store: Store) -> None:
    """Drop what the insights remember about a store's months (after emptying its tables)."""
    with _MONTHS_LOCK:
        _MONTHS.pop(store, None)


def recall_counted(store: Store, keys: Sequence[tuple[Any, ...]]) -> list[object | None]:
    """Return what was remembered under each key for ``store`` (None where nothing was), marking
    each found entry as the most recently used. The caller checks its fingerprint."""
    with _MONTHS_LOCK:
        cache = _MONTHS.setdefault(store, OrderedDict())
        found = [cache.get(key) for key in keys]
        for key, hit in zip(keys, found, strict=True):
            if hit is not None:
                cache.move_to_end(key)
        return found


def remember_counted(store: Store, entries: dict[tuple[Any, ...], object]) -> None:
    """Remember ``entries`` for ``store`` beside the insights' months, dropping the least
    recently used beyond :data:`_MONTHS_KEPT`."""
    with _MONTHS_LOCK:
        cache = _MONTHS.setdefault(store, OrderedDict())
        for key, value in entries.items():
            cache[key] = value
            cache.move_to_end(key)
        while len(cache) > _MONTHS_KEPT:
            cache.popitem(last=False)


def _top(counts: dict[str, int], n: int = 3) -> list[TopicCount]:
    ranked = sorted(((c, t) for t, c in counts.items() if c), key=lambda x: (-x[0], x[1]))
    return [TopicCount(t, c) for c, t in ranked[:n]]


def _words(topic: str) -> str:
    return topic.replace("-", " ")


def _pct(value: float) -> str:
    text = f"{value * 100:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _points(value: float) -> str:
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return f"{sign}{_pct(abs(value))}"


def _uncompared(base: dict[str, Any], status: Status, statement: str) -> ImprovementEffect:
    """An improvement with nothing to compare yet (no date, or its day has not passed)."""
    return ImprovementEffect(
        **base,
        status=status,
        window_days=0,
        min_posts=MIN_POSTS,
        before=None,
        after=None,
        change=None,
        ci_low=None,
        ci_high=None,
        statement=statement,
    )


def _compared(base: dict[str, Any], days: int, before: Window, after: Window) -> ImprovementEffect:
    """The change in complaint share between two windows with enough posts, its 95% interval
    (Newcombe), and a statement that says whether the interval rules out chance."""
    change, low, high = newcombe_interval(
        after.complaints, after.posts, before.complaints, before.posts
    )
    status: Status = "fell" if high < 0 else "rose" if low > 0 else "no-clear-change"
    shares = (
        f"from {_pct(before.share or 0)}% ({before.complaints} of {before.posts} posts) in "
        f"the {days} days before to {_pct(after.share or 0)}% ({after.complaints} of "
        f"{after.posts}) in the {days} days after"
    )
    interval = (
        f"change {_points(change)} percentage points, 95% confidence interval "
        f"{_points(low)} to {_points(high)}"
    )
    topic = _words(base["topic"])
    if status == "no-clear-change":
        statement = (
            f"No clear change: complaints about {topic} went {shares} ({interval}); "
            "the interval includes no change, so this may be chance."
        )
    else:
        verb = "fell" if status == "fell" else "rose"
        statement = f"Complaints about {topic} {verb} {shares} ({interval})."
    return ImprovementEffect(
        **base,
        status=status,
        window_days=days,
        min_posts=MIN_POSTS,
        before=before,
        after=after,
        change=round(change, 4),
        ci_low=round(low, 4),
        ci_high=round(high, 4),
        statement=statement,
    )


# -- the range queries (``InsightsService._collect``) ---------------------------------------------

#: Builds one month's query from its index and its WHERE clauses.
_MonthQuery = Callable[[int, list[Any]], Any]
#: Builds a ``_MonthQuery`` for each chosen month and joins them with UNION ALL.
_Months = Callable[[Sequence[int], _MonthQuery], Any]
#: A post id range of one month, as a WHERE clause on a column (PostgreSQL only; else TRUE).
_Between = Callable[[Any, int], ColumnElement[bool]]


def _count_if(condition: ColumnElement[bool]) -> Any:
    """Count the rows that meet ``condition`` (a SUM of CASE: one query counts several things)."""
    return func.sum(case((condition, 1), else_=0))


def _per_month(
    spans: list[tuple[dt.datetime, dt.datetime]], practice_id: int, location_id: int | None
) -> _Months:
    """Return the builder of per-month queries: each month reads its own range of the posts'
    index (and the chosen location), and the months are joined with UNION ALL."""

    def months(indexes: Sequence[int], build: _MonthQuery) -> Any:
        parts = []
        for i in indexes:
            start, end = spans[i]
            scope: list[Any] = [
                Post.practice_id == practice_id,
                Post.written_at >= start,
                Post.written_at < end,
            ]
            if location_id is not None:
                scope.append(Post.location_id == location_id)
            parts.append(build(i, scope))
        return union_all(*parts) if len(parts) > 1 else parts[0]

    return months


def _posts_query(i: int, scope: list[Any]) -> Any:
    """One month's posts per location: kinds, ratings, answers, and the month's fingerprint
    (the sum of versions) and id range."""
    return (
        select(
            literal_column(str(i)).label("month"),
            Post.location_id,
            func.count(),
            _count_if(Post.kind == "complaint"),
            _count_if(Post.kind == "praise"),
            func.count(Post.rating),
            func.sum(Post.rating),
            _count_if(Post.state != "dismissed"),
            _count_if(Post.state.in_(ANSWERED_STATES)),
            func.sum(Post.version),
            func.min(Post.id),
            func.max(Post.id),
        )
        .where(*scope)
        .group_by(Post.location_id)
    )


def _count_posts(
    session: Session, months: _Months, n: int
) -> tuple[dict[tuple[int, int | None], _Tally], list[tuple[int, int]], dict[int, tuple[int, int]]]:
    """Count every month's posts per location; return the tallies, each month's fingerprint
    (posts, sum of versions) and each month's first and last post id."""
    tallies: dict[tuple[int, int | None], _Tally] = {}
    prints = [(0, 0)] * n
    ids: dict[int, tuple[int, int]] = {}
    for row in session.execute(months(range(n), _posts_query)).all():
        m, loc, posts, complaints, praise, rated, rating_sum, needed, answered, versions = row[:10]
        low, high = ids.get(m, row[10:12])
        ids[m] = (min(low, row[10]), max(high, row[11]))
        tallies[(m, loc)] = _Tally(
            posts=posts,
            complaints=complaints or 0,
            praise=praise or 0,
            rated=rated,
            rating_sum=rating_sum or 0.0,
            needed=needed or 0,
            answered=answered or 0,
        )
        prints[m] = (prints[m][0] + posts, prints[m][1] + int(versions or 0))
    return tallies, prints, ids


def _with_topics(tallies: dict[tuple[int, int | None], _Tally], counted: dict[int, _Month]) -> _Raw:
    """Return the tallies with every counted month's topic cells and how they were judged."""
    topics: dict[tuple[int, int | None, str], list[int]] = {}
    from_aspects = from_kind = 0
    for i, month in counted.items():
        for (loc, topic), cell in (month.topics or {}).items():
            topics[(i, loc, topic)] = list(cell)
        from_aspects += month.from_aspects
        from_kind += month.from_kind
    return _Raw(tallies, topics, from_aspects, from_kind)


def _read_topics_by_kind(
    session: Session,
    practice_id: int,
    months: _Months,
    stale: list[int],
    between: _Between,
    postgres: bool,
    fresh: dict[int, _Month],
) -> None:
    """Count the topic rows judged by an aspect, or by their post's kind (no triage needed)."""
    by_kind = months(
        stale,
        lambda i, scope: (
            select(
                literal_column(str(i)).label("month"),
                Post.location_id,
                PostTopic.topic,
                Post.kind,
                PostTopic.polarity,
                func.count(),
            )
            .join(PostTopic, PostTopic.post_id == Post.id)
            .where(
                *scope,
                PostTopic.practice_id == practice_id,
                between(PostTopic.post_id, i),
                PostTopic.topic.in_(TOPICS) if postgres else true(),
            )
            .group_by(Post.location_id, PostTopic.topic, Post.kind, PostTopic.polarity)
        ),
    )
    for m, loc, topic, kind, polarity, n in session.execute(by_kind).all():
        month = fresh[m]
        assert month.topics is not None
        cell = month.topics.setdefault((loc, topic), [0, 0, 0])
        cell[0] += n
        if polarity is None:
            month.from_kind += n
            polarity = _KIND_POLARITY.get(kind, "neutral")
        else:
            month.from_aspects += n
        cell[1] += n if polarity in ("positive", "mixed") else 0
        cell[2] += n if polarity in ("negative", "mixed") else 0


def _read_topics_by_sentiment(
    session: Session,
    practice_id: int,
    months: _Months,
    stale: list[int],
    between: _Between,
    postgres: bool,
    fresh: dict[int, _Month],
) -> None:
    """Judge questions and other posts without an aspect by a clear sentiment."""
    by_sentiment = months(
        stale,
        lambda i, scope: (
            select(
                literal_column(str(i)).label("month"),
                Post.location_id,
                PostTopic.topic,
                _count_if(TriageRecord.sentiment >= CLEAR_SENTIMENT),
                _count_if(TriageRecord.sentiment <= -CLEAR_SENTIMENT),
            )
            .join(PostTopic, PostTopic.post_id == Post.id)
            .join(TriageRecord, TriageRecord.post_id == Post.id)
            .where(
                *scope,
                Post.kind.in_(_SENTIMENT_KINDS),
                PostTopic.practice_id == practice_id,
                PostTopic.topic.in_(TOPICS) if postgres else true(),
                between(PostTopic.post_id, i),
                between(TriageRecord.post_id, i),
                PostTopic.polarity.is_(None),
            )
            .group_by(Post.location_id, PostTopic.topic)
        ),
    )
    for m, loc, topic, positive, negative in session.execute(by_sentiment).all():
        topics = fresh[m].topics
        assert topics is not None
        cell = topics.setdefault((loc, topic), [0, 0, 0])
        cell[1] += positive or 0
        cell[2] += negative or 0


# -- the service --------------------------------------------------------------------------------


class InsightsService:
    """Read-only insights over a practice's posts; every call checks the caller's role."""

    def __init__(self, store: Store, *, clock: Callable[[], dt.datetime] = utcnow) -> None:
        self.store = store
        self.clock = clock

    @classmethod
    def of(cls, services: Any) -> InsightsService:
        """Return the insights over an instance's services, on the inbox's clock."""
        return cls(services.store, clock=services.inbox.clock)

    def default_range(self, months: int = 12, zone: dt.tzinfo = dt.UTC) -> MonthRange:
        """Return the ``months`` months up to and including the current one (in ``zone``)."""
        return MonthRange.ending(self.clock().astimezone(zone).date(), months)

    @staticmethod
    def _zone(session: Session, practice_id: int) -> tuple[dt.tzinfo, str]:
        """Return the practice's time zone and its name (UTC without a setting)."""
        row = session.get(PracticeSettings, practice_id)
        name = row.timezone if row is not None else None
        zone = practice_zone(name)
        return zone, (name if name and zone is not dt.UTC else "UTC")

    # -- public calls ---------------------------------------------------------------------------

    def practice(
        self,
        actor: Actor,
        practice_id: int,
        months: MonthRange | None = None,
        *,
        location_id: int | None = None,
    ) -> PracticeInsights:
        """Return the practice's figures per month and per location, its topics praised and
        criticised, and the effect of each recorded improvement.

        Raises:
            NotFoundError: the actor is not a member, or the location is not the practice's.
        """
        now = self.clock()
        with self.store.read() as session:
            require_role(session, actor, practice_id, "staff")
            zone, zone_name = self._zone(session, practice_id)
            months = (months or self.default_range(zone=zone)).validate()
            practice = session.get(Practice, practice_id)
            assert practice is not None  # require_role found a membership
            names = self._locations(session, practice_id)
            location = None
            if location_id is not None:
                if location_id not in names:
                    raise NotFoundError("no such location in this practice")
                location = LocationRef(location_id, names[location_id])
            raw = self._collect(session, practice_id, months.bounds_in(zone), location_id)
            return PracticeInsights(
                practice_id=practice_id,
                practice_name=practice.name,
                first_month=months.months[0],
                last_month=months.months[-1],
                months=months.months,
                location=location,
                timezone=zone_name,
                total=Figures(**self._total(raw).values()),
                by_month=self._by_month(raw, months.months),
                by_location=self._by_location(raw, names),
                topics=self._topics(raw, months.months),
                improvements=self._improvements(session, practice_id, now, zone),
                polarity=PolarityNote(raw.from_aspects, raw.from_kind),
                min_posts=MIN_POSTS,
                generated_at=now,
            )

    def trend(
        self, actor: Actor, practice_id: int, months: MonthRange | None = None
    ) -> PracticeTrend:
        """Return the practice's figures per month and the effect of each improvement: the
        same numbers as :meth:`practice`, without the locations and topics.

        Raises:
            NotFoundError: the actor is not a member of the practice.
        """
        now = self.clock()
        with self.store.read() as session:
            require_role(session, actor, practice_id, "staff")
            zone, zone_name = self._zone(session, practice_id)
            months = (months or self.default_range(zone=zone)).validate()
            raw = self._collect(
                session, practice_id, months.bounds_in(zone), None, with_topics=False
            )
            return PracticeTrend(
                practice_id=practice_id,
                first_month=months.months[0],
                last_month=months.months[-1],
                months=months.months,
                timezone=zone_name,
                total=Figures(**self._total(raw).values()),
                by_month=self._by_month(raw, months.months),
                improvements=self._improvements(session, practice_id, now, zone),
                min_posts=MIN_POSTS,
                generated_at=now,
            )

    def monthly(self, actor: Actor, practice_id: int, month: str | None = None) -> MonthlyReport:
        """Return the report of one month (default: the last whole month): its figures beside
        the month before, per location, its topics, the 12-month trend up to it and where each
        improvement stood at its end.

        Raises:
            InputError: a month that is not ``YYYY-MM``, or one that has not started yet.
            NotFoundError: the actor is not a member of the practice.
        """
        now = self.clock()
        with self.store.read() as session:
            require_role(session, actor, practice_id, "staff")
            zone, zone_name = self._zone(session, practice_id)
            this = now.astimezone(zone).date().replace(day=1)
            first = _parse_month(month, "the month") if month else _add_months(this, -1)
            if first > this:
                raise InputError(f"{first:%Y-%m} has not started yet")
            following = _add_months(first, 1)
            as_of = min(now, _month_start(following.year, following.month, zone))
            trend_range = MonthRange.ending(first, 12)
            bounds = trend_range.bounds_in(zone)
            practice = session.get(Practice, practice_id)
            assert practice is not None
            names = self._locations(session, practice_id)
            trend_raw = self._collect(session, practice_id, bounds, None, with_topics=False)
            trend = self._by_month(trend_raw, trend_range.months)
            month_raw = self._collect(session, practice_id, bounds[-2:], None)
            label = trend_range.months[-1]
            return MonthlyReport(
                practice_id=practice_id,
                practice_name=practice.name,
                month=label,
                previous_month=trend_range.months[-2],
                timezone=zone_name,
                this_month=_strip_month(trend[-1]),
                previous=_strip_month(trend[-2]),
                by_location=self._by_location(month_raw, names),
                topics=[
                    TopicFigures(t.topic, t.mentioned, t.praised, t.criticised, [])
                    for t in self._topics(month_raw, trend_range.months[-1:])
                    if t.mentioned
                ],
                trend=trend,
                improvements=self._improvements(session, practice_id, as_of, zone),
                polarity=PolarityNote(month_raw.from_aspects, month_raw.from_kind),
                as_of=as_of,
                generated_at=now,
            )

    def agency(self, actor: Actor, months: MonthRange | None = None) -> AgencyOverview:
        """Return every practice the actor belongs to side by side: posts, answers, the rating
        per month, the most criticised topics, and what waits now."""
        months = (months or self.default_range()).validate()
        now = self.clock()
        with self.store.read() as session:
            ids = practice_ids(session, actor)
            query = select(Practice.id, Practice.name).order_by(Practice.name, Practice.id)
            if ids is not None:
                query = query.where(Practice.id.in_(ids))
            rows = session.execute(query).all()
            out = []
            grand = _Tally()
            for pid, name in rows:
                role = role_in(session, actor, pid)
                if role is None:
                    continue
                zone, _name = self._zone(session, pid)
                raw = self._collect(session, pid, months.bounds_in(zone), None)
                total = self._total(raw)
                grand.merge(total)
                by_month = self._by_month(raw, months.months)
                criticised: dict[str, int] = {}
                for (_m, _loc, topic), (_n, _p, c) in raw.topics.items():
                    criticised[topic] = criticised.get(topic, 0) + c
                unanswered, overdue = self._waiting(session, pid, now)
                out.append(
                    AgencyPractice(
                        practice_id=pid,
                        name=name,
                        role=role,
                        unanswered=unanswered,
                        overdue=overdue,
                        total=Figures(**total.values()),
                        rating_trend=[
                            RatingPoint(m.month, m.average_rating, m.rated) for m in by_month
                        ],
                        top_criticised=_top(criticised),
                    )
                )
            return AgencyOverview(
                first_month=months.months[0],
                last_month=months.months[-1],
                months=months.months,
                practices=out,
                total=Figures(**grand.values()),
                generated_at=now,
            )

    # -- queries --------------------------------------------------------------------------------

    @staticmethod
    def _locations(session: Session, practice_id: int) -> dict[int, str]:
        return dict(
            session.execute(
                select(Location.id, Location.name)
                .where(Location.practice_id == practice_id)
                .order_by(Location.name)
            ).all()
        )

    @staticmethod
    def _waiting(session: Session, practice_id: int, now: dt.datetime) -> tuple[int, int]:
        mine = [Post.practice_id == practice_id, Post.state.in_(OPEN_STATES)]
        unanswered = session.scalar(select(func.count()).select_from(Post).where(*mine))
        overdue = session.scalar(
            select(func.count()).select_from(Post).where(*mine, Post.due_at < now)
        )
        return unanswered or 0, overdue or 0

    def _hours(self) -> ColumnElement[float]:
        return hours_to_reply(self.store.dialect)

    def _collect(
        self,
        session: Session,
        practice_id: int,
        bounds: Sequence[dt.datetime],
        location_id: int | None,
        *,
        with_topics: bool = True,
    ) -> _Raw:
        """Run the range queries: posts, replies and (unless ``with_topics`` is False) topics,
        per month and location.

        Each query is a UNION ALL of one small query per month, each reading one range of
        ``ix_posts_practice_written`` and grouping by location (and topic) only: the database
        never sorts the whole range by a computed month, which cost twice as much.

        The posts query runs every time and also returns each month's fingerprint: how many
        posts it holds and the sum of their versions (a post's version grows with every change
        to it, a reply included, and a post never changes month). The replies and topics of a
        month whose fingerprint is unchanged since this store last counted them are taken from
        :data:`_MONTHS`; only the others are read, usually the current month alone.
        """
        spans = list(itertools.pairwise(bounds))
        months = _per_month(spans, practice_id, location_id)
        tallies, prints, ids = _count_posts(session, months, len(spans))
        keys = [(practice_id, start, end, location_id) for start, end in spans]
        found = self._cached_months(keys, prints, with_topics)
        stale = [i for i in range(len(spans)) if i not in found and prints[i][0]]
        fresh = {i: _Month(prints[i], {}, {} if with_topics else None) for i in stale}
        if stale:
            self._read_months(session, practice_id, months, stale, ids, fresh, with_topics)
        for i in range(len(spans)):
            month = found.get(i) or fresh.get(i)
            if month is None:
                continue
            for loc, hours in month.waits.items():
                tallies.setdefault((i, loc), _Tally()).hours.extend(hours)
        self._remember_months(keys, fresh)
        if not with_topics:
            return _Raw(tallies, {}, 0, 0)
        return _with_topics(tallies, {**found, **fresh})

    def _cached_months(
        self, keys: list[tuple[Any, ...]], prints: list[tuple[int, int]], with_topics: bool
    ) -> dict[int, _Month]:
        """Return the months counted before whose fingerprint is unchanged (and that hold their
        topics when ``with_topics``), by month index."""
        found: dict[int, _Month] = {}
        with _MONTHS_LOCK:
            cache = _MONTHS.setdefault(self.store, OrderedDict())
            for i, key in enumerate(keys):
                hit = cache.get(key)
                if (
                    isinstance(hit, _Month)
                    and hit.fingerprint == prints[i]
                    and (hit.topics is not None or not with_topics)
                ):
                    found[i] = hit
                    cache.move_to_end(key)
        return found

    def _remember_months(self, keys: list[tuple[Any, ...]], fresh: dict[int, _Month]) -> None:
        """Keep the months just counted, dropping the least recently used beyond the limit."""
        with _MONTHS_LOCK:
            cache = _MONTHS.setdefault(self.store, OrderedDict())
            for i, month in fresh.items():
                cache[keys[i]] = month
                cache.move_to_end(keys[i])
            while len(cache) > _MONTHS_KEPT:
                cache.popitem(last=False)

    def _read_months(
        self,
        session: Session,
        practice_id: int,
        months: _Months,
        stale: list[int],
        ids: dict[int, tuple[int, int]],
        fresh: dict[int, _Month],
        with_topics: bool,
    ) -> None:
        """Read the replies (and topics) of the ``stale`` months into ``fresh``.

        Each month's replies, topic rows and triage are also bounded by the first and last id
        of its posts (``ids``): the month's posts come from an index range, and the ids let
        PostgreSQL read the other tables by a range of their keys too, where it would otherwise
        hash-join each month against a scan of the whole table.
        """

        postgres = self.store.dialect == "postgresql"

        def between(column: Any, i: int) -> ColumnElement[bool]:
            # SQLite finds each post's rows by its key already, and with a range it would scan
            # the range for every post instead: the bounds are for PostgreSQL only.
            return column.between(*ids[i]) if postgres else true()

        replies = months(
            stale,
            lambda i, scope: (
                select(literal_column(str(i)).label("month"), Post.location_id, self._hours())
                .join(PublishedReply, PublishedReply.post_id == Post.id)
                .where(*scope, between(PublishedReply.post_id, i), replied_after_arrival())
            ),
        )
        for m, loc, hours in session.execute(replies).all():
            fresh[m].waits.setdefault(loc, array("d")).append(max(0.0, float(hours)))
        if with_topics:
            _read_topics_by_kind(session, practice_id, months, stale, between, postgres, fresh)
            _read_topics_by_sentiment(session, practice_id, months, stale, between, postgres, fresh)

    # -- shaping --------------------------------------------------------------------------------

    @staticmethod
    def _total(raw: _Raw) -> _Tally:
        total = _Tally()
        for t in raw.tallies.values():
            total.merge(t)
        return total

    @staticmethod
    def _by_month(raw: _Raw, months: list[str]) -> list[MonthFigures]:
        per = [_Tally() for _ in months]
        for (m, _loc), t in raw.tallies.items():
            per[m].merge(t)
        return [MonthFigures(month=name, **t.values()) for name, t in zip(months, per, strict=True)]

    @staticmethod
    def _by_location(raw: _Raw, names: dict[int, str]) -> list[LocationFigures]:
        per: dict[int | None, _Tally] = {}
        for (_m, loc), t in raw.tallies.items():
            per.setdefault(loc, _Tally()).merge(t)
        criticised: dict[int | None, dict[str, int]] = {}
        for (_m, loc, topic), (_n, _p, c) in raw.topics.items():
            counts = criticised.setdefault(loc, {})
            counts[topic] = counts.get(topic, 0) + c
        order: list[int | None] = list(names)
        if None in per:
            order.append(None)
        return [
            LocationFigures(
                id=loc,
                name=names[loc] if loc is not None else "No location",
                top_criticised=_top(criticised.get(loc, {})),
                **per.get(loc, _Tally()).values(),
            )
            for loc in order
        ]

    @staticmethod
    def _topics(raw: _Raw, months: list[str]) -> list[TopicFigures]:
        out = []
        for topic in TOPICS:
            per = [[0, 0, 0] for _ in months]
            for (m, _loc, t), cell in raw.topics.items():
                if t == topic:
                    for i in range(3):
                        per[m][i] += cell[i]
            out.append(
                TopicFigures(
                    topic=topic,
                    mentioned=sum(c[0] for c in per),
                    praised=sum(c[1] for c in per),
                    criticised=sum(c[2] for c in per),
                    by_month=[
                        TopicMonth(name, c[1], c[2]) for name, c in zip(months, per, strict=True)
                    ],
                )
            )
        return out

    # -- improvements ---------------------------------------------------------------------------

    def _improvements(
        self, session: Session, practice_id: int, now: dt.datetime, zone: dt.tzinfo
    ) -> list[ImprovementEffect]:
        rows = session.scalars(
            select(Improvement)
            .where(Improvement.practice_id == practice_id)
            .order_by(Improvement.since.is_(None), Improvement.since.desc(), Improvement.id.desc())
        ).all()
        # Every window's posts in one round trip (a UNION ALL of one index range each).
        spans: list[tuple[dt.datetime, dt.datetime]] = []
        for imp in rows:
            if imp.since is None:
                continue
            start = dt.datetime.combine(imp.since, dt.time(), zone).astimezone(dt.UTC)
            days = min(WINDOW_DAYS, (now - start).days)
            if days >= 1:
                window = dt.timedelta(days=days)
                spans += [(start - window, start), (start, start + window)]
        stats: dict[tuple[dt.datetime, dt.datetime], tuple[Any, ...]] = {}
        if spans:
            parts: list[Select[*tuple[Any, ...]]] = [
                select(
                    literal_column(str(i)).label("window"),
                    func.sum(case((Post.kind != "spam", 1), else_=0)),
                    func.min(Post.id),
                    func.max(Post.id),
                    func.sum(Post.version),
                ).where(
                    Post.practice_id == practice_id,
                    Post.written_at >= begin,
                    Post.written_at < end,
                )
                for i, (begin, end) in enumerate(spans)
            ]
            query = union_all(*parts) if len(parts) > 1 else parts[0]
            for i, *values in session.execute(query).all():
                stats[spans[i]] = tuple(values)
        return [self._effect(session, practice_id, imp, now, zone, stats) for imp in rows]

    def _effect(
        self,
        session: Session,
        practice_id: int,
        imp: Improvement,
        now: dt.datetime,
        zone: dt.tzinfo,
        stats: dict[tuple[dt.datetime, dt.datetime], tuple[Any, ...]],
    ) -> ImprovementEffect:
        """Compare the complaint share on the improvement's topic before and after its day,
        over equal windows of up to :data:`WINDOW_DAYS` days, or say why it cannot be told."""
        base: dict[str, Any] = {
            "id": imp.id,
            "topic": imp.topic,
            "text": imp.text,
            "since": imp.since,
        }
        if imp.since is None:
            return _uncompared(
                base,
                "no-date",
                "No date recorded: add the day the change took effect to compare before and after.",
            )
        # From the start of that day on the practice's clock.
        start = dt.datetime.combine(imp.since, dt.time(), zone).astimezone(dt.UTC)
        days = min(WINDOW_DAYS, (now - start).days)
        if days < 1:
            return _uncompared(
                base,
                "not-yet",
                f"In effect from {imp.since:%Y-%m-%d}: not a whole day has passed "
                "since, so there is nothing to compare yet.",
            )
        window = dt.timedelta(days=days)
        before, after = self._windows(session, practice_id, imp.topic, start, window, stats)
        if before.posts < MIN_POSTS or after.posts < MIN_POSTS:
            return ImprovementEffect(
                **base,
                status="too-few-posts",
                window_days=days,
                min_posts=MIN_POSTS,
                before=before,
                after=after,
                change=None,
                ci_low=None,
                ci_high=None,
                statement=(
                    f"Too few posts to tell: {before.posts} in the {days} days before and "
                    f"{after.posts} in the {days} days after; at least {MIN_POSTS} on each "
                    "side are needed."
                ),
            )
        return _compared(base, days, before, after)

    def _windows(
        self,
        session: Session,
        practice_id: int,
        topic: str,
        start: dt.datetime,
        window: dt.timedelta,
        stats: dict[tuple[dt.datetime, dt.datetime], tuple[Any, ...]],
    ) -> tuple[Window, Window]:
        def one(begin: dt.datetime, end: dt.datetime) -> Window:
            # The window's posts (spam aside), the first and last id among them and the sum of
            # their versions, read for every window at once by ``_improvements`` ...
            scope = [
                Post.practice_id == practice_id,
                Post.written_at >= begin,
                Post.written_at < end,
            ]
            total, first, last, versions = stats[(begin, end)]
            total = total or 0
            fingerprint = (total, first, last, int(versions or 0))
            key = (practice_id, "window", topic, begin, end)
            with _MONTHS_LOCK:
                cache = _MONTHS.setdefault(self.store, OrderedDict())
                known = cache.get(key)
            if isinstance(known, _Window) and known.fingerprint == fingerprint:
                hits = known.hits
            else:
                hits = self._criticised(session, practice_id, topic, scope, first, last)
                with _MONTHS_LOCK:
                    cache = _MONTHS.setdefault(self.store, OrderedDict())
                    cache[key] = _Window(fingerprint, hits)
                    while len(cache) > _MONTHS_KEPT:
                        cache.popitem(last=False)
            return Window(begin, end, total, hits, round(hits / total, 4) if total else None)

        return one(start - window, start), one(start, start + window)

    @staticmethod
    def _criticised(
        session: Session,
        practice_id: int,
        topic: str,
        scope: list[Any],
        first: int | None,
        last: int | None,
    ) -> int:
        """Count the window's posts (spam aside) that criticise ``topic``: the topic's rows
        between the window's first and last post ids, from one range of
        ix_post_topics_practice_topic (practice, topic, post), a few rows of one topic instead
        of a lookup for every post of the window. The ids only narrow the search; the window's
        own conditions decide."""
        if first is None or last is None:
            return 0
        return (
            session.scalar(
                select(func.count())
                .select_from(PostTopic)
                .join(Post, Post.id == PostTopic.post_id)
                .outerjoin(TriageRecord, TriageRecord.post_id == Post.id)
                .where(
                    PostTopic.practice_id == practice_id,
                    PostTopic.topic == topic,
                    PostTopic.post_id >= first,
                    PostTopic.post_id <= last,
                    *scope,
                    Post.kind != "spam",
                    _polarity().in_(("negative", "mixed")),
                )
            )
            or 0
        )


def hours_to_reply(dialect: str) -> ColumnElement[Any]:
    """Return the hours from a post's arrival to its reply, computed by the database (for a
    query joining posts to published_replies; keep only :func:`replied_after_arrival` rows)."""
    if dialect == "postgresql":
        seconds = func.extract("epoch", PublishedReply.published_at - Post.received_at)
        return seconds / 3600.0
    return (func.julianday(PublishedReply.published_at) - func.julianday(Post.received_at)) * 24.0


def replied_after_arrival() -> ColumnElement[bool]:
    """Return the condition a reply's time to reply is counted under: it was recorded after its
    post arrived in SafeReply.

    The time to reply counts from the arrival, the SLA's clock. A reply recorded before it (an
    answer given on the platform long before an import, written in by a script) is no measure of
    it: counted as 0 hours it would flatter the median, so it is left out of the replies and the
    median; the post still counts as answered in the response rate by its state.
    """
    return PublishedReply.published_at >= Post.received_at


def _strip_month(m: MonthFigures) -> Figures:
    values = {k: getattr(m, k) for k in Figures.__dataclass_fields__}
    return Figures(**values)


def _polarity() -> ColumnElement[str]:
    """Return a topic row's polarity: the triage's aspect, else the post's kind or sentiment."""
    judged = Post.kind.in_(_SENTIMENT_KINDS)
    return case(
        (PostTopic.polarity.is_not(None), PostTopic.polarity),
        (Post.kind == "complaint", literal_column("'negative'")),
        (Post.kind == "praise", literal_column("'positive'")),
        (and_(judged, TriageRecord.sentiment <= -CLEAR_SENTIMENT), literal_column("'negative'")),
        (and_(judged, TriageRecord.sentiment >= CLEAR_SENTIMENT), literal_column("'positive'")),
        else_=literal_column("'neutral'"),
    )
