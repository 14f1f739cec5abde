"""Learned findings quote the words that drove them, not the whole sentence (issue 10)."""

from __future__ import annotations

import pytest

from safereply.core.lint import default_linter
from safereply.core.lint.rules.learned import LEARNED_CODES, MAX_SPAN, driving_span

LINTER = default_linter()
LONG = [
    "We hope the knee is healing well after surgery, and we cannot wait to hear about your "
    "first hike back on the trail this spring!",
    "Congrats on baby number two, we are all so thrilled for your growing family here at the "
    "office!",
    "Our billing lead will reach out to you directly this week about the statement you asked for.",
]


@pytest.mark.parametrize("text", LONG)
def test_a_learned_finding_quotes_a_short_span_of_its_sentence(text):
    report = LINTER.check(text)
    learned = [f for f in report.findings if f.code in LEARNED_CODES]
    assert learned, report.findings
    for f in learned:
        assert f.text == text[f.start : f.end]
        assert len(f.text) <= MAX_SPAN + 20 < len(text), f.text
        assert f.text in f.message
        assert "This sentence" not in f.message
        data = f.to_dict()
        assert set(data) >= {"code", "name", "category", "severity", "start", "end", "text"}


def test_the_span_takes_the_driving_words_nearest_the_strongest_and_whole_words():
    text = "Thanks! We hope the knee is healing well after surgery."
    start = text.index("We")
    lo, hi = driving_span(text, start, len(text), ("healing", "knee", "surgery"))
    assert text[lo:hi] == "knee is healing well after surgery"
    lo, hi = driving_span(text, start, len(text), ("heal",))
    assert (lo, hi) == (start, len(text))  # no whole word found: the sentence


def test_words_found_far_apart_are_left_out():
    text = "Knee " + "and so on " * 10 + "surgery."
    lo, hi = driving_span(text, 0, len(text), ("knee", "surgery"))
    assert text[lo:hi] == "Knee"
