"""The linter's speed work changes no output, byte for byte.

Three checks, on every reply of the development set (``data/lint_dev``), the spent second and
third blind sets (``data/lint_blind2``, ``data/lint_blind3``), the hand-written corpus (with its
practice) and the real RateMDs replies in ``../shared/data`` (skipped when absent):

1. **Reference path.** Each reply is linted with the literal pre-filter of the phrase rules
   (``core/literals.py``) switched off, which runs every pattern as the rules were written,
   and with it on; the full JSON of both reports (every field of every finding) must be equal.
   This holds whatever the rules say, so it keeps checking as rules are added.
2. **Soundness of the pre-filter**, pattern by pattern: on every text, a phrase pattern that
   matches must never be one the pre-filter would skip. The folding table is checked against
   ``re`` over every code point.
3. **Recorded digests.** The SHA-256 of each set's reports was recorded from the code before the
   speed work (commit c294bb3), so this test could fail on the speed work. A deliberate change of
   the rules or models changes the digests too: re-record them with
   ``PYTHONPATH=src python tests/core/lint/test_lint_speed_identity.py --record`` and say so in
   the commit.

Marked ``corpus`` (it lints about 6,500 replies twice; deselect with ``-m "not corpus"``).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from safereply.core.lint import default_linter
from safereply.core.lint.context import LintContext
from safereply.core.lint.rules import _util
from safereply.core.lint.types import Report
from safereply.core.literals import ASCII_FOLDING, could_match, required_literals, searchable

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared" / "data"
DIGESTS = Path(__file__).with_name("corpus") / "lint_output_digests.json"
#: Never read here: the blind sets not yet measured (RULES.md).
_NEVER: tuple[str, ...] = ()  # none now: the seventh sets were measured in session 10

pytestmark = pytest.mark.corpus

Item = tuple[str, str, str | None, Any]


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _set_items(name: str) -> list[Item]:
    assert name not in _NEVER
    items: list[Item] = []
    if name == "corpus":
        from safereply.core.practice import load_practice

        corpus = ROOT / "tests" / "core" / "lint" / "corpus"
        practice = load_practice(corpus / "practice.toml")
        for row in _jsonl(corpus / "replies.jsonl"):
            items.append((row["id"], row["reply"], row.get("post"), practice))
        return items
    if name == "ratemds":
        from safereply.core.practice import Practice

        for row in _jsonl(SHARED / "ratemds_practice_replies.jsonl"):
            reply = row.get("reply_text") or ""
            if not reply.strip():
                continue
            doctor = (row.get("business_name") or "").strip()
            practice = Practice(
                name=(row.get("practice_name") or doctor or "The practice").strip(),
                phone="(555) 010-0000",
                staff=(doctor,) if doctor else (),
            )
            items.append((row["id"], reply, row.get("review_text") or None, practice))
        return items
    for path in sorted((DATA / name).glob("*.jsonl")):
        for row in _jsonl(path):
            items.append((row["id"], row["reply"], row.get("post"), None))
    return items


SETS = (
    "lint_dev",
    "lint_blind2",
    "lint_blind3",
    "lint_blind4",
    "lint_blind5",
    "lint_blind6",
    "lint_blind7",
    "corpus",
    "ratemds",
)


def _available(name: str) -> bool:
    if name == "ratemds":
        return (SHARED / "ratemds_practice_replies.jsonl").exists()
    return name == "corpus" or (DATA / name).is_dir()


def canonical(report: Report) -> str:
    """Return every field of a report as one JSON line (``to_dict`` leaves out fix safety)."""
    out = report.to_dict()
    for finding, shown in zip(report.findings, out["findings"], strict=True):
        shown["fix_safety"] = str(finding.fix_safety)
        shown["suggestion"] = finding.suggestion
    return json.dumps(out, ensure_ascii=False, sort_keys=True)


def _lint(items: list[Item]) -> list[str]:
    linter = default_linter()
    return [
        f"{key}\t{canonical(linter.check(reply, post=post, practice=practice))}"
        for key, reply, post, practice in items
    ]


@cache
def _outputs(name: str) -> tuple[str, ...]:
    return tuple(_lint(_set_items(name)))


def _digest(lines: tuple[str, ...] | list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _skip_unless(name: str) -> None:
    if not _available(name):
        pytest.skip(f"{name} is not here ({SHARED if name == 'ratemds' else DATA / name})")


@pytest.mark.parametrize("name", SETS)
def test_reports_equal_the_reference_path_without_the_literal_prefilter(name, monkeypatch):
    _skip_unless(name)
    fast = _outputs(name)
    # None from ``searchable`` makes every pattern run, as before the pre-filter
    monkeypatch.setattr(LintContext, "searchable", property(lambda self: None))
    slow = _lint(_set_items(name))
    assert len(fast) == len(slow)
    differ = [(a, b) for a, b in zip(fast, slow, strict=True) if a != b]
    assert not differ, differ[:3]


@pytest.mark.parametrize("name", SETS)
def test_reports_equal_the_digests_recorded_before_the_speed_work(name):
    _skip_unless(name)
    recorded = json.loads(DIGESTS.read_text(encoding="utf-8"))
    lines = _outputs(name)
    assert len(lines) == recorded[name]["count"]
    assert _digest(lines) == recorded[name]["sha256"], (
        f"{name}: the linter's output changed; if the rules or models changed on purpose, "
        "re-record (see the module docstring)"
    )


def _texts() -> Iterator[str]:
    for name in SETS:
        if _available(name):
            for _, reply, post, _ in _set_items(name):
                yield reply
                if post:
                    yield post


def test_no_phrase_pattern_is_skipped_where_it_matches():
    default_linter()  # builds every rule, so every phrase set is registered
    patterns = {item.pattern for items in _util.PHRASE_SETS for item in items}
    assert len(patterns) > 40
    needs = {p: required_literals(p) for p in patterns}
    assert sum(n is not None for n in needs.values()) > len(patterns) // 2
    texts = list(_texts())
    texts += [t.upper() for t in texts[:500]] + [t.title() for t in texts[:500]]
    missed = [
        (p.pattern[:60], text[:80])
        for text in texts
        for p, need in needs.items()
        if need is not None
        and not could_match(need, searchable(text))
        and p.search(text) is not None
    ]
    assert not missed, missed[:3]


def test_the_folding_table_is_every_non_ascii_character_an_ascii_one_matches():
    printable = "".join(chr(c) for c in range(32, 127))
    any_ascii = re.compile("|".join(map(re.escape, printable)), re.IGNORECASE)
    found = "".join(
        chr(c)
        for c in range(128, sys.maxunicode + 1)
        if not 0xD800 <= c < 0xE000 and any_ascii.fullmatch(chr(c))
    )
    assert found == ASCII_FOLDING


@pytest.mark.parametrize(
    ("pattern", "text", "skipped"),
    [
        (r"\b(?:call|phone)\s+us\b", "Please CALL us", False),
        (r"\b(?:call|phone)\s+us\b", "Please write to them", True),
        (r"\bkind\b", "\u212aind words", False),  # the Kelvin sign: the pre-filter stands down
        (r"(?:ab)?cd", "xx", True),
        (r"x?y", "z", False),  # too short to say anything: never skipped
        (r"\bdr\.?\s+\w+", "Dr Lee", False),
    ],
)
def test_the_prefilter_on_small_cases(pattern, text, skipped):
    compiled = re.compile(pattern, re.IGNORECASE)
    assert could_match(required_literals(compiled), searchable(text)) is not skipped
    if compiled.search(text):
        assert not skipped


def _record() -> None:
    recorded = {}
    for name in SETS:
        if not _available(name):
            raise SystemExit(f"{name} is not here: record where every set is present")
        lines = _outputs(name)
        recorded[name] = {"count": len(lines), "sha256": _digest(lines)}
        print(name, recorded[name])
    DIGESTS.write_text(json.dumps(recorded, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--record"]:
        _record()
    else:
        raise SystemExit(__doc__)
