"""Compliant wordings that the sixth blind set's compliant replies showed the rules blocking
(spent lint_blind6), and the violations beside them that must still be blocked. Every example
was written for this test in the families found there, none copied: an hour worn as the
writer's self ("3am me"), staff named as the person to ask, the practice's own call after the
reader calls, Spanish offers, staff's joy, a question restated, the reader as a volunteer or
trusted with a story, holiday and birthday wishes and blessings, general statements about
approvals and common worries.
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
        # an hour of the writer's own
        ("this is 3am me crying at this post. thank you for sharing 💛", None),
        ("5am me agrees completely with this!! thank you for the reminder ✨", None),
        # staff named as the one to ask
        (
            "Please call our records office at 555-0100; Mr. Begay can go through the appeal "
            "steps with you.",
            None,
        ),
        (
            "Our billing lead (also my dad, Mr. Park!) can walk through any statement with you "
            "at 555-0100.",
            None,
        ),
        # the office acts once the reader has called
        (
            "yes! we take most Medicaid plans. call 555-0100 and we'll check yours and get you "
            "booked.",
            "Do you take Medicaid?",
        ),
        (
            "So sorry nobody got back to you. Please call our front desk at 555-0100 and ask "
            "for Ana. We'll get you an answer today.",
            "Still waiting to hear back about my referral.",
        ),
        # Spanish offers, staff's joy
        ("¡Hola! Llámanos al (305) 555-0100 pa' tu consulta gratis 💕", "¿Cuánto cuesta?"),
        ("Escríbenos o llama al (305) 555-0100 pa' tu cita de evaluación 💕", "Info?"),
        (
            "¡Gracias! Se lo decimos a la Dra. Ruiz, she's going to love it. Bendiciones 🙏",
            "Gracias Dra. Ruiz por cuidar a mi mamá",
        ),
        (
            "Thank you! We'll share this with Dr. Ames, he'll be so happy 🙌",
            "Dr. Ames helped my son so much",
        ),
        # a question restated for the reader's own clinician
        (
            "Good question. Whether to keep wearing a night brace is one for the surgeon who "
            "fitted it; our front desk can book a call at 555-0100.",
            None,
        ),
        (
            "Whether to keep using a humidifier is best asked of the doctor who prescribed it. "
            "Our team takes calls at 555-0100.",
            None,
        ),
        # the reader as a volunteer, trusted with a story
        ("We loved having you in our fall volunteer cohort! 🕊️", None),
        ("We loved having you at the memory walk! 💜", None),
        ("Thank you for trusting us with your family's story. Sending love to all of you.", None),
        # holiday and birthday wishes, blessings
        ("Happy Chuseok to you and your family! 🌕 The office is closed Monday.", None),
        ("Happy Rosh Hashanah to you and your family! 🍎", None),
        ("¡Feliz cumpleaños a la princesa! 🎂 Que Dios la bendiga.", "Primer añito de mi nena 🎀"),
        ("Happy birthday to your little guy! God bless you all.", "My boy turns 4 today!"),
        # a dashed signature with a credential
        (
            "Records stay with the clinic that made them; its office is at 555-0100. "
            "— Ana Reyes, DDS",
            None,
        ),
        ("Please call our office at 555-0100 with any questions. —Dr. Owen Pike, DO", None),
        ("Please call the office line at 555-0100 tomorrow morning. — Sam Reed, PMHNP", None),
        # the practice's price list, its paperwork
        (
            "Self-pay for a hip replacement at our center is $24,500, which covers the surgeon, "
            "hospital and 6 months of follow-up.",
            "How much without insurance?",
        ),
        ("Whitening starts at $299 and includes trays. Call 555-0100 to book.", None),
        (
            "Las formas de la escuela y del deporte se recogen en recepción con identificación, "
            "o llame al (212) 555-0100.",
            None,
        ),
        # general statements
        (
            "That's a really understandable question, and a very common concern. Please call "
            "our nurse line at 555-0100.",
            None,
        ),
        (
            "Prior authorizations can take a while, and we should keep parents better updated. "
            "Please call Jo at 555-0100.",
            "Six weeks waiting on approval!",
        ),
    ],
)
def test_compliant_wording_is_not_blocked(reply, post):
    assert _verdict(reply, post) is not Verdict.BLOCK, _codes(reply, post)


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        ("We saw you at 3am in the ER and hope you're feeling better.", None),
        ("Hi Mrs. Ruiz, we hope your son Tomas can go through his recovery quickly.", None),
        ("We hope your aunt, Ms. Ruiz, is recovering well.", None),
        ("So sorry for the wait. Please call us at 555-0100. We'll call you back tomorrow.", None),
        ("call 555-0100 and we'll text you your lab results.", None),
        ("Gracias mami, nos vemos en tu consulta del viernes 💕", None),
        ("Dr. Lopez says she's doing much better now.", "Thank you Dr. Lopez for helping my mom!"),
        ("Keep using the drops twice a day and you'll be fine.", None),
        ("You should keep taking it until the bottle is empty.", None),
        ("Thank you for trusting us with your knee surgery.", None),
        ("We loved having you in the chair last week!", None),
        ("Happy birthday! Hope the new braces feel great.", None),
        ("Happy Chuseok! We'll call you Monday about your results.", None),
        ("Great question, and don't worry, the swelling is normal.", None),
        ("We saw Maria Lopez on 3/4. — Ana Reyes, DDS", None),
        ("Yours was denied. Self-pay $499/mo.", None),
        ("Your self-pay balance is $1,240 for the hip replacement.", None),
        ("Las formas de la escuela están listas; tome el jarabe dos veces al día.", None),
    ],
)
def test_violating_look_alike_is_still_blocked(reply, post):
    assert _verdict(reply, post) is Verdict.BLOCK, _codes(reply, post)
