"""Compliant wordings the linter used to flag, and the violations next to them it must still
catch (issue 10: compliant replies blocked <= 2%, warned <= 10%).

Every example here was written for this test, in the families that the false positives on the
training and tuning data fell into: the practice's own phone numbers and addresses, staff named
by role, hours and events, generic statements that repeat a word of the post, thanks for sharing,
aims, referrals to the reader's own doctor, invitations to call, and tone words used kindly.
"""

from __future__ import annotations

import pytest

from safereply.core.lint import default_linter
from safereply.core.practice import Practice

LINTER = default_linter()
PRACTICE = Practice(name="Cedar Hill Clinic", phone="(555) 010-0000", staff=("Dr. Vance",))


def _codes(text: str, post: str | None = None, practice: Practice | None = None) -> set[str]:
    return {f.code for f in LINTER.check(text, post=post, practice=practice).findings}


@pytest.mark.parametrize(
    "text",
    [
        "Please call our billing lead directly at 555-301-7788 so we can sort this out.",
        "We have moved! Our new phone number is 555-301-7788.",
        "We'd like to hear more; please give our office a call at (555) 301-7788.",
        "You can reach me at my clinic line, 555-301-7788, ext. 4.",
        "We now have a second location at 88 Harbor Road, Suite 2.",
    ],
)
def test_another_office_line_or_address_is_not_the_reader_even_with_a_profile(text):
    assert not {"ID004", "ID005"} & _codes(text, practice=PRACTICE)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("We will call you at 555-301-7788 tomorrow.", "ID004"),
        ("We'll text 555-301-7788 a reminder the day before.", "ID004"),
        ("We mailed the forms to 88 Harbor Road last week.", "ID005"),
    ],
)
def test_the_reader_own_number_or_address_still_blocks(text, code):
    assert code in _codes(text, practice=PRACTICE)


@pytest.mark.parametrize(
    "text",
    [
        "Paula, our practice manager, would like to talk: (555) 201-3300.",
        "Please call and ask for Mrs. Greer, our billing coordinator, at (555) 201-3300.",
        "Our front desk leads, Dana and Imani, are glad to help at (555) 201-3300.",
        "Call our Director of Patient Experience, Tomas, at (555) 201-3300.",
        "Thank you! Priya and the whole team were so happy to read this.",
        "Llame al (555) 201-3300 y pregunte por Don Aurelio, nuestro asesor de pagos.",
        "Our midwives deliver at St. Luke's downtown.",
        "Flu shots at the library, Oct. 12, 9-1, no appointment needed.",
    ],
)
def test_staff_named_by_role_places_and_months_are_not_the_reader(text):
    assert "ID001" not in _codes(text)


@pytest.mark.parametrize(
    "text",
    ["Paula, we are so sorry about your wait.", "Hi Paula, thank you!", "Thank you Mrs. Greer."],
)
def test_the_reader_addressed_by_name_still_blocks(text):
    assert "ID001" in _codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Yes! The lab on the 2nd floor is open m-f 7-3.",
        "yes! the lab is on the 2nd floor, m-f 7-3.",
        "¡Claro! Hay un taller gratuito para padres los martes a las 6 p.m.",
        "Thanks! Walk-in testing is Saturdays 9am–noon, all ages welcome.",
        "Our phones are answered from 7am at (555) 201-3300.",
    ],
)
def test_the_practice_hours_and_events_are_not_dates_of_service(text):
    assert not {"ID002", "ID007"} & _codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Thanks so much! 🙌 This means a lot to the whole team.",
        "Wow, thank you! 🙌 This means a lot to the whole crew.",
    ],
)
def test_a_capital_after_an_emoji_is_not_a_name(text):
    assert "ID007" not in _codes(text)


@pytest.mark.parametrize(
    ("text", "post"),
    [
        (
            "Thank you for the feedback. Insurance rules can be confusing, and our billing team "
            "can walk anyone through them at (555) 201-3300.",
            "They messed up my insurance claim again.",
        ),
        (
            "We're sorry to hear this. Newborn checks deserve unhurried time, so we've added "
            "longer slots. Please call (555) 201-3300.",
            "My newborn check felt rushed.",
        ),
        (
            "Yes, we take Medicaid! Call (555) 201-3300 to book.",
            "Do you take Medicaid? I'm pregnant.",
        ),
    ],
)
def test_a_post_word_repeated_in_a_statement_to_no_one_is_not_an_echo(text, post):
    assert "EC001" not in _codes(text, post=post)


@pytest.mark.parametrize(
    ("text", "post"),
    [
        ("We're so sorry about the root canal.", "My root canal at this office was a nightmare."),
        ("We hope your migraine is better now.", "My migraine got worse after the visit."),
    ],
)
def test_an_echo_about_the_reader_still_counts(text, post):
    report = LINTER.check(text, post=post)
    assert str(report.verdict) == "block"
    assert "health-detail" in report.categories


@pytest.mark.parametrize(
    "text",
    [
        "Thank you so much for sharing your lovely experience with us!",
        "Our mission is to provide you with thoughtful, unhurried care.",
        "We strive to give you the best experience every time.",
        "Every option has trade-offs, so talk to your doctor about which fits.",
        "Thanks for your question. Healing times differ from person to person.",
        "Our check-in kiosk means the next family isn't kept waiting.",
    ],
)
def test_thanks_aims_and_referrals_do_not_confirm_a_visit(text):
    assert "PR001" not in _codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "We're sorry about your experience with us.",
        "We were glad to provide you with the care you needed.",
        "Sorry you were kept waiting so long.",
        "Your doctor here will see you at your follow-up.",
    ],
)
def test_confirmations_next_to_them_still_block(text):
    assert "PR001" in _codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Please give me a call at the office tomorrow so we can fix this: (555) 201-3300.",
        "Please give me a phone call tomorrow to fix this. Please mention I asked you to "
        "contact me directly.",
        "Please contact us at (555) 201-3300 or stop by the front desk.",
        "We're hiring! Send your resume to careers@cedarhill.example.",
        "We will share your kind message with the whole night shift.",
    ],
)
def test_invitations_to_call_jobs_and_passing_words_along_are_not_outside_contact(text):
    assert not {"OC001", "OC004"} & _codes(text)


def test_a_promise_to_contact_the_reader_still_blocks():
    assert {"OC001", "OC004"} & _codes("Our billing lead will reach out to you directly.")


@pytest.mark.parametrize(
    "text",
    [
        "Every patient deserves to be treated with respect; please call us.",
        "Thanks for joining! The recording is posted on our site.",
        "We try to treat everyone like family here.",
        "I'm sorry you felt rushed. Please call me at (555) 201-3300.",
    ],
)
def test_kind_uses_of_tone_words_are_not_tone(text):
    assert not {"TN003", "TN004"} & _codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "With respect, that is not what happened.",
        "We're sorry you feel that way.",
        "Sorry if you felt rushed.",
        "Our call recording shows you hung up.",
    ],
)
def test_defensive_tone_still_warns(text):
    assert {"TN003", "TN004"} & _codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "We've increased restroom checks to every 2 hours.",
        "Call us today for a same-day visit; after hours, go to urgent care.",
        "Our team is glad to go over any statement: (555) 201-3300.",
        "Yes, our urologists perform vasectomies. Consults at (555) 201-3300.",
        # "our" cut to "ur" by a 28-character window once read as "your":
        "Yes, our podiatrists treat severe gout.",
        "We passed your comments about the discharge process to our nurses.",
        "Our dermatologists see pregnant patients, and you can book at (555) 201-3300.",
    ],
)
def test_schedules_statements_and_services_are_not_advice_or_health_details(text):
    assert not {"MA001", "HD001", "HD002"} & _codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Take two tablets every 6 hours with food.", "MA001"),
        ("You should go to urgent care tonight.", "MA001"),
        ("We're sorry your crown came loose.", "HD001"),
        ("We resubmitted your insurance claim yesterday.", "HD002"),
    ],
)
def test_advice_and_health_details_still_block(text, code):
    assert code in _codes(text)


@pytest.mark.parametrize(
    ("text", "post"),
    [
        ("Aww, thank you!! The whole team loved reading this 💕", "this place is so cute lol"),
        ("¡Qué gusto! Nos encanta que les gusten los stickers 🦖", "Los stickers son lo máximo"),
        (
            "Sorry for the trouble! Our pharmacist, Omar, can help at 555-0168.",
            "never have my meds",
        ),
        (
            "We regret the delay. If we can help in any way, feel free to get in touch.",
            "Nobody ever called me back about my appointment.",
        ),
    ],
)
def test_praise_replies_and_replies_with_a_way_to_call_need_no_call_invitation(text, post):
    assert "CP001" not in _codes(text, post=post)


@pytest.mark.parametrize(
    ("text", "post"),
    [
        ("Thank you for your feedback.", "Rude front desk and a two hour wait. Never again."),
        ("We're sorry about the wait.", "Waited two hours past my appointment time."),
    ],
)
def test_a_complaint_answered_without_a_way_to_call_still_warns(text, post):
    assert "CP001" in _codes(text, post=post)


@pytest.mark.parametrize(
    "text",
    [
        "Please ask to speak with our new practice administrator at 555-301-7788.",
        "I am personally available to discuss it further at 555-301-7788.",
        "Please raise it with our Clinic Manager, Ana Ruiz, at 555-301-7788.",
    ],
)
def test_more_ways_of_giving_the_office_number_are_not_the_reader(text):
    assert "ID004" not in _codes(text, practice=PRACTICE)


@pytest.mark.parametrize(
    "text",
    [
        "You're so welcome, it was a joy!",
        "¡Con mucho gusto, doña Elena! 💛",
        "Glad the new night splint is helping already!",
        "Wow, you did great in the chair today.",
        "See you in October for the six-month check!",
        "Nos vemos el martes, ¡cuídese!",
        "We rebooked you for the first slot on Monday.",
        "Thank you for the cookies you dropped off!",
        "We appreciate your business and your kind words.",
        "Welcome to the Riverbend Pediatrics family!",
        "My notes show a normal exam that afternoon.",
        "We regret the delay Mr. Castillo experienced in triage.",
    ],
)
def test_everyday_confirmations_of_care_block(text):
    # a phrase rule, with its specific message, not only the learned signal
    report = LINTER.check(text)
    assert "PR001" in {f.code for f in report.findings}
    assert str(report.verdict) == "block"


@pytest.mark.parametrize(
    "text",
    [
        "You're welcome to call us anytime at (555) 201-3300.",
        "¡Te esperamos! Call us at (555) 201-3300.",
    ],
)
def test_invitations_are_not_confirmations(text):
    assert "PR001" not in _codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "We have a 4.8-star rating across 900 reviews.",
        "Our team has hundreds of five-star reviews.",
        "Tenemos miles de pacientes satisfechos.",
        "Just so you know, the policy is on the form.",
        "Respect goes both ways.",
        "Shocking that a clinic smells clean.",
    ],
)
def test_answering_with_the_rating_or_lecturing_is_tone(text):
    assert "TN004" in _codes(text)


@pytest.mark.parametrize(
    "text",
    ["Thank you for the 5 stars!", "¡Gracias por sus 5 estrellas!"],
)
def test_thanks_for_stars_is_not_tone(text):
    assert "TN004" not in _codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("So proud of you! Keep going with the stretches every morning.", "MA001"),
        ("¡Excelente noticia! ¡Siga así!", "MA001"),
        ("Great to hear! Take care of that ankle!", "MA001"),
        ("We're so glad the new retainer is working so well!", "HD001"),
        ("Happy to hear the Humira has made such a big difference!", "HD001"),
    ],
)
def test_keeping_on_with_a_treatment_is_advice_and_a_working_treatment_a_health_detail(text, code):
    assert code in _codes(text)
