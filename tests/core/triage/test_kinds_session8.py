"""Session 8: the spent fourth blind set's kind and false-urgency errors, fixed by shape.

``data/triage_blind4`` was measured once at the end of session 7 and is spent. Its odd-numbered
posts (and the round-1 tune split, looked at and never trained on) were read, their kind errors
on posts without stars and their escalations of frightening-but-not-urgent posts grouped into
families, and each family fixed by a rule. Each is tested here in other words than the set's,
beside a look-alike whose reading must not change: a present danger that must still escalate, a
complaint that must stay a complaint, a plain question that must stay a question.
"""

from __future__ import annotations

import pytest

import safereply
from safereply.core.triage import explain
from safereply.core.triage.rules import is_question, normalise, spam_reasons
from safereply.core.triage.valence import emoji_only_tone

URGENT = ("emergency", "crisis")


def kind_of(text: str, rating: float | None = None) -> str:
    return safereply.triage(text, rating=rating).kind.value


# -- a post of emoji alone ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tone"),
    [
        ("@DrLeePeds 💕💕", 1),
        ("🙏🙏 ❤️", 1),
        ("@MapleDental 😡😡", -1),
        ("👎👎", -1),
        # look-alikes: a broken heart, neutral or mixed emoji, and any word, are left alone
        ("@DrLeePeds 💔", 0),
        ("👀", 0),
        ("🙌🙌", 0),
        ("❤️👎", 0),
        ("love you guys ❤️", 0),
    ],
)
def test_a_post_of_emoji_alone_has_the_tone_of_its_emoji(text, tone):
    assert emoji_only_tone(normalise(text)) == tone


def test_emoji_alone_decide_praise_or_complaint_but_not_with_stars():
    assert kind_of("@DrLeePeds 💕💕") == "praise"
    assert kind_of("@MapleDental 😡😡") == "complaint"
    # with stars the stacker reads the stars, as before: the emoji do not decide
    _, trace = explain("😡😡", rating=5)
    assert not any("emoji alone" in step.why for step in trace.steps)


# -- praise of a person the praise words lacked ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "My toddler howled through the whole cleaning but the hygienist never missed a beat.",
            "praise",
        ),
        ("Dr. Osei stayed late to fit us in. Absolute legend.", "praise"),
        ("Front desk sorted out a billing mess from my last insurer. Give her a raise.", "praise"),
        # look-alikes: the same people, criticised
        ("The hygienist missed a spot and my gums bled all evening.", "complaint"),
        ("Front desk sorted nothing out and nobody called me back.", "complaint"),
    ],
)
def test_stock_praise_of_a_person_is_praise(text, kind):
    assert kind_of(text) == kind


# -- praise without praise words: a complaint only when it complains ------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a "but" that turns to praise, other providers' faults
        ("The chairs are a bit worn but the view from the exam room is beautiful", "praise"),
        ("The drill noise took years off my life but my crown looks perfect", "praise"),
        ("Dr. Ruiz spotted the fracture three other doctors missed.", "praise"),
        # look-alikes that stay complaints: a "but" that turns to a complaint, a symptom
        # after a treatment, a privacy breach described
        ("Dr. Ruiz is nice but the filling still hurts every time I eat", "complaint"),
        ("My root canal hurt", "complaint"),
        ("Dr. Ruiz missed the fracture.", "complaint"),
        ("The receptionist read my test results out loud to the waiting room!", "complaint"),
    ],
)
def test_praise_without_praise_words_is_a_complaint_only_when_it_complains(text, kind):
    assert kind_of(text) == kind


# -- sarcasm, spam, questions that complain -------------------------------------------------------


def test_thanks_to_whoever_decided_is_sarcasm_but_thanks_to_a_person_is_praise():
    assert kind_of(
        "Kudos to whoever decided to hold the fire drill during the flu shot clinic"
    ) == ("complaint")
    assert kind_of("Kudos to Maria at the front desk for squeezing us in today!") == "praise"


@pytest.mark.parametrize(
    "text",
    [
        "Gana 500 dólares por semana desde tu celular, info por privado",
        "Vendo cremas naturales para la piel, escríbeme al WhatsApp",
    ],
)
def test_spanish_money_offers_and_sales_are_spam(text):
    assert kind_of(text) == "spam"


@pytest.mark.parametrize(
    "text",
    [
        "¿Cuánto cobran por semana de terapia física?",
        "Escríbeme por privado el precio de la limpieza, por favor",
        "Se venden muchos cepillos en la farmacia de al lado, ¿cuál recomiendan?",
    ],
)
def test_spanish_prices_and_a_lone_private_message_are_not_spam(text):
    strong, weak = spam_reasons(normalise(text))
    assert not strong and len(weak) < 2


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Why does the portal say my refill was sent when the pharmacy never got it?", "complaint"),
        ("Do you have evening hours? Been trying to book one since October.", "complaint"),
        ("Voicemail full for three days now. what's the point", "complaint"),
        # look-alikes: a "when" that tells no fact, a question with an ordinary reason
        ("Why does my jaw click when I chew?", "question"),
        ("Do you have evening hours? I work until 6.", "question"),
    ],
)
def test_a_question_that_complains_by_its_shape_is_a_complaint(text, kind):
    assert kind_of(text) == kind


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("Please advise whether you offer sedation for fillings.", True),
        ("is it the clear aligners you use or a cheaper brand", True),
        ("will my insurance cover a night guard", True),
        ("Please advise your staff to knock before coming in.", False),
        ("It is what it is or so they say", False),
    ],
)
def test_question_openings_without_a_question_mark(text, asks):
    assert is_question(normalise(text)) is asks


@pytest.mark.parametrize(
    ("text", "rating", "kind"),
    [
        (
            "Lovely hygienist. Docking a star because the front desk lost my forms twice.",
            4,
            "complaint",
        ),
        (
            "Only 4 stars because it's a long drive, not their fault. Dr. Park is wonderful.",
            4,
            "praise",
        ),
    ],
)
def test_a_star_docked_for_a_reason_is_a_complaint(text, rating, kind):
    assert kind_of(text, rating=rating) == kind


# -- frightening words without a present danger ---------------------------------------------------

NOT_URGENT_PAIRS = [
    # worry as an idiom
    (
        "My mom is worried sick about her biopsy results, it's been two weeks. Please call her.",
        "My mom is sick, she can't breathe and her lips are turning blue",
    ),
    # a joke about dying in the chair, with a goodbye conditional on a routine procedure
    (
        "if I die in the chair during my wisdom teeth removal tomorrow tell my dog I love him 😂",
        "if I die tonight tell my mom I love her, I have the pills ready",
    ),
    # a fear of fainting told, not a faint
    (
        "Pensé que me iba a desmayar cuando vi la aguja jaja pero la enfermera fue súper dulce",
        "Mi esposo se desmayó en la sala y no despierta",
    ),
    # "now every headache": a habit since a past stroke, not a sign now
    (
        "My husband had a stroke two years ago and now every little headache scares us. "
        "He feels fine today. Should he bring it up at his checkup?",
        "My husband had a stroke two years ago and now his face is drooping again and his "
        "speech is slurred",
    ),
]


@pytest.mark.parametrize(("calm", "urgent"), NOT_URGENT_PAIRS)
def test_frightening_words_without_a_present_danger_are_not_escalated(calm, urgent):
    assert kind_of(calm) not in URGENT
    assert kind_of(urgent) in URGENT
