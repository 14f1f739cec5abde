"""Session 7: the spent third blind set's errors, fixed by shape and tested in other words.

``data/triage_blind3`` was measured once at the end of session 6 and is spent: it was read, its
errors grouped into families, and each family fixed by a rule tested here in words that are not
the set's, beside a look-alike whose reading must not change (a present danger that must still
escalate, a complaint that must stay a complaint, a wait that must stay a wait).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import safereply
from safereply.core.triage import explain
from safereply.core.triage.engine import kind_signals
from safereply.core.triage.model import default_model
from safereply.core.triage.rules import normalise, topic_gated

ROOT = Path(__file__).resolve().parents[3]
URGENT = ("emergency", "crisis")

#: Frightening words that are not a present danger, each beside the same words with one.
NOT_URGENT_PAIRS = [
    # a preference, not a wish: the other side of "rather ... than" is an errand
    (
        "Honestly I'd rather be dead than sit in that waiting room again. Two hours, every time.",
        "Honestly I'd rather be dead than live like this. I have the pills ready.",
        "crisis",
    ),
    (
        "I would rather get hit by a truck than call their insurance line one more time",
        "I just got hit by a truck outside your office and my leg is bleeding a lot",
        "emergency",
    ),
    (
        "Prefiero morirme antes que volver a llamar a esa recepción, nunca contestan",
        "Prefiero morirme, ya no quiero seguir viviendo",
        "crisis",
    ),
    # an accusation of past harm, not a present danger
    (
        "Your pharmacy nearly killed my mom in June with the wrong pills. No thanks to you.",
        "My mom took the wrong pills an hour ago and she's not waking up",
        "emergency",
    ),
    # "can't take it anymore" about lost paperwork
    (
        "I can't take it anymore. Third time this office lost my FMLA forms.",
        "I can't take it anymore. Nobody would even notice if I was gone.",
        "crisis",
    ),
    # a recovery story: a past attempt, and the clinic is why they are still here
    (
        "Five years ago I tried to kill myself. Your therapists are the reason I'm still alive.",
        "I tried to kill myself last night and I'm going to try again",
        "crisis",
    ),
    # dying of the pain, in a complaint that pain relief was refused
    (
        "No me quisieron dar nada para el dolor después de la cirugía, me muero del dolor",
        "Me quiero morir, ya no aguanto, tengo las pastillas aquí",
        "crisis",
    ),
    # a pain clinic cutting a dose is a pain-management complaint
    (
        "The pain management doctor reduced my oxycodone with no warning, I've been in agony.",
        "I took all my oxycodone at once and now I can barely breathe",
        "crisis",
    ),
    # a minimised symptom in a thank-you
    (
        "Had two implants placed Friday and barely any swelling. He checked on me himself.",
        "Had two implants placed Friday and the swelling is spreading to my throat, can't swallow",
        "emergency",
    ),
]


@pytest.mark.parametrize(("calm", "urgent", "kind"), NOT_URGENT_PAIRS)
def test_frightening_words_without_a_present_danger_are_not_escalated(calm, urgent, kind):
    assert str(safereply.triage(calm).kind) not in URGENT, calm
    assert str(safereply.triage(urgent).kind) == kind, urgent


@pytest.mark.parametrize(
    "text",
    [
        "Selling my barely used exercise bike, $150 OBO, pickup only",
        "Vendo andadera casi nueva, $40 o best offer, local pickup",
        "Gana dinero desde tu casa 💰 escríbeme para más información",
        "Check out my profile for cheap veneers shipped to your door",
    ],
)
def test_adverts_are_spam_and_never_escalated(text):
    assert str(safereply.triage(text).kind) == "spam"


@pytest.mark.parametrize(
    "text",
    [
        "Is this building for sale? Asking because the parking lot is always full.",
        "Do you have any pickup times for prescriptions on Saturday?",
        "My profile in the portal shows the wrong birthday, can you fix it?",
    ],
)
def test_look_alikes_of_adverts_are_not_spam(text):
    assert str(safereply.triage(text).kind) != "spam"


def _signals(text: str):
    norm = normalise(text)
    probs = default_model().predict_proba(text)
    return kind_signals(text, norm, probs, None)


#: Praise in negative words: the negative word intensifies the praise.
INTENSIFIED_PRAISE = [
    "The hygienist is insanely gentle and the visit was ridiculously quick.",
    "Criminally good dentist. I'm mad I didn't come here sooner.",
    "This practice is dangerously efficient, in and out in twenty minutes.",
]
#: The same negative words criticising: still complaint words.
NEGATIVE_WORDS = [
    "The hygienist was rough and the visit was ridiculous, two hours for a cleaning.",
    "I'm furious, they charged me twice and nobody called back.",
    "The billing is a scam and the front desk is rude.",
]


@pytest.mark.parametrize("text", INTENSIFIED_PRAISE)
def test_negative_words_that_intensify_praise_are_not_complaint_words(text):
    signals, strong, _ = _signals(text)
    assert not strong, strong
    assert signals.praise


@pytest.mark.parametrize("text", NEGATIVE_WORDS)
def test_negative_words_that_criticise_stay_complaint_words(text):
    _, strong, _ = _signals(text)
    assert strong


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("The surgery went fine. No thanks to the nurse who ignored my call light.", True),
        ("Thanks to the nurse who answered my call light so fast.", False),
        ("please be more careful with kids, my son was terrified", True),
        ("they were so careful with my son, he wasn't scared at all", False),
        ("Lovely staff. Minus two stars for the parking situation.", True),
    ],
)
def test_complaint_words_said_politely_count(text, complaint):
    _, strong, _ = _signals(text)
    assert bool(strong) is complaint, strong


@pytest.mark.parametrize(
    ("text", "praise"),
    [
        ("The orthodontist never once made my daughter feel judged about her teeth.", True),
        ("The orthodontist made my daughter feel judged about her teeth.", False),
        ("So happy we found this pediatrician, wish we had switched sooner!", True),
        ("We switched to a new pediatrician last spring.", False),
    ],
)
def test_praise_said_in_negations_is_a_praise_signal(text, praise):
    signals, _, _ = _signals(text)
    assert signals.praise is praise


def test_urgent_posts_keep_no_topics_but_their_look_alikes_do():
    urgent, why = explain("My son is not breathing, we've been waiting 20 minutes for the nurse")
    assert str(urgent.kind) == "emergency" and urgent.topics == ()
    assert any(s.name == "topics" and s.why.startswith("none kept") for s in why.steps)
    ordinary = safereply.triage("We waited 2 hours past our appointment and nobody said sorry")
    assert "wait-time" in [str(t) for t in ordinary.topics]


@pytest.mark.parametrize(
    ("text", "gated"),
    [
        ("Been on the same blood pressure pill for 3 years and now they want a visit", False),
        ("x-ray read as normal, turned out broken. 3 weeks walking on it.", False),
        ("the crown cracked three weeks after they put it in", False),
        ("3 weeks for my ultrasound results, very zen", True),
        ("6 weeks for a callback about my MRI", True),
        ("They never called me back about my referral. 4 weeks.", True),
        ("sat in the lobby forever", True),
        ("Esperé dos horas en la sala", True),
    ],
)
def test_wait_time_from_the_classifier_needs_a_word_of_waiting(text, gated):
    assert topic_gated("wait-time", normalise(text)) is gated
    assert topic_gated("billing", normalise(text))  # only wait-time has a gate


def _spent(folder: str) -> list[dict]:
    path = ROOT / "data" / folder
    return [json.loads(line) for p in sorted(path.glob("*.jsonl")) for line in p.open() if line]


@pytest.mark.parametrize("folder", ["triage_blind2", "triage_blind3"])
def test_every_urgent_post_of_the_spent_sets_is_still_escalated(folder):
    rows = [r for r in _spent(folder) if r["urgent"] in URGENT]
    assert rows
    missed = [
        r["id"]
        for r in rows
        if str(safereply.triage(r["text"], rating=r["rating"]).kind) not in URGENT
    ]
    assert missed == []


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("The stairs are the only way in and my husband uses a wheelchair.", True),
        ("No ramp at the side entrance, so I waited outside.", True),
        ("The ramp at the side entrance made it easy with my walker.", False),
    ],
)
def test_an_access_barrier_told_as_a_fact_is_a_complaint_word(text, complaint):
    _, strong, _ = _signals(text)
    assert bool(strong) is complaint, strong
