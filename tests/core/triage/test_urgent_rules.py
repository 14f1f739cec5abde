"""Emergency and crisis posts must never be missed; ordinary figures of speech must not escalate."""

from __future__ import annotations

from collections import Counter

import pytest
from triage_corpus import load_posts

from safereply.core.triage import triage
from safereply.core.triage.rules import crisis_reasons, emergency_reasons, normalise
from safereply.core.vocab import PostKind, Priority

POSTS = load_posts() + load_posts("tuned_posts.jsonl")
URGENT = [p for p in POSTS if p["kind"] in ("emergency", "crisis")]
CALM = [p for p in POSTS if p["kind"] not in ("emergency", "crisis")]


def test_the_corpora_have_many_urgent_posts():
    assert sum(p["kind"] == "emergency" for p in POSTS) >= 40
    assert sum(p["kind"] == "crisis" for p in POSTS) >= 40


@pytest.mark.parametrize("post", URGENT, ids=[p["id"] for p in URGENT])
def test_every_labelled_urgent_post_is_escalated(post):
    result = triage(post["text"], platform=post.get("platform"), rating=post.get("rating"))
    assert result.kind == post["kind"]
    assert result.priority is Priority.URGENT
    assert result.discloses_health


@pytest.mark.parametrize("post", CALM, ids=[p["id"] for p in CALM])
def test_no_labelled_ordinary_post_is_escalated(post):
    result = triage(post["text"], platform=post.get("platform"), rating=post.get("rating"))
    assert result.kind not in (PostKind.EMERGENCY, PostKind.CRISIS)


EMERGENCIES = [
    ("my dad has chest pain and is sweating", "mentions chest pain"),
    ("There's a crushing pressure in my chest since lunch", "mentions chest pain"),
    ("My wife can't breathe", "mentions trouble breathing"),
    ("my son cant breathe!!", "mentions trouble breathing"),
    ("I'm having trouble breathing after the shot", "mentions trouble breathing"),
    ("my toddler swallowed a battery from the remote", "mentions a swallowed object"),
    ("Baby swallowed a button battery 10 min ago", "mentions a swallowed object"),
    ("I think it's anaphylaxis, she used her EpiPen", "mentions a severe allergic reaction"),
    ("my throat is closing after the penicillin", "mentions a severe allergic reaction"),
    ("His face is drooping on the left side", "mentions stroke signs"),
    ("mom's speech is slurred and she seems confused", "mentions stroke signs"),
    ("The bleeding won't stop after my extraction", "mentions heavy bleeding"),
    ("bleeding wont stop from the socket", "mentions heavy bleeding"),
    ("I think my roommate overdosed", "mentions an overdose"),
    ("She took too many of her sleeping tablets by accident", "mentions an overdose"),
    ("my husband collapsed in the kitchen", "mentions loss of consciousness"),
    ("My daughter is having a seizure", "mentions a seizure"),
    ("Grandpa had a stroke? his arm is weak", "mentions stroke signs"),
    ("My chest hurts and my left arm is numb", "mentions chest pain"),
    ("my lips and tongue are swelling up", "mentions a severe allergic reaction"),
]


@pytest.mark.parametrize(("text", "reason"), EMERGENCIES)
def test_emergency_patterns(text, reason):
    result = triage(text)
    assert result.kind is PostKind.EMERGENCY
    assert result.priority is Priority.URGENT
    assert reason in result.reasons


CRISES = [
    ("Everyone would be better off without me", "says others are better off without them"),
    ("everyone would be better off without me tbh", "says others are better off without them"),
    ("I have the pills lined up", "mentions a plan or means"),
    ("I don't want to wake up", "mentions wanting to die"),
    ("i dont want to wake up anymore", "mentions wanting to die"),
    ("This is my goodbye", "says goodbye"),
    ("I'm having suicidal thoughts", "mentions suicide"),
    ("I want to kill myself", "mentions suicide"),
    ("I've been thinking about ending my life", "mentions suicide"),
    ("I can't go on anymore", "says they cannot go on"),
    ("I'm just a burden to everyone", "says others are better off without them"),
    ("I've been self-harming again", "mentions self-harm"),
    ("I won't be around much longer anyway", "says goodbye"),
    ("My brother says he wants to die", "mentions wanting to die"),
    ("I’d rather be dead than go through this again", "mentions wanting to die"),
]


@pytest.mark.parametrize(("text", "reason"), CRISES)
def test_crisis_patterns(text, reason):
    result = triage(text)
    assert result.kind is PostKind.CRISIS
    assert result.priority is Priority.URGENT
    assert reason in result.reasons


def test_crisis_wins_over_emergency():
    result = triage("I'm thinking of overdosing on my antidepressants, I have a full bottle")
    assert result.kind is PostKind.CRISIS


def test_urgency_does_not_depend_on_rating_or_platform():
    for rating in (1, 3, 5):
        result = triage("my chest pain is getting worse", platform="google", rating=rating)
        assert result.kind is PostKind.EMERGENCY


FALSE_ALARMS = [
    "The wait was killing me, but the staff were great.",
    "I almost died laughing at the jokes on the ceiling.",
    "Chest x-ray was quick and the tech was friendly.",
    "Pain-free cleaning, highly recommend!",
    "This bill is killing me.",
    "The cookies in the lobby are to die for.",
    "I'm dying to try the new whitening.",
    "What a stroke of luck to get a same-day appointment.",
    "I could finally breathe a sigh of relief.",
    "My heart was racing before the extraction but they were so calm.",
    "I had chest pain last year and Dr. Lee found nothing serious, great doctor.",
    "I'm done with this office, switching dentists.",
    "Killer smile now, thanks to Dr. Ortiz!",
    "My kids are dying to come back for the prize box.",
    "The new waiting room is to die for.",
    "No wait at all, in and out.",
    "They said to call if the bleeding lasted more than a day; it stopped within an hour.",
    # from real reviews (docs/triage.md, "Real reviews")
    "I was killing myself to make the 5:15 appointment on time.",
    "We went to Mayo and she lived 12 years; cancer didn't take her life.",
    "Even though you don't want to be here, they put you at ease.",
]


def test_letters_to_a_home_address_are_not_a_goodbye_by_rule():
    # Read in a real 1-star review; the urgency classifier may still ask a person to look.
    from safereply.core.triage.rules import crisis_reasons, normalise

    text = "The owner has written letters to my home and work address about my review."
    assert crisis_reasons(normalise(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        "I'm killing myself to end this pain.",
        "I want to take my own life.",
        "I don't want to be here anymore.",
        "I wrote letters to my kids tonight. Goodbye.",
    ],
)
def test_the_same_words_about_oneself_still_escalate(text):
    assert triage(text).kind is PostKind.CRISIS


@pytest.mark.parametrize("text", FALSE_ALARMS)
def test_figures_of_speech_do_not_escalate(text):
    result = triage(text)
    assert result.kind not in (PostKind.EMERGENCY, PostKind.CRISIS), result.reasons


def test_historical_mention_is_not_an_emergency_but_present_one_is():
    assert not emergency_reasons(normalise("I had chest pain years ago, all fine."))
    assert emergency_reasons(normalise("I had chest pain years ago and now it's back"))


def test_crisis_rules_ignore_time_frames():
    # Crisis recall is never softened, even when the post talks about the past.
    assert crisis_reasons(normalise("Last year I wanted to kill myself and I still do"))


# The blind set (docs/triage-urgent.md): written before the urgent rules were read, so it measured
# how the rules generalise to the way people actually write. The probe set holds five later rounds
# of fresh phrasings, each written and measured before the rules were widened for it. Every urgent
# post must be caught under its own kind; no ordinary post may escalate, except these, which are
# escalated on purpose (a person reads them: a minute lost, against a life).
BLIND = load_posts("urgent_tuned_posts.jsonl")
PROBES = load_posts("probe_urgent_posts.jsonl")
FRESH = BLIND + PROBES
FRESH_URGENT = [p for p in FRESH if p["kind"] in ("emergency", "crisis")]
FRESH_CALM = [p for p in FRESH if p["kind"] not in ("emergency", "crisis")]
# Issue 15 took two off this list: "I can't take it anymore, three cancellations in a row!"
# (blind-t068: a grievance next to the words, and no other crisis sign) and a recovery story told
# in the past ("Two years ago I was suicidal ... I'm doing great now", blind-t131).
ACCEPTED_ESCALATIONS = {
    # A method or a wish to die in a joke ("jump off a bridge lol", "makes me want to die lol"):
    # a person reads it rather than a rule deciding that "lol" makes it safe.
    "blind-t132": "jump off a bridge",
    "probe2-t10": "makes me want to die",
    # Questions about a symptom that may be happening now: the answer is "call 911".
    "probe2-t05": "asks where to go with chest pain",
    "probe2-t14": "feeling faint",
    "probe5-t09": "heavy bleeding",
    # "Worst headache" is the sign of a bleed on the brain; the joke is not worth the risk.
    "probe1-t25": "worst headache",
    # "The suicide hotline number" is also what a person in crisis asks for.
    "probe3-t08": "suicide hotline",
}
# Escalated by the urgency classifier (urgent.py), not by the rules, although they are in its
# training data: questions about a child who swallowed something are worth a person's minute;
# "killing my battery" and "swallowed her fear" are the price of a recall-first threshold.
# ("if my child ever swallows a button battery" left the list in issue 15, round 2: the
# classifier is no longer asked about a post whose danger is only hypothetical or past.)
CLASSIFIER_ESCALATIONS = {
    "blind-t029": "killing my battery",
    "blind-t033": "swallowed her fear",
    "blind-t045": "swallowed a loose tooth, is that ok?",
    "blind-t063": "swallowed some toothpaste, is that ok?",
}


def test_the_fresh_sets_are_large_and_balanced():
    kinds = Counter(p["kind"] for p in BLIND)
    assert kinds["crisis"] >= 60
    assert kinds["emergency"] >= 50
    assert sum(p["kind"] not in ("emergency", "crisis") for p in BLIND) >= 120
    assert len({p["id"] for p in FRESH}) == len(FRESH)
    assert ACCEPTED_ESCALATIONS.keys() <= {p["id"] for p in FRESH_CALM}
    assert CLASSIFIER_ESCALATIONS.keys() <= {p["id"] for p in FRESH_CALM}


@pytest.mark.parametrize("post", FRESH_URGENT, ids=[p["id"] for p in FRESH_URGENT])
def test_every_fresh_urgent_post_is_escalated(post):
    result = triage(post["text"])
    assert result.kind == post["kind"], result.reasons
    assert result.priority is Priority.URGENT
    assert result.reasons


@pytest.mark.parametrize("post", FRESH_CALM, ids=[p["id"] for p in FRESH_CALM])
def test_no_tricky_fresh_post_is_escalated(post):
    result = triage(post["text"])
    escalated = result.priority is Priority.URGENT
    accepted = post["id"] in ACCEPTED_ESCALATIONS or post["id"] in CLASSIFIER_ESCALATIONS
    assert escalated == accepted, result.reasons
    if post["id"] in CLASSIFIER_ESCALATIONS:
        assert all("(classifier)" in r for r in result.reasons if r.startswith("may be"))
        assert not crisis_reasons(normalise(post["text"]))
        assert not emergency_reasons(normalise(post["text"]))


@pytest.mark.parametrize(
    "text",
    [
        "They said to call 911 if the swelling ever spreads; it never did.",
        "My mom had a severe allergic reaction here years ago and they now use latex-free gloves.",
        "The overdose awareness poster in the lobby is a nice touch.",
        "Heart attack on a plate at the diner next door lol",
        "No more chest pain since the new medication, thank you!",
    ],
)
def test_hypotheticals_past_events_and_idioms_do_not_escalate(text):
    assert triage(text).priority is not Priority.URGENT


def test_a_hypothetical_battery_is_a_question_not_an_escalation():
    # The rules read a hypothetical as no emergency, and since issue 15 (round 2) the urgency
    # classifier is not asked about danger told only as a hypothetical or the past: the post is
    # a question waiting for an answer (high priority), not an emergency happening now.
    text = "What should I do if my child ever swallows a button battery?"
    assert not emergency_reasons(normalise(text))
    result = triage(text)
    assert result.kind is PostKind.QUESTION
    assert result.priority is Priority.HIGH


def test_an_overdose_signed_off_with_a_farewell_is_a_crisis():
    assert triage("took the whole bottle of my sleeping pills. bye").kind is PostKind.CRISIS
    assert triage("my son took the whole bottle of gummies").kind is PostKind.EMERGENCY


def test_a_planned_absence_is_not_a_goodbye():
    assert not crisis_reasons(normalise("I won't be around next week, can I reschedule?"))
    assert crisis_reasons(normalise("i'm not going to be here next week so cancel everything"))


@pytest.mark.parametrize("text", ["been having su1c1dal thoughts", "i want to k!ll myself"])
def test_look_alike_characters_do_not_hide_a_crisis(text):
    assert triage(text).kind is PostKind.CRISIS
