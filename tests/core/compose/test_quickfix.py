"""One-click fixes (issue 11, item 4): each finding's fix leaves grammatical text, never invites
the poster to call twice, takes a removed promise's time word with it, and health details have a
fix of their own."""

from __future__ import annotations

import itertools
import re

import pytest

import safereply
from safereply.core.compose.quickfix import quick_fix, quick_fixes
from safereply.core.practice import Practice
from safereply.core.vocab import Verdict

PRACTICE = Practice(name="Maple Grove Family Dental", phone="(555) 201-3300")
MARIA = "Hi Maria, sorry your root canal hurt, we'll call you tomorrow"
CLEANING = "We're sorry we couldn't book your cleaning on Tuesday."


def check(text, post=None):
    return safereply.check(text, post=post, practice=PRACTICE)


def first(text, code, post=None):
    return next((f for f in check(text, post).findings if f.code == code), None)


def grammatical(text: str) -> list[str]:
    """Return what is wrong with the punctuation and capitals of a reply (empty: nothing)."""
    problems = []
    for bad in ("  ", " ,", " .", ",.", "..", ", .", ".,", " ;", "( )"):
        if bad in text:
            problems.append(f"contains {bad!r}")
    body = text.strip()
    if body and body[-1] not in ".!?":
        problems.append("does not end a sentence")
    # Every sentence starts with a capital letter, except right after a greeting's comma.
    for m in re.finditer(r"([.!?])\s+(\w)", body):
        if m.group(2).islower():
            problems.append(f"lower-case sentence start at {m.start(2)}")
    if body[:1].islower():
        problems.append("starts in lower case")
    return problems


def apply_in_order(text: str, codes, post=None) -> str:
    for code in codes:
        finding = first(text, code, post)
        if finding is None:
            continue  # an earlier fix took this one away too
        fixed = quick_fix(text, finding, post=post, practice=PRACTICE)
        assert fixed is not None, (code, text)
        text = fixed.reply
    return text


@pytest.mark.parametrize(
    "order", list(itertools.permutations(["ID001", "HD001", "OC001", "CP001"]))
)
def test_the_issue_sequence_ends_in_grammatical_text_that_passes(order):
    text = apply_in_order(MARIA, order)
    assert check(text).verdict is Verdict.PASS, (order, text)
    assert grammatical(text) == [], (order, text)
    assert text.count("call our office") == 1, text
    assert "tomorrow" not in text and "Maria" not in text and "root canal" not in text
    assert "sorry" in text  # the apology is kept


def test_the_issue_sequence_reads_well():
    text = apply_in_order(MARIA, ["ID001", "HD001", "OC001"])
    assert text == (
        "Hi there, sorry to hear this. Please call our office at (555) 201-3300 so we can talk "
        "this through."
    )


def test_health_detail_has_a_fix_that_rewords_the_clause():
    finding = first(MARIA, "HD001")
    fixed = quick_fix(MARIA, finding, practice=PRACTICE)
    assert fixed is not None
    assert fixed.reply == "Hi Maria, sorry to hear this, we'll call you tomorrow"
    assert fixed.label.startswith("Reword") and "sorry to hear this" in fixed.label
    assert fixed.reply[fixed.start : fixed.end] == "sorry to hear this"


@pytest.mark.parametrize("code", ["HD001", "PR001"])
def test_your_cleaning_never_becomes_your_experience_on_tuesday(code):
    fixed = quick_fix(CLEANING, first(CLEANING, code), practice=PRACTICE)
    assert "experience on Tuesday" not in fixed.reply
    assert fixed.reply == "We're sorry to hear this."


def test_every_order_of_the_cleaning_fixes_passes():
    for order in itertools.permutations(["HD001", "PR001", "ID002", "CP001"]):
        text = apply_in_order(CLEANING, order)
        assert check(text).verdict is Verdict.PASS, (order, text)
        assert grammatical(text) == [], (order, text)
        assert "Tuesday" not in text and "cleaning" not in text
        assert text.count("call our office") <= 1


def test_a_promise_is_removed_not_doubled_when_the_reply_already_invites_a_call():
    text = (
        "Sorry about the wait. Our manager will reach out to you today. "
        "Please call our office at (555) 201-3300."
    )
    fixed = quick_fix(text, first(text, "OC001"), practice=PRACTICE)
    assert fixed.reply == "Sorry about the wait. Please call our office at (555) 201-3300."
    assert fixed.label.startswith("Remove")


def test_a_promise_sentence_becomes_the_invitation_with_its_time_word_gone():
    text = "We are sorry to hear this. We will call you tomorrow to sort it out."
    fixed = quick_fix(text, first(text, "OC001"), practice=PRACTICE)
    assert fixed.reply == (
        "We are sorry to hear this. Please call our office at (555) 201-3300 so we can talk "
        "this through."
    )
    assert check(fixed.reply).verdict is Verdict.PASS


def test_missing_invitation_is_added_after_a_full_stop_and_before_the_sign_off():
    text = "We're sorry to hear this"
    finding = first(text, "CP001")
    fixed = quick_fix(text, finding, practice=PRACTICE)
    assert fixed.reply == (
        "We're sorry to hear this. Please call our office at (555) 201-3300 so we can talk "
        "this through."
    )
    signed = "We're sorry to hear this.\n— The Maple Grove team"
    fixed = quick_fix(signed, first(signed, "CP001"), practice=PRACTICE)
    assert fixed.reply == (
        "We're sorry to hear this. Please call our office at (555) 201-3300 so we can talk "
        "this through.\n— The Maple Grove team"
    )


def test_a_name_in_a_greeting_becomes_there_and_the_label_names_it():
    text = "Hi Maria, thanks for the review! Please call us at (555) 201-3300."
    fixed = quick_fix(text, first(text, "ID001"), practice=PRACTICE)
    assert fixed.reply == "Hi there, thanks for the review! Please call us at (555) 201-3300."
    assert "Maria" in fixed.label and "there" in fixed.label


def test_a_date_is_removed_with_its_preposition():
    text = "Thank you for coming in on Tuesday. Please call us at (555) 201-3300."
    fixed = quick_fix(text, first(text, "ID002"), practice=PRACTICE)
    assert "Tuesday" not in fixed.reply and grammatical(fixed.reply) == []


def test_an_echoed_health_word_is_reworded_not_cut_mid_sentence():
    post = "My root canal was agony."
    text = "We're sorry the root canal was painful. Please call us at (555) 201-3300."
    finding = next(
        f
        for f in check(text, post).findings
        if f.category == "health-detail" or f.code.startswith("EC")
    )
    fixed = quick_fix(text, finding, post=post, practice=PRACTICE)
    assert "root canal" not in fixed.reply and grammatical(fixed.reply) == []
    assert fixed.reply.startswith("We're sorry")


def test_quick_fixes_gives_one_per_finding_in_order():
    report = check(MARIA)
    fixes = quick_fixes(MARIA, report.findings, practice=PRACTICE)
    assert len(fixes) == len(report.findings)
    assert all(f is not None for f in fixes)
    assert [f.code for f in fixes] == [f.code for f in report.findings]
