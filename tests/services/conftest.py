"""Fixtures for the service tests: a controllable clock, fake analysers and two practices with
their staff (the ``world``), on each backend (``store``, from tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from factories import HARBOR, FakeReport, FakeTriage, add_practice, add_user, make_services
from factories import Clock as _Clock

from safereply.core.practice import Practice as Profile
from safereply.services import Actor, Analysers


class Clock(_Clock):
    """A clock the test moves by hand, from a fixed Monday morning."""

    def __init__(self) -> None:
        super().__init__(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC))


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _triaged(kind: str, topics: list[str], priority: str) -> FakeTriage:
    sentiment = -0.8 if kind == "complaint" else 0.5
    return FakeTriage(kind, topics, priority, sentiment, reasons=(f"fake triage: {kind}",))


def fake_triage(text: str, platform: str | None = None, rating: float | None = None):
    low = text.lower()
    if "chest pain" in low:
        return _triaged("emergency", ["clinical-care"], "urgent")
    if "end it all" in low:
        return _triaged("crisis", [], "urgent")
    if "?" in text:
        return _triaged("question", ["scheduling"], "normal")
    if (rating is not None and rating <= 2) or "waited" in low:
        topics = ["wait-time"] if "wait" in low else ["staff-courtesy"]
        if "bill" in low:
            topics.append("billing")
        return _triaged("complaint", topics, "high")
    return _triaged("praise", [], "low")


def fake_check(reply: str, post: str | None = None, practice: Any = None) -> FakeReport:
    low = reply.lower()
    findings = []
    at = low.find("your visit")
    if at >= 0:
        findings.append(
            {
                "code": "PR001",
                "name": "confirms-patient",
                "category": "patient-relationship",
                "severity": "error",
                "start": at,
                "end": at + 10,
                "text": reply[at : at + 10],
                "message": "confirms the poster is a patient",
            }
        )
    at = low.find("fake review")
    if at >= 0:
        findings.append(
            {
                "code": "TN001",
                "name": "fake-review-accusation",
                "category": "tone",
                "severity": "warning",
                "start": at,
                "end": at + 11,
                "text": reply[at : at + 11],
                "message": "accuses the poster",
            }
        )
    if any(f["severity"] == "error" for f in findings):
        return FakeReport("block", findings)
    return FakeReport("warn" if findings else "pass", findings)


@dataclass
class FakeDraft:
    reply: str


def fake_compose(text, *, practice, platform=None, rating=None, post_id=None):
    return FakeDraft(f"Thank you for your feedback. Please call us at {practice.phone}.")


FAKE_ANALYSERS = Analysers(triage=fake_triage, check=fake_check, compose=fake_compose)

PROFILE = Profile(
    name="Maple Grove Dental", phone="(555) 201-3300", sign_off="The Maple Grove team"
)
OTHER = HARBOR


@dataclass
class World:
    services: Any
    clock: Clock
    practice: int
    other_practice: int
    admin: Actor
    manager: Actor
    manager2: Actor
    staff: Actor
    outsider: Actor  # the admin of the other practice


@pytest.fixture
def world(store, clock) -> World:
    services = make_services(
        store, clock=clock, analysers=FAKE_ANALYSERS, base_url="http://inbox.test"
    )
    p1 = add_practice(services, PROFILE, locations=("Downtown", "Eastside"))
    p2 = add_practice(services, OTHER)
    actors = {}
    for name, practice, role in [
        ("admin", p1, "admin"),
        ("manager", p1, "manager"),
        ("manager2", p1, "manager"),
        ("staff", p1, "staff"),
        ("outsider", p2, "admin"),
    ]:
        user = add_user(services, practice, role, name=name)
        actors[name] = Actor(user["id"], user["email"])
    return World(services, clock, p1, p2, **actors)
