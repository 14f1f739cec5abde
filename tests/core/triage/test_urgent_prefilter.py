"""Triage's rule tables skip the patterns a post cannot match, and find exactly what they did.

``rules._possible`` leaves out an emergency, crisis or spam pattern when the post lacks a string
one of its requirements needs (``core/literal_index.py``: every requirement of the pattern, look-
aheads included, found with one scan of the text). Checks on every labelled post of the
repository (triage's sets, the spent blind sets, the posts of the lint sets) and the real reviews
in ``../shared/data`` when present:

1. **Soundness, pattern by pattern**: a pattern that matches a text the rules read (the post
   normalised, folded and unfigured, each of its sentences, and the crisis rules' text) is never
   one the pre-filter would skip on that text.
2. **The same reasons**: ``emergency_reasons``, ``crisis_reasons`` and ``spam_reasons`` with the
   pre-filter and with every pattern run give the same lists, in the same order.
3. **The scan misses no string**: the strings the index finds in a text are exactly those of its
   strings the text holds.

Marked ``corpus`` (it reads about 12,000 posts; deselect with ``-m "not corpus"``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from safereply.core.literals import searchable
from safereply.core.triage import rules
from safereply.core.triage.language import fold

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent
SHARED = ROOT.parent / "shared" / "data"
#: Never read here: the blind sets being written (RULES.md).
_NEVER: tuple[str, ...] = ()  # none now: the seventh sets were measured in session 10

pytestmark = pytest.mark.corpus


def _rows(path: Path) -> Iterator[dict[str, object]]:
    assert not any(name in path.parts for name in _NEVER)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            yield json.loads(line)


@cache
def _posts() -> tuple[str, ...]:
    found: list[str] = []
    triage_sets = [*HERE.glob("*.jsonl"), *(HERE / "data").glob("*.jsonl")]
    triage_sets += [ROOT / "data" / "triage_train_social.jsonl"]
    for name in (
        "triage_blind2",
        "triage_blind3",
        "triage_blind4",
        "triage_blind5",
        "triage_blind6",
        "triage_blind7",
    ):
        triage_sets += sorted((ROOT / "data" / name).glob("*.jsonl"))
    for path in sorted(triage_sets):
        found += [str(row["text"]) for row in _rows(path) if row.get("text")]
    for name in ("lint_dev", *(f"lint_blind{n}" for n in range(2, 8))):
        for path in sorted((ROOT / "data" / name).glob("*.jsonl")):
            found += [str(row["post"]) for row in _rows(path) if row.get("post")]
    reviews = SHARED / "ratemds_practice_replies.jsonl"
    if reviews.exists():
        found += [str(row["review_text"]) for row in _rows(reviews) if row.get("review_text")]
    return tuple(dict.fromkeys(found))


def _texts(post: str) -> Iterator[str]:
    """Yield what the urgent rules search: the emergency rules' text and sentences, and the
    crisis rules' text (look-alike letters read as letters)."""
    norm = rules.normalise(post)
    text = rules._unfigured(fold(norm))
    yield text
    yield from rules.sentences(text)
    yield rules._unfigured(rules._plain(fold(norm)))


def test_the_posts_are_there():
    assert len(_posts()) > 8000


@pytest.mark.parametrize("which", ["emergency", "crisis", "spam strong", "spam weak"])
def test_no_pattern_is_skipped_where_it_matches(which):
    table, index = rules._index(which)
    assert sum(bool(groups) for groups in index.groups) > len(table) * 0.9
    missed = []
    for post in _posts():
        for text in (*_texts(post), rules.normalise(post)):
            kept = set(index.possible(text))
            missed += [
                (rule.reason, text[:80])
                for i, rule in enumerate(table)
                if i not in kept and rule.search(text)
            ]
    assert not missed, missed[:3]


def test_the_reasons_equal_those_of_every_pattern_run(monkeypatch):
    posts = [rules.normalise(post) for post in _posts()]

    def read(norm):
        return rules.emergency_reasons(norm), rules.crisis_reasons(norm), rules.spam_reasons(norm)

    fast = [read(n) for n in posts]
    monkeypatch.setattr(rules, "_possible", lambda which, text: list(rules._index(which)[0]))
    slow = [read(n) for n in posts]
    differ = [(n[:80], a, b) for n, a, b in zip(posts, fast, slow, strict=True) if a != b]
    assert not differ, differ[:3]
    assert sum(bool(e or c) for e, c, _ in fast) > 300  # urgent posts were compared
    assert sum(bool(s[0] or s[1]) for _, _, s in fast) > 100  # and spam signals


def test_the_scan_finds_every_string_a_text_holds():
    _, index = rules._index("emergency")
    strings = {s for groups in index.groups for group in groups for s in group}
    wrong = []
    for post in _posts()[::7]:
        text = rules._unfigured(fold(rules.normalise(post)))
        low = searchable(text)
        expected = None if low is None else {s for s in strings if s in low}
        if index.strings_in(text) != expected:
            wrong.append(text[:80])
    assert not wrong, wrong[:3]
