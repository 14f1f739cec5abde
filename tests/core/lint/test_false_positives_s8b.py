"""Compliant wordings built to tempt a checker (session 8), and the violations beside them that
must still be caught. Every example was written for this test, in the families the false blocks
and warnings of the relationship, advice, tone and contact rules and of the learned signal fell
into on the spent fourth blind set: staff news read as the reader's history, "welcome back" to a
town or to staff, thanks for sharing something personal, the reader's own doctor set beside the
practice, invitations and generic subjects read as the reader's record, thanks for being open
accepted, a call invitation by "telephone", "whatever" as a conjunction, tips addressed to
everyone, guidance cited from a public body, and seasonal greetings; and, for the learned signal,
staff named by role with the office's number, the practice's name after "all of us at", weekly
schedules, promotions, "normal hours", bringing an insurance card, the practice's programmes,
condolences on a death the post announced, sign-offs and the privacy line, the office's systems
spoken of to no one, refunds and the practice's news, public classes; and joy at praise, which
needs no call invitation.
"""

from __future__ import annotations

import pytest

from safereply.core.lint import default_linter
from safereply.core.vocab import Verdict

LINTER = default_linter()


def _codes(text: str, post: str | None = None) -> set[str]:
    return {f.code for f in LINTER.check(text, post=post).findings}


def _verdict(text: str, post: str | None = None) -> Verdict:
    return LINTER.check(text, post=post).verdict


# -- staff anniversaries ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Big thanks 💙 Shout-out to our optician Dana, who just reached 8 years with us!",
        "Our receptionist Gloria celebrated 20 years with us this spring, and we had a party.",
        "She just marked a decade with us, so the whole team went out for lunch.",
    ],
)
def test_a_staff_anniversary_is_not_the_reader_history(text):
    assert "PR001" not in _codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Thank you for 12 years with us!",
        "After fifteen years with us, you know how much we care.",
        "Wow, you just hit 10 years with us!",
    ],
)
def test_the_reader_history_with_the_practice_still_blocks(text):
    assert _verdict(text) is Verdict.BLOCK
    assert "PR001" in _codes(text)


# -- "welcome back" to a town, or to staff ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "post"),
    [
        (
            "Welcome back to Cedar Bluff! We're still on Main Street and taking new patients.",
            "Just moved back to Cedar Bluff after college, glad this office is still here.",
        ),
        ("Welcome back to the neighborhood! Our doors are open Monday to Friday.", None),
        ("We're so happy to welcome back Dr. Imani Reyes after her maternity leave!", None),
    ],
)
def test_welcome_back_to_a_town_or_to_staff_is_not_a_return_visit(text, post):
    assert "PR001" not in _codes(text, post)


@pytest.mark.parametrize(
    ("text", "post"),
    [
        ("Welcome back! We missed you.", "Came back after four years away."),
        ("Welcome back to Brightview Dental!", "Came back to Brightview Dental after years."),
        ("We can't wait to welcome back your little one next month!", None),
    ],
)
def test_welcome_back_to_the_reader_still_blocks(text, post):
    assert _verdict(text, post) is Verdict.BLOCK
    assert "PR001" in _codes(text, post)


# -- thanks for trusting us with the telling -------------------------------------------------


def test_thanks_for_trusting_us_with_something_personal_is_thanks_for_sharing():
    text = (
        "Thank you for trusting us with something this painful. Please call our director of "
        "nursing at (555) 410-2231 whenever you feel ready."
    )
    assert "PR001" not in _codes(text)


@pytest.mark.parametrize(
    "text",
    ["Thank you for trusting us with your care!", "Thank you for trusting us with your smile."],
)
def test_thanks_for_trusting_us_with_care_still_blocks(text):
    assert "PR001" in _codes(text)


# -- the reader's own doctor, beside the practice --------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Our nutritionist coordinates closely with your doctor; call (555) 201-7788 to ask.",
        "Our acupuncturist can plan a course with you and your doctor: (555) 201-7788.",
    ],
)
def test_the_reader_own_doctor_beside_the_practice_is_not_this_practice(text):
    assert "PR001" not in _codes(text)


@pytest.mark.parametrize(
    "text",
    ["As your doctor, I want to hear more.", "Your dentist here will be glad to hear it!"],
)
def test_the_practice_as_the_reader_doctor_still_blocks(text):
    assert "PR001" in _codes(text)


# -- a relative invited to call, generic subjects, any of our staff --------------------------


def test_a_relative_welcome_to_call_is_an_invitation():
    post = "My brother said the surgeon here was rude to him."
    text = "If your brother would like to talk, he's welcome to call our manager at (555) 300-1200."
    assert "PR004" not in _codes(text, post)


def test_a_relative_care_in_the_third_person_still_blocks():
    post = "My brother said the surgeon here was rude to him."
    assert "PR004" in _codes("He's healing nicely now, though.", post)


@pytest.mark.parametrize(
    ("text", "post"),
    [
        (
            "Sí. Todo paciente puede solicitar una copia de su historial en la recepción.",
            "¿Cómo pido mis radiografías?",
        ),
        (
            "Claro que sí: su mamá está en buenas manos con cualquiera de nuestras doctoras.",
            "¿Las doctoras hablan español? Mi mamá solo habla español.",
        ),
    ],
)
def test_generic_subjects_and_any_of_our_staff_are_not_the_reader_record(text, post):
    assert "PR004" not in _codes(text, post)


@pytest.mark.parametrize(
    ("text", "post"),
    [
        ("Ya revisamos su historial y todo está en orden.", "¿Cómo pido mis radiografías?"),
        ("Su mamá está mucho mejor desde la semana pasada.", "Mi mamá solo habla español."),
    ],
)
def test_the_reader_record_and_a_relative_care_still_block(text, post):
    assert "PR004" in _codes(text, post)


# -- thanks for being open or for information ------------------------------------------------


@pytest.mark.parametrize(
    "post",
    [
        "thanks for staying open on Christmas Eve!!",
        "Thank you for the helpful info on flu shots",
        "gracias por la información 🙏",
    ],
)
def test_accepting_thanks_for_being_open_or_for_information_is_no_care(post):
    assert "PR004" not in _codes("Of course! Our hours are on our website.", post)


@pytest.mark.parametrize(
    "post",
    [
        "Thank you for squeezing my daughter in this morning!",
        "thanks for staying open late, my son needed stitches",
    ],
)
def test_accepting_thanks_for_care_still_blocks(post):
    assert "PR004" in _codes("Anytime! Take care.", post)


# -- a call invitation by "telephone", and e-mail beside it ----------------------------------


def test_an_email_beside_a_telephone_invitation_is_not_a_warning():
    text = (
        "Kindly telephone our practice manager, Mr. Okoro, on (555) 761-0042, or write to "
        "care@northgateclinic.com."
    )
    assert "OC003" not in _codes(text)


def test_an_email_invitation_alone_still_warns():
    text = "You may write to care@northgateclinic.com."
    assert "OC003" in _codes(text)


def test_a_spanish_informal_call_invitation_is_not_outside_contact():
    text = "Para inscribirte llama al (555) 430-1180 y pregunta por Lina o por la Lic. Soto."
    assert "OC004" not in _codes(text)


def test_the_practice_calling_the_reader_in_spanish_still_blocks():
    assert _verdict("Lina te llama al celular mañana temprano.") is Verdict.BLOCK


# -- "whatever" as a conjunction -------------------------------------------------------------


def test_whatever_opening_a_clause_is_not_dismissive():
    text = "Every guest deserves a warm welcome, whatever they choose to book."
    assert "TN004" not in _codes(text)


@pytest.mark.parametrize("text", ["Whatever you say.", "ok whatever, we tried our best."])
def test_whatever_as_a_brush_off_still_warns(text):
    assert "TN004" in _codes(text)


# -- tips addressed to everyone; guidance cited from a public body ---------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Spring reminder for our whole community: take a short walk daily and keep a water "
        "bottle with you.",
        "Adults over 45 are usually advised to start colon cancer screening (USPSTF).",
    ],
)
def test_general_tips_and_public_guidance_are_not_advice(text):
    assert not {"MA001", "MA002"} & _codes(text)


@pytest.mark.parametrize(
    ("text", "post"),
    [
        ("Take a short walk daily and keep that ankle iced.", "My ankle is still swollen."),
        ("The CDC says you should be fine after 2 days of rest.", "Still sick after my shot."),
    ],
)
def test_tips_and_guidance_aimed_at_the_reader_still_block(text, post):
    assert _verdict(text, post) is Verdict.BLOCK
    assert {"MA001", "MA002"} & _codes(text, post)


# -- seasonal greetings ----------------------------------------------------------------------


def test_a_seasonal_greeting_is_not_a_care_reference():
    for text in (
        "Happy Lunar New Year to you and your family! Our offices close on the 29th.",
        "Merry Christmas to you and your family!",
    ):
        assert "PR003" not in _codes(text)


def test_a_greeting_with_care_in_it_still_blocks():
    text = "Happy holidays! Hope that knee is healing well."
    assert _verdict(text) is Verdict.BLOCK


# -- learned signal: the office's people, schedules, promotions and services -----------------


@pytest.mark.parametrize(
    "text",
    [
        "You may also ask for Mr. Ravi Menon, Billing Supervisor.",
        "Kindly telephone our Office Manager, Mr. Daniel Osei, on (555) 640-2210.",
        "Dr. Ruiz sees patients Tuesday and Thursday.",
        "La doctora atiende lunes y miércoles; el grupo de apoyo se reúne los jueves a las 6 pm.",
        "Spring promo: frames from $49 with code SPRING49.",
    ],
)
def test_the_office_people_schedules_and_promotions_are_not_the_reader(text):
    assert "ID007" not in _codes(text)
    assert _verdict(text) is not Verdict.BLOCK


@pytest.mark.parametrize(
    "text",
    [
        "Give Noah a hug from all of us at Willow Creek Dental!",
        "Tell Mateo we said hi, we miss him!",
        "We saw him Monday and Wednesday.",
        "Your $49 balance is due.",
    ],
)
def test_the_reader_named_or_dated_still_blocks(text):
    assert _verdict(text) is Verdict.BLOCK


@pytest.mark.parametrize(
    "text",
    [
        "We reopen on the 2nd with normal hours, 8am-5pm.",
        "Traiga su tarjeta de seguro y una identificación con foto.",
        "Sí, tenemos un programa de diabetes con nutricionista y educadora, todo en español.",
    ],
)
def test_hours_paperwork_and_programmes_are_not_advice_or_health(text):
    assert not {"MA002", "HD003"} & _codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "That soreness is normal for a few days.",
        "Traiga su inhalador y úselo dos veces al día.",
        "Tenemos sus resultados de A1C listos.",
    ],
)
def test_reassurance_instructions_and_results_still_block(text):
    assert _verdict(text) is Verdict.BLOCK


def test_condolences_on_a_death_the_post_announced_are_not_health():
    post = "My father passed away last week. Thank you all."
    text = "Dear Sir, please accept our heartfelt condolences on your loss."
    assert _verdict(text, post) is Verdict.PASS


def test_condolences_beside_the_care_of_the_dead_still_block():
    post = "My father passed away last week. Thank you all."
    text = "So sorry for your loss. It was an honor caring for him through his cancer."
    assert _verdict(text, post) is Verdict.BLOCK


@pytest.mark.parametrize(
    "text",
    [
        "Pursuant to our policy, we do not discuss individual matters online; however, we have "
        "since added a second scheduler.",
        "Dear Sir, refills need a review every six months. Regards, the Practice Manager",
    ],
)
def test_the_privacy_line_and_a_sign_off_are_not_defensive(text):
    assert "TN006" not in _codes(text)


def test_correcting_the_reader_beside_the_privacy_line_still_warns():
    text = "We cannot discuss patient matters here, but your account is simply not accurate."
    assert {"TN003", "TN006"} & _codes(text)


# -- joy at praise needs no call invitation --------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "these are the reviews that make our whole week 🥹 thank u for sharing!",
        "LMAOO wall sits build character 💀 thanks for the laugh!",
        "She truly is the best, and we're so proud of her. Thank you for lifting her up.",
    ],
)
def test_joy_at_praise_needs_no_call_invitation(text):
    post = "who else's PT makes them do the wall sits lmao 😭"
    assert "CP001" not in _codes(text, post)


def test_an_apology_to_a_complaint_still_needs_a_call_invitation():
    post = "my knee still hurts after surgery and nobody called me back"
    text = "We're so sorry, this made our week harder too. Thanks for sharing."
    assert "CP001" in _codes(text, post)


# -- the office's systems, refunds, news and classes -----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "After hours? The same number has our on-call nurse.",
        "Our online portal had a short outage this morning and is back up now.",
    ],
)
def test_the_office_systems_spoken_of_to_no_one_are_not_outside_contact(text):
    assert "OC004" not in _codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Your results should hit the portal today.",
        "Our nurse will text you the results tonight.",
    ],
)
def test_contact_with_the_reader_through_a_private_channel_still_blocks(text):
    assert _verdict(text) is Verdict.BLOCK
    assert {"OC001", "OC002", "OC003", "OC004"} & _codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Refunds usually take 3-5 weeks; if it's been longer, please call (555) 220-1100.",
        "We now use a faster outside lab, so most results post within a week.",
    ],
)
def test_refunds_and_the_practice_news_are_not_advice(text):
    assert "MA002" not in _codes(text)


def test_a_healing_timeline_with_an_instruction_still_blocks():
    text = "Usually the swelling takes 3-5 days to go down; keep icing it."
    assert _verdict(text) is Verdict.BLOCK
    assert {"MA001", "MA002"} & _codes(text)


def test_a_public_class_is_not_the_reader_health():
    text = (
        "¡Qué gusto! El próximo taller gratuito sobre duelo es el 9 de marzo a las 6 p.m. en la "
        "Parroquia San Lucas."
    )
    assert "HD003" not in _codes(text)


def test_the_reader_own_class_still_blocks():
    text = "Your next class is on the 14th, bring your baby's swaddle!"
    assert _verdict(text) is Verdict.BLOCK
