"""A post's topics keep the triage's per-topic polarity (aspects), for the insights."""

from __future__ import annotations

from factories import MAPLE, add_post, add_practice, make_services
from sqlalchemy import select

from safereply.store.models import PostTopic


def test_aspect_polarity_is_stored_with_each_topic(sqlite_store):
    services = make_services(sqlite_store, sweep_interval=0)  # the package's own triage
    practice = add_practice(services, MAPLE)
    text = "Lovely front desk, but the bill was wrong twice and nobody fixed it."
    post = add_post(services, practice, text, external_id="p1", rating=2.0)
    with sqlite_store.read() as session:
        rows = session.execute(
            select(PostTopic.topic, PostTopic.polarity).where(PostTopic.post_id == post)
        ).all()
    assert rows
    assert any(polarity in ("positive", "negative", "mixed") for _, polarity in rows), rows
