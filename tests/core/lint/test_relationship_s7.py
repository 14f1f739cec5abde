"""PR004's session-7 shapes: confirmations of care without visit words (issue 10).

The families come from the relationship confirmations the linter missed on the spent third blind
set (``data/lint_blind3``, read in session 7): the practice's past act of care on a determined
thing, time spent with the reader, the reader's things sent on; future care planned for the
reader; results and recovery said bare; the record read out or a denial drawn from it; the care
of the person a post is about, in the third person; Spanish past acts and accepted thanks. Every
example here was written for this test (none is copied from the set). Each violation stands
beside a compliant look-alike that must pass.
"""

from __future__ import annotations

import pytest

from safereply.core.lint import default_linter

LINTER = default_linter()


def _pr004(text: str, post: str | None = None) -> list[str]:
    return [f.text for f in LINTER.check(text, post=post).findings if f.code == "PR004"]


# (violation, compliant look-alike): the look-alike keeps the words and loses the shape; PR004
# must find the first and stay silent on the second.
PAIRS = [
    # the practice's past act of care on a determined thing
    (
        "Keep wearing the night guard we fitted, it takes a week to feel normal.",
        "Night guards we offer take about a week to feel normal for most people.",
    ),
    (
        "Finish the antibiotic Dr. Patel prescribed and the swelling will settle.",
        "Dr. Patel prescribes antibiotics only when they are needed.",
    ),
    (
        "The retainer that we placed should stay in until March.",
        "The retainers we offer come in clear or wire styles.",
    ),
    # time spent with the reader
    (
        "I spent 40 minutes with you going over every option.",
        "Our doctors spend 40 minutes with every new patient going over the options.",
    ),
    (
        "Dr. Gomez spent over an hour in consultation before the procedure.",
        "Dr. Gomez spends time with every family before any procedure.",
    ),
    # the reader's things sent on
    (
        "Sent your inhaler refill to the pharmacy on Main this morning.",
        "We sent your feedback to our pharmacy team this morning.",
    ),
    (
        "We already faxed your forms to the school nurse.",
        "School forms can be faxed to the school nurse on request.",
    ),
    # future care planned for the reader
    (
        "Congrats! I'll see you at 32 weeks for the next scan.",
        "Congrats! Our prenatal classes start at 32 weeks.",
    ),
    (
        "So sorry it wore off early, we'll do a touch-up at no charge.",
        "Touch-ups within two weeks are free under our policy.",
    ),
    (
        "Glad it went well. f/u in 2 wks.",
        "Glad the open house went well. Flu clinic in 2 wks.",
    ),
    (
        "Congrats!! We can't wait to meet the little one!",
        "Congrats on the award, we can't wait to meet the new hygienists!",
    ),
    # results and recovery said bare
    (
        "Good news, the biopsy came back benign!",
        "Biopsy results usually come back within a week.",
    ),
    (
        "So glad the knee feels better, keep up the stretches!",
        "So glad the new parking lot is better for everyone!",
    ),
    (
        "Thanks Sam! How's the ankle holding up?",
        "Thanks Sam! How's the new waiting room holding up?",
    ),
    (
        "¡Gracias! Esperamos que siga recuperándose muy bien.",
        "¡Gracias! Esperamos que tenga un excelente fin de semana.",
    ),
    # the record read out, or a denial drawn from it
    (
        "The wait was 52 minutes per our log, still too long.",
        "Per our policy, anyone more than 15 minutes late is rebooked.",
    ),
    (
        "Revisamos y no tenemos registro de usted en nuestro sistema.",
        "Revisamos el sistema y ya funciona el registro en línea.",
    ),
    (
        "Esta persona nunca ha sido paciente de nuestra clínica.",
        "Esta clínica siempre ha sido un lugar para toda la familia.",
    ),
    (
        "The patient received written instructions at check-in.",
        "Every patient receives written instructions at check-in.",
    ),
    # Spanish past acts and accepted thanks
    (
        "¡Hola! Ya le mandamos el recibo, revise su correo.",
        "¡Hola! Le mandamos un saludo a todo el equipo.",
    ),
    (
        "Se lo explicamos cuando hizo la cita, la política es clara.",
        "Con gusto se lo explicamos por teléfono, llame al (555) 201-3300.",
    ),
    (
        "¡Fue un gusto atenderla! Cuídese mucho.",
        "¡Fue un gusto leer esto! Saludos del equipo.",
    ),
]


@pytest.mark.parametrize(("violation", "lookalike"), PAIRS)
def test_each_shape_confirms_care_and_its_lookalike_passes(violation, lookalike):
    assert _pr004(violation), violation
    assert not _pr004(lookalike), (lookalike, _pr004(lookalike))


@pytest.mark.parametrize(
    "text",
    [
        "That's literally what we're here for!! Enjoy.",
        "Para servirle, don Luis. ¡Cuídese!",
    ],
)
def test_accepting_thanks_with_a_word_between_confirms_care(text):
    assert _pr004(text, post="Thanks for fitting me in the same day, you guys are great")


def test_accepting_thanks_answering_a_question_passes():
    assert not _pr004(
        "That's literally what we're here for: walk-ins every Saturday.",
        post="Do you take walk-ins?",
    )


MOM = "Please be more patient with my mom when she visits, she gets confused."


@pytest.mark.parametrize(
    "text",
    [
        "We hear you. She can be anxious in the afternoons, so two aides help her now.",
        "Thank you for telling us. Her new blood pressure pill makes her dizzy at times.",
        "We're sorry. Your mother has had a hard month and we've added checks.",
        "Understood, but she refused her bath twice this week.",
        "Staff found it in her closet and returned it.",
    ],
)
def test_the_care_of_the_person_the_post_is_about_confirms_it(text):
    assert _pr004(text, post=MOM)


@pytest.mark.parametrize(
    "text",
    [
        "We hear you. Every resident deserves patience and we are training our team on it.",
        "Thank you for telling us. Please call (555) 201-3300 and ask for our director.",
        "She deserves to feel safe here, and so does every family we serve.",
    ],
)
def test_a_reply_to_the_same_post_that_names_no_care_passes(text):
    assert not _pr004(text, post=MOM)


def test_third_person_about_staff_needs_a_post_about_a_relative():
    # "She is ..." about a staff member the post praised confirms no one's care.
    assert not _pr004(
        "Thank you! She is our longest-serving hygienist.", post="Nadia at the front desk is great"
    )
    assert not _pr004(
        "Thank you for the kind words. She has been with our practice for twenty years.",
        post="My mom says Nadia at the front desk is wonderful",
    )


def test_spanish_third_person_care_of_a_relative_confirms_it():
    post = "Mi hija salió llorando de la limpieza."
    assert _pr004("Lo sentimos, pero la niña estuvo muy nerviosa durante la limpieza.", post=post)
    assert not _pr004("Lo sentimos. Cada niño merece paciencia y la tendremos.", post=post)
