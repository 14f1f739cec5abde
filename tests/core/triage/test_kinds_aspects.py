"""Issue 15: kinds from the words alone, aspects with polarity, and sentiment that makes sense.

The examples here are written for these tests; none is a post of the blind split
(``data/triage_blind.jsonl``), which only ``bench/triage_quality.py`` reads.
"""

from __future__ import annotations

import json
from importlib import resources

import pytest

from safereply.core.triage import TriageResult, triage
from safereply.core.triage.aspects import clauses, find_aspects
from safereply.core.triage.kinds import KIND_CLASSES, KIND_FEATURES, SARCASM, KindStacker
from safereply.core.triage.model import default_model
from safereply.core.triage.result import Aspect
from safereply.core.triage.valence import valence
from safereply.core.vocab import PostKind, Priority, Topic

# -- kinds without stars ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # blunt one-liners with no complaint words
        ("minus five stars if that were an option", "complaint"),
        ("Would not send my worst enemy to this clinic.", "complaint"),
        # sarcastic thanks
        ("Thanks for the 3 hour wait, really made my Monday", "complaint"),
        ("Love getting a surprise bill two months later 🙃", "complaint"),
        # a question that complains stays a complaint
        ("Why was I charged twice for one visit?", "complaint"),
        ("Is anybody ever going to return my calls?", "complaint"),
        # records, collections, portals, privacy
        ("Requested my chart in March and still nothing now in May.", "complaint"),
        (
            "My account went to a collection agency while insurance was still processing it.",
            "complaint",
        ),
        ("The patient app has been broken for three weeks.", "complaint"),
        ("The therapist told my mother what we talked about in session.", "complaint"),
        # plain questions, praise and the rest
        ("Do you take Delta Dental?", "question"),
        ("Are you open the Friday after Thanksgiving?", "question"),
        ("Dr. Mills is wonderful with nervous kids.", "praise"),
        ("Congrats on the new office!", "other"),
    ],
)
def test_kind_without_a_rating(text, kind):
    assert triage(text).kind.value == kind


def test_without_stars_praise_needs_words_of_praise():
    # the classifier reads short clinical posts as positive; a complaint cue and no praise word
    # is not praise (the reply linter then asks the reply to invite a call)
    # (session 10: "My root canal hurt" now reads as chatter, not praise: test_kinds_session9)
    assert triage("My root canal hurt").kind is not PostKind.PRAISE
    assert triage("The filling still hurts.").kind is PostKind.COMPLAINT


def test_a_rating_still_counts_when_there_is_one():
    text = "The hygienist was fine, the front desk lost my paperwork."
    assert triage(text, rating=1).kind is PostKind.COMPLAINT
    assert triage("Great visit, thank you all!", rating=5).kind is PostKind.PRAISE


def test_sarcasm_needs_something_that_went_wrong():
    assert SARCASM.search("thanks so much for the two hour wait")
    assert SARCASM.search("thanks for nothing.")
    assert not SARCASM.search("thank you for staying late so my son could be seen")
    assert not SARCASM.search("thanks again dr lee!")


def test_privacy_is_output_for_a_breach_and_a_disclosed_result():
    for text in (
        "The front desk read my test result out loud in the waiting room.",
        "Your office mailed my lab results to my neighbour.",
    ):
        result = triage(text)
        assert Topic.PRIVACY in result.topics, text
        assert result.kind is PostKind.COMPLAINT
        assert result.priority is Priority.HIGH


# -- sentiment sanity (issue 15) ----------------------------------------------------------------


def test_a_plain_question_is_not_strongly_negative():
    assert triage("Do you take new patients on Saturdays?").sentiment > -0.5


def test_a_wheelchair_access_complaint_is_not_positive():
    result = triage("There is still no ramp, so my wheelchair cannot get in the front door.")
    assert result.kind is PostKind.COMPLAINT
    assert result.sentiment <= 0


def test_glowing_praise_that_mentions_a_filling_is_not_high_priority():
    text = "Dr. Lee did my filling and I didn't feel a thing. Best dentist in town!"
    result = triage(text, rating=5)
    assert result.kind is PostKind.PRAISE
    assert result.discloses_health  # the reply must still not echo it
    assert result.priority is Priority.LOW


# -- aspects --------------------------------------------------------------------------------------


def test_a_mixed_review_praises_one_topic_and_criticises_another():
    text = "Dr. Reyes was wonderful and so kind, but the billing office overcharged me twice."
    result = triage(text)
    assert result.kind is PostKind.COMPLAINT
    aspects = {a.topic: a for a in result.aspects}
    assert aspects[Topic.BILLING].polarity == "negative"
    assert aspects[Topic.STAFF_COURTESY].polarity == "positive"
    start, end = aspects[Topic.BILLING].evidence
    assert "overcharged" in text[start:end]
    start, end = aspects[Topic.STAFF_COURTESY].evidence
    assert "kind" in text[start:end]


def test_every_topic_of_a_complaint_or_praise_has_one_aspect():
    for text in (
        "Waited two hours and the receptionist was rude about it.",
        "Spotless office, lovely staff and no wait at all.",
    ):
        result = triage(text)
        assert [a.topic for a in result.aspects] == list(result.topics)
        for aspect in result.aspects:
            start, end = aspect.evidence
            assert 0 <= start < end <= len(text)
            assert aspect.polarity in ("positive", "negative", "mixed")


def test_questions_and_other_posts_have_no_aspects():
    assert triage("How much is a cleaning without insurance?").aspects == ()
    assert triage("Tagging my brother so he sees this").aspects == ()
    model = default_model()
    assert find_aspects(model, "Do you take Aetna?", PostKind.QUESTION, (Topic.BILLING,)) == ()


def test_aspects_are_deterministic():
    text = "Kind nurse. The parking is impossible and the wait was an hour."
    assert triage(text).to_dict("a") == triage(text).to_dict("a")


def test_clauses_keep_titles_and_prices_whole():
    text = "Dr. Patel is lovely but it cost $3.50 more; the wait - awful. Never again!"
    assert [text[a:b] for a, b in clauses(text)] == [
        "Dr. Patel is lovely",
        "but it cost $3.50 more",
        "the wait",
        "awful",
        "Never again",
    ]
    assert clauses("   ") == []


# -- the JSON contract: existing fields unchanged, new ones appended ---------------------------


def test_aspects_are_appended_to_the_json():
    result = TriageResult(
        kind=PostKind.COMPLAINT,
        topics=(Topic.BILLING,),
        sentiment=-0.5,
        discloses_health=False,
        priority=Priority.HIGH,
        reasons=("complaint wording: overcharged",),
        aspects=(Aspect(Topic.BILLING, "negative", (4, 15)),),
    )
    out = result.to_dict("x")
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
    assert out["aspects"] == [{"topic": "billing", "polarity": "negative", "evidence": [4, 15]}]
    assert json.loads(json.dumps(out)) == out


# -- the stacker and the lexicon ------------------------------------------------------------------


def test_the_shipped_model_has_a_kind_stacker_and_kind_outputs():
    model = default_model()
    assert model.kind_stacker is not None
    assert set(KIND_CLASSES) <= set(model.outputs)
    assert "privacy" in model.thresholds
    probs = model.kind_stacker.probabilities([0.0] * len(KIND_FEATURES))
    assert set(probs) == set(KIND_CLASSES)
    assert sum(probs.values()) == pytest.approx(1.0)


def test_a_stacker_for_other_features_is_refused():
    raw = resources.files("safereply.core.triage").joinpath("model", "triage-model.json")
    data = json.loads(raw.read_text(encoding="utf-8"))["kind_stacker"]
    with pytest.raises(ValueError):
        KindStacker({**data, "features": data["features"][:-1]})
    with pytest.raises(ValueError):
        KindStacker({**data, "coef": data["coef"][:-1]})


def test_valence_reads_rare_words_and_negation():
    assert valence("very dissatisfied.").score < 0
    assert valence("not bad at all").score > 0
    assert valence("great doctor but the front desk is rude").score < 0
    assert valence("heading there now").score == 0
