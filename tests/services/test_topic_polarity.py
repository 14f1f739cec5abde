"""A post's topics keep the triage's per-topic polarity (aspects), for the insights."""

from __future__ import annotations

from sqlalchemy import select

from safereply.services import SYSTEM, NewPost, build_services
from safereply.store.models import PostTopic


def test_aspect_polarity_is_stored_with_each_topic(tmp_path):
    from safereply.core.practice import Practice
    from safereply.settings import Settings
    from safereply.store.engine import Store
    from safereply.store.migrate import upgrade

    store = Store.from_url(f"sqlite:///{tmp_path / 'db.sqlite'}")
    upgrade(store)
    services = build_services(store, Settings(environment="test", sweep_interval=0))
    practice = services.practices.create_practice(
        SYSTEM, Practice(name="Maple", phone="(555) 201-3300")
    )["id"]
    post = services.inbox.receive(
        SYSTEM,
        practice,
        NewPost(
            platform="google",
            external_id="p1",
            text="Lovely front desk, but the bill was wrong twice and nobody fixed it.",
            rating=2.0,
        ),
    ).post_id
    with store.read() as session:
        rows = session.execute(
            select(PostTopic.topic, PostTopic.polarity).where(PostTopic.post_id == post)
        ).all()
    assert rows
    assert any(polarity in ("positive", "negative", "mixed") for _, polarity in rows), rows
    store.dispose()
