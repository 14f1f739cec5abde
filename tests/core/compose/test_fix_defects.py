"""Issue 11, item 5: ``fix`` must not damage real replies, and must never keep unsafe leftovers.

The replies here are invented in the shape of the real ones that were damaged (a name cut from the
subject of a sentence, a lost full stop, the invitation after the sign-off, English added to a
French reply, an invitation added to praise, leftovers the linter missed).
"""

from __future__ import annotations

import re

import pytest

from safereply import check
from safereply.core.compose import fix
from safereply.core.vocab import Verdict

COMPLAINT = "Waited two hours and the front desk never explained why. Terrible."
PRAISE = "Wonderful office, everyone was so kind and gentle!"


def test_a_name_that_is_the_subject_is_not_cut_mid_sentence_and_its_pronoun_goes_too():
    reply = (
        "Jenny who has handled our accounts for years. She is our billing lead. "
        "Please call the office so we can sort this out."
    )
    result = fix(reply, post="The billing here is a mess.")
    assert "Jenny" not in result.reply
    assert not result.reply.startswith(("Who ", "That ", "who "))
    assert "She is our billing lead" not in result.reply, result.reply
    assert check(result.reply, post="The billing here is a mess.").verdict is Verdict.PASS


@pytest.mark.parametrize(
    ("reply", "kept"),
    [
        ("Thank you, Karen, for the kind words!", "Thank you for the kind words!"),
        ("Karen, thank you for the kind words!", "Thank you for the kind words!"),
        ("Thanks a lot dear Karen.", "Thanks a lot."),
    ],
)
def test_names_that_address_the_reader_are_cut_cleanly(reply, kept):
    # A profile makes every name that is not staff an error, so each of these is edited.
    from safereply import parse_practice

    p = parse_practice({"practice": {"name": "Cedar Clinic", "phone": "555-201-7788"}})
    result = fix(reply, post=PRAISE, practice=p)
    assert result.reply.startswith(kept), result.reply


def test_no_full_stop_is_lost_when_the_invitation_is_added():
    result = fix("We hear you about the wait and we are working on it", post=COMPLAINT)
    assert re.search(r"working on it\. Please call|working on it\. We'd", result.reply), (
        result.reply
    )


def test_the_invitation_goes_before_the_sign_off_block_and_the_signature_keeps_its_case():
    reply = "Hello,\nSorry you had to wait so long.\n\nSincerely,\n\nDr. Alan Reyes"
    result = fix(reply, post=COMPLAINT)
    assert result.reply.endswith("Sincerely,\n\nDr. Alan Reyes"), result.reply
    assert "call our office" in result.reply.split("Sincerely")[0]
    assert "dr. Alan" not in result.reply


def test_a_sentence_on_a_new_line_after_a_greeting_keeps_its_capital():
    result = fix("Hello,\nWe're sorry. Our records show you came in late.", post=COMPLAINT)
    assert "\nWe're sorry." in result.reply, result.reply


def test_a_reply_in_a_language_the_linter_cannot_read_is_left_as_it_is():
    reply = "Merci beaucoup pour votre commentaire, nous sommes très heureux de vous aider."
    result = fix(reply, post="Excellent service, merci!")
    assert result.reply == reply
    assert result.changes == ()
    assert result.reason and "language" in result.reason
    assert "reason" in result.to_dict()


def test_praise_gets_no_invitation_added():
    result = fix("Thank you for the kind words! It was a pleasure taking care of you.", post=PRAISE)
    assert "call" not in result.reply.lower(), result.reply
    assert result.reply.startswith("Thank you for the kind words!")
    assert check(result.reply, post=PRAISE).verdict is Verdict.PASS


@pytest.mark.parametrize(
    ("reply", "gone"),
    [
        ("Thank you so much! Your mom is always a delight to chat with.", "mom"),
        ("Thanks for the review! We'll give you a call this week.", "give you a call"),
        ("Thank you! See you Thursday.", "Thursday"),
        ("Thank you! I looked over your chart and everything is in order.", "chart"),
    ],
)
def test_leftovers_of_the_four_kinds_never_survive(reply, gone):
    from safereply.core.compose.leftovers import leftovers

    result = fix(reply, post=PRAISE)
    assert gone not in result.reply, result.reply
    assert leftovers(result.reply) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Please give your husband our best.", "relative"),
        ("We'll give you a call tomorrow.", "contact"),
        ("Our manager will reach out to you.", "contact"),
        ("We left you a voicemail.", "contact"),
        ("Sorry about last Tuesday.", "date"),
        ("Our records show you were seen.", "records"),
        ("I reviewed your chart.", "records"),
    ],
)
def test_leftovers_are_found(text, kind):
    from safereply.core.compose.leftovers import leftovers

    assert kind in {x.kind for x in leftovers(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Please call our office at (555) 201-3300 so we can talk this through.",
        "We're open Monday to Friday, and Saturdays 8-1.",
        "We'd welcome a call so we can hear more.",
        "We're available 24/7 by phone.",
    ],
)
def test_the_office_s_own_words_are_not_leftovers(text):
    from safereply.core.compose.leftovers import leftovers

    assert leftovers(text) == []
