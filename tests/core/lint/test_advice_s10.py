"""Medical advice by shape (session 10): a follow-up visit named for the reader, reassurance that
a symptom is normal or how long it lasts, a treatment to carry on with, in English and Spanish.

Every example was written for this test, in the families of the medical-advice labels the rules
missed on the spent sets (lint_dev, lint_blind2..6); each sits beside a compliant look-alike of
the same words that must stay clear of medical advice.
"""

from __future__ import annotations

import pytest

from safereply.core.lint import default_linter

LINTER = default_linter()


def _advice(text: str, post: str | None = None, *, blocking: bool = True) -> list[str]:
    """Return what the medical-advice rule (MA001) found: its blocking findings, or any."""
    report = LINTER.check(text, post=post)
    return [f.text for f in report.findings if f.code == "MA001" and (f.blocks or not blocking)]


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        # a follow-up visit, by its interval or its kind
        ("Way to go, champ! See you at the 4-week check 💪", "Cast is off!!"),
        ("Proud of you. see u at ur 6 mo recheck", "finally walking without the boot"),
        ("Thanks, Lena! We'll see you back in two months for the next round.", "Loved my visit"),
        ("So happy for you 🎉 see y'all in twelve months!", "All clear at the skin check!"),
        ("We're thrilled. Your next scan in six months will be here before you know it.", None),
        ("Her 9-month weight check is on the calendar, can't wait to see her!", "She's growing!"),
        ("¡Qué alegría! La vemos en tres semanas para quitar los puntos.", "Ya me siento mejor"),
        ("¡Gracias, don Luis! Nos vemos en su control de marzo.", "Excelente atención"),
        ("Te esperamos en 6 meses para tu próxima limpieza 🦷", "Me encantó la clínica"),
        # reassurance that a symptom is normal, or how long it lasts
        ("Yep, completely normal! Hang in there.", "is it normal to still be sore?"),
        ("Sí, es muy normal las primeras semanas.", "¿Es normal la comezón?"),
        ("Some bruising for a few days is expected after fillers.", "bruised after my lips"),
        ("Tenderness can last two weeks or so, it's part of healing.", "still tender at day 5"),
        ("Knee pain in runners is usually a strain, nothing to panic about.", "knee hurts"),
        # a treatment to carry on with, a dose, a candidacy
        ("Great news! Please continue nightly wear of the aligners.", "Teeth look straighter!"),
        ("¡Muy bien! Siga con las gotas hasta el lunes.", "Ya veo mejor"),
        ("Go easy on that wrist this week 😅", "back at the gym after the sprain"),
        ("We'd start with a low-dose patch and see how you feel.", "Do you treat menopause?"),
        ("From what you told us, you're an ideal candidate for veneers!", "Do I need veneers?"),
        ("¡Felicidades! Ya le toca su refuerzo en la cita de agosto.", "Mi bebé cumple 1 año"),
        ("La Dra. Ruiz le indicó reposo, ¿recuerda?", "Me dio de baja la doctora"),
        # a restriction for a time, a referral or a course foretold
        ("Proud of you! Remember, no crunchy foods on that side for 48 hours 🙏", "new crown!"),
        ("She did great today. Hold off on swimming until the stitches are out.", "stitches"),
        ("Glad the scan was clear. Follow up with neurology next week as planned.", "thanks doc"),
        (
            "With your history you'll likely need 4-6 sessions to see a change.",
            "is laser worth it?",
        ),
        ("Por lo que cuenta, probablemente necesite una férula de noche.", "me duele la mandíbula"),
        ("We'd encourage you to try the new plan for a month before deciding.", "Not working"),
    ],
)
def test_individual_advice_is_found(reply, post):
    assert _advice(reply, post), LINTER.check(reply, post=post).findings


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        # the same words, said of an event, a service, or anyone
        ("Thank you to everyone who ran! See you at next year's 5K 🏃", "Great race today!"),
        ("See you at the next one! Our spring health fair is in two months.", "Fun fair!"),
        ("Yes, normal business hours resume on Monday.", "are you open after the holiday?"),
        ("Lab results are usually ready within two days; the portal sends a note.", "how long?"),
        ("¡Gracias! La Dra. Ortiz sigue con nosotros los martes y jueves.", "¿Sigue la doctora?"),
        ("Yes, we offer a low-dose CT screening program; call 555-0144 to ask.", "lung screening?"),
        ("Anyone can book a free consult to see if they're a good candidate: 555-0144.", None),
        ("Please continue the conversation with our manager, Dana, at 555-0144.", "Not happy"),
        ("¡Los esperamos en la feria de salud del sábado! 🎈", "¿Dónde es la feria?"),
        ("Nos vemos en la reunión de voluntarios del jueves 💙", "Me apunto de voluntaria"),
        ("Recovery Run registration closes in two weeks; see you at the start line!", None),
        (
            "No food or drinks in the gym area, please! The class runs until 7.",
            "Can I bring snacks?",
        ),
        ("Please follow up with our billing team; they can explain any charge.", "Bill is wrong"),
        ("You'll likely need to bring your insurance card to the first visit.", "New patient q"),
        ("We encourage you to call us at 555-0144 so we can hear more.", "Rude front desk"),
    ],
)
def test_look_alike_is_not_advice(reply, post):
    # the rules' own finding (the learned signal, MA002, is another module's and has its tests)
    assert not _advice(reply, post, blocking=False), _advice(reply, post, blocking=False)
