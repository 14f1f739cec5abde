"""One-click fixes and drafts as session 9's trial run met them in the reply editor.

Cutting an amount, an account number or an e-mail out of its sentence left "your balance is.",
"Your is on file." and "We refunded to you."; an apology that named the poster ("Sorry Priya,")
had no fix button at all; a wait-time complaint's draft said "seriously" twice; and a complaint
that the office "rescheduled me twice without asking" was answered about privacy.
"""

from __future__ import annotations

import re

import pytest

from safereply import check
from safereply.core.compose import draft, quick_fix
from safereply.core.compose.topics import complaint_topics
from safereply.core.practice import Practice

PRACTICE = Practice(name="Bayview Smiles Dental", phone="(555) 412-7788")


def _fix(reply: str, code: str) -> str:
    report = check(reply, post=None, practice=PRACTICE)
    finding = next(f for f in report.findings if f.code == code)
    fixed = quick_fix(reply, finding, practice=PRACTICE)
    assert fixed is not None, (reply, code)
    return fixed.reply


@pytest.mark.parametrize(
    ("reply", "code", "expected"),
    [
        (
            "Sorry Priya, your balance is $180. Please call us at (555) 412-7788.",
            "ID006",
            "Sorry Priya. Please call us at (555) 412-7788.",
        ),
        (
            "We're sorry, the charge was $240. Please call us at (555) 412-7788.",
            "ID006",
            "We're sorry. Please call us at (555) 412-7788.",
        ),
        (
            "Your balance of $180 is now cleared, please call us.",
            "ID006",
            "Please call us.",
        ),
        (
            "We refunded $40 to you. Please call (555) 412-7788.",
            "ID006",
            "Please call (555) 412-7788.",
        ),
        (
            "Your member ID 8842211 is on file. Please call (555) 412-7788.",
            "ID003",
            "Please call (555) 412-7788.",
        ),
    ],
)
def test_cutting_an_identifier_never_leaves_half_a_sentence(reply, code, expected):
    assert _fix(reply, code) == expected


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (
            "Sorry about the wait on 11/02, we were short-staffed. Please call (555) 412-7788.",
            "Sorry about the wait, we were short-staffed. Please call (555) 412-7788.",
        ),
        (
            "Hi Karen, sorry about the wait last Tuesday. Please call (555) 412-7788.",
            "Hi Karen, sorry about the wait. Please call (555) 412-7788.",
        ),
    ],
)
def test_a_time_phrase_is_still_cut_alone(reply, expected):
    assert _fix(reply, "ID002") == expected


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (
            "Sorry Priya, we hear you about the wait. Please call us at (555) 412-7788.",
            "Sorry, we hear you about the wait. Please call us at (555) 412-7788.",
        ),
        (
            "We're so sorry Kevin for the long wait. Please call us at (555) 412-7788.",
            "We're so sorry for the long wait. Please call us at (555) 412-7788.",
        ),
    ],
)
def test_a_name_after_an_apology_has_a_fix(reply, expected):
    assert _fix(reply, "ID001") == expected


def test_a_wait_time_draft_says_seriously_at_most_once():
    post = "Waited 50 minutes past my appointment time and nobody said a word. Really frustrating."
    for n in range(60):
        reply = draft(post, practice=PRACTICE, platform="google", rating=2, post_id=str(n)).reply
        assert len(re.findall(r"\bseriously\b", reply, re.IGNORECASE)) <= 1, reply


def test_a_scheduling_complaint_is_not_answered_about_privacy():
    post = "Rude receptionist, rescheduled me twice without asking. Never again."
    assert "privacy" not in complaint_topics(post, ("scheduling", "staff-courtesy"))
    for n in range(20):
        reply = draft(post, practice=PRACTICE, platform="google", rating=1, post_id=str(n)).reply
        assert "private" not in reply.lower() and "privacy" not in reply.lower(), reply
    shared = "They told my boss about my appointment without asking."
    assert "privacy" in complaint_topics(shared)
