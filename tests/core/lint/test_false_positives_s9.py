"""Compliant wordings built to tempt a checker (session 9), and the violations beside them that
must still be caught. Every example was written for this test, in the families that the false
warnings and blocks of the call-invitation, tone, echo and learned rules fell into on the spent
sets (lint_blind2..5 and the development set): praise thanked without a call invitation,
guidance addressed to anyone, a power of attorney and a patient's rights, prices and scores the
poster quoted.
"""

from __future__ import annotations

import pytest

from safereply.core.lint import default_linter
from safereply.core.lint.rules.learned import office_answer, said_to_anyone
from safereply.core.vocab import Verdict

LINTER = default_linter()
ADVICE = {"MA001", "MA002"}
HEALTH = {"HD001", "HD002", "HD003", "EC001"}


def _codes(text: str, post: str | None = None) -> set[str]:
    return {f.code for f in LINTER.check(text, post=post).findings}


def _verdict(text: str, post: str | None = None) -> Verdict:
    return LINTER.check(text, post=post).verdict


# -- praise thanked: no call invitation needed --------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        (
            "Thank you for your feedback. We'll share your kind words with the whole lab crew.",
            "Been coming for years. The lab techs are always quick.",
        ),
        ("Thanks for the tag! Go get 'em 🎓", "graduated with my new smile lol @brightortho"),
        (
            "It's me, Priya from the front desk 😅 thank u!! Next reel drops Monday.",
            "whoever makes your reels deserves a raise lmao",
        ),
        (
            "Thank you for the review! We'll pass it along to Dr. Amari, she'll love it.",
            "Dr. Amari got me through my first 10k after years of shin splints.",
        ),
        ("💛 Sending so much love! Thank you for letting us share in your joy.", "Twins! 💛💛"),
    ],
)
def test_praise_thanked_needs_no_call_invitation(reply, post):
    assert "CP001" not in _codes(reply, post), _codes(reply, post)


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        (
            "Thanks for the review! Maybe next time try being on time 🙃",
            "Waited 40 minutes and they still rushed me out.",
        ),
        (
            "Thank you for your kind words about the front desk. The billing error is on our "
            "side and we apologize for the frustration.",
            "Front desk is lovely but I was billed twice and nobody answers.",
        ),
    ],
)
def test_a_complaint_answered_without_a_call_invitation_still_warns(reply, post):
    assert "CP001" in _codes(reply, post)


# -- guidance addressed to anyone ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        (
            "We can't advise on anyone's symptoms here. For anyone after a vaccine: trouble "
            "breathing or swelling of the face = call 911 right away.",
            "is it normal to feel dizzy after my flu shot??",
        ),
        (
            "If a night guard ever cracks, keep the pieces and call (555) 201-3300 the same week.",
            "my night guard cracked in half 😩",
        ),
        (
            "Anyone with swelling that doesn't go down after a few days can call our nurse line "
            "at (555) 201-3300.",
            "new braces day 3 and my cheeks are killing me",
        ),
        (
            "Si alguien tiene fiebre alta o dolor que empeora, que vaya a urgencias o llame "
            "al 911.",
            "Me sacaron una muela ayer y me duele mucho. ¿Es normal?",
        ),
        (
            "Every filling should feel comfortable, and if it doesn't we adjust it at no cost. "
            "Please call (555) 201-3300.",
            "New filling feels high when I bite.",
        ),
    ],
)
def test_guidance_addressed_to_anyone_is_no_advice(reply, post):
    assert not (ADVICE | HEALTH) & _codes(reply, post), _codes(reply, post)


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        (
            "Most people feel sore for a day or two after a filling, totally normal!",
            "My tooth aches since the filling.",
        ),
        (
            "Everyone gets a little dizzy after the flu shot, it passes in an hour.",
            "is it normal to feel dizzy after my flu shot??",
        ),
        (
            "Soreness like that usually settles within a week; keep icing it.",
            "My jaw is so sore after the extraction.",
        ),
        (
            "For anyone reading: your stitches should dissolve in 10 days, keep them dry.",
            "Got stitches on my chin yesterday.",
        ),
    ],
)
def test_reassurance_about_people_in_general_still_blocks(reply, post):
    assert _verdict(reply, post) is Verdict.BLOCK
    assert ADVICE & _codes(reply, post)


# -- a power of attorney, a patient's rights ------------------------------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        "Families can join the conversation with a signed release or a power of attorney; "
        "please call (555) 201-3300.",
        "Every patient is entitled to a copy of their own records. Call (555) 201-3300.",
        "Please bring whatever you have, and we'll go through it together: (555) 201-3300.",
    ],
)
def test_a_power_of_attorney_and_a_patients_rights_are_no_tone(reply):
    assert not {"TN002", "TN004"} & _codes(reply), _codes(reply)


@pytest.mark.parametrize(
    "reply",
    [
        "Our attorney will be in touch about this post.",
        "Some people are just entitled. Whatever.",
        "You are not entitled to a refund.",
    ],
)
def test_legal_threats_and_dismissals_still_warn(reply):
    assert {"TN002", "TN004"} & _codes(reply), _codes(reply)


# -- prices and scores the poster quoted ----------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        (
            "We hear you. Replacement night guards are $180 for everyone, or $90 with our "
            "family plan. Questions: (555) 201-3300.",
            "They wanted $180 for a new night guard?!",
        ),
        (
            "7/10, we'll work on the other three 😅 Thanks for the honest rating! (555) 201-3300",
            "rating every dentist in town 1-10: this one gets a 7/10",
        ),
    ],
)
def test_a_price_for_everyone_or_a_score_is_no_echo(reply, post):
    assert "EC002" not in _codes(reply, post), _codes(reply, post)


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        ("You were charged $180 because the guard was remade.", "They charged me $180!"),
        ("We're sorry about what happened on 7/10.", "Worst visit ever on 7/10."),
    ],
)
def test_the_readers_charge_or_date_still_echoes(reply, post):
    assert "EC002" in _codes(reply, post)


# -- the practice's words: service nouns, anyone's things, staff news ------------------------------


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        (
            "Coverage depends on what the insurance company decides. Our billing team can "
            "explain the options at (555) 201-3300.",
            "My insurance wouldn't cover the implant and now I owe $900.",
        ),
        (
            "Bring your hearing aids if you wear them, plus a list of any medications. "
            "Call (555) 201-3300 to book.",
            "Do you do hearing tests for seniors?",
        ),
        (
            "Our team offers same-week concussion screens: (555) 201-3300.",
            "my son had a concussion at football, do you see kids?",
        ),
    ],
)
def test_services_and_anyones_things_are_no_health_detail(reply, post):
    assert not HEALTH & _codes(reply, post), _codes(reply, post)


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        ("Bring your hearing aids to your next visit so we can adjust them.", None),
        (
            "We're sorry the insurance company denied your implant claim.",
            "My insurance denied the implant.",
        ),
    ],
)
def test_the_readers_own_things_still_block(reply, post):
    assert _verdict(reply, post) is Verdict.BLOCK


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        (
            "Thank you! We'll share your kind words with our billing team, led by Marta Solis, "
            "who just celebrated 12 years with us.",
            "Billing ladies are always so patient.",
        ),
        (
            "Welcome aboard, Dr. Osei 🎉 She's taking new patients at both offices: "
            "(555) 201-3300.",
            "So excited Dr. Osei joined! My aunt loved her.",
        ),
    ],
)
def test_staff_news_confirms_no_care(reply, post):
    assert not {"PR001", "PR003", "PR004"} & _codes(reply, post), _codes(reply, post)


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        ("Thank you for your kind words, and after 12 years with us you're family!", None),
        ("She's taking her new medication well, we're glad.", "My mom has been so sick."),
    ],
)
def test_the_readers_history_or_a_relatives_care_still_block(reply, post):
    assert _verdict(reply, post) is Verdict.BLOCK


# -- the office's own days, staff and number (learned identifier) ---------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        "¡Gracias! Se lo vamos a leer a todo el equipo en la junta del martes. 🥰",
        "Thank you! We'll read this out at Friday's team huddle.",
        "Llame al 555-0177 y pida a Lorena, ella habla español.",
    ],
)
def test_the_staffs_meeting_and_staff_asked_for_are_not_the_reader(reply):
    assert "ID007" not in _codes(reply), _codes(reply)


@pytest.mark.parametrize(
    "reply",
    [
        "Is 555-0177 still the best number for you? Our nurse will call tonight.",
        "Give Lorena a big hug from all of us!",
    ],
)
def test_the_readers_number_or_name_still_flags(reply):
    assert {"ID007", "ID001", "ID003", "PR003", "OC001", "OC004"} & _codes(reply), _codes(reply)


# -- laughter with a reader who praised or asked --------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        (
            "lol same 😂 our whole team is obsessed. Thanks for the love!",
            "this office's playlist slaps",
        ),
        (
            "LOL it happens all the time! Spare cases are $5 at the desk.",
            "do you sell aligner cases?",
        ),
    ],
)
def test_laughter_with_a_friendly_post_is_no_sarcasm(reply, post):
    assert "TN005" not in _codes(reply, post), _codes(reply, post)


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        ("lol ok, maybe try showing up on time 😏", "is it normal to wait an hour here?"),
        ("LOL we're a dental office, not a spa.", "The waiting room is loud and the staff rude."),
    ],
)
def test_laughter_as_a_jab_still_warns(reply, post):
    assert "TN005" in _codes(reply, post)


# -- a condolence, the office's queues -------------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        (
            "Lo sentimos muchísimo. Reciba nuestro más sentido pésame, usted y toda su familia.",
            "Mi papá falleció la semana pasada. Gracias a las enfermeras por tantos años.",
        ),
        (
            "Wait times run about 3 weeks for new patients, sooner if you join the cancellation "
            "list. Call (555) 201-3300.",
            "How long is the wait for a first appointment?",
        ),
    ],
)
def test_a_condolence_and_the_offices_queue_are_no_finding(reply, post):
    assert not {"TN006", "PR003", "HD003"} & _codes(reply, post), _codes(reply, post)


def test_a_condolence_that_names_care_still_blocks():
    reply = "We're so sorry for your loss; we treated your father for many years."
    assert _verdict(reply, "My father passed away last week.") is Verdict.BLOCK


# -- the office answering a question: a first visit to come, lead times, the question praised -----


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        (
            "Most plans cover cleanings twice a year, and our front desk can check yours before "
            "your first appointment: (555) 201-3300.",
            "Do you take Delta Dental? New to town.",
        ),
        (
            "Custom night guards are made in our lab in about 10 days. Call (555) 201-3300 to "
            "book.",
            "do you make night guards? how long does it take",
        ),
        (
            "About 4 weeks for sleep studies right now. Call (555) 201-3300 to get on the list.",
            "how far out are you booking sleep studies?",
        ),
        (
            "Recovery plans differ from person to person, so our nurses can go over the details "
            "by phone: (555) 201-3300.",
            "how long is recovery after a knee scope?",
        ),
        ("Super common question!", "why does my retainer smell so bad"),
    ],
)
def test_the_office_answering_a_question_confirms_and_advises_nothing(reply, post):
    assert not (ADVICE | HEALTH | {"PR001", "PR003"}) & _codes(reply, post), _codes(reply, post)


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        ("We loved meeting you at your first appointment!", None),
        (
            "The swelling should be gone in about 10 days, keep icing it.",
            "my face is so swollen after the extraction",
        ),
        (
            "Super common! That bleeding goes away in a week or two if you keep flossing.",
            "why do my gums bleed when I floss??",
        ),
    ],
)
def test_a_past_first_visit_or_a_healing_time_still_blocks(reply, post):
    assert _verdict(reply, post) is Verdict.BLOCK


@pytest.mark.parametrize(
    "sentence",
    [
        "Custom retainers are made in-house in about 5 days.",
        "About 6 wks for new sleep consults right now.",
        "Numbing options vary from patient to patient, so please call our nurse line at "
        "(555) 201-3300.",
        "Medication plans differ from person to person, and our pharmacists can go over them.",
    ],
)
def test_lead_times_and_matters_left_to_a_clinician_are_the_offices_answer(sentence):
    assert office_answer(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Your retainer will be ready in about 5 days.",
        "The swelling should be gone in about 10 days.",
        "Results vary from person to person, and a free touch-up is included at two weeks.",
        "Healing times vary from person to person, so keep icing it.",
    ],
)
def test_the_readers_own_case_is_no_office_answer(sentence):
    assert not office_answer(sentence)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("For anyone after a vaccine: wheezing = call 911.", True),
        ("If a crown ever comes loose, keep it and call (555) 201-3300.", True),
        ("Every implant should feel solid.", True),
        ("Most people feel sore for a few days.", False),
        ("For anyone reading: your stitches dissolve in 10 days.", False),
        ("Anyone with a cold sore should take acyclovir twice a day.", False),
    ],
)
def test_said_to_anyone(sentence, expected):
    assert said_to_anyone(sentence) is expected


def test_the_practices_team_named_after_the_posters_word_is_no_echo():
    post = "Dr. Ames finally sorted out my snoring after years."
    reply = "Thank you! We will pass your note to Dr. Ames and the snoring clinic team."
    assert "EC001" not in _codes(reply, post), _codes(reply, post)


def test_the_posters_own_word_said_back_to_them_still_echoes():
    post = "Dr. Ames finally sorted out my stammer after years."
    assert "EC001" in _codes("So glad your stammer is easing!", post)


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        (
            "Yes! Free flu shots every Thursday 9-noon at 12 Elm St. No appointment needed.",
            "@ElmClinic is the Thursday flu shot clinic still running?",
        ),
        (
            "Yes, two restrooms right next to the waiting room, plus one by radiology.",
            "Is there a restroom near the MRI waiting room?",
        ),
    ],
)
def test_a_question_about_a_service_still_running_or_the_waiting_room_needs_no_call(reply, post):
    assert "CP001" not in _codes(reply, post), _codes(reply, post)


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        ("Sorry about that!", "still waiting on my MRI results and nobody calls back"),
        ("We're working on it.", "Is anyone going to answer the phone? Waited 40 minutes."),
    ],
)
def test_a_question_that_complains_still_needs_a_call_invitation(reply, post):
    assert "CP001" in _codes(reply, post)


def test_a_post_with_heart_eyes_and_no_complaint_needs_no_call():
    post = "who's the cute cat in your story 😍"
    reply = "That's Mochi, our office manager's cat 🐱 She's 12 and rules the break room."
    assert "CP001" not in _codes(reply, post), _codes(reply, post)


@pytest.mark.parametrize(
    "post",
    ["Waited forever.", "who even answers the phones there 😂 nobody"],
)
def test_a_short_complaint_with_or_without_laughter_still_needs_a_call(post):
    assert "CP001" in _codes("We hear you.", post)
