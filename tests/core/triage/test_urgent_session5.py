"""Emergencies and crises the second blind set found missing (session 5), in both languages.

The blind2 measurement (once, before these rules) missed an overdose named by the medicine, a
question about the most painless way to die, Spanish doubt that going on is worth it, "better not
to wake up", an assault with bleeding and dizziness with a slow heart. These cases are written
here in other words than the blind set's (its items stay out of the tests), with the look-alikes
that must stay ordinary posts.
"""

from __future__ import annotations

import pytest

import safereply

URGENT = [
    ("I swallowed all of my fluoxetine twenty minutes ago, sorry for writing here", "crisis"),
    ("took the whole bottle of my sleeping pills. just wanted someone to know", "crisis"),
    ("whats the easiest way to end it all honestly", "crisis"),
    ("is there a painless way to die? not joking", "crisis"),
    ("Ya no sé si vale la pena vivir, todo me pesa", "crisis"),
    ("A veces creo que sería mejor no despertar mañana", "crisis"),
    ("Mi esposo me pegó y estoy sangrando de la boca", "emergency"),
    ("my boyfriend kicked me and it hurts so bad I can barely stand", "emergency"),
    ("Estoy muy mareado y siento que el corazón me late muy lento", "emergency"),
    ("I feel faint and my heart is beating really slow since this morning", "emergency"),
]

ORDINARY = [
    "I took all my kids to the dentist today, great visit!",
    "Took all my medications to the appointment like they asked and still waited 2 hours",
    "No sé si vale la pena seguir con este dentista, siempre me cobran de más.",
    "No sé si vale la pena seguir el tratamiento, es muy caro",
    "What's the fastest way to get to your office from the highway?",
    "Best way to book a cleaning? The phone line is always busy",
    "The hygienist hit me with the mirror by accident lol, no harm done",
    "Mi hijo se golpeó jugando pero ya está bien, gracias por atenderlo",
    "Sería mejor no esperar tanto en la recepción, una hora es mucho",
    "I was dizzy after the anesthesia but the nurse was great",
]


def _kind(text: str) -> str:
    kind = safereply.triage(text).kind
    return str(getattr(kind, "value", kind))


@pytest.mark.parametrize(("text", "kind"), URGENT)
def test_present_danger_is_escalated(text, kind):
    assert _kind(text) == kind


@pytest.mark.parametrize("text", ORDINARY)
def test_look_alikes_are_not_escalated(text):
    assert _kind(text) not in ("crisis", "emergency")
