"""Compliant wordings that the seventh blind set's compliant replies showed the rules blocking
(spent lint_blind7), and the violations beside them that must still be blocked. Every example
was written for this test in the families found there, none copied: papers the reader may
"bring in", the office seeing whoever calls, a practice's own "Family Dental" name in its
sign-off, a closing with the writer's first name before the surname the post gave, and a
"see you next spring" to everyone who came to an event.
"""

from __future__ import annotations

import pytest

from safereply.core.lint import default_linter
from safereply.core.vocab import Verdict

LINTER = default_linter()


def _verdict(text: str, post: str | None = None) -> Verdict:
    return LINTER.check(text, post=post).verdict


def _codes(text: str, post: str | None = None) -> set[str]:
    return {f.code for f in LINTER.check(text, post=post).findings}


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        # papers, not people, brought in
        (
            "You can mail the forms or bring them in to the front desk; questions go to 555-0100.",
            None,
        ),
        (
            "Pay stubs can be faxed, or bring them in any weekday. Our team at 555-0100 can help "
            "anyone with the list.",
            "Why do you need my income proof again?",
        ),
        # the office sees whoever calls
        ("Call Barb at 555-0140 and we'll see you this week.", None),
        ("Please call our front desk at 555-0100 and we can see you tomorrow.", None),
        # the practice's own name in its sign-off
        (
            "Please call our office manager at 555-0110. Warm regards, The Lakeview Family "
            "Dental Team",
            None,
        ),
        ("Happy to help at 555-0110. Best, the Oakridge Family Medicine team", None),
        # a closing, the writer's first name, then the surname the post gave
        (
            "That's very kind of you; I'll pass it on to the team. Cheers, Alastair Pryce",
            "Mr. Pryce fixed my daughter's ears, lovely surgeon.",
        ),
        (
            "Thank you for the kind words. Warm regards, Dr. Ana Reyes",
            "Dr. Reyes was wonderful with my daughter.",
        ),
    ],
)
def test_compliant_wording_is_not_blocked(reply, post):
    assert _verdict(reply, post) is not Verdict.BLOCK, _codes(reply, post)


def test_crowd_see_you_is_no_relationship_phrase():
    # the thanks to a crowd leaves "see you next March" to everyone who came
    reply = "Thank you to everyone who walked, donated and cheered. See you next March!"
    assert "PR001" not in _codes(reply)


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        ("Thanks for bringing them in, the kids were so brave.", None),
        ("Your twins did great, thanks for bringing them in with their forms.", None),
        ("We'll see you this week!", None),
        ("We called you and we'll see you this week.", None),
        ("Call Barb at 555-0140 and we'll see you at your next cleaning.", None),
        ("We loved meeting the Sunnyside family at your checkup!", None),
        ("Hope the Lakeview family is doing well after the twins' checkups!", None),
        (
            "Thanks, John Pryce, for telling everyone about your son and his tonsils.",
            "I am John Pryce and my son had his tonsils out here.",
        ),
        ("We hope Mr. Reyes recovers quickly.", "My dad Mr. Reyes was in your ER."),
        ("Thanks to everyone who helped! See you next March for your scan.", None),
        ("See you next March!", None),
    ],
)
def test_violating_look_alike_is_still_blocked(reply, post):
    assert _verdict(reply, post) is Verdict.BLOCK, _codes(reply, post)


def test_see_you_next_march_alone_is_still_a_relationship_phrase():
    assert "PR001" in _codes("Thank you to everyone at the front desk! See you next March.")


@pytest.mark.parametrize(
    ("reply", "code"),
    [
        # excusing the practice or brushing the complaint aside
        (
            "Thanks! The doctor runs late but spends extra time with everyone, so it evens out.",
            "TN004",
        ),
        ("Honestly, nothing to see here, the bill was fixed.", "TN004"),
        ("I meant it as a joke, and the whole staff knows I'm a kidder.", "TN004"),
        ("tbf the lobby was packed that day.", "TN004"),
        ("Cut the front desk some slack, they're new.", "TN004"),
        ("We take that plan, so don't expect a bill.", "TN004"),
        # blaming what the reader sent
        ("Sorry! The form you sent was incomplete, so it took longer.", "TN003"),
    ],
)
def test_excuses_and_blame_on_what_was_sent_are_tone(reply, code):
    assert code in _codes(reply)


@pytest.mark.parametrize(
    "reply",
    [
        "We're sorry the wait was so long. Please call 555-0100 so we can make it right.",
        "You can send a photo through the portal, or call 555-0100 if the upload fails.",
        "That was a joke night at our staff party! Thanks for the laughs 😄",
    ],
)
def test_plain_apologies_are_not_tone(reply):
    assert not _codes(reply) & {"TN003", "TN004"}
