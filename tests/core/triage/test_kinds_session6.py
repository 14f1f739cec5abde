"""Kinds without stars (session 6), from the spent second blind set's errors, in other words.

Praise that tells of the poster's own fright first ("I almost fainted ... but the nurse ...") was
read as a complaint, and praise words were missing ("so glad", "spotless", "es lo máximo", "fue
un ángel"). Each case is paired with a look-alike whose kind must not change: a fright followed
by a complaint, a "but" that complains, and the same words with a complaint.
"""

from __future__ import annotations

import pytest

import safereply
from safereply.core.triage import explain
from safereply.core.triage.engine import kind_signals
from safereply.core.triage.model import default_model
from safereply.core.triage.rules import normalise

PRAISE = [
    "lol I nearly fainted when I saw the drill 😂 but the hygienist talked me through it",
    "I was so nervous about the extraction but Dr. Park was gentle and kind",
    "Casi me desmayo con la inyección jaja pero el doctor fue un ángel",
    "Tenía mucho miedo pero no me dolió nada, gracias a la doctora Ruiz",
    "my son almost cried at the shot but the nurse distracted him like a pro",
]
COMPLAINT = [
    "I nearly fainted when I saw the drill but the hygienist was rude about it",
    "I was so nervous about the extraction but nobody explained anything",
    "Casi me desmayo en la sala de espera pero nadie me atendió en dos horas",
    "I was terrified but honestly the wait was 2 hours, the worst",
    "I almost passed out from the pain but the nurse ignored me",
]
#: Praise words added in session 6 (a signal the kind stacker reads), each beside a post that
#: has none.
PRAISE_WORDS = [
    ("So glad I switched to this practice, Dr. Owens finally found what was wrong.", True),
    ("The office is old but spotless.", True),
    ("La recepcionista Carmen es lo máximo, siempre tan atenta.", True),
    ("Quiero agradecer a todo el equipo por su paciencia.", True),
    ("the nurse was an angel 💕", True),
    ("The office is old and the carpet is stained.", False),
    ("La recepcionista Carmen no contesta el teléfono.", False),
    ("Glad to know the office moved, where do I park?", False),
]
#: A 4-5-star review that ends in praise with no complaint word is praise, whatever its price
#: says to the classifier; one that ends on what went wrong is not.
RATED = [
    ("They have a monthly deal, $79 per month for one massage. Loved it!", 4, "praise"),
    ("Membership is $59 a month for two adjustments. Great value, love this place!", 5, "praise"),
    ("Great physical therapists. Billing took 3 months to sort out my insurance.", 4, "complaint"),
    ("Loved the hygienist. The front desk charged me twice.", 4, "complaint"),
]


def _kind(text: str) -> str:
    return str(safereply.triage(text).kind.value)


@pytest.mark.parametrize("text", PRAISE)
def test_a_fright_then_praise_is_praise(text):
    assert _kind(text) == "praise"


@pytest.mark.parametrize("text", COMPLAINT)
def test_a_fright_then_a_complaint_stays_a_complaint(text):
    assert _kind(text) == "complaint"


@pytest.mark.parametrize(("text", "praise"), PRAISE_WORDS)
def test_praise_words(text, praise):
    norm = normalise(text)
    probs = default_model().predict_proba(text)
    assert kind_signals(text, norm, probs, None)[0].praise is praise


@pytest.mark.parametrize(("text", "rating", "kind"), RATED)
def test_a_review_that_ends_in_praise(text, rating, kind):
    assert safereply.triage(text, rating=rating).kind.value == kind


def test_the_trace_says_why():
    _, trace = explain(PRAISE[0])
    kinds = [step.why for step in trace.steps if step.name == "kind"]
    assert any("fright" in why for why in kinds) or kinds[-1].startswith("praise")


def test_with_stars_the_stacker_decides():
    # the step reads posts without stars only: a 1-star review is what its stars and words say
    result = safereply.triage(
        "I nearly fainted when I saw the drill but the hygienist talked me through it", rating=1
    )
    assert result.kind.value == "complaint"
