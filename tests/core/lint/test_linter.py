"""Behaviour of the linter on everyday replies, tricky safe wording, and bad input."""

import pytest

import safereply
from safereply.core.lint import MAX_REPLY_CHARS
from safereply.core.vocab import Verdict
from safereply.errors import InputError

PRACTICE = safereply.parse_practice(
    """
[practice]
name = "Riverside Family Dental"
phone = "(555) 388-9100"
address = "12 Elm St, Springfield"
website = "riversidedental.example"
staff = ["Tom", "Maria Alvarez", "Dr. Priya Shah"]
"""
)


def codes(reply, post=None, practice=PRACTICE):
    return {f.code for f in safereply.check(reply, post=post, practice=practice).findings}


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("Hi Karen, thanks so much!", "ID001"),
        ("Thank you Tyrone for the review.", "ID001"),
        ("We hope your daughter Lily is doing well.", "ID001"),
        ("Sorry about the wait on 3/14.", "ID002"),
        ("Your 10:40am appointment ran long, we apologize.", "ID002"),
        ("Regarding claim number 88231-A, it was resubmitted.", "ID003"),
        ("We sent the form to karen.b@example.com.", "ID004"),
        ("Your balance of $312.50 has been adjusted.", "ID006"),
        ("We're glad your A1C is improving.", "HD001"),
        ("We're sorry the lisinopril is giving you trouble.", "HD001"),
        ("Congrats on the pregnancy!", "HD001"),
        ("We resubmitted your insurance claim.", "HD002"),
        ("It was great to see you at your cleaning!", "PR001"),
        ("We checked our system and the appointment was there.", "PR001"),
        ("After a decade with us, we hope you'll stay.", "PR001"),
        ("We have no record of you ever being here.", "PR002"),
        ("You were never seen in our office.", "PR002"),
        ("Our manager will reach out to you today.", "OC001"),
        ("We tried to call you twice.", "OC002"),
        ("Please check your inbox.", "OC002"),
        ("Please send us a private message with your details.", "OC003"),
        ("This is clearly a fake review from a competitor.", "TN001"),
        ("Our lawyer will be in touch about this defamatory post.", "TN002"),
        ("As we explained, you were late.", "TN003"),
        ("We're sorry you feel that way.", "TN004"),
        ("You should take ibuprofen for the swelling.", "MA001"),
        ("That sensitivity is completely normal after whitening.", "MA001"),
        ("We're sorry to hear about the wait.", "CP001"),
    ],
)
def test_unsafe_wording_is_found(reply, expected):
    assert expected in codes(reply)


@pytest.mark.parametrize(
    "reply",
    [
        "Thank you for the kind words! Our whole team appreciates it.",
        "We offer crowns, implants and clear aligners for the whole family.",
        "Our billing office is open Monday through Friday, 8am to 5pm.",
        "Tom and Maria at our front desk will be thrilled to read this.",
        "Dr. Shah and the team thank you for sharing.",
        "We're sorry to hear this. Please call us at (555) 388-9100 so we can talk.",
        "We take privacy seriously and can't discuss anyone's care online. Please call (555) "
        "388-9100.",
        "Since October we have added a second check-in station to shorten waits. Please call us "
        "at (555) 388-9100 if you'd like to talk.",
        "We accept most insurance plans; our team can answer coverage questions at (555) 388-9100.",
        "Visit us at 12 Elm St, Springfield, or riversidedental.example.",
        "Thanks for the 5 stars! Have a wonderful week.",
    ],
)
def test_safe_wording_passes(reply):
    report = safereply.check(reply, practice=PRACTICE)
    assert report.verdict is Verdict.PASS, [(f.code, f.text) for f in report.findings]


def test_echo_of_the_posters_disclosure_is_flagged_even_without_your():
    post = "My son Ethan had his wisdom teeth out on 6/2 and the bleeding would not stop."
    found = codes("We're so sorry Ethan had trouble with the bleeding after 6/2.", post=post)
    assert {"EC001", "EC002"} <= found


def test_staff_named_in_the_post_may_be_thanked():
    post = "Maria at the front desk was wonderful."
    assert safereply.check("Maria will be so happy to hear this!", post=post, practice=PRACTICE)


def test_verdicts_follow_design_severity():
    assert safereply.check("Hi Karen!", practice=PRACTICE).verdict is Verdict.BLOCK
    assert safereply.check("We're sorry you feel that way.").verdict is Verdict.WARN
    assert safereply.check("Thank you for the kind words!").verdict is Verdict.PASS


def test_findings_carry_exact_offsets_and_specific_messages():
    reply = "We're sorry your crown came loose."
    (finding,) = [f for f in safereply.check(reply).findings if f.code == "HD001"]
    assert reply[finding.start : finding.end] == finding.text == "your crown"
    assert "'your crown'" in finding.message and "procedure" in finding.message


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        ("", "empty"),
        ("   \n ", "empty"),
        (None, "missing"),
        (42, "must be text"),
        ("x" * (MAX_REPLY_CHARS + 1), "limit"),
    ],
)
def test_bad_input_gets_a_clear_error(reply, message):
    with pytest.raises(InputError, match=message):
        safereply.check(reply)


def test_a_megabyte_reply_is_refused_quickly():
    with pytest.raises(InputError, match="1,048,576 characters"):
        safereply.check("a" * 1_048_576)
