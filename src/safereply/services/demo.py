"""A throw-away demo practice with realistic, invented posts (``safereply serve --demo``).

Every name, post and phone number here is invented (555 numbers); nothing comes from real data.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from safereply.core.practice import Improvement, Practice
from safereply.services import SYSTEM, NewPost, Services

__all__ = ["DEMO_POSTS", "DEMO_PRACTICE", "seed_demo"]

DEMO_PRACTICE = Practice(
    name="Maple Grove Family Dental",
    phone="(555) 201-3300",
    sign_off="The Maple Grove team",
    address="48 Orchard Lane, Springfield",
    website="maplegrovedental.example",
    staff=("Dr. Rivera", "Tanya"),
    improvements=(
        Improvement(
            topic="wait-time",
            text="added a second check-in station",
            since=dt.date(2026, 9, 15),
        ),
    ),
)

#: (platform, location, rating, author, text, hours ago)
DEMO_POSTS: tuple[tuple[str, str, float | None, str, str, float], ...] = (
    (
        "google",
        "Downtown",
        1,
        "Megan T.",
        "Waited almost two hours past my appointment time and nobody at the front desk said "
        "a word. I had to leave for work before I was even called back.",
        30,
    ),
    (
        "google",
        "Downtown",
        5,
        "Luis R.",
        "Everyone was friendly and the office is spotless. Tanya at the front desk made the whole "
        "thing easy.",
        20,
    ),
    (
        "yelp",
        "Eastside",
        2,
        "Priya S.",
        "I was charged twice for the same visit and it took three calls to get anyone to look "
        "at the bill. Still waiting on the refund.",
        26,
    ),
    (
        "facebook",
        "Downtown",
        None,
        "Jordan K.",
        "Do you take new patients on Saturdays? Looking for somewhere close to the Orchard Lane "
        "bus stop.",
        5,
    ),
    (
        "google",
        "Eastside",
        1,
        "Anonymous",
        "My crown came loose two days after it was fitted and now my jaw is swollen and throbbing. "
        "Nobody called me back.",
        3,
    ),
    (
        "facebook",
        "Downtown",
        None,
        "Sam W.",
        "I'm having sudden chest pain and my left arm is numb after the numbing shot this morning, "
        "what do I do??",
        0.1,
    ),
    (
        "healthgrades",
        "Eastside",
        1,
        "R.B.",
        "Honestly I don't see the point anymore. I want to end it all, nothing helps and the pain "
        "never stops.",
        0.2,
    ),
    (
        "google",
        "Downtown",
        4,
        "Chris P.",
        "Good cleaning, thorough hygienist. Parking is a nightmare though.",
        50,
    ),
    (
        "yelp",
        "Downtown",
        1,
        "Dana M.",
        "The receptionist rolled her eyes at me and was rude when I asked about my insurance. "
        "Won't be back.",
        12,
    ),
    (
        "facebook",
        "Eastside",
        None,
        "Promo Deals",
        "CHEAP followers and 5-star reviews!!! Visit best-reviews-4u.example now",
        8,
    ),
    (
        "google",
        "Eastside",
        5,
        "Alicia G.",
        "Dr. Rivera explained everything and my kids actually like coming here. Thank you!",
        70,
    ),
    (
        "google",
        "Downtown",
        3,
        "Ben O.",
        "Nice staff but it is impossible to get an appointment before 5pm, the online booking "
        "never shows any slots.",
        40,
    ),
    (
        "yelp",
        "Eastside",
        2,
        "Kim L.",
        "Nobody explained what the treatment would cost until after it was done. Felt blindsided.",
        18,
    ),
    (
        "healthgrades",
        "Downtown",
        5,
        "Theo N.",
        "Calm, kind, on time. Best dental visit I've had in years.",
        90,
    ),
    (
        "google",
        "Downtown",
        None,
        "Maria F.",
        "Is the office wheelchair accessible? The entrance looked like it only has stairs.",
        2,
    ),
)


def seed_demo(services: Services, *, password: str | None = None) -> dict[str, Any]:
    """Create the demo practice, three users and the demo posts; return how to sign in.

    Posts are triaged by the real triage, so the demo shows the product as it is.
    """
    password = password or secrets.token_urlsafe(9)
    admin = services.users.create_user(
        SYSTEM,
        email="admin@demo.example",
        password=password,
        display_name="Ada Admin",
        is_superuser=True,
    )
    practice = services.practices.create_practice(
        SYSTEM,
        DEMO_PRACTICE,
        locations=("Downtown", "Eastside"),
        admin_user_id=admin["id"],
    )
    pid = practice["id"]
    for email, name, role in (
        ("manager@demo.example", "Morgan Manager", "manager"),
        ("staff@demo.example", "Sky Staff", "staff"),
    ):
        services.users.create_user(
            SYSTEM, email=email, password=password, display_name=name, practice_id=pid, role=role
        )
    now = services.inbox.clock()
    posts = [
        NewPost(
            platform=platform,
            external_id=f"demo-{n}",
            text=text,
            author=author,
            rating=rating,
            location=location,
            posted_at=now - dt.timedelta(hours=hours),
            url=f"https://{platform}.example/review/demo-{n}",
        )
        for n, (platform, location, rating, author, text, hours) in enumerate(DEMO_POSTS, 1)
    ]
    outcomes = services.inbox.receive_many(SYSTEM, pid, posts)
    return {
        "practice_id": pid,
        "password": password,
        "users": ["admin@demo.example", "manager@demo.example", "staff@demo.example"],
        "posts": sum(o.status == "created" for o in outcomes),
        "escalated": sum(o.escalated for o in outcomes),
    }
