"""scripts/gen_million.py and bench/million_bench.py (issue 16) on a small SQLite instance: the
generator writes posts in arrival order with practices interleaved (a practice's rows spread over
the table, as in a running instance), and the bench's plan check finds a full scan of a large
table and only that."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bench"))
gen_million = pytest.importorskip("gen_million")
million_bench = pytest.importorskip("million_bench")

from safereply.store import open_store  # noqa: E402
from safereply.store.models import Draft, Post, PostTopic, PublishedReply  # noqa: E402


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('gen') / 'gen.sqlite3'}")
    inst = gen_million.generate(store, 900, practices=3, locations=6, progress=lambda m: None)
    yield store, inst
    store.dispose()


def test_posts_follow_arrival_time_with_practices_interleaved(instance):
    store, inst = instance
    with store.read() as s:
        rows = s.execute(
            select(Post.id, Post.practice_id, Post.received_at).order_by(Post.id)
        ).all()
        per_practice = dict(
            s.execute(select(Post.practice_id, func.count()).group_by(Post.practice_id)).all()
        )
    assert len(rows) == inst.posts == 900
    assert per_practice == inst.sizes and sorted(inst.sizes.values(), reverse=True)[0] > 300
    times = [r.received_at for r in rows]
    assert times == sorted(times)  # ids follow arrival
    switches = sum(a.practice_id != b.practice_id for a, b in itertools.pairwise(rows))
    assert switches > 300  # not one practice's block after another (that would be 2 switches)


def test_plan_check_finds_a_full_scan_and_not_an_index_read(instance):
    store, inst = instance
    practice = inst.practices[0]
    scan = (
        str(select(PostTopic.topic).where(PostTopic.polarity == "negative")),
        {"polarity_1": "negative"},
    )
    indexed = (
        str(select(PostTopic.post_id).where(PostTopic.practice_id == practice)),
        {"practice_id_1": practice},
    )
    assert million_bench.full_scans(store, [scan]) == ["post_topics"]
    assert million_bench.full_scans(store, [indexed]) == []


def test_a_post_waiting_on_its_draft_has_one_and_an_answered_post_its_reply(instance):
    store, _ = instance
    with store.read() as s:
        waiting = s.scalars(select(Post.id).where(Post.state.in_(("drafted", "in_review")))).all()
        answered = s.scalars(select(Post.id).where(Post.state == "marked_replied")).all()
        drafted = set(s.scalars(select(Draft.post_id)).all())
        replied = set(s.scalars(select(PublishedReply.post_id)).all())
    assert waiting and answered  # the mix has both
    assert set(waiting) <= drafted  # approving one finds its draft (the load test approves them)
    assert replied == set(answered) and set(answered) <= drafted
