"""Reports: themes by month and location, reply times, improvements before and after."""

from __future__ import annotations

import datetime as dt

from safereply.services import NewPost


def test_summary_counts_topics_and_improvements(world):
    inbox = world.services.inbox
    practices = world.services.practices
    for n in range(3):
        inbox.receive(
            world.staff,
            world.practice,
            NewPost(
                platform="google",
                external_id=f"w{n}",
                text="We waited so long",
                rating=1,
                location="Downtown",
            ),
        )
    world.clock.advance(days=40)
    inbox.receive(
        world.staff,
        world.practice,
        NewPost(platform="google", external_id="w9", text="Waited again", rating=2),
    )
    praise = inbox.receive(
        world.staff, world.practice, NewPost(platform="google", external_id="ok", text="Kind")
    ).post_id
    inbox.save_draft(world.staff, praise, "Thank you!")
    inbox.approve(world.manager, praise)
    world.clock.advance(hours=3)
    inbox.mark_replied(world.staff, praise)
    practices.add_improvement(
        world.manager,
        world.practice,
        topic="wait-time",
        text="second check-in desk",
        since=(world.clock.now - dt.timedelta(days=20)).date(),
    )
    report = world.services.reports.summary(world.manager, world.practice)
    assert report["posts"] == 5 and report["by_kind"] == {"complaint": 4, "praise": 1}
    assert report["topics_by_month"]["2026-11"]["wait-time"] == 3
    assert report["topics_by_month"]["2026-12"]["wait-time"] == 1
    assert report["topics_by_location"]["Downtown"]["wait-time"] == 3
    assert report["topics_by_location"]["(none)"]["wait-time"] == 1  # the post without a location
    assert report["median_hours_to_reply"] == 3.0
    [imp] = report["improvements"]
    assert (imp["posts_90_days_before"], imp["posts_90_days_after"]) == (3, 1)
