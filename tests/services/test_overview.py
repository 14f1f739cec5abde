"""The inbox read model behind the web inbox: its order, pages and filter counts, pinned against a
plain Python reading of the same rows, for every view and filter, on SQLite and PostgreSQL.

The reference below loads every post and sorts, filters and counts in Python, the way the inbox
contract describes it; the service must give the same posts, in the same order, with the same
counts, however it asks the database.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import pytest
from factories import HARBOR, MAPLE, FakeTriage, actor, add_practice, add_user, make_services
from sqlalchemy import select, update

from safereply.core.vocab import TOPICS
from safereply.errors import NotFoundError, PermissionDenied
from safereply.services import SYSTEM, Actor, Analysers, NewPost
from safereply.services.overview import InboxFilter, Overview
from safereply.store.models import OPEN_STATES, Location, Post

PLATFORMS = ("google", "facebook", "yelp")
KINDS = ("complaint", "praise", "question", "other", "emergency")
TOPIC_POOL = ("wait-time", "billing", "staff-courtesy", "scheduling")
PER_PAGE = 7


def _triage(text: str, platform: str | None = None, rating: float | None = None) -> FakeTriage:
    """Invent a varied but repeatable triage from the text."""
    rng = random.Random(text)
    kind = rng.choice(KINDS)
    priority = (
        "urgent" if kind == "emergency" or rng.random() < 0.1 else rng.choice(["high", "low"])
    )
    return FakeTriage(kind, rng.sample(TOPIC_POOL, rng.randint(0, 2)), priority, reasons=("test",))


@dataclass
class Inbox:
    overview: Overview
    clock: Any
    practice: int
    other_practice: int
    staff: Actor
    outsider: Actor
    store: Any


@pytest.fixture
def inbox(store, clock) -> Inbox:
    """Two practices; the first with 90 posts in every state, kind, topic, platform and location,
    arriving in batches (posts of a batch share their due time), some of them overdue."""
    services = make_services(
        store, clock=clock, analysers=Analysers(triage=_triage), secret_key="o" * 40
    )
    p1 = add_practice(services, MAPLE, locations=("Downtown", "Eastside"))
    p2 = add_practice(services, HARBOR, locations=("Harbor",))
    for practice_id, count in ((p1, 90), (p2, 12)):
        for batch in range(0, count, 6):
            posts = [
                NewPost(
                    platform=PLATFORMS[n % 3],
                    external_id=f"{practice_id}-{n}",
                    text=f"Post {n} of practice {practice_id}.",
                    location=(None, "Downtown", "Eastside")[n % 3] if practice_id == p1 else None,
                )
                for n in range(batch, min(batch + 6, count))
            ]
            services.inbox.receive_many(SYSTEM, practice_id, posts)
            clock.advance(hours=3)
    # Close about two posts in three, in each closed state; move some open ones along.
    states = ["published", "marked_replied", "dismissed", "new", "drafted", "in_review"]
    with store.write() as session:
        for post_id in session.scalars(select(Post.id).order_by(Post.id)):
            state = states[post_id * 7 % len(states)]
            if post_id % 5 == 0:
                continue  # left as it arrived (new or escalated)
            session.execute(update(Post).where(Post.id == post_id).values(state=state))
    staff = actor(add_user(services, p1, "staff"))
    outsider = actor(add_user(services, p2, "staff", name="outsider"))
    return Inbox(Overview(store, clock=clock), clock, p1, p2, staff, outsider, store)


# -- the reference --------------------------------------------------------------------------------


def _rows(inbox: Inbox) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
    """Return every post of the practice as plain values, and its locations by name."""
    with inbox.store.read() as session:
        posts = [
            {
                "id": p.id,
                "state": p.state,
                "kind": p.kind,
                "priority": p.priority,
                "platform": p.platform,
                "location_id": p.location_id,
                "due_at": p.due_at,
                "topics": p.topic_names,
            }
            for p in session.scalars(select(Post).where(Post.practice_id == inbox.practice))
        ]
        locations = [
            (loc.id, loc.name)
            for loc in session.scalars(
                select(Location).where(Location.practice_id == inbox.practice)
            )
        ]
    return posts, sorted(locations, key=lambda loc: loc[1])


def _in_view(post: dict[str, Any], view: str) -> bool:
    is_open = post["state"] in OPEN_STATES
    return view == "all" or (view == "open") == is_open


def _matches(post: dict[str, Any], f: InboxFilter, now: Any) -> bool:
    late = post["state"] in OPEN_STATES and post["due_at"] < now
    return (
        (not f.overdue or late)
        and (not f.urgent or post["priority"] == "urgent")
        and (not f.kind or post["kind"] == f.kind)
        and (not f.platform or post["platform"] == f.platform)
        and (f.location_id is None or post["location_id"] == f.location_id)
        and (not f.topic or f.topic in post["topics"])
    )


def _counter(values: list[Any]) -> dict[Any, int]:
    out: dict[Any, int] = {}
    for value in values:
        out[value] = out.get(value, 0) + 1
    return out


def expected(inbox: Inbox, f: InboxFilter, page: int) -> dict[str, Any]:
    """Return what the inbox contract says the page holds, computed in Python."""
    now = inbox.clock()
    posts, locations = _rows(inbox)
    view = [p for p in posts if _in_view(p, f.view)]
    shown = [p for p in view if _matches(p, f, now)]
    if f.view == "open":
        shown.sort(
            key=lambda p: (p["priority"] != "urgent", not p["due_at"] < now, p["due_at"], p["id"])
        )
    else:
        shown.sort(key=lambda p: -p["id"])
    start = (page - 1) * PER_PAGE
    by_location = _counter([p["location_id"] for p in view if p["location_id"] is not None])
    topics = _counter([t for p in view for t in p["topics"]])
    open_n = sum(p["state"] in OPEN_STATES for p in posts)
    return {
        "ids": [p["id"] for p in shown[start : start + PER_PAGE]],
        "total": len(shown),
        "pages": max(1, -(-len(shown) // PER_PAGE)),
        "counts": {
            "views": {"open": open_n, "closed": len(posts) - open_n, "all": len(posts)},
            "total": len(view),
            "overdue": sum(p["state"] in OPEN_STATES and p["due_at"] < now for p in view),
            "urgent": sum(p["priority"] == "urgent" for p in view),
            "kind": dict(sorted(_counter([p["kind"] for p in view]).items())),
            "platform": dict(sorted(_counter([p["platform"] for p in view]).items())),
            "topic": {t: topics[t] for t in TOPICS if topics.get(t)},
            "location": [
                {"id": i, "name": name, "count": by_location[i]}
                for i, name in locations
                if by_location.get(i)
            ],
        },
    }


# -- the pins -------------------------------------------------------------------------------------

FILTERS = [
    {},
    {"overdue": True},
    {"urgent": True},
    {"kind": "complaint"},
    {"topic": "billing"},
    {"platform": "google"},
    {"location_id": 1},
    {"topic": "wait-time", "platform": "yelp"},
    {"kind": "emergency", "location_id": 2, "urgent": True},
    {"location_id": 3},  # the other practice's location: nothing
]


@pytest.mark.parametrize("view", ["open", "closed", "all"])
def test_pages_and_counts_match_the_reference_for_every_filter(inbox, view):
    for extra in FILTERS:
        f = InboxFilter(view=view, **extra)
        first = expected(inbox, f, 1)
        pages = first["pages"]
        seen: list[int] = []
        for page in sorted({1, 2, pages // 2 or 1, pages, pages + 1}):
            got = inbox.overview.inbox(inbox.staff, inbox.practice, f, page=page, per_page=PER_PAGE)
            want = expected(inbox, f, page)
            label = (view, extra, page)
            assert [item["id"] for item in got["items"]] == want["ids"], label
            assert (got["total"], got["pages"], got["page"]) == (want["total"], pages, page), label
            assert got["counts"] == want["counts"], label
            for facet in ("kind", "platform", "topic"):  # in the order the page lists them
                assert list(got["counts"][facet]) == list(want["counts"][facet]), label
            seen += want["ids"]
        assert len(seen) == len(set(seen))


def test_every_page_in_turn_lists_each_post_once_in_order(inbox):
    for view in ("open", "closed", "all"):
        f = InboxFilter(view=view)
        want = expected(inbox, f, 1)
        ids: list[int] = []
        for page in range(1, want["pages"] + 1):
            got = inbox.overview.inbox(inbox.staff, inbox.practice, f, page=page, per_page=PER_PAGE)
            ids += [item["id"] for item in got["items"]]
        assert len(ids) == want["total"] == len(set(ids))
        assert ids[:PER_PAGE] == want["ids"]


def test_the_fixture_covers_what_the_pins_need(inbox):
    # The pins only mean something if every view, facet and tie is represented.
    posts, _ = _rows(inbox)
    assert {p["state"] for p in posts} >= {"new", "escalated", "drafted", "in_review"}
    assert {p["state"] for p in posts} >= {"published", "marked_replied", "dismissed"}
    counts = expected(inbox, InboxFilter(view="open"), 1)["counts"]
    assert 0 < counts["overdue"] < counts["total"] and counts["urgent"] > 0
    assert len(counts["topic"]) == len(TOPIC_POOL) and len(counts["location"]) == 2
    closed = expected(inbox, InboxFilter(view="closed"), 1)
    assert closed["counts"]["urgent"] > 0 and closed["pages"] > 3
    due = [p["due_at"] for p in posts if p["state"] in OPEN_STATES]
    assert len(due) > len(set(due))  # posts sharing a due time: the id breaks the tie


def test_items_are_the_posts_as_the_inbox_shows_them(inbox):
    got = inbox.overview.inbox(
        inbox.staff, inbox.practice, InboxFilter(view="all"), page=3, per_page=PER_PAGE
    )
    posts = {p["id"]: p for p in _rows(inbox)[0]}
    names = dict(_rows(inbox)[1])
    now = inbox.clock()
    for item in got["items"]:
        post = posts[item["id"]]
        assert item["topics"] == sorted(post["topics"])
        assert item["state"] == post["state"] and item["kind"] == post["kind"]
        assert item["overdue"] == (post["state"] in OPEN_STATES and post["due_at"] < now)
        if post["location_id"] is None:
            assert item["location"] is None
        else:
            assert item["location"] == {
                "id": post["location_id"],
                "name": names[post["location_id"]],
            }


def test_the_inbox_keeps_its_role_checks(inbox):
    with pytest.raises(NotFoundError):
        inbox.overview.inbox(inbox.outsider, inbox.practice, InboxFilter(view="all"), page=5)
    mine = inbox.overview.inbox(inbox.outsider, inbox.other_practice, InboxFilter(view="all"))
    assert mine["counts"]["views"]["all"] == 12
    assert {item["practice_id"] for item in mine["items"]} == {inbox.other_practice}
    with pytest.raises(PermissionDenied):
        inbox.overview.approvals(inbox.staff, inbox.practice)
