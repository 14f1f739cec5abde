"""Reports (rule 5): themes over time, by location, and against the practice's improvements.

Reply times come from the same definition as the dashboard's (``insights.hours_to_reply``,
over the replies ``insights.replied_after_arrival`` keeps). Posts are counted by when they were
written (``Post.written_at``), as the insights count them; ``since`` and ``until`` bound that
time too. The summary report counts a practice's history one UTC month at a time and remembers
each month's topics and reply times beside the dashboard's counted months, for the fingerprint
the month had (its posts, the sum of their versions and the last id): only changed months are
read again (issue 16).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    bindparam,
    cast,
    func,
    literal_column,
    select,
    true,
    union_all,
)

from safereply.core.vocab import TOPICS
from safereply.services.access import require_role
from safereply.services.actor import Actor
from safereply.services.insights import (
    hours_to_reply,
    recall_counted,
    remember_counted,
    replied_after_arrival,
)
from safereply.store.engine import Store
from safereply.store.models import Improvement, Location, Post, PostTopic, PublishedReply

__all__ = ["ReportService"]


class ReportService:
    """Read-only figures over a practice's posts."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def summary(
        self,
        actor: Actor,
        practice_id: int,
        *,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
    ) -> dict[str, Any]:
        """Return counts by kind, state, topic per month and location, reply times and, per
        improvement, how many posts on its topic were written in the 90 days before and after
        it.

        One query counts the posts of every UTC month of the window (a part of one at either
        end of ``since`` .. ``until``) by kind and state, with each month's fingerprint; the
        topics and reply times of a month this process counted before for the same fingerprint
        are taken from what it remembered, and only the other months are read (issue 16:
        reading a large practice's whole history of topic rows and replies on every request
        took 390 ms at a million posts).
        """
        with self.store.read() as session:
            require_role(session, actor, practice_id, "staff")
            scope = [Post.practice_id == practice_id]
            if since:
                scope.append(Post.written_at >= since)
            if until:
                scope.append(Post.written_at < until)
            bounds = _month_bounds(session, scope, since, until)
            counted = _Counted()
            for first in range(0, max(len(bounds) - 1, 0), _SPANS_AT_ONCE):
                part = bounds[first : first + _SPANS_AT_ONCE + 1]
                self._count(session, practice_id, part, counted)
            by_month, by_location = _topic_tables(session, counted.topics)
            replied = sum(len(w) for w in counted.waits)
            return {
                "practice_id": practice_id,
                "posts": sum(counted.kinds.values()),
                "by_kind": counted.kinds,
                "by_state": counted.states,
                "topics_by_month": dict(sorted(by_month.items())),
                "topics_by_location": dict(sorted(by_location.items())),
                "replied": replied,
                "median_hours_to_reply": _median(counted.waits, replied),
                "improvements": self._improvements(session, practice_id),
            }

    def _count(
        self, session: Any, practice_id: int, bounds: list[dt.datetime], counted: _Counted
    ) -> None:
        """Count the spans between consecutive ``bounds``: their posts by kind and state now,
        their topics and reply times from what was remembered or, for changed spans, read."""
        spans = list(itertools.pairwise(bounds))
        prints, ids = _count_posts(session, practice_id, spans, counted)
        keys = [(practice_id, "summary", start, end) for start, end in spans]
        months: dict[int, _SummaryMonth] = {}
        for i, hit in enumerate(recall_counted(self.store, keys)):
            if isinstance(hit, _SummaryMonth) and hit.fingerprint == prints[i]:
                months[i] = hit
        stale = [i for i in range(len(spans)) if i not in months and prints[i][0]]
        if stale:
            fresh = _read_months(session, self.store.dialect, practice_id, spans, stale, ids)
            for i in stale:
                fresh[i].fingerprint = prints[i]
            remember_counted(self.store, {keys[i]: fresh[i] for i in stale})
            months.update(fresh)
        for i, month in sorted(months.items()):
            name = f"{spans[i][0]:%Y-%m}"
            for location, counts in month.topics.items():
                cell = counted.topics.setdefault((name, location), [0] * len(TOPICS))
                for t, n in enumerate(counts):
                    cell[t] += n
            counted.waits.append(month.waits)

    def _improvements(self, session: Any, practice_id: int) -> list[dict[str, Any]]:
        """Return each improvement with the posts on its topic 90 days before and after it."""
        improvements = []
        window = dt.timedelta(days=90)
        for imp in session.scalars(
            select(Improvement).where(Improvement.practice_id == practice_id)
        ):
            entry: dict[str, Any] = {
                "id": imp.id,
                "topic": imp.topic,
                "text": imp.text,
                "since": imp.since.isoformat() if imp.since else None,
            }
            if imp.since:
                start = dt.datetime.combine(imp.since, dt.time(), dt.UTC)
                entry["posts_90_days_before"] = self._topic_count(
                    session, practice_id, imp.topic, start - window, start
                )
                entry["posts_90_days_after"] = self._topic_count(
                    session, practice_id, imp.topic, start, start + window
                )
            improvements.append(entry)
        return improvements

    @staticmethod
    def _topic_count(session, practice_id: int, topic: str, start, end) -> int:
        return session.scalar(
            select(func.count())
            .select_from(PostTopic)
            .join(Post, Post.id == PostTopic.post_id)
            .where(
                PostTopic.practice_id == practice_id,
                PostTopic.topic == topic,
                Post.written_at >= start,
                Post.written_at < end,
            )
        )


#: Spans counted in one UNION ALL (SQLite joins at most 500 SELECTs in one compound statement).
_SPANS_AT_ONCE = 120


@dataclass(slots=True)
class _SummaryMonth:
    """One span's topic rows per location (counts in the order of TOPICS) and its reply times
    (sorted), for the fingerprint it had: posts, sum of their versions, last id."""

    topics: dict[int | None, list[int]]
    waits: array[float]
    fingerprint: tuple[int, int, int] = (0, 0, 0)


@dataclass(slots=True)
class _Counted:
    """What the summary adds up over its spans."""

    kinds: dict[str, int]
    states: dict[str, int]
    # (YYYY-MM, location id) -> topic rows in the order of TOPICS
    topics: dict[tuple[str, int | None], list[int]]
    waits: list[array[float]]

    def __init__(self) -> None:
        self.kinds, self.states, self.topics, self.waits = {}, {}, {}, []


def _next_month(at: dt.datetime) -> dt.datetime:
    """Return the start of the UTC month after the one ``at`` falls in."""
    at = at.astimezone(dt.UTC)
    index = at.year * 12 + at.month
    return dt.datetime(index // 12, index % 12 + 1, 1, tzinfo=dt.UTC)


def _month_bounds(
    session: Any, scope: list[Any], since: dt.datetime | None, until: dt.datetime | None
) -> list[dt.datetime]:
    """Return the UTC month boundaries that cut the scope's posts into months: from the first
    post's month (or ``since``, if later) to the end of the last post's month (or ``until``,
    if earlier); empty without posts."""
    first, last = session.execute(
        select(func.min(Post.written_at), func.max(Post.written_at)).where(*scope)
    ).one()
    if first is None or last is None:
        return []
    first = first.astimezone(dt.UTC)
    start = first.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if since is not None and since > start:
        start = since.astimezone(dt.UTC)
    end = _next_month(last)
    if until is not None and until < end:
        end = until.astimezone(dt.UTC)
    bounds = [start]
    while (step := _next_month(bounds[-1])) < end:
        bounds.append(step)
    return [*bounds, end]


def _per_span(
    spans: list[tuple[dt.datetime, dt.datetime]], practice_id: int, indexes: Any, build: Any
) -> Any:
    """One query per chosen span (its index, its WHERE clauses), joined with UNION ALL: each
    reads one range of ``ix_posts_practice_written``."""
    parts = [
        build(
            i,
            [
                Post.practice_id == practice_id,
                Post.written_at >= spans[i][0],
                Post.written_at < spans[i][1],
            ],
        )
        for i in indexes
    ]
    return union_all(*parts) if len(parts) > 1 else parts[0]


@functools.lru_cache(maxsize=64)
def _posts_statement(spans: int) -> Any:
    """The query counting ``spans`` spans' posts by kind and state, with each span's
    fingerprint, built once per number of spans (parameters ``practice``, ``start_i``,
    ``end_i``): building a UNION ALL of two dozen SELECTs cost more than running it warm."""
    practice: Any = bindparam("practice")
    return union_all(
        *(
            select(
                literal_column(str(i)).label("span"),
                Post.kind,
                Post.state,
                func.count(),
                func.sum(Post.version),
                func.min(Post.id),
                func.max(Post.id),
            )
            .where(
                Post.practice_id == practice,
                Post.written_at >= bindparam(f"start_{i}"),
                Post.written_at < bindparam(f"end_{i}"),
            )
            .group_by(Post.kind, Post.state)
            for i in range(spans)
        )
    )


def _count_posts(
    session: Any,
    practice_id: int,
    spans: list[tuple[dt.datetime, dt.datetime]],
    counted: _Counted,
) -> tuple[list[tuple[int, int, int]], dict[int, tuple[int, int]]]:
    """Add every span's posts by kind and state to ``counted``; return each span's fingerprint
    (posts, sum of versions, last id: a post's version grows with every change to it, a reply
    included, a new post has a higher id, and a post never changes month) and first and last
    post id."""
    params: dict[str, Any] = {"practice": practice_id}
    for i, (start, end) in enumerate(spans):
        params[f"start_{i}"], params[f"end_{i}"] = start, end
    prints = [(0, 0, 0)] * len(spans)
    ids: dict[int, tuple[int, int]] = {}
    rows = session.execute(_posts_statement(len(spans)), params).all()
    for i, kind, state, n, versions, low, high in rows:
        counted.kinds[kind] = counted.kinds.get(kind, 0) + n
        counted.states[state] = counted.states.get(state, 0) + n
        posts, total, last = prints[i]
        prints[i] = (posts + n, total + int(versions or 0), max(last, high))
        first, _last = ids.get(i, (low, high))
        ids[i] = (min(first, low), max(_last, high))
    return prints, ids


def _read_months(
    session: Any,
    dialect: str,
    practice_id: int,
    spans: list[tuple[dt.datetime, dt.datetime]],
    stale: list[int],
    ids: dict[int, tuple[int, int]],
) -> dict[int, _SummaryMonth]:
    """Read the topic rows per location and the reply times of the ``stale`` spans.

    On PostgreSQL each span's topic rows and replies are also bounded by its first and last
    post id, so they are read by a range of their own keys (the topics by their practice, each
    topic and the ids, ``ix_post_topics_practice_topic``; the replies by their practice and the
    ids, ``ix_published_replies_practice``) instead of every row of the practice or a hash join
    against the whole table. Topics outside TOPICS are never written (arrival and edits keep
    only TOPICS)."""
    postgres = dialect == "postgresql"

    def between(column: Any, i: int) -> ColumnElement[bool]:
        return column.between(*ids[i]) if postgres else true()

    fresh = {i: _SummaryMonth({}, array("d")) for i in stale}
    topics = _topics_query(spans, practice_id, stale, between, postgres)
    for i, location, topic, n in session.execute(topics).all():
        counts = fresh[i].topics.setdefault(location, [0] * len(TOPICS))
        counts[TOPICS.index(topic)] += n
    waits: dict[int, list[float]] = {i: [] for i in stale}
    replies = _replies_query(spans, practice_id, stale, between, dialect)
    for i, hours in session.execute(replies).all():
        waits[i].append(max(0.0, float(hours)))
    for i in stale:
        fresh[i].waits = array("d", sorted(waits[i]))
    return fresh


def _topics_query(
    spans: list[tuple[dt.datetime, dt.datetime]],
    practice_id: int,
    stale: list[int],
    between: Any,
    postgres: bool,
) -> Any:
    """The topic rows of each stale span per location and topic."""
    return _per_span(
        spans,
        practice_id,
        stale,
        lambda i, scope: (
            select(literal_column(str(i)).label("span"), Post.location_id, PostTopic.topic)
            .add_columns(func.count())
            .join(PostTopic, PostTopic.post_id == Post.id)
            .where(
                *scope,
                # PostgreSQL: one range of (practice, topic, post) per topic; without the
                # topics, the post ids would filter every topic row of the practice instead.
                # SQLite finds each post's topics by their key: given the practice column it
                # searched all the practice's topic rows for every post (250 s a month at
                # 100,000 posts), so it joins by the post alone (a topic's practice is its
                # post's).
                PostTopic.practice_id == practice_id if postgres else true(),
                PostTopic.topic.in_(TOPICS) if postgres else true(),
                between(PostTopic.post_id, i),
            )
            .group_by(Post.location_id, PostTopic.topic)
        ),
    )


def _replies_query(
    spans: list[tuple[dt.datetime, dt.datetime]],
    practice_id: int,
    stale: list[int],
    between: Any,
    dialect: str,
) -> Any:
    """The hours to reply of each stale span's replies. PostgreSQL's are numeric: as double
    precision (the value ``float()`` makes of them) they arrive several times quicker."""
    hours = hours_to_reply(dialect)
    if dialect == "postgresql":
        hours = cast(hours, Float)
    return _per_span(
        spans,
        practice_id,
        stale,
        lambda i, scope: (
            select(literal_column(str(i)).label("span"), hours)
            .select_from(Post)
            .join(PublishedReply, PublishedReply.post_id == Post.id)
            .where(
                *scope,
                PublishedReply.practice_id == practice_id,
                between(PublishedReply.post_id, i),
                replied_after_arrival(),
            )
        ),
    )


def _topic_tables(
    session: Any, topics: dict[tuple[str, int | None], list[int]]
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """Return the topic rows per UTC month (``YYYY-MM``) and per location name (two locations
    of one name add up; none, or an empty name: ``(none)``); a month or location without a
    topic row is absent."""
    ids = {location for _month, location in topics if location is not None}
    names = dict(
        session.execute(select(Location.id, Location.name).where(Location.id.in_(ids))).all()
        if ids
        else []
    )
    by_month: dict[str, dict[str, int]] = {}
    by_location: dict[str, dict[str, int]] = {}
    for (month, location), counts in topics.items():
        if not any(counts):
            continue
        per_month = by_month.setdefault(month, dict.fromkeys(TOPICS, 0))
        per_location = by_location.setdefault(
            names.get(location) or "(none)", dict.fromkeys(TOPICS, 0)
        )
        for topic, n in zip(TOPICS, counts, strict=True):
            per_month[topic] += n
            per_location[topic] += n
    return by_month, by_location


def _kth(runs: list[array[float]], k: int) -> float:
    """Return the ``k``-th smallest (from 0) of the values of sorted ``runs``, without merging
    them: each step takes the middle of the longest remaining part of a run as the pivot and
    keeps, in every run, the part on the side of the pivot where the ``k``-th lies."""
    low = [0] * len(runs)
    high = [len(run) for run in runs]
    while True:
        j = max(range(len(runs)), key=lambda r: high[r] - low[r])
        pivot = runs[j][(low[j] + high[j]) // 2]
        below = [bisect_left(run, pivot, low[r], high[r]) for r, run in enumerate(runs)]
        upto = [bisect_right(run, pivot, low[r], high[r]) for r, run in enumerate(runs)]
        smaller = sum(b - lo for b, lo in zip(below, low, strict=True))
        equal_or_smaller = sum(u - lo for u, lo in zip(upto, low, strict=True))
        if k < smaller:
            high = below
        elif k < equal_or_smaller:
            return pivot
        else:
            k -= equal_or_smaller
            low = upto


def _median(runs: list[array[float]], n: int) -> float | None:
    """Return the median of the values of sorted ``runs`` (``n`` in all) as
    ``statistics.median`` computes it, rounded to hundredths (None without values)."""
    if not n:
        return None
    runs = [run for run in runs if run]
    middle = _kth(runs, n // 2)
    if n % 2:
        return round(middle, 2)
    return round((_kth(runs, n // 2 - 1) + middle) / 2, 2)
