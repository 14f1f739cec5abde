"""Compliant wordings built to tempt a checker (session 10), and the violations beside them that
must still be caught. Every example was written for this test, in the families that the rules'
false warnings and blocks on compliant replies of the spent sets (lint_dev, lint_blind2..6) fell
into: praise thanked with joy but none of the usual thanks, another way in than a phone (an
e-mail to the office, walking in), the person the poster named invited to call, and the office's
own people named by their role, language, years with the practice, or beside the writer.
"""

from __future__ import annotations

import pytest

from safereply.core.lint import default_linter

LINTER = default_linter()


def _codes(text: str, post: str | None = None) -> set[str]:
    return {f.code for f in LINTER.check(text, post=post).findings}


def _texts(code: str, text: str, post: str | None = None) -> list[str]:
    return [f.text for f in LINTER.check(text, post=post).findings if f.code == code]


# -- the call invitation (CP001) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        # joy at praise, with none of the usual thanks, on a post that reads like a complaint
        (
            "Love to hear it! 🙌 Tell your friends about our Saturday hours.",
            "Waited only 10 min, was dreading a long wait",
        ),
        (
            "We love this!! 💙 Thanks for sharing.",
            "my new hearing aids are so tiny nobody can see them, no more embarrassment",
        ),
        ("HAPPY BIRTHDAY 🎂 enjoy it with your family!", "Hoy cumplo 40 y me regalé mi lipo 😍"),
        ("¡Feliz cumpleaños! 🎉 Que lo disfrute mucho.", "Hoy cumplo 50 y vine por mi limpieza"),
        ("Una diosa 😍 ¡Gracias por tu energía!", "ya 3 meses post op y me siento una diosa ✨"),
        ("Una reina 😍 ¡Gracias por compartir!", "2 meses post op y ya no me duele nada"),
        # another way in than a phone
        (
            "Sorry for the trouble. Please email your name to help@clinic.example, we'll fix it.",
            "The portal locked me out again. Useless.",
        ),
        (
            "We're sorry! You can also email us at office.team@clinic.example.",
            "On hold 30 min again, terrible",
        ),
        ("Yes! Walk in any time 8-6, most visits take under an hour.", "do you do stitches?"),
        (
            "Flu shots all week, no appointment needed. Hope you feel better soon!",
            "need a flu shot, feeling run down",
        ),
    ],
)
def test_reply_with_joy_or_another_way_in_needs_no_call(reply, post):
    assert "CP001" not in _codes(reply, post), _codes(reply, post)


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        # a complaint answered with an apology and no way in at all
        (
            "We're sorry about the wait. We love seeing every patient on time.",
            "Waited 2 hours. Awful.",
        ),
        # the reader's own e-mail, not the office's: no way in
        (
            "Sorry! We emailed your statement to jo.lee@mail.example, check your spam.",
            "Never got my bill, charged twice. Terrible.",
        ),
        # walk-ins named as the reason for a wait, not offered
        ("Sorry for the wait, we had three walk-ins that morning.", "Waited forever. Rude staff."),
    ],
)
def test_complaint_without_a_way_in_still_needs_a_call(reply, post):
    assert "CP001" in _codes(reply, post), _codes(reply, post)


# -- the poster's own words echoed (EC001) ------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        (
            "Our chaplains can help with that. Your cousin, or anyone close to them, is welcome "
            "to call us at 555-0190.",
            "Do you offer chaplain visits? Asking for my cousin.",
        ),
        (
            "We're glad to explain how the waitlist works. Your grandpa can call our front desk at "
            "555-0190 anytime.",
            "My grandpa says he's been on the waitlist forever. Why?",
        ),
    ],
)
def test_person_named_by_the_poster_invited_to_call_is_no_echo(reply, post):
    assert "EC001" not in _codes(reply, post), _codes(reply, post)


@pytest.mark.parametrize(
    "reply",
    [
        "Your cousin was seen last Tuesday and left in good spirits.",
        "We're glad to explain. Your cousin called us twice last week about it.",
    ],
)
def test_person_named_by_the_poster_described_is_still_an_echo(reply):
    assert _texts("EC001", reply, "Do you offer chaplain visits? Asking for my cousin.")


# -- the office's own people (ID001) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "name", "post"),
    [
        (
            "¡Hola! Sí, Carmen habla español y la enfermera atiende a toda la familia. Llame al "
            "555-0190.",
            "Carmen",
            "¿la enfermera habla español?",
        ),
        ("Yes! Dr. Park speaks Korean and Lucia speaks Portuguese. Call 555-0190.", "Lucia", None),
        ("Fun fact: Brenda just hit 25 years with us 🎉", "Brenda", None),
        (
            "Thank you for your feedback. We will share your kind words with our billing team, led "
            "by Karen Miller.",
            "Karen",
            "Billing office is always helpful.",
        ),
        ("Call 555-0190 and ask for me (Joan) or Priscilla.", "Priscilla", None),
        (
            "Thank you for raising this. Please call 555-0190 and ask for me or for Mrs. Okoro.",
            "Okoro",
            "The receptionist was rude.",
        ),
        ("Nurse Ella, Mrs. Okoro and I read every review. — Dr. Ruiz", "Okoro", None),
        (
            "Lamentamos leer esto. Nuestra gerente clínica, Patricia, quiere escucharle: llame al "
            "555-0190.",
            "Patricia",
            "El terapeuta me trató fatal.",
        ),
        (
            "¡Muchas gracias! Sofia va a estar muy contenta. Llame al 555-0190.",
            "Sofia",
            "La higienista Sofia es un amor",
        ),
        ("Llame al 555-0190; Ana le ayuda en español.", "Ana", None),
        (
            "Thank you; you can learn more by calling 555-0190 and asking for Teresa.",
            "Teresa",
            "Nobody checks on you after you leave.",
        ),
        (
            "We'll share this with Dr. Vance and our speech-language pathologist, Priya Raman.",
            "Priya",
            None,
        ),
    ],
)
def test_staff_named_by_role_language_or_tenure_is_no_identifier(reply, name, post):
    found = _texts("ID001", reply, post)
    assert not any(name in t for t in found), found


@pytest.mark.parametrize(
    ("reply", "name"),
    [
        # the reader's relative, by the same shapes: still named
        ("So glad your mom Marisol is feeling better! She only speaks Spanish, right?", "Marisol"),
        ("Tell your husband Brandon we said hi!", "Brandon"),
        ("Your daughter Priscilla did great at her cleaning.", "Priscilla"),
    ],
)
def test_reader_or_relative_named_is_still_an_identifier(reply, name):
    found = _texts("ID001", reply)
    assert any(name in t for t in found), LINTER.check(reply).findings


# -- a health word said as a norm for everyone (HD001) ------------------------------------------


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        (
            "We're sorry you had to chase them; results should never take three weeks. Please call "
            "555-0190 and ask for Dana.",
            "Waited 3 weeks for my biopsy results, nobody called",
        ),
        (
            "We understand. Procedures are occasionally rescheduled for safety, and you deserve a "
            "reason. Please call 555-0190.",
            "My procedure got moved twice with no explanation.",
        ),
    ],
)
def test_health_word_said_as_a_norm_is_not_the_readers(reply, post):
    assert not {"HD001", "EC001"} & _codes(reply, post), _codes(reply, post)


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        (
            "We're sorry. Your referral should never have sat that long. Please call 555-0190.",
            "Waited a month for my referral to cardiology.",
        ),
        (
            "We understand. The procedure was rescheduled for safety. Please call 555-0190.",
            "My procedure got moved twice with no explanation.",
        ),
    ],
)
def test_the_readers_own_health_word_is_still_found(reply, post):
    assert {"HD001", "EC001"} & _codes(reply, post), _codes(reply, post)


# -- laughter (TN005) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        (
            "LOL we get it 😂 our Saturday slots fill fast, call (555) 201-6600 to grab one.",
            "tried to book a sat appt and they were gone in 5 min 💀",
        ),
        (
            "lmao the waiting room fish are the real stars. any feedback? (555) 201-6600",
            "waited 20 min but the fish tank kept me busy lol",
        ),
    ],
)
def test_laughing_along_with_a_poster_who_laughed_is_no_sarcasm(reply, post):
    assert "TN005" not in _codes(reply, post), _codes(reply, post)


def test_laughing_at_a_complaint_is_still_sarcasm():
    reply = "lol we're booked because people like us. call (555) 201-6600."
    post = "Tried to book a Saturday appointment, they were all gone. Terrible system."
    assert "TN005" in _codes(reply, post), _codes(reply, post)


# -- an event's time, for everyone (ID002) ------------------------------------------------------


def test_time_of_an_event_open_to_everyone_is_no_visit():
    reply = (
        "Thank you! 💛 Visitors are always welcome at our Friday music hour, 3 pm in the sunroom."
    )
    post = "Dad loves it there and the staff know him by name."
    assert "ID002" not in _codes(reply, post), _codes(reply, post)


def test_time_of_the_readers_visit_is_still_found():
    reply = "Thank you! 💛 We'll see your dad Friday at 3 pm for his checkup in the sunroom."
    post = "Dad loves it there and the staff know him by name."
    assert "ID002" in _codes(reply, post), _codes(reply, post)


# -- a relative day the poster gave, said of the practice's own doing (EC002) -------------------


def test_today_of_the_practices_own_event_is_no_echo():
    reply = "We loved cheering with the whole neighborhood today! 💚 Thanks to all who came."
    post = "Maple Clinic crew at the fun run today!! so cool"
    assert "EC002" not in _codes(reply, post), _codes(reply, post)


@pytest.mark.parametrize(
    "reply",
    [
        "We loved seeing you at the fun run today! 💚",
        "We had you in the chair today and you did great! 💚",
    ],
)
def test_today_of_the_readers_visit_is_still_an_echo(reply):
    post = "Maple Clinic crew at the fun run today!! so cool"
    assert "EC002" in _codes(reply, post), _codes(reply, post)


# -- a step for anyone who calls: checking their insurance (HD002, PR001) -----------------------


@pytest.mark.parametrize(
    "reply",
    [
        "yes! we do those same-day 🙌 call (555) 902-7700 to book & check ur insurance",
        "We take most plans. The quickest way to confirm your exact coverage is to call "
        "(555) 902-7700.",
        "Call (555) 902-7700 and we can check your insurance before you book.",
    ],
)
def test_checking_insurance_as_a_step_for_anyone_is_no_disclosure(reply):
    codes = _codes(reply, "Do you do same-day crowns? Do you take MetLife?")
    assert not {"HD002", "PR001"} & codes, codes


@pytest.mark.parametrize(
    "reply",
    [
        "We'll check your insurance again and call you back about the denied claim.",
        "Your coverage ran out in March, so the crown wasn't paid.",
    ],
)
def test_the_readers_own_insurance_is_still_found(reply):
    codes = _codes(reply, "Do you do same-day crowns? Do you take MetLife?")
    assert {"HD002", "PR001"} & codes, codes


# -- a health word in a sentence said of anyone (HD001), the office's people by "de" (ID001) ------


@pytest.mark.parametrize(
    ("reply", "post"),
    [
        (
            "I'm sorry you're frustrated. Nobody wants to do the exercises and not see the "
            "results they were hoping for. Please call me at (555) 903-4477.",
            "PT did nothing for my knee. 10 sessions wasted.",
        ),
        (
            "Sending love 🙏 For any dancer facing a big injury: you're not alone. We're here at "
            "555-0151.",
            "My sister tore her ACL at nationals last night 💔",
        ),
    ],
)
def test_health_word_said_of_anyone_is_not_the_readers(reply, post):
    assert "HD001" not in _codes(reply, post), _codes(reply, post)


def test_health_word_said_of_the_reader_is_still_found():
    reply = "I'm sorry you're frustrated that you didn't see the results after therapy. Call me."
    assert "HD001" in _codes(reply, "PT did nothing for my knee."), _codes(reply)


def test_staff_role_with_de_after_it_is_no_identifier():
    reply = (
        "¡Gracias! Si alguna familia necesita ayuda, Laura Méndez, nuestra coordinadora de "
        "pacientes, está en el 555-0161."
    )
    assert not _texts("ID001", reply), _texts("ID001", reply)


# -- a hug passed on by name (the learned identifier signal of session 10 no longer reads it) ---


@pytest.mark.parametrize(
    "reply",
    [
        "Give Lorena a big hug from all of us!",
        "Please send Mateo a high five from the whole team.",
        "Dele a Rosa un abrazo de parte de todas.",
    ],
)
def test_a_hug_passed_on_by_name_names_someone_in_the_readers_life(reply):
    assert "ID001" in {f.code for f in default_linter().check(reply).findings}


@pytest.mark.parametrize(
    "reply",
    ["Give us a call at 555-0100 and ask for Rosa.", "Give Dr. Patel's office a call anytime."],
)
def test_giving_the_office_a_call_is_no_hug(reply):
    assert "ID001" not in {f.code for f in default_linter().check(reply).findings}
