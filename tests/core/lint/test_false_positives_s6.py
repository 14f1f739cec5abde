"""Compliant wordings blocked on the spent blind sets (session 6), and the violations beside them
that must still be caught. Every example was written for this test, in the families the false
blocks fell into: statements about people in general or the practice's routine read as advice,
the practice's hours read as dates, staff named in passing read as the reader, and thank-yous
about a review or an event read as confirmations of care.
"""

from __future__ import annotations

import pytest

from safereply.core.lint import default_linter

LINTER = default_linter()


def _codes(text: str, post: str | None = None) -> set[str]:
    return {f.code for f in LINTER.check(text, post=post).findings}


@pytest.mark.parametrize(
    "text",
    [
        "Most people come one to three times a week; call (555) 201-3300 to book an evaluation.",
        "Refunds usually take 2-4 weeks; if it has been longer, call (555) 201-3300.",
        "Lab results typically post to the portal within 3 business days.",
        "Lots of families book back-to-back slots for siblings.",
        "Sundays are usually quiet before noon, tip for everyone!",
        "Yes! Open 7 days a week, 8am-8pm, no appointment needed.",
    ],
)
def test_general_statements_and_routine_are_not_advice(text):
    assert "MA002" not in _codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Most people feel sore for 2-3 days, that's totally normal, keep icing it.",
        "Scars usually remodel for a year; silicone gel twice daily can help.",
        "Remember no straws or smoking for 72 hours to protect the clot.",
        "Avoid coffee and red wine for 48 hours to keep it bright.",
    ],
)
def test_reassurance_and_instructions_are_still_advice(text):
    assert {"MA001", "MA002"} & _codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Yes! Saturday 9am-2pm. Call (555) 340-1122 to book.",
        "Yes, we test children from age 3, Tuesday and Thursday mornings.",
        "Holiday hours: 10am-4pm on Jan 1, both locations.",
    ],
)
def test_the_practice_hours_are_not_the_reader_dates(text):
    assert not {"ID002", "ID007"} & _codes(text)


def test_a_visit_time_for_the_reader_still_blocks():
    assert {"ID002", "ID007"} & _codes("We moved you to Saturday at 9am, see you then!")


@pytest.mark.parametrize(
    "text",
    [
        "Please call Mrs. Powell at (555) 301-3300 if anything is still outstanding.",
        "Mrs. Powell has been with me for 31 years.",
        "Llame al (555) 233-4400 y pregunte por el Sr. Herrera, gerente de la clínica.",
        "We'll make sure Donna sees this!",
    ],
)
def test_staff_named_in_passing_are_not_the_reader(text):
    assert "ID001" not in _codes(text)


@pytest.mark.parametrize(
    ("text", "post"),
    [
        ("Thank you! We will share it with Dana and the team.", "Dana at the front desk rocks!"),
        ("Gracias!! We'll share this con la Dra. Morales.", "La Dra. Morales es la mejor."),
    ],
)
def test_staff_the_poster_praised_are_not_echoed(text, post):
    assert "EC002" not in _codes(text, post=post)


def test_the_poster_named_back_is_still_an_echo():
    post = "My son Mateo Alvarez had his tonsils out with you."
    assert "EC002" in _codes("We hope Mateo Alvarez is doing great!", post=post)


@pytest.mark.parametrize(
    "text",
    [
        "You can save your spot online before you come in, or call (555) 774-0012.",
        "Thank you for coming back to update your review! 😊",
        "Thank you for trusting us with this feedback; it matters.",
        "It was our pleasure to be there! Our trainers will be at every home game.",
    ],
)
def test_thanks_about_a_review_or_an_event_confirm_no_care(text):
    assert "PR001" not in _codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Thank you for coming back to see us!",
        "Thank you for trusting us with your smile.",
        "It was our pleasure to take care of you.",
        "Before you came in, we reviewed your chart.",
    ],
)
def test_the_same_thanks_about_care_still_confirm_it(text):
    assert "PR001" in _codes(text)
