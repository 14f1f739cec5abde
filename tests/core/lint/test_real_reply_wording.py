"""Wording found in real practice replies (second held-out round), generalised into rules."""

from __future__ import annotations

import pytest

import safereply


def _categories(reply: str, post: str | None = None) -> set[str]:
    return {str(f.category) for f in safereply.check(reply, post=post).findings}


@pytest.mark.parametrize(
    "reply",
    [
        "We appreciate the privilege of caring for you.",
        "You are welcome! Happy to have helped.",
        "We are thrilled you had such a pleasant experience visiting our clinic!",
        "Please don't hesitate to stop by whenever you may need me again.",
        "Thank you for your kind reflections; I do remember the family fondly.",
    ],
)
def test_confirming_care_in_praise_replies(reply):
    assert "patient-relationship" in _categories(reply)


@pytest.mark.parametrize(
    "reply",
    [
        "This is an inaccurate and unfair review of our office.",
        "I think you may have me confused with another physician.",
        "At this time we are unsure as to who you are.",
        "No patient is ever treated unkindly here.",
    ],
)
def test_arguing_with_the_reviewer(reply):
    assert "tone" in _categories(reply)


@pytest.mark.parametrize(
    "reply",
    [
        "Thank you for the kind words! We love hearing this. Call us any time at (555) 388-9100.",
        "We are happy to help anyone who calls our office at (555) 388-9100.",
        pytest.param(
            "Reviews like this help other families find a practice that fits them.",
            marks=pytest.mark.xfail(
                strict=True,
                reason="a known false warning (TN006) of the learned signal retrained in session "
                "10 on every spent set: it warns on fewer compliant replies of a writer it never "
                "saw (blind6 left out: 19 -> 11 of 162) but on this one line",
            ),
        ),
    ],
)
def test_plain_thanks_stay_clean(reply):
    assert not _categories(reply)
