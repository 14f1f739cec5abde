"""Text search (``q``) in the one list function: the API's list and the inbox page agree."""

from __future__ import annotations

import pytest

from safereply.errors import InputError
from safereply.services import NewPost
from safereply.services.overview import InboxFilter, Overview

POSTS = [
    ("1", "The PARKING lot was full and I waited an hour.", "Ann Lee"),
    ("2", "Parking is easy, lovely staff.", "Bob Stone"),
    ("3", "Billing sent me to collections, 100% wrong.", "Cy Park"),
    ("4", "Nice dentist, quick visit.", None),
]


@pytest.fixture
def searchable(world):
    ids = {}
    for ext, text, author in POSTS:
        out = world.services.inbox.receive(
            world.staff, world.practice, NewPost("google", ext, text, author=author)
        )
        ids[ext] = out.post_id
    # The same words in the other practice must never show up.
    world.services.inbox.receive(
        world.outsider, world.other_practice, NewPost("google", "x", "parking parking")
    )
    return ids


def _api(world, **kw):
    page = world.services.inbox.list_posts(world.staff, world.practice, **kw)
    return {p["id"] for p in page["items"]}


def _page(world, q, view="all", **kw):
    overview = Overview(world.services.store, clock=world.clock)
    data = overview.inbox(world.staff, world.practice, InboxFilter(view=view, q=q, **kw))
    return {p["id"] for p in data["items"]}, data


def test_every_word_must_appear_in_any_case(world, searchable):
    assert _api(world, q="parking") == {searchable["1"], searchable["2"]}
    assert _api(world, q="  Parking   WAITED ") == {searchable["1"]}
    assert _api(world, q="parking dentist") == set()


def test_author_names_are_searched_too(world, searchable):
    assert _api(world, q="stone") == {searchable["2"]}
    # "park" is in two texts and one author's name.
    assert _api(world, q="park") == {searchable["1"], searchable["2"], searchable["3"]}


def test_like_wildcards_are_literal(world, searchable):
    assert _api(world, q="100%") == {searchable["3"]}
    assert _api(world, q="%") == {searchable["3"]}
    assert _api(world, q="_") == set()


def test_api_and_page_find_the_same_posts_with_the_same_filters(world, searchable):
    for q in ("parking", "park", "lovely", "nothing-like-this", None):
        ids, data = _page(world, q)
        assert ids == _api(world, q=q), q
        assert data["total"] == len(ids)
        if q:
            assert data["filters"]["q"] == q
    ids, _ = _page(world, "parking", kind="praise")
    assert ids == _api(world, q="parking", kind="praise") == {searchable["2"]}


def test_search_combines_with_states_and_is_validated(world, searchable):
    world.services.inbox.dismiss(world.staff, searchable["2"], reason="spam")
    assert _api(world, q="parking", state="open") == {searchable["1"]}
    ids, _ = _page(world, "parking", view="closed")
    assert ids == {searchable["2"]}
    with pytest.raises(InputError, match="longer than 200"):
        _api(world, q="x" * 201)


def test_search_pages_by_cursor(world, searchable):
    first = world.services.inbox.list_posts(world.staff, world.practice, q="park", limit=2)
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = world.services.inbox.list_posts(
        world.staff, world.practice, q="park", limit=2, cursor=first["next_cursor"]
    )
    found = {p["id"] for p in first["items"] + rest["items"]}
    assert found == {searchable["1"], searchable["2"], searchable["3"]}
    assert rest["next_cursor"] is None
