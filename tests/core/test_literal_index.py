"""The literal index (``core/literal_index.py``): which patterns of a table could match a text.

A pattern it leaves out must be one that cannot match: each test here would fail if the index
skipped a pattern that matches (a requirement read wrongly, a string the one scan misses).
``tests/core/triage/test_urgent_prefilter.py`` checks the same over every labelled post.
"""

from __future__ import annotations

import re

import pytest

from safereply.core.literal_index import LiteralIndex, required_groups


def test_every_requirement_of_a_sequence_is_kept():
    rule = re.compile(r"\bchest (?:pain|pressure)\b.*\b(?:arm|jaw)\b")
    # three requirements (re's parser writes "pain|pressure" as "p(?:ain|ressure)")
    assert len(required_groups(rule)) == 3
    index = LiteralIndex([rule])
    assert rule.search("chest pain going down my arm")
    assert index.possible("chest pain going down my arm") == [0]
    # one requirement alone is not enough: the rarest is not the only one tested
    assert index.possible("chest pain since this morning") == []
    assert index.possible("my arm and jaw ache") == []


def test_a_look_ahead_is_a_requirement_of_the_text():
    rule = re.compile(r"^(?=[^.!?]*\b(?:pee|urine)\b)(?=[^.!?]*\bworkout\b)")
    assert set(required_groups(rule)) == {frozenset({"pee", "urine"}), frozenset({"workout"})}
    index = LiteralIndex([rule])
    assert index.possible("my urine is dark after the workout") == [0]
    assert rule.search("my urine is dark after the workout")
    assert index.possible("my urine is dark") == []  # cannot match: no workout


def test_a_negative_look_ahead_and_an_optional_part_require_nothing():
    rule = re.compile(r"\bhelp(?! desk)(?: me)?")
    assert required_groups(rule) == (frozenset({"help"}),)
    assert LiteralIndex([rule]).possible("help!") == [0]


def test_a_branch_needs_one_string_of_each_alternative():
    rule = re.compile(r"\bbleeding (?:a lot|heavily)|\bcan'?t stop (?:the )?bleeding")
    (group,) = required_groups(rule)
    assert any(s in "bleeding heavily" for s in group)
    assert any(s in "can't stop bleeding" for s in group)
    index = LiteralIndex([rule])
    for text in ("bleeding heavily", "i cant stop the bleeding", "can't stop bleeding"):
        assert rule.search(text) and index.possible(text) == [0], text


def test_an_alternative_without_strings_makes_the_pattern_always_run():
    rule = re.compile(r"\bstroke\b|\d{3}")
    assert required_groups(rule) == ()
    assert LiteralIndex([rule]).possible("call 911") == [0]


def test_patterns_come_back_in_table_order():
    rules = [re.compile(p) for p in (r"\bzebra\b", r"\bapple\b", r"\bpear\b", r"\d+")]
    index = LiteralIndex(rules)
    assert index.possible("a pear and an apple, 3 of them") == [1, 2, 3]
    assert index.possible("nothing here") == [3]


def test_strings_that_start_at_the_same_place_are_all_found():
    # the scan finds the longest string at a position; its prefixes among the strings count too
    rules = [re.compile(p) for p in (r"\bsuicid", r"\bsuicide note\b", r"\bsui generis\b")]
    index = LiteralIndex(rules)
    found = index.strings_in("left a suicide note")
    assert found is not None
    assert {"suicid", "suicide note"} <= found
    assert index.possible("left a suicide note") == [0, 1]
    assert index.possible("suicidal") == [0]


@pytest.mark.parametrize("text", ["i'm \u0130stanbul", "\u212aelvin"])
def test_a_text_ignorecase_could_fold_into_ascii_runs_every_pattern(text):
    rules = [re.compile(r"(?i)\bistanbul\b"), re.compile(r"(?i)kelvin")]
    assert LiteralIndex(rules).possible(text) == [0, 1]
    assert LiteralIndex(rules).strings_in(text) is None


def test_the_scan_finds_every_string_a_text_holds():
    words = ["he", "hea", "head", "heart", "art", "ear", "heart attack", "tac", "k a"]
    rules = [re.compile(re.escape(w)) for w in words]
    index = LiteralIndex(rules)
    text = "he had a heart attack at the head of the hearth"
    found = index.strings_in(text)
    assert found == {w for w in words if w in text}
