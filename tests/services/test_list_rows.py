"""The lists read posts as plain rows (issue 16: building 50 ORM posts with their topics and
location was most of a list's CPU): every item of the API's cursor pages and the inbox page's
offset pages is exactly what ``post_summary`` makes of the post loaded as an object, on posts
with none, one or several topics, with and without a location."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import update

from safereply.services import SYSTEM
from safereply.services.overview import InboxFilter, Overview
from safereply.services.queries import post_summary
from safereply.store.models import Post

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
gen_million = pytest.importorskip("gen_million")


@pytest.fixture
def instance(world):
    store = world.services.store
    inst = gen_million.generate(store, 400, practices=2, locations=4, progress=lambda m: None)
    with store.write() as s:  # some posts came without a location (an import, a platform)
        s.execute(update(Post).where(Post.id % 7 == 0).values(location_id=None))
    return world.services, inst


def as_objects(services, items: list[dict]) -> list[dict]:
    now = services.inbox.clock()
    with services.store.read() as s:
        return [post_summary(s.get(Post, item["id"]), now) for item in items]


def test_cursor_pages_are_the_posts_as_objects(instance):
    services, inst = instance
    seen = 0
    shapes = set()
    for practice in inst.practices:
        for filters in ({}, {"state": "open"}, {"topic": "billing"}):
            cursor = None
            while True:
                page = services.inbox.list_posts(
                    SYSTEM, practice, limit=37, cursor=cursor, **filters
                )
                assert page["items"] == as_objects(services, page["items"])
                seen += len(page["items"])
                shapes |= {(len(i["topics"]), i["location"] is None) for i in page["items"]}
                cursor = page["next_cursor"]
                if cursor is None:
                    break
    assert seen > 400
    # the cases the rows must get right were all there
    assert {n for n, _ in shapes} >= {0, 1, 2} and {loc for _, loc in shapes} == {True, False}


@pytest.mark.parametrize("view", ["open", "all", "closed"])
def test_offset_pages_are_the_posts_as_objects(instance, view):
    services, inst = instance
    overview = Overview(services.store, clock=services.inbox.clock)
    seen = 0
    for practice in inst.practices:
        pages = overview.inbox(SYSTEM, practice, InboxFilter(view=view), per_page=29)["pages"]
        for n in range(1, pages + 1):
            found = overview.inbox(SYSTEM, practice, InboxFilter(view=view), page=n, per_page=29)
            assert found["items"] == as_objects(services, found["items"])
            seen += len(found["items"])
    assert seen > 20
