"""Safe rewriting: every unsafe reply becomes one that passes, keeping what can be kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from safereply import check, parse_practice
from safereply.core.compose import Change, FixResult, acknowledgement, fix
from safereply.core.compose.rewriting import intent_of, segment
from safereply.core.vocab import Verdict
from safereply.errors import InputError

DATA = Path(__file__).parent / "data"
UNSAFE = [
    json.loads(line) for line in (DATA / "unsafe_replies.jsonl").read_text("utf-8").splitlines()
]


@pytest.fixture(scope="module")
def practice():
    return parse_practice((DATA / "practice.toml").read_text("utf-8"))


@pytest.fixture(scope="module")
def fixed(practice):
    return [(r, fix(r["reply"], post=r.get("post"), practice=practice)) for r in UNSAFE]


def test_the_unsafe_corpus_is_large_and_unsafe(practice):
    assert len(UNSAFE) >= 200
    flagged = [
        r
        for r in UNSAFE
        if check(r["reply"], post=r.get("post"), practice=practice).verdict is not Verdict.PASS
    ]
    # The linter decides what is unsafe; the corpus is written to trip it. A few may slip if the
    # rules change, but nearly all must be flagged or the corpus no longer tests anything.
    assert len(flagged) >= 0.97 * len(UNSAFE)


def test_every_rewrite_passes_the_linter(fixed, practice):
    for r, result in fixed:
        report = check(result.reply, post=r.get("post"), practice=practice)
        assert report.verdict is Verdict.PASS, (r["id"], result.reply, report.findings)
        assert result.verdict is Verdict.PASS


def test_every_rewrite_of_a_flagged_reply_lists_its_changes(fixed, practice):
    for r, result in fixed:
        if result.reply != r["reply"]:
            assert result.changes, r["id"]
            for change in result.changes:
                assert change.action in {"edit", "replace", "remove", "add", "fallback"}
                assert change.why


def test_every_rewrite_passes_without_a_profile_too():
    for r in UNSAFE:
        result = fix(r["reply"], post=r.get("post"))
        assert check(result.reply, post=r.get("post")).verdict is Verdict.PASS, r["id"]


def test_a_safe_reply_is_returned_unchanged(practice):
    reply = "Thank you for the kind words! We'll share this with the team."
    result = fix(reply, practice=practice)
    assert result.reply == reply and result.changes == () and result.verdict is Verdict.PASS


def test_a_greeting_name_is_replaced_and_the_apology_kept(practice):
    result = fix(
        "Hi Karen, we're sorry about the wait. Please call us at (555) 388-9100.",
        practice=practice,
    )
    assert result.reply == "Hi there, we're sorry about the wait. Please call us at (555) 388-9100."
    (change,) = result.changes
    assert change.action == "edit" and change.code == "ID001" and change.category == "identifier"
    assert change.before == "Hi Karen," and change.after == "Hi there,"


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("Thank you, Ethan! We'll share this with the team.", "Thank you!"),
        ("Dear Mrs. Ortiz, thank you for the kind words.", "Hello,"),
        ("Good morning Mr. Brooks. Thanks for the review!", "Good morning."),
    ],
)
def test_names_are_cut_from_greetings_and_thanks(practice, reply, expected):
    result = fix(reply, practice=practice)
    assert result.reply.startswith(expected), result.reply
    assert "Ethan" not in result.reply and "Ortiz" not in result.reply
    assert "Brooks" not in result.reply


def test_a_promise_to_call_becomes_an_invitation_to_call_us(practice):
    result = fix("We're sorry. We'll call you tomorrow to sort this out.", practice=practice)
    assert result.reply.startswith("We're sorry. ")
    assert practice.phone in result.reply and "call you" not in result.reply
    change = next(c for c in result.changes if c.code == "OC001")
    assert change.action == "replace" and change.category == "outside-contact"


def test_an_apology_with_a_health_detail_keeps_an_apology(practice):
    result = fix(
        "We're so sorry your crown came loose. Please call us at (555) 388-9100.",
        post="My crown fell out",
        practice=practice,
    )
    assert "crown" not in result.reply
    assert result.reply.startswith("We're sorry")
    assert result.changes[0].action == "replace"


def test_medical_advice_and_defensive_sentences_are_removed(practice):
    result = fix(
        "Thanks for the feedback! As we explained, you were late. "
        "Try warm salt water rinses for the soreness.",
        practice=practice,
    )
    assert result.reply.startswith("Thanks for the feedback!")
    assert "late" not in result.reply and "salt water" not in result.reply
    actions = [(c.action, c.category) for c in result.changes]
    # "As we explained, you were late." is defensive, confirms a visit and dates it: it goes
    # for whichever finding the rewriter meets first; the advice goes for the advice.
    assert len([a for a in actions if a[0] == "remove"]) == 2
    assert ("remove", "medical-advice") in actions


def test_the_invitation_to_call_is_added_when_missing(practice):
    result = fix(
        "Sorry you feel that way about the wait.", post="Waited 2 hours!", practice=practice
    )
    assert practice.phone in result.reply
    assert result.changes[-1].action == "add"
    assert result.changes[-1].code is None


def test_without_a_profile_the_invitation_has_no_number():
    result = fix("Sorry you feel that way about the wait.", post="Waited 2 hours!")
    assert "call our office" in result.reply
    assert sum(c.action == "add" for c in result.changes) == 1


def test_a_reply_with_nothing_safe_falls_back_to_the_acknowledgement(practice):
    result = fix("We have no record of you. This is a fake review.", practice=practice)
    assert result.reply == acknowledgement(practice)
    assert result.changes[-1].action == "fallback"
    assert result.changes[-1].before == "We have no record of you. This is a fake review."


def test_echoes_of_the_post_are_removed(practice):
    post = "My root canal at this office was a nightmare."
    result = fix(
        "We're sorry the root canal was hard. Please call (555) 388-9100.",
        post=post,
        practice=practice,
    )
    assert "root canal" not in result.reply
    assert check(result.reply, post=post, practice=practice).verdict is Verdict.PASS


def test_the_sign_off_stays_last_after_adding_the_invitation(practice):
    result = fix("Sorry you feel that way.\n— The Riverside team", post="Rude!", practice=practice)
    assert result.reply.endswith("— The Riverside team")
    assert practice.phone in result.reply


def test_fix_is_deterministic(practice):
    reply = "Sorry Kevin, but you missed your appointment and the fee stands."
    assert fix(reply, practice=practice) == fix(reply, practice=practice)


@pytest.mark.parametrize("reply", ["", "  ", None, 7])
def test_a_reply_that_is_not_text_is_refused(reply):
    with pytest.raises(InputError):
        fix(reply)


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Dr. Lee was great. Thanks!", ["Dr. Lee was great.", "Thanks!"]),
        ("Hi Karen, sorry. Call us.", ["Hi Karen,", "sorry.", "Call us."]),
        ("Thanks!\n— The team", ["Thanks!", "— The team"]),
        ("We open at 8 a.m. daily. Call us.", ["We open at 8 a.m. daily.", "Call us."]),
    ],
)
def test_replies_are_split_into_sentences(text, sentences):
    segs = segment(text)
    assert [s.text for s in segs] == sentences
    for s in segs:
        assert text[s.start : s.end] == s.text


@pytest.mark.parametrize(
    ("sentence", "intent"),
    [
        ("We're sorry about the wait.", "apology"),
        ("Thank you for the review!", "thanks"),
        ("We'll call you tomorrow.", "contact"),
        ("We have added a second check-in station.", "improvement"),
        ("Hi Karen,", "greeting"),
        ("— The Riverside team", "signoff"),
        ("You were late.", "other"),
    ],
)
def test_sentences_are_classified_by_purpose(sentence, intent):
    assert intent_of(sentence) == intent


def test_fix_result_to_dict_matches_the_design(practice):
    result = fix("Hi Karen, thanks!", practice=practice)
    out = result.to_dict(id="r1")
    assert list(out) == ["id", "reply", "verdict", "changes"]
    assert out["id"] == "r1" and out["verdict"] == "pass"
    assert set(out["changes"][0]) == {"code", "category", "action", "before", "after", "why"}
    added = Change(action="add", before="", after="x", why="y").to_dict()
    assert added == {"action": "add", "before": "", "after": "x", "why": "y"}
    assert FixResult(reply="a", verdict=Verdict.PASS).to_dict() == {
        "id": None,
        "reply": "a",
        "verdict": "pass",
        "changes": [],
    }
