"""triage(): the contract of its result, its validation, and its decisions on labelled posts."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections import Counter
from dataclasses import FrozenInstanceError

import pytest
from triage_corpus import load_posts

import safereply
from safereply.core.triage import TriageResult, triage
from safereply.core.vocab import TOPICS, PostKind, Priority, Topic
from safereply.errors import InputError

POSTS = load_posts()


def test_public_api_delegates_to_core():
    result = safereply.triage("Waited two hours past my appointment", rating=1)
    assert isinstance(result, safereply.TriageResult)
    assert result.kind is PostKind.COMPLAINT
    assert safereply.TriageResult is TriageResult


def test_result_is_frozen_with_typed_fields():
    result = triage("The front desk was rude and I waited an hour.", rating=2)
    assert isinstance(result.kind, PostKind)
    assert all(isinstance(t, Topic) for t in result.topics)
    assert isinstance(result.priority, Priority)
    assert isinstance(result.reasons, tuple)
    with pytest.raises(FrozenInstanceError):
        result.kind = PostKind.PRAISE  # type: ignore[misc]


def test_to_dict_has_exactly_the_contract_keys_and_plain_types():
    out = triage("My son's asthma check was rushed and nobody explained anything.").to_dict(id="p1")
    assert list(out) == [
        "id",
        "kind",
        "topics",
        "sentiment",
        "discloses_health",
        "priority",
        "reasons",
        "aspects",
    ]
    assert out["id"] == "p1"
    assert type(out["kind"]) is str and out["kind"] in {k.value for k in PostKind}
    assert type(out["priority"]) is str and out["priority"] in {p.value for p in Priority}
    assert type(out["topics"]) is list and all(type(t) is str for t in out["topics"])
    assert type(out["sentiment"]) is float and -1 <= out["sentiment"] <= 1
    assert out["sentiment"] == round(out["sentiment"], 3)
    assert type(out["discloses_health"]) is bool
    assert type(out["reasons"]) is list and all(type(r) is str for r in out["reasons"])
    assert json.loads(json.dumps(out)) == out


def test_to_dict_id_defaults_to_none():
    assert triage("Great team!").to_dict()["id"] is None


def test_topics_follow_design_order():
    text = (
        "They overcharged my insurance, the waiting room was filthy, I waited two hours, "
        "and the receptionist was rude. Nobody ever calls back."
    )
    topics = [str(t) for t in triage(text, rating=1).topics]
    assert topics == sorted(topics, key=TOPICS.index)
    assert {"billing", "facility", "wait-time", "staff-courtesy"} <= set(topics)


@pytest.mark.parametrize(
    ("text", "rating", "message"),
    [
        ("", None, "empty"),
        ("   \n ", None, "empty"),
        ("x" * 20_001, None, "limit"),
        ("fine", 0, "1 to 5"),
        ("fine", 6, "1 to 5"),
        ("fine", math.nan, "1 to 5"),
        ("fine", "5", "number"),
        ("fine", True, "number"),
    ],
)
def test_bad_input_raises_input_error(text, rating, message):
    with pytest.raises(InputError, match=message):
        triage(text, rating=rating)


def test_non_string_text_and_platform_are_rejected():
    with pytest.raises(InputError, match="string"):
        triage(42)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="platform"):
        triage("Great!", platform=3)  # type: ignore[arg-type]


def test_is_deterministic():
    text = "Love Dr. Chen but billing sent me to collections."
    assert triage(text, rating=3) == triage(text, rating=3)


def test_kind_accuracy_on_labelled_posts_is_at_least_90_percent():
    wrong = Counter()
    for post in POSTS:
        result = triage(post["text"], platform=post.get("platform"), rating=post.get("rating"))
        if result.kind != post["kind"]:
            wrong[(post["kind"], str(result.kind))] += 1
    accuracy = 1 - sum(wrong.values()) / len(POSTS)
    assert accuracy >= 0.90, wrong


def test_tuned_posts_stay_above_90_percent():
    posts = load_posts("tuned_posts.jsonl")
    correct = sum(
        triage(p["text"], platform=p.get("platform"), rating=p.get("rating")).kind == p["kind"]
        for p in posts
    )
    assert correct / len(posts) >= 0.90


def test_labelled_posts_are_well_formed():
    assert len(POSTS) >= 300
    assert len({p["id"] for p in POSTS}) == len(POSTS)
    kinds = Counter(p["kind"] for p in POSTS)
    assert set(kinds) == {k.value for k in PostKind}
    for post in POSTS:
        assert set(post["topics"]) <= set(TOPICS), post["id"]
        assert post.get("rating") is None or 1 <= post["rating"] <= 5
    topics = Counter(t for p in POSTS for t in p["topics"])
    assert topics["billing"] >= 20 and topics["privacy"] >= 5


@pytest.mark.parametrize(
    ("text", "rating", "kind"),
    [
        ("Dr. Kim is great, but the front desk is rude every single time.", 4, "complaint"),
        ("Why was I charged twice for one cleaning?", None, "complaint"),
        ("Do you take Delta Dental PPO?", None, "question"),
        ("does anyone know if they do sports physicals", None, "question"),
        ("Everyone here is so kind and gentle. Highly recommend!", 5, "praise"),
        ("Dr. Chen never makes you feel rushed. Highly recommend.", 5, "praise"),
        ("Earn $500 a day from home, DM me!", None, "spam"),
        ("Check out www.cheap-seo.example for backlinks and SEO", None, "spam"),
        ("Went for a checkup. It was a checkup.", 3, "other"),
        ("Terrible experience, never again.", 5, "complaint"),  # the words outweigh the stars
        ("Waited 20 minutes, which was fine.", 1, "complaint"),  # a 1-star review complains
    ],
)
def test_kind_examples(text, rating, kind):
    assert triage(text, rating=rating).kind == kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My root canal with Dr. Alvarez was painless.", True),
        ("My son's asthma has been so much better since his visit.", True),
        ("I'm pregnant and nervous about x-rays.", True),
        ("My A1C came down to 6.1!", True),
        ("We offer clear aligners and whitening.", False),
        ("Pain-free cleaning, great staff.", False),
        ("The parking lot is tiny.", False),
        ("They charged my card twice.", False),  # billing alone is not health information
    ],
)
def test_discloses_health(text, expected):
    assert triage(text).discloses_health is expected


@pytest.mark.parametrize(
    ("text", "rating", "priority"),
    [
        ("my chest hurts and my arm is numb", None, "urgent"),
        ("I don't want to wake up tomorrow", None, "urgent"),
        ("Rude staff and a two hour wait.", 1, "high"),
        ("They discussed my diagnosis out loud in the lobby.", 3, "high"),
        ("Do you have Saturday hours?", None, "high"),
        ("Love this place!", 5, "low"),
        ("Free crypto signals, join t.me/example now", None, "low"),
        ("Went for a checkup. It was a checkup.", 3, "normal"),
    ],
)
def test_priority(text, rating, priority):
    assert triage(text, rating=rating).priority == priority


def test_reasons_explain_the_decision():
    reasons = triage("The receptionist was rude. Never again.", rating=1).reasons
    assert "1-star review" in reasons
    assert any(r.startswith("complaint wording:") and "rude" in r for r in reasons)
    assert "asks a question" in triage("Are you open Saturdays?").reasons
    assert "privacy complaint" in triage("They read my results out loud at the front desk!").reasons


def test_rating_is_a_signal_for_sentiment():
    text = "It was a visit."
    assert triage(text, rating=5).sentiment > triage(text, rating=1).sentiment


def test_runtime_needs_no_third_party_package():
    code = (
        "import sys; import safereply; safereply.triage('Rude staff, long wait', rating=1); "
        "bad = [m for m in ('sklearn', 'numpy', 'scipy') if m in sys.modules]; print(bad)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
