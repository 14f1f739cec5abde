"""Compliant wordings built to tempt a checker (session 9), and the violations beside them that
must still be caught. Every example was written for this test, in the families that the false
warnings and blocks of the call-invitation, tone, echo and learned rules fell into on the spent
sets (lint_blind2..5 and the development set): praise thanked without a call invitation,
guidance addressed to anyone, a power of attorney and a patient's rights, prices and scores the
poster quoted.
"""

from __future__ import annotations

import pytest

from safereply.core.lint import default_linter
from safereply.core.vocab import Verdict

LINTER = default_linter()
ADVICE = {"MA001", "MA002"}
HEALTH = {"HD001", "HD002", "HD003", "EC001"}


def _codes(text: str, post: str | None = None) -> set[str]:
    return {f.code for f in LINTER.check(text, post=post).findings}


def _verdict(text: str, post: str | None = None) -> Verdict:
    return LINTER.check(text, post=post).verdict


# -- praise thanked: no call invitation needed --------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        (
            "Thank you for your feedback. We'll share your kind words with the whole lab crew.",
            "Been coming for years. The lab techs are always quick.",
        ),
        ("Thanks for the tag! Go get 'em 🎓", "graduated with my new smile lol @brightortho"),
        (
            "It's me, Priya from the front desk 😅 thank u!! Next reel drops Monday.",
            "whoever makes your reels deserves a raise lmao",
        ),
        (
            "Thank you for the review! We'll pass it along to Dr. Amari, she'll love it.",
            "Dr. Amari got me through my first 10k after years of shin splints.",
        ),
        ("💛 Sending so much love! Thank you for letting us share in your joy.", "Twins! 💛💛"),
    ],
)
def test_praise_thanked_needs_no_call_invitation(reply, post):
    assert "CP001" not in _codes(reply, post), _codes(reply, post)


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        (
            "Thanks for the review! Maybe next time try being on time 🙃",
            "Waited 40 minutes and they still rushed me out.",
        ),
        (
            "Thank you for your kind words about the front desk. The billing error is on our "
            "side and we apologize for the frustration.",
            "Front desk is lovely but I was billed twice and nobody answers.",
        ),
    ],
)
def test_a_complaint_answered_without_a_call_invitation_still_warns(reply, post):
    assert "CP001" in _codes(reply, post)


# -- guidance addressed to anyone ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        (
            "We can't advise on anyone's symptoms here. For anyone after a vaccine: trouble "
            "breathing or swelling of the face = call 911 right away.",
            "is it normal to feel dizzy after my flu shot??",
        ),
        (
            "If a night guard ever cracks, keep the pieces and call (555) 201-3300 the same week.",
            "my night guard cracked in half 😩",
        ),
        (
            "Anyone with swelling that doesn't go down after a few days can call our nurse line "
            "at (555) 201-3300.",
            "new braces day 3 and my cheeks are killing me",
        ),
        (
            "Si alguien tiene fiebre alta o dolor que empeora, que vaya a urgencias o llame "
            "al 911.",
            "Me sacaron una muela ayer y me duele mucho. ¿Es normal?",
        ),
        (
            "Every filling should feel comfortable, and if it doesn't we adjust it at no cost. "
            "Please call (555) 201-3300.",
            "New filling feels high when I bite.",
        ),
    ],
)
def test_guidance_addressed_to_anyone_is_no_advice(reply, post):
    assert not (ADVICE | HEALTH) & _codes(reply, post), _codes(reply, post)


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        (
            "Most people feel sore for a day or two after a filling, totally normal!",
            "My tooth aches since the filling.",
        ),
        (
            "Everyone gets a little dizzy after the flu shot, it passes in an hour.",
            "is it normal to feel dizzy after my flu shot??",
        ),
        (
            "Soreness like that usually settles within a week; keep icing it.",
            "My jaw is so sore after the extraction.",
        ),
        (
            "For anyone reading: your stitches should dissolve in 10 days, keep them dry.",
            "Got stitches on my chin yesterday.",
        ),
    ],
)
def test_reassurance_about_people_in_general_still_blocks(reply, post):
    assert _verdict(reply, post) is Verdict.BLOCK
    assert ADVICE & _codes(reply, post)


# -- a power of attorney, a patient's rights ------------------------------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        "Families can join the conversation with a signed release or a power of attorney; "
        "please call (555) 201-3300.",
        "Every patient is entitled to a copy of their own records. Call (555) 201-3300.",
        "Please bring whatever you have, and we'll go through it together: (555) 201-3300.",
    ],
)
def test_a_power_of_attorney_and_a_patients_rights_are_no_tone(reply):
    assert not {"TN002", "TN004"} & _codes(reply), _codes(reply)


@pytest.mark.parametrize(
    "reply",
    [
        "Our attorney will be in touch about this post.",
        "Some people are just entitled. Whatever.",
        "You are not entitled to a refund.",
    ],
)
def test_legal_threats_and_dismissals_still_warn(reply):
    assert {"TN002", "TN004"} & _codes(reply), _codes(reply)
