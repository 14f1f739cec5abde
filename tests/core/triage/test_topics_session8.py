"""Session 8: the spent fourth blind set's missed topics, fixed by shape and tested in other words.

``data/triage_blind4`` was measured once at the end of session 7 and is spent: its topic errors
were read and grouped into families (hours and a slot found said without "appointment", a call
never answered, a fault of the premises, health details said for others to hear or told to a
relative). Each family is a pattern here, tested in words that are not the set's, beside a
look-alike that must not get the topic from it. The training script's threshold tuning now holds
a post's aspect evidence out with the post (a span left in training gave the post's topic away).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import safereply
from safereply.core.triage import explain
from safereply.core.triage.rules import (
    TOPIC_DECIDES,
    cue_matches,
    normalise,
    topic_cues,
    topic_gated,
)

ROOT = Path(__file__).resolve().parents[3]

#: (topic, a post the topic's precise words decide, a look-alike they must not decide)
DECIDES = [
    (
        "scheduling",
        "The front desk squeezed my daughter in the same afternoon. Lifesavers.",
        "The hygienist squeezed my hand the whole time, so sweet.",
    ),
    (
        "scheduling",
        "Called at 8 and they fit me in before lunch, thank you Dr. Ames",
        "Calling them got me in trouble with my insurer, long story.",
    ),
    (
        "scheduling",
        "Are you open until 7 on Thursdays? I work till 5.",
        "The new office is open and bright, love the windows.",
    ),
    (
        "scheduling",
        "Can I rebook my cleaning? Something came up at work.",
        "I booked a cleaning and the hygienist was lovely.",
    ),
    (
        "communication",
        "Nobody picks up at this office. Three tries this morning.",
        "Nobody was rude to me, the visit itself was fine.",
    ),
    (
        "communication",
        "Your phone line just rings and rings during office hours.",
        "The line was out the door at 8am.",
    ),
    (
        "communication",
        "Can you provide an interpreter for my grandmother? She only speaks Tagalog.",
        "My grandmother only speaks Tagalog and the doctor was so patient with her.",
    ),
    (
        "facility",
        "There was a dead roach under the chair in exam room 2.",
        "Dr. Roachford is the best dermatologist in town.",
    ),
    (
        "facility",
        "The elevator was out of order again so I had to do three flights with my walker.",
        "The MRI machine was loud but the tech gave me headphones.",
    ),
    (
        "facility",
        "A lobby with no toys and no TV for a 3-year-old for an hour. Please.",
        "No toys were harmed, my son just loved the visit.",
    ),
]

#: (a post with a privacy breach, a look-alike that is none)
PRIVACY = [
    (
        "The nurse asked about my pregnancy test loud in the waiting room. Everyone stared.",
        "The TV was so loud in the waiting room I could not hear my name.",
    ),
    (
        "Why did your office call my dad to confirm my appointment? I'm 31.",
        "You called my husband to confirm his appointment, thank you for the reminder.",
    ),
    (
        "The dentist discussed my gum disease with my mother in the lobby. I'm 30.",
        "Dr. Lee discussed my options with my husband and me, no rush at all.",
    ),
    (
        "The billing rep read my diagnosis out on speakerphone at her desk.",
        "The billing rep called me back and explained the charge. Fixed.",
    ),
]


@pytest.mark.parametrize(("topic", "post", "lookalike"), DECIDES)
def test_precise_words_decide_a_topic_and_their_lookalike_does_not(topic, post, lookalike):
    assert TOPIC_DECIDES[topic].search(normalise(post))
    assert not TOPIC_DECIDES[topic].search(normalise(lookalike))
    # the precise words are a cue of the topic too, so aspects find their clause
    assert cue_matches(topic, normalise(post))


@pytest.mark.parametrize(("topic", "post", "lookalike"), DECIDES)
def test_triage_gives_the_topic_the_precise_words_decide(topic, post, lookalike):
    result, trace = explain(post)
    assert result.kind.value not in ("emergency", "crisis", "spam")
    assert topic in {t.value for t in result.topics}
    said = [s.why for s in trace.steps if s.name == "topics"]
    assert any(why.startswith(f"{topic}:") for why in said)


@pytest.mark.parametrize(("post", "lookalike"), PRIVACY)
def test_a_privacy_breach_is_a_cue_and_its_lookalike_is_not(post, lookalike):
    assert "privacy" in topic_cues(normalise(post))
    assert "privacy" not in topic_cues(normalise(lookalike))


@pytest.mark.parametrize("post", [post for post, _ in PRIVACY])
def test_triage_tags_the_breach_privacy_and_a_complaint(post):
    # the look-alikes are left to the classifier, which still reads "loud in the waiting room"
    # and "discussed my options with my husband" as privacy (as before session 8): a known error
    breach = safereply.triage(post)
    assert "privacy" in {t.value for t in breach.topics}
    assert breach.kind.value == "complaint"


def test_a_delay_and_counting_is_a_wait():
    # "7 weeks and counting" is a delay counted in days; a treatment's length is not a wait
    assert topic_gated("wait-time", normalise("MRI still not scheduled. 7 weeks and counting."))
    assert not topic_gated("wait-time", normalise("On the same inhaler for 7 weeks, no change."))


def test_the_trace_keeps_its_wording_for_a_deciding_word():
    _, trace = explain("Free parking and the nicest front desk in town.")
    topics = [s.why for s in trace.steps if s.name == "topics"]
    assert "facility: the facility word 'parking' decides it" in topics


def _train_triage():
    pytest.importorskip("sklearn", reason="the training script needs the train extra")
    scripts = str(ROOT / "scripts")
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    import train_triage

    return train_triage


def _write(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_an_aspects_evidence_is_held_out_with_its_post(tmp_path):
    train_triage = _train_triage()
    nhs = _write(tmp_path / "nhs.jsonl", ['{"text": "Lovely staff", "topics": ["staff-courtesy"]}'])
    post = (
        '{"text": "Waited two hours. The nurse was kind.", "kind": "complaint", '
        '"topics": ["wait-time", "staff-courtesy"], "aspects": ['
        '{"topic": "wait-time", "polarity": "negative", "evidence": "Waited two hours"}, '
        '{"topic": "staff-courtesy", "polarity": "positive", "evidence": "The nurse was kind"}]}'
    )
    other = '{"text": "Do you take Aetna?", "kind": "question", "topics": ["billing"]}'
    posts = _write(tmp_path / "posts.jsonl", [post, other])
    corpus = train_triage.load_corpus(nhs, None, None, [posts])
    assert list(corpus.source) == ["nhs", "post", "span", "span", "post"]
    # the two spans share their post's group; every other row is its own group
    assert list(corpus.group) == [0, 1, 1, 1, 4]
    assert list(corpus.subset([2, 4]).group) == [1, 4]
