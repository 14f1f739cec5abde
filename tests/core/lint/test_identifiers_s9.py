"""Identifier families the linter missed on the spent blind sets (issue 10, session 9), each
with violations written for this test in wordings of our own and a compliant look-alike that must
stay free of identifier findings: days and times tied to the reader (English and Spanish), names
found by their context rather than the name lexicon, ages over 89 and birthdays, the last digits
of a card, rural routes and streets named without a number, and charges in Spanish or in the
past tense. None of these sentences is copied from a data set.
"""

from __future__ import annotations

import pytest

from safereply.core.lint import default_linter
from safereply.core.vocab import Category, Verdict

LINTER = default_linter()
#: The identifier rules of identifiers.py; the learned signal (ID007) is tested on its own.
RULES = {"ID001", "ID002", "ID003", "ID004", "ID005", "ID006", "ID008"}


def _identifiers(text: str, post: str | None = None) -> list[str]:
    """Return the text of every finding of the identifier rules (blocking or not)."""
    report = LINTER.check(text, post=post)
    return [f.text for f in report.findings if f.code in RULES]


def _blocked_for_identifier(text: str, post: str | None = None) -> bool:
    report = LINTER.check(text, post=post)
    return report.verdict is Verdict.BLOCK and any(
        f.code in RULES and f.category is Category.IDENTIFIER and f.blocks for f in report.findings
    )


# -- a day or time tied to the reader ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        (
            "so glad the cast came off! swing by tuesday so we can check the range of motion",
            "tuesday",
        ),
        ("Great work on those lunges today, see ya Thurs!", "Thurs"),
        ("We slid you into the Wed 4pm opening with our hygienist.", "Wed"),
        ("Tráigala el miércoles y le quitamos los puntos.", "el miércoles"),
        ("Le dejamos el recordatorio para el 9 de marzo, señora.", "9 de marzo"),
        ("Lo esperamos mañana a las 10 para la limpieza.", "a las 10"),
        ("Your 9:15 a.m. scope on 4/2 starts after a clear-liquid day.", "9:15 a.m."),
        ("It was a joy to stay late on Friday for you and your boy.", "Friday"),
    ],
)
def test_a_day_or_time_about_the_reader_is_an_identifier(text, day):
    found = _identifiers(text)
    assert any(day in f for f in found), found
    assert _blocked_for_identifier(text)


@pytest.mark.parametrize(
    "text",
    [
        "We're closed Monday for the holiday; call (555) 201-3300 Tuesday through Friday.",
        "Our walk-in clinic runs every Saturday, 9-1, no appointment needed.",
        "Atendemos de lunes a viernes de 8 a 5. Llámenos al (555) 201-3300.",
        "Thank you! We'll read your note at our Monday huddle.",
        "If you ever need us on a Saturday, our on-call line is (555) 201-3300.",
        "Free blood-pressure checks for anyone this Thursday in the lobby!",
        "Thank you, and bring the whole Sunday school class by for a tour anytime.",
    ],
)
def test_the_office_own_days_are_not_the_reader(text):
    assert _identifiers(text) == []


# -- names found by their context, whatever the name ------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Aw, tell Bertram we said to keep that boot on another week!", "Bertram"),
        ("Please hug Odalys for the whole crew.", "Odalys"),
        ("It was so nice meeting you and Thaddeus at the fair.", "Thaddeus"),
        ("We never got Rowan's x-rays from the old office.", "Rowan"),
        ("At the consult we noted Corbin's overbite.", "Corbin"),
        ("So relieved Winifred is home and resting!", "Winifred"),
        ("Keep it up, we're proud of you Anselm!", "Anselm"),
        ("Say thanks to your roommate Quinlan for the cookies.", "Quinlan"),
        ("¡Gracias, señora Villalobos! Fue un gusto.", "Villalobos"),
        ("Ya vimos a Yaretzi y está muy bien.", "Yaretzi"),
        ("LET'S GO JAYDENNN 🎉", "JAYDENNN"),
    ],
)
def test_someone_named_by_their_context_is_an_identifier(text, name):
    found = _identifiers(text)
    assert any(name in f for f in found), found
    assert _blocked_for_identifier(text)


@pytest.mark.parametrize(
    "text",
    [
        "Please call (555) 201-3300 and tell Bertram you'd like a word with the doctor.",
        "Por favor llame a nuestra gerente, la señora Villalobos, al (555) 201-3300.",
        "We're proud of our new hygienist, and Odalys at the front desk sends her thanks!",
        "We now screen for Barrett's esophagus; call (555) 201-3300 to book.",
        "Thank you! She's the best part of our mornings, and our team agrees.",
        "Knee's fine and no fracture? Ask anyone who has had one: rest helps.",
        "THANK YOU FOR YOUR REVIEW OF OUR CLINIC, WE TRY HARD. YOURS, DOCTOR JOHN SMITH",
    ],
)
def test_staff_and_eponyms_are_not_the_reader(text):
    assert _identifiers(text) == []


# -- ages over 89 and birthdays ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("Your grandma is the sweetest 94 years young lady we know!", "94 years young"),
        ("Happy 101st to the queen of our waiting room!", "Happy 101st"),
        ("At 97, he still beats us all at checkers.", "At 97"),
        ("¡Felicidades a su papá por sus 93 años!", "sus 93 años"),
        ("tell him happy bday on the 3rd from all of us!", "bday"),
        ("Happy birthday next Tuesday, we'll have balloons!", "birthday"),
    ],
)
def test_an_age_over_89_or_a_birthday_day_is_an_identifier(text, age):
    found = _identifiers(text)
    assert any(age in f for f in found), found
    assert _blocked_for_identifier(text)


@pytest.mark.parametrize(
    "text",
    [
        "Thank you! This fall we celebrate our 90th year in practice.",
        "Happy birthday to our hygienist Marisol!",
        "Happy birthday to the birthday kiddo! 🎂",
        "Our team signs every birthday card by hand, it's our favourite Friday task.",
        "Over 95% of our patients are seen within 15 minutes.",
    ],
)
def test_office_anniversaries_and_plain_wishes_are_not_identifiers(text):
    assert _identifiers(text) == []


# -- card endings, rural routes, streets without a number, charges ----------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("The refund went back to the Mastercard ending in 0932.", "0932"),
        ("Vimos un solo cobro en su tarjeta terminada en 7710.", "7710"),
        ("We sent the statement to the RR 4 Box 12 address you gave us.", "RR 4 Box 12"),
        ("We mailed the form to your house on Juniper Court last week.", "Juniper Court"),
        ("also ur peel was $180 not $220, just so you know", "$180"),
        ("Su saldo pendiente es de $64.", "$64"),
    ],
)
def test_card_endings_routes_streets_and_charges_are_identifiers(text, span):
    found = _identifiers(text)
    assert any(span in f for f in found), found
    assert _blocked_for_identifier(text)


@pytest.mark.parametrize(
    "text",
    [
        "$50 off whitening for new patients this month! Call (555) 201-3300.",
        "A chemical peel is $180 and takes about 30 minutes.",
        "We've moved to the Juniper Court building, right off Route 9.",
        "Our new office is on Route 9 across from the library.",
        "Pay online or by phone; we take any card.",
    ],
)
def test_prices_and_the_office_whereabouts_are_not_identifiers(text):
    assert _identifiers(text) == []


# -- a greeted name with an initial (found in session 9's new-user trial) ---------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Hi B. Chen, thanks for the feedback.", "B. Chen"),
        ("Dear J. Alvarez, thank you for your kind words.", "J. Alvarez"),
        ("Hola R. Quintero, gracias por escribirnos.", "R. Quintero"),
        ("Hi Marisol T., thank you!", "Marisol T."),
    ],
)
def test_a_greeted_name_with_an_initial_is_the_reviewers(text, span):
    assert span in _identifiers(text)
    assert _blocked_for_identifier(text)


@pytest.mark.parametrize(
    "text",
    [
        "Thanks A LOT for the review!",
        "Thank you. Everything we do is for our community.",
        "Thanks! Our team appreciates it.",
    ],
)
def test_a_capital_after_a_greeting_is_no_initial_by_itself(text):
    assert _identifiers(text) == []
