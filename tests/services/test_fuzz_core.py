"""Hypothesis feeds hostile input to ``check``, ``triage``, ``draft``, ``fix`` and the practice
profile (issue 12): every input gets a result or a SafeReply error naming the problem, never a
crash (any other exception fails the test).

Hostile means: any Unicode (lone surrogates, NUL, bidirectional controls, combining marks),
very long runs, deep nesting, numbers that are not finite, values of the wrong type.
"""

from __future__ import annotations

import contextlib
import math
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import safereply
from safereply.errors import InputError, ProfileError, SafeReplyError

EXAMPLES = int(os.environ.get("SAFEREPLY_FUZZ_EXAMPLES", "40"))
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PRACTICE = safereply.Practice(name="Maple Grove Dental", phone="(555) 201-3300", staff=("Tom",))

#: Characters that break naive text handling, mixed into ordinary words.
_NASTY = st.sampled_from(
    [
        "\x00",
        "\ud800",
        "\udfff",
        "\u202e",
        "\u200b",
        "\ufeff",
        "\u0301" * 50,
        "\r\n",
        "\t",
        "(555) 201-3300",
        "Dr. ",
        "@",
        "http://",
        "javascript:alert(1)",
        "\u00a0",
        "🦷",
        "ß",
        "İ",
        "=HYPERLINK(1)",
        "%s%n",
        "{{7*7}}",
        "<script>",
        "'; DROP TABLE posts; --",
    ]
)
HOSTILE_TEXT = st.one_of(
    st.text(min_size=0, max_size=300),
    st.lists(st.one_of(_NASTY, st.text(max_size=12)), max_size=40).map("".join),
    st.builds(
        lambda c, n: c * n, st.sampled_from(["a", " ", "!", "\u0301", "5"]), st.integers(0, 6000)
    ),
)
RATINGS = st.one_of(
    st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**30), 10**30)
)
PLATFORMS = st.one_of(
    st.none(), st.sampled_from(["google", "x", "yelp", "facebook"]), st.text(max_size=20)
)


@BOUNDED
@given(reply=HOSTILE_TEXT, post=st.one_of(st.none(), HOSTILE_TEXT))
def test_check_never_crashes(reply, post):
    try:
        report = safereply.check(reply, post=post, practice=PRACTICE)
    except InputError:
        return
    assert report.verdict is not None
    for finding in report.findings:
        assert 0 <= finding.start <= finding.end <= len(reply)


@BOUNDED
@given(text=HOSTILE_TEXT, platform=PLATFORMS, rating=RATINGS)
def test_triage_never_crashes(text, platform, rating):
    try:
        result = safereply.triage(text, platform=platform, rating=rating)
    except InputError:
        return
    assert result.kind and result.priority
    assert math.isfinite(result.sentiment)


@BOUNDED
@given(
    text=HOSTILE_TEXT,
    platform=PLATFORMS,
    rating=RATINGS,
    seed=st.one_of(st.none(), st.integers(), st.text(max_size=8)),
)
def test_draft_never_crashes(text, platform, rating, seed):
    try:
        result = safereply.draft(
            text, practice=PRACTICE, platform=platform, rating=rating, seed=seed
        )
    except InputError:
        return
    assert isinstance(result.reply, str) and result.reply


@BOUNDED
@given(reply=HOSTILE_TEXT, post=st.one_of(st.none(), HOSTILE_TEXT))
def test_fix_never_crashes(reply, post):
    try:
        result = safereply.fix(reply, post=post, practice=PRACTICE)
    except InputError:
        return
    assert isinstance(result.reply, str)


@pytest.mark.parametrize("bad", [None, 42, b"bytes", ["list"], {"a": 1}])
def test_values_of_the_wrong_type_are_input_errors(bad):
    for call in (
        lambda: safereply.check(bad),
        lambda: safereply.triage(bad),
        lambda: safereply.draft(bad, practice=PRACTICE),
        lambda: safereply.fix(bad),
    ):
        with pytest.raises(InputError):
            call()


# -- the practice profile ---------------------------------------------------------------------

JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    HOSTILE_TEXT,
)
JSONISH = st.recursive(
    JSON_LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=25,
)
FIELDS = st.sampled_from(["name", "phone", "sign_off", "address", "website", "staff", "timezone"])
PROFILES = st.one_of(
    st.dictionaries(st.sampled_from(["practice", "improvements", "other"]), JSONISH, max_size=3),
    st.builds(
        lambda fields, improvements: {"practice": fields, "improvements": improvements},
        st.dictionaries(FIELDS, JSONISH, max_size=7),
        st.lists(st.dictionaries(st.sampled_from(["topic", "text", "since"]), JSONISH), max_size=3),
    ),
)


@BOUNDED
@given(data=PROFILES)
def test_a_hostile_profile_is_a_profile_error_never_a_crash(data):
    try:
        practice = safereply.parse_practice(data)
    except ProfileError:
        return
    assert practice.name and practice.phone


@BOUNDED
@given(
    text=st.one_of(
        HOSTILE_TEXT, st.builds(lambda n: "a = " + "[" * n + "]" * n, st.integers(0, 5000))
    )
)
def test_hostile_toml_text_is_a_profile_error_never_a_crash(text):
    try:
        safereply.parse_practice(text)
    except ProfileError:
        return


@BOUNDED
@given(data=PROFILES, text=HOSTILE_TEXT)
def test_a_profile_that_parses_drafts_and_checks_without_crashing(data, text):
    try:
        practice = safereply.parse_practice(data)
    except ProfileError:
        return
    for call in (
        lambda: safereply.draft(text, practice=practice),
        lambda: safereply.check(text, practice=practice),
        lambda: safereply.fix(text, practice=practice),
    ):
        with contextlib.suppress(SafeReplyError):
            call()
