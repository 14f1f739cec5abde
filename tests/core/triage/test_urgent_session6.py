"""Frightening posts that are not urgent (session 6), each beside a look-alike that must escalate.

The spent second blind set (``data/triage_blind2``) escalated posts that tell of a bereavement, a
scare that turned out to be nothing, soreness after a session, a dentist's numbing, "dying of the
wait" and a "death trap" of a car park. The rules that set them aside (``rules._FIGURES_TOLD``,
the recovery story's ``_WHEN_TOLD``) are tested here in other words than the set's, each with a
post in the same words that tells of a present danger and must still reach a person at once.
"""

from __future__ import annotations

import pytest

import safereply

PAIRS = [
    (
        "We lost my brother to suicide two years ago. Thank you Dr. Lee for the kindness since.",
        "My brother died by suicide and I want to kill myself too",
        "crisis",
    ),
    (
        "Our family lost a cousin to suicide in March, please check on your people",
        "I lost my job and I'm thinking about suicide",
        "crisis",
    ),
    (
        "Thought I was having a heart attack yesterday, turned out to be gas 🙄 quick visit",
        "I think I'm having a heart attack right now, chest pain down my left arm",
        "emergency",
    ),
    (
        "Can't lift my arm after yesterday's flu shot lol is that normal?",
        "My dad can't lift his arm and his face is drooping",
        "emergency",
    ),
    (
        "jaja la anestesia me dejó la boca dormida toda la tarde 😂",
        "De repente se me durmió la mitad de la cara y no puedo hablar bien",
        "emergency",
    ),
    (
        "Me voy a morir de tanto esperar en la sala, ya van dos horas 🙄",
        "Me quiero morir, ya no quiero seguir viviendo",
        "crisis",
    ),
    (
        "Parecía que me dio un infarto cuando vi la cuenta jajaja 😂",
        "Me duele mucho el pecho y el brazo izquierdo, creo que me está dando un infarto",
        "emergency",
    ),
    (
        "When I was diagnosed I wanted to die. Two years later I'm in remission, thank you.",
        "When I was diagnosed I wanted to die and I still want to die every day",
        "crisis",
    ),
    (
        "That stairwell is a death trap, someone is going to trip on the loose carpet",
        "I fell down your stairwell and my head is bleeding and won't stop",
        "emergency",
    ),
]


def _kind(text: str) -> str:
    return str(safereply.triage(text).kind.value)


@pytest.mark.parametrize(("ordinary", "urgent", "kind"), PAIRS)
def test_told_danger_is_not_escalated(ordinary, urgent, kind):
    assert _kind(ordinary) not in ("crisis", "emergency")


@pytest.mark.parametrize(("ordinary", "urgent", "kind"), PAIRS)
def test_present_danger_in_the_same_words_still_is(ordinary, urgent, kind):
    assert _kind(urgent) == kind
