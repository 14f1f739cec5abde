"""PR004 reads confirmations of care from the shape of a sentence (issue 10, session 6).

The families come from the relationship confirmations the linter missed on the spent second
blind set; every example here was written for this test. Each violation stands beside the
compliant look-alike that must pass.
"""

from __future__ import annotations

import pytest

from safereply.core.lint import default_linter

LINTER = default_linter()


def _pr004(text: str, post: str | None = None) -> list[str]:
    return [f.text for f in LINTER.check(text, post=post).findings if f.code == "PR004"]


THANKS = "Thank you so much for taking care of my daughter last week!"
QUESTION = "Do you take walk-ins on Saturdays?"


@pytest.mark.parametrize(
    "text",
    [
        "Anytime!! Take care.",
        "Of course! Give her a hug from us.",
        "np!! see u around",
        "Glad to help!",
        "Glad it helped 😊",
        "ofc, that's what we're here for!!",
        "¡Claro! Saludos a la familia.",
        "Para eso estamos 💙",
    ],
)
def test_accepting_thanks_for_care_confirms_it(text):
    assert _pr004(text, post=THANKS)


@pytest.mark.parametrize(
    "text",
    [
        "Of course! We're open Saturdays 9-1, walk-ins welcome.",
        "Anytime between 8 and 5 works for walk-ins.",
        "Claro, aceptamos pacientes sin cita los sábados.",
    ],
)
def test_the_same_openers_answering_a_question_pass(text):
    assert not _pr004(text, post=QUESTION)


def test_accepting_thanks_needs_thanks_in_the_post():
    assert not _pr004("Glad to help! Our hours are on the website.", post=None)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Redness is normal; keep using the cream I gave you.", "cream I gave you"),
        ("So sorry! We already moved you to Friday at 3.", "We already moved you"),
        ("I have referred you to the pain clinic.", "I have referred you"),
        ("Dr. Patel prescribed you the lowest dose.", "Dr. Patel prescribed you"),
        ("np we got it cancelled for u!!", "we got it cancelled for u"),
        ("Keep taking it exactly as we discussed.", "as we discussed"),
        ("El doctor le recetó la dosis más baja.", "le recetó"),
        ("Te apartamos el viernes a las 4.", "Te apartamos"),
    ],
)
def test_the_practice_acting_on_the_reader_confirms_care(text, words):
    assert words in _pr004(text)


@pytest.mark.parametrize(
    "text",
    [
        "We can move your appointment online any time: (555) 201-3300.",
        "If we prescribe something new, the pharmacy will text a pickup notice.",
        "Sorry if we gave you the wrong impression; please call (555) 201-3300.",
        "Llame al (555) 201-3300 y le revisamos su plan de seguro.",
        "We've sent the team your kind words!",
        "As I said in my response to your comment on another site, thank you.",
    ],
)
def test_offers_policies_and_passing_words_along_pass(text):
    assert not _pr004(text)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Hope that knee is healing well!", "that knee is healing"),
        ("Thanks. Hope the CPAP is helping.", "the CPAP is helping"),
        ("I hope Walter's hip is mending nicely.", "Walter's hip is mending"),
        ("Hope the swelling's gone down!", "the swelling's gone down"),
        ("Thx! Enjoy the new bridge.", "Enjoy the new bridge"),
        ("Happy to hear baby is now feeding well.", "Happy to hear baby is now feeding"),
    ],
)
def test_hope_about_a_healing_body_part_or_device_confirms_care(text, words):
    assert any(words in found for found in _pr004(text))


@pytest.mark.parametrize(
    "text",
    [
        "We hope the new parking lot is helping everyone!",
        "Hope the new hours are working better for families.",
        "Enjoy the new waiting room, it's finally done!",
        "We hope you have a wonderful holiday.",
    ],
)
def test_hope_about_the_practice_own_things_passes(text):
    assert not _pr004(text)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Our policy is 15 minutes, you were 25 minutes late.", "you were 25 minutes late"),
        ("You cancelled at 8:45 for a 9:00 session.", "You cancelled"),
        ("Glad it helped! You have 4 payments left.", "You have 4 payments left"),
        ("Refills need a visit every 3 months, and yours was due in May.", "yours was due"),
        ("Usted vino 3 días después.", "Usted vino"),
        ("Según el sistema, sus hijos sí son pacientes.", "sus hijos sí son pacientes"),
    ],
)
def test_the_reader_record_read_out_confirms_care(text, words):
    assert words in _pr004(text)


@pytest.mark.parametrize(
    "text",
    [
        "If you cancel within 24 hours, there is no fee.",
        "When you arrived late in the past, did we tell you our policy? It's 15 minutes.",
        "Every plan has a few payments; our billing team can explain: (555) 201-3300.",
    ],
)
def test_policy_in_the_second_person_passes(text):
    assert not _pr004(text)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Tome ibuprofeno y ponga hielo hasta su cita.", "su cita"),
        ("Lamentamos mucho su experiencia en nuestra clínica.", "su experiencia en nuestra"),
        ("¡Gracias, Sra. Gómez! Bienvenida de nuevo.", "Bienvenida de nuevo"),
        ("¡Gracias por confiarnos la salud de sus hijos!", "confiarnos la salud de sus"),
    ],
)
def test_spanish_visit_words_confirm_care(text, words):
    assert any(words in found for found in _pr004(text))


@pytest.mark.parametrize(
    "text",
    [
        "Llame al (555) 201-3300 para hacer su cita.",
        "Para cambiar su cita, use el botón 'Book' de nuestra página.",
        "Pida su primera cita al (555) 201-3300.",
        "Queremos que cada paciente entienda su tratamiento.",
    ],
)
def test_spanish_invitations_to_book_pass(text):
    assert not _pr004(text)


@pytest.mark.parametrize(
    "text",
    [
        "We offered you a telehealth visit the same day.",
        "Go back to the calf stretches we showed you, 3x a day.",
        "Use the balm we sent you home with.",
        "Dr. Lin spoke with you at 11:52 pm.",
        "Dr. Kate will take great care of you at 4:30!",
        "Dr. Moreno says rest up & we'll try again Monday.",
        "La doctora dice que Emilio ya puede volver a la escuela.",
        "Hope the rash clears up soon!",
        "We wish you a smooth recovery!",
        "The whole team is so proud of you.",
        "Thanks for keeping up with those yearly check-ins!",
        "Don't forget the follow-up in two weeks!",
    ],
)
def test_more_acts_wishes_and_pride_confirm_care(text):
    assert _pr004(text)


@pytest.mark.parametrize(
    "text",
    [
        "We'd love to speak with you; please call (555) 201-3300.",
        "Dr. Lee says thank you for the kind words!",
        "We're so proud of our team this year.",
        "We offer a follow-up visit with every fitting.",
        "We wish everyone a happy and healthy holiday season.",
        "Our surgeons will take great care of every patient.",
    ],
)
def test_their_look_alikes_pass(text):
    assert not _pr004(text)


@pytest.mark.parametrize(
    "text",
    [
        "Our phone logs show no cancellation call before the appointment time.",
        "We can't find anyone by that name, so we're unsure what this refers to.",
        "We have no appointment under that name on that date.",
        "Our providers have never met you.",
    ],
)
def test_record_lookups_confirm_or_deny(text):
    assert {"PR001", "PR002"} & {f.code for f in LINTER.check(text).findings}


@pytest.mark.parametrize(
    "text",
    [
        "Our phone lines are open from 8 to 5.",
        "What is the name of the provider you'd like to see? Call (555) 201-3300.",
    ],
)
def test_practice_lines_and_names_asked_for_are_not_lookups(text):
    assert not {"PR001", "PR002"} & {f.code for f in LINTER.check(text).findings}
