"""Replies to emergency and crisis posts: the help line, and the same-day path for urgent dental
and medical problems that are not life-threatening (issue 11, items 1 and 7)."""

from __future__ import annotations

import pytest

import safereply
from safereply.core.compose import draft
from safereply.core.compose.strategy import weighted_length
from safereply.core.compose.urgent import (
    directs_to_help,
    help_line,
    needs_same_day,
    red_flags,
    urgent_reply,
)
from safereply.core.practice import Practice
from safereply.core.vocab import Verdict

PRACTICE = Practice(name="Maple Grove Family Dental", phone="(555) 201-3300", sign_off="The team")

DENTAL = [
    "My crown came loose and my jaw is swollen, what do I do?",
    "Knocked out my front tooth playing hockey, bleeding a bit",
    "Severe toothache all night and my gum is throbbing",
    "My daughter has a fever of 103 and a rash",
]
LIFE_THREATENING = [
    ("Sudden chest pain in the waiting room", "chest pain"),
    ("Toothache and now my face is swelling up to my eye", "swelling to the eye or neck"),
    ("My jaw is swollen and I can't swallow", "trouble swallowing"),
    ("Tooth abscess, swollen cheek and a fever since last night", "fever with swelling"),
    ("Extraction site bleeding heavily for hours", "heavy bleeding"),
    ("After the injection my lips are swelling and I'm wheezing", "trouble breathing"),
]


@pytest.mark.parametrize(
    "text, kind, ok",
    [
        ("If this is an emergency, please call 911 now.", "emergency", True),
        ("Please dial 911 or go to the ER.", "emergency", True),
        ("Thank you for your feedback. Please call us at (555) 201-3300.", "emergency", False),
        ("Our number is 555-9110.", "emergency", False),
        ("911", "emergency", False),  # a number alone does not tell anyone to call it
        ("Please call or text 988, any time.", "crisis", True),
        ("If there is danger, call 911 now.", "crisis", False),
        ("Thanks for the kind words!", "praise", True),
        ("Thanks!", None, True),
    ],
)
def test_directs_to_help(text, kind, ok):
    assert directs_to_help(text, kind) is ok


def test_help_lines():
    assert (help_line("emergency"), help_line("crisis"), help_line("complaint")) == (
        "911",
        "988",
        None,
    )


@pytest.mark.parametrize("post", DENTAL)
def test_urgent_problem_without_red_flags_gets_the_same_day_path(post):
    assert red_flags(post) == [] and needs_same_day(post)
    reply = urgent_reply("emergency", PRACTICE, post=post)
    assert "(555) 201-3300" in reply and "same-day" in reply
    assert directs_to_help(reply, "emergency")
    # The office first, then 911 for the red flags.
    assert reply.index("(555) 201-3300") < reply.index("911")
    for flag in ("breathing", "eye or neck", "with", "bleeding|blood loss"):
        assert any(word in reply for word in flag.split("|"))
    assert safereply.check(reply, post=post, practice=PRACTICE).verdict is Verdict.PASS
    short = urgent_reply("emergency", PRACTICE, post=post, platform="x")
    assert weighted_length(short, "x") <= 280 and directs_to_help(short, "emergency")
    assert "same-day" in short


@pytest.mark.parametrize("post, flag", LIFE_THREATENING)
def test_red_flags_get_the_plain_911_reply(post, flag):
    assert flag in red_flags(post) and not needs_same_day(post)
    reply = urgent_reply("emergency", PRACTICE, post=post)
    assert reply.startswith("If ") and "911" in reply and "same-day" not in reply
    assert safereply.check(reply, post=post, practice=PRACTICE).verdict is Verdict.PASS


def test_emergency_without_a_recognisable_problem_stays_911():
    post = "Someone please help, my husband is not okay"
    assert not needs_same_day(post)
    assert "same-day" not in urgent_reply("emergency", PRACTICE, post=post)


def test_crisis_reply_gives_988():
    post = "I just want to end it all"
    reply = urgent_reply("crisis", PRACTICE, post=post)
    assert directs_to_help(reply, "crisis") and "911" in reply
    assert safereply.check(reply, post=post, practice=PRACTICE).verdict is Verdict.PASS


def test_urgent_reply_refuses_other_kinds():
    with pytest.raises(ValueError, match="acknowledgement"):
        urgent_reply("complaint", PRACTICE)


class _Triaged:
    kind = "emergency"
    topics = ("clinical-care",)
    discloses_health = True


def test_draft_for_a_dental_emergency_offers_the_same_day_path():
    post = "My crown came loose and my jaw is swollen, what do I do?"
    result = draft(post, practice=PRACTICE, triage_result=_Triaged(), post_id="d1")
    assert result.verdict is Verdict.PASS
    assert "same-day" in result.reply and "(555) 201-3300" in result.reply
    assert directs_to_help(result.reply, "emergency")
    chest = draft("Sudden chest pain in the lobby", practice=PRACTICE, triage_result=_Triaged())
    assert "911" in chest.reply and "same-day" not in chest.reply
