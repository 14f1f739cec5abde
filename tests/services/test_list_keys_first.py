"""The API's inbox list reads a page's keys first, then its posts (issue 16): on a generated
instance of three interleaved practices every filter still returns exactly the practice's
matching posts, soonest due first (ties by id), page after page."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from safereply.core.workflow import OPEN_STATES
from safereply.services import SYSTEM
from safereply.store.models import Post, PostTopic

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
gen_million = pytest.importorskip("gen_million")


@pytest.fixture
def instance(world):
    store = world.services.store
    # the world's own two practices stay empty; the generator adds three more
    inst = gen_million.generate(store, 700, practices=3, locations=6, progress=lambda m: None)
    return world.services, inst


def expected(services, practice: int, *, states=None, topic=None, kind=None) -> list[int]:
    """The definition, in Python: the practice's matching posts by (due, id)."""
    with services.store.read() as s:
        posts = s.execute(
            select(Post.id, Post.due_at, Post.state, Post.kind).where(Post.practice_id == practice)
        ).all()
        tagged = set(
            s.scalars(select(PostTopic.post_id).where(PostTopic.topic == topic)).all()
            if topic
            else []
        )
    keep = [
        p
        for p in posts
        if (states is None or p.state in states)
        and (topic is None or p.id in tagged)
        and (kind is None or p.kind == kind)
    ]
    return [p.id for p in sorted(keep, key=lambda p: (p.due_at, p.id))]


def every_page(services, practice: int, limit: int, **filters) -> list[int]:
    ids: list[int] = []
    cursor = None
    while True:
        page = services.inbox.list_posts(SYSTEM, practice, limit=limit, cursor=cursor, **filters)
        assert len(page["items"]) <= limit
        ids += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return ids


@pytest.mark.parametrize(
    "filters",
    [
        {"state": "open", "topic": "billing"},
        {"state": "open", "topic": "wait-time"},
        {"topic": "staff-courtesy"},
        {"state": "open", "kind": "complaint"},
        {"state": "open"},
        {},
    ],
)
def test_every_page_in_order_as_the_definition(instance, filters):
    services, inst = instance
    states = OPEN_STATES if filters.get("state") == "open" else None
    for practice in inst.practices:
        want = expected(
            services, practice, states=states, topic=filters.get("topic"), kind=filters.get("kind")
        )
        assert want, (practice, filters)  # the generated set has posts for every filter
        got = every_page(services, practice, 9, **filters)
        assert got == want
