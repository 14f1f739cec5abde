"""Frightening but not urgent (issue 15, round 2): hyperbole with laughter, past events told as
stories, a goodbye for an ordinary reason, pain-management complaints. None escalates; the real
emergencies and crises beside them, in English and Spanish, still do.

Every post here was written for this test (none is from a blind set). Each of the frightening
posts was escalated before this round.
"""

from __future__ import annotations

import pytest

from safereply.core.triage import triage
from safereply.core.vocab import PostKind, Priority

URGENT = (PostKind.EMERGENCY, PostKind.CRISIS)

#: Escalated before this round (by the urgency classifier or a rule); ordinary posts.
FRIGHTENING = [
    # hyperbole about money and waits, with or without laughter
    "this bill is going to kill me 😂😂",
    "if I have to wait one more hour I'm going to die 🤣",
    "I'm dying to know if you take Aetna",
    "I'm bleeding money at this office 😂",
    "my wife's snoring is going to be the end of me. can you refer us to a sleep clinic?",
    "the online booking situation is pure suicide, nothing open till March",
    "gonna need cpr after reading that estimate haha",
    "overdosed on waiting room tv again, 50 minutes of daytime reality shows lol",
    # the numbing wore off
    "The numbing shot made my face droop for hours lol, looked like a melted candle",
    # past events, told as stories
    "Last year my son swallowed a magnet and the ER here saved his life. Forever grateful.",
    "I couldn't breathe through my nose for a week after the surgery, annoying but it's fine now",
    "My dad had a seizure at the grocery store in May. The neurology referral came through fast.",
    # a goodbye for an ordinary reason
    "Last appointment before we move to Denver, goodbye everyone and thank you!",
    # laughter and tiredness
    "tired of being tired lol, can I get my thyroid checked",
]

#: Not escalated before either: guards for the new figures and farewells.
ALSO_CALM = [
    "the deductible is literally going to kill me lol",
    "Scheduling here is a total train wreck, three calls to move one cleaning",
    "So sad Dr. Ruiz is retiring. Goodbye and thank you for 20 years of checkups.",
]

#: Real emergencies and crises written for this test in the same voices: still escalated.
STILL_URGENT = [
    ("my husband is clutching his chest and sweating, we're in your lot right now", "emergency"),
    ("lol i can't do this anymore. i have the pills lined up. bye", "crisis"),
    ("Mi bebé de 3 semanas tiene fiebre de 39 y no quiere comer", "emergency"),
    ("Ya no quiero vivir, me quiero matar esta noche", "crisis"),
    ("Two years ago I had chest pain here and now it's back, worse, and my left arm is numb",
     "emergency"),
    ("this is my last review. goodbye everyone, I won't be around much longer", "crisis"),
    ("my toddler just drank some of the dishwasher pods 😭 what do we do", "emergency"),
]  # fmt: skip


@pytest.mark.parametrize("text", FRIGHTENING + ALSO_CALM)
def test_frightening_posts_are_not_escalated(text):
    result = triage(text)
    assert result.kind not in URGENT, result.reasons
    assert result.priority is not Priority.URGENT


@pytest.mark.parametrize(("text", "kind"), STILL_URGENT)
def test_real_emergencies_and_crises_still_escalate(text, kind):
    result = triage(text)
    assert result.kind == PostKind(kind), result.reasons
    assert result.priority is Priority.URGENT


def test_laughter_alone_never_clears_a_post():
    # a laughing post with a word of danger beyond hyperbole is still read by the classifier
    from safereply.core.triage.urgent import laughing_hyperbole, resolved

    assert laughing_hyperbole("this bill is going to kill me 😂")
    assert not laughing_hyperbole("lol i just want to disappear forever, i have the pills")
    assert not laughing_hyperbole("this bill is going to kill me")  # no laughter
    assert resolved("annoying but it's fine now")
    assert not resolved("it was fine now it's back and she can't breathe")
