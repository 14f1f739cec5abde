"""A reply published through a connector records its practice (issue 16, migration 0016)."""

from __future__ import annotations

import pytest
from google_double import GoogleDouble
from google_world import make_world
from sqlalchemy import select

from safereply.store.models import Post, PublishedReply


@pytest.fixture
def google():
    double = GoogleDouble("accounts/111/locations/222").start()
    yield double
    double.stop()


def test_a_connector_publish_records_the_posts_practice(google, tmp_path):
    world = make_world(google, tmp_path)
    try:
        google.add_review("r1", "Lovely hygienist", stars=5)
        world.connectors.syncer.sync(world.connection)
        pid = world.approve_acknowledgement("r1")
        assert world.connectors.publisher.publish(pid).status == "published"
        with world.store.read() as s:
            practice = s.scalar(select(Post.practice_id).where(Post.id == pid))
            out = s.execute(
                select(PublishedReply.practice_id, PublishedReply.method).where(
                    PublishedReply.post_id == pid
                )
            ).one()
        assert practice is not None
        assert tuple(out) == (practice, "connector")
    finally:
        world.store.dispose()
