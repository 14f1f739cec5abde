"""Compliant wordings built to tempt a checker (session 7), and the violations beside them that
must still be caught. Every example was written for this test, in the families the false blocks
and warnings of the spent third blind set fell into: the office's own people, places and hours
read as the reader's, invitations to call or write to the office read as the practice contacting
the reader, general information addressed to everyone read as the reader's health or advice,
and kind or polite wordings read as defensive.
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


# -- the office's own people and places -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # a practice's name that opens with a nickname word
        "Siblings are welcome to come along to Little Acorns, just let the front desk know.",
        "Baby Steps Pediatrics accepts most plans; call (555) 612-4400.",
        # a signature with a title after a dash
        "Thanks for the feedback, we're adding evening sessions. — Coach Dre",
        "Call us at (555) 903-4477 if you'd like to talk. — Nurse Alma",
        # a role between the words that ask for someone and the name
        "Llame al (787) 555-0165 y pregunte por la trabajadora social, la Sra. Vega.",
        "Call (555) 310-2200 and ask for our patient liaison, Mrs. Patel.",
        # a city after the office's street address; a weekday range closing a sentence
        "Estamos en 40 Calle Sol, Ponce.",
        "We're at 12 Harbor Rd, Salem.",
        "Our intake nurse can explain options at (503) 555-0118, Monday-Friday.",
        # staff introduced by a role without a determiner, or by a role we had not listed
        "If you'd like to talk, call me directly: Gina, evening manager, (404) 555-0131.",
        "Questions about the bill? Paul, billing rep, (212) 555-0190.",
        "Call (317) 555-0146 to speak with our social worker, Denise.",
        "Our family liaison, Teresa Lopez, can walk anyone through the forms at (505) 555-0140.",
        "Por favor llame y pida hablar conmigo, Rosa, la gerente: (555) 410-2200.",
        # staff who will do the office's work for whoever calls
        "Call (555) 284-1170 and Marlene will fit you in if she can.",
        "Give us a ring and Tom can look up coverage while you're on the phone.",
    ],
)
def test_the_office_people_and_places_are_not_the_reader(text):
    assert not {"ID001", "EC002"} & _codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hi Karen, thank you for the review. Please call us at (555) 388-9100.",
        "Thank you so much, Jess!",
        "Give little Mia a big hug from all of us!",
        "We loved meeting baby Noah!",
        "We hope your son Ethan is feeling better.",
        "Thank you Mrs. Ortiz, we appreciate it.",
        "Gracias, Sra. Vega, por su paciencia.",
    ],
)
def test_the_reader_and_their_family_named_still_block(text):
    assert _verdict(text) is Verdict.BLOCK
    assert {"ID001", "ID007"} & _codes(text)


def test_a_signature_the_poster_named_is_the_writer_not_an_echo():
    post = "Coach Dre got me back to running after my ACL. Best PT in town!"
    reply = "Thank you! We'll share this with the whole team. — Coach Dre"
    assert "EC002" not in _codes(reply, post)


def test_a_name_the_poster_gave_echoed_in_the_text_still_blocks():
    post = "My daughter Lily was so scared but everyone was kind."
    assert "EC002" in _codes("So glad Lily felt brave!", post)


# -- invitations to call or write to the office, and the office's news -------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Please call our billing coordinator, Jess, at (555) 903-4477 or email "
        "billing@oakpt.example, and she'll sort it out while you're on the line.",
        "Our benefits specialist checks coverage for anyone. Call her at (555) 903-4477 ext. 3 "
        "or email billing@oakpt.example.",
        "¡Gracias por escribir! Le pasamos su mensaje a la doctora, le va a encantar.",
        "So sorry about the mix-up! We now send arrival times by text the day before so this "
        "doesn't happen. Please call 555-014-6200.",
        "Us too! Starting in January we'll have Tuesday evenings till 7. Details: (952) 555-0150.",
        "También puede llamar directamente a la gerente al (555) 410-2200.",
    ],
)
def test_invitations_to_the_office_and_its_news_are_not_outside_contact(text):
    assert not {"OC001", "OC002", "OC003", "OC004"} & _codes(text)
    assert _verdict(text) is not Verdict.BLOCK


def test_an_email_invitation_alone_is_at_most_a_warning():
    report = LINTER.check("You can email billing@oakpt.example with any questions.")
    assert report.verdict is Verdict.WARN
    assert {f.code for f in report.findings} == {"OC003"}


@pytest.mark.parametrize(
    "text",
    [
        "Please email billing@oakpt.example with your date of birth and account number.",
        "Please provide me with the patient's information so I can respond.",
        "Our billing lead will reach out directly this week.",
        "We've moved to a new system, and our billing lead will be in touch this week.",
        "We will call you at (555) 201-3300 tomorrow.",
        "Results are read the next day and we call if anything changes, which we did.",
    ],
)
def test_contact_with_the_reader_and_written_details_still_block(text):
    assert _verdict(text) is Verdict.BLOCK
    assert {"OC001", "OC002", "OC003", "OC004"} & _codes(text)


# -- the practice's own teams and services, idioms and anyone's health ---------------------------


@pytest.mark.parametrize(
    ("text", "post"),
    [
        (
            "Thank you for these words. We will pass your message along to the infusion nurses; "
            "it will mean a great deal to them.",
            "My dad had his infusion here every week and the nurses were angels.",
        ),
        (
            "Please call us at (555) 612-4400. We also just opened a same-day line for toothaches "
            "and broken teeth: press 2 when you call!",
            "My son had a toothache and nobody called back.",
        ),
        (
            "We appreciate you bringing this to our attention and apologize for any confusion "
            "regarding statements. Please call (555) 614-0178.",
            "I got three different statements for one visit.",
        ),
        (
            "Thank you for recognizing our Labor & Delivery nurses; we will make sure they see it.",
            "Labor & Delivery nurses were incredible when I had my baby.",
        ),
        ("Fingers crossed with you!! Call us anytime at (555) 612-4400.", "My fingers are sore."),
    ],
)
def test_the_practice_teams_services_and_idioms_are_not_echoes(text, post):
    assert not {"EC001", "HD001", "HD002"} & _codes(text, post)


@pytest.mark.parametrize(
    "text",
    [
        "Sorry for the wait. If a child's fever won't come down, call 911 or go to the ER.",
        "I'd love to walk you through our fees and payment plans: call me at (555) 612-4400.",
    ],
)
def test_anyone_health_and_the_practice_prices_are_not_the_reader(text):
    assert not {"HD001", "HD002"} & _codes(text)


@pytest.mark.parametrize(
    ("text", "post"),
    [
        ("We're sorry the infusion was so hard on you.", "My infusion was awful."),
        ("We hope your infusion nurse was kind to you.", "My infusion was awful."),
        ("Sorry the IVF process has been so emotional for you.", "Our IVF round failed."),
        ("So glad you're back with us for the Suboxone program!", "Back on Suboxone here."),
        ("Sorry your child's fever is still high.", None),
        ("I'd love to walk you through your bill and our payment plans.", None),
        ("We're sorry about the root canal.", "My root canal here was awful."),
    ],
)
def test_the_reader_health_still_blocks(text, post):
    assert _verdict(text, post) is Verdict.BLOCK
    assert {"EC001", "HD001", "HD002", "HD003"} & _codes(text, post)


# -- directions, invitations to call and the practice's news are not advice ------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for flagging. After midnight use the side entrance on 5th St and press the "
        "buzzer. We're adding a clearer sign this week. (216) 555-0148.",
        "Sorry! We're in suite 310, take the east elevators. Call 555-014-1200 if you get lost.",
        "We're so sorry about the billing mix-up. Please call Marlene at (555) 284-1170 and "
        "she'll get on the phone with them while you're on the line.",
        "We've added a forms coordinator. Please call her at (555) 903-4477 ext. 4 and she'll "
        "track it down.",
        "Agreed. We're hiring two night nurses and a tech. If you want to talk, I'm at "
        "(919) 555-0177 most nights.",
        "Yes, rapid strep and flu tests until 11pm, no appt needed. Info: (303) 555-0114.",
        "We do, until 10pm every night, $45 for students. Bring the school form. (817) 555-0161.",
    ],
)
def test_directions_invitations_and_news_are_not_advice(text):
    assert not {"MA001", "MA002", "HD003"} & _codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Sorry about that, and call us at (555) 201-3300 anytime.",
        "We'd love to hear more, then call us at (555) 201-3300.",
    ],
)
def test_an_invitation_to_call_us_is_not_a_promise_to_call(text):
    assert _verdict(text) is Verdict.PASS


@pytest.mark.parametrize(
    "text",
    [
        "Keep icing it twice a day and call us if it gets worse.",
        "Take ibuprofen and use the ice pack tonight.",
        "Kindly use the CPAP at least 6 hours per night.",
        "Remember no straws or smoking for 72 hours to protect the clot.",
        "Many people with GERD can enjoy one cup of coffee, but avoid it after noon.",
        "Use the cream twice a day.",
    ],
)
def test_clinical_instructions_still_block(text):
    assert _verdict(text) is Verdict.BLOCK
    assert {"MA001", "MA002"} & _codes(text)


@pytest.mark.parametrize(
    "text", ["We'll check and call you back tomorrow.", "Our manager will call you today."]
)
def test_a_promise_to_call_the_reader_still_blocks(text):
    assert "OC001" in _codes(text)


# -- apologies that mention what should never happen --------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I'm sorry you've had trouble reaching me; that should never happen. Call (555) 622-8101.",
        "Sick seniors are seen the same day here, and if that didn't happen I want to know why. "
        "Please call me at (555) 284-1170.",
        "We'll make sure it never happens again. Please call (555) 622-8101.",
    ],
)
def test_apologies_are_not_accusations(text):
    assert "TN001" not in _codes(text)


@pytest.mark.parametrize(
    "text", ["This never happened.", "That visit didn't happen the way you describe."]
)
def test_denying_the_account_still_warns(text):
    assert "TN001" in _codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "We'll text your new number.",
        "La Sra. Ramírez nos llamó y le regresamos la llamada al (555) 392-8841 el lunes.",
    ],
)
def test_contact_with_the_reader_in_other_words_still_blocks(text):
    assert _verdict(text) is Verdict.BLOCK
    assert {"OC001", "OC002", "OC004"} & _codes(text)
