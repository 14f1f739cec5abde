"""The linter meets the quality targets of issue 2 on the hand-labelled corpus.

Targets: >= 97% of violating replies caught (blocked, with a finding in a labelled category; or,
for replies labelled only tone/missing-contact-path, flagged in a labelled category), every
category found in >= 90% of the replies labelled with it, <= 3% of compliant replies blocked.
A failure prints the whole summary and the ids that missed, so the rules can be tuned from it.
`bench/lint_quality.py --show` prints the same figures with every miss and false positive.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from safereply.core.lint import Report, default_linter
from safereply.core.practice import load_practice
from safereply.core.vocab import BLOCKING_CATEGORIES, Category, Verdict

pytestmark = pytest.mark.corpus

CORPUS_DIR = Path(__file__).parent / "corpus"
BLOCKING = {str(c) for c in BLOCKING_CATEGORIES}
MIN_CAUGHT = 0.97
MIN_RECALL = 0.90
MAX_COMPLIANT_BLOCKED = 0.03


@dataclass(frozen=True)
class Result:
    id: str
    reply: str
    labels: frozenset[str]
    report: Report

    @property
    def found(self) -> frozenset[str]:
        return self.report.categories

    @property
    def caught(self) -> bool:
        in_label = bool(self.found & self.labels)
        if self.labels & BLOCKING:
            return self.report.verdict is Verdict.BLOCK and in_label
        return in_label


@pytest.fixture(scope="module")
def results() -> list[Result]:
    practice = load_practice(CORPUS_DIR / "practice.toml")
    linter = default_linter()
    out = []
    with (CORPUS_DIR / "replies.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            report = linter.check(row["reply"], post=row.get("post"), practice=practice)
            out.append(Result(row["id"], row["reply"], frozenset(row["labels"]), report))
    return out


def _summary(results: list[Result]) -> str:
    """Return the figures the targets are about, one line each, for a failure message."""
    violating = [r for r in results if r.labels]
    compliant = [r for r in results if not r.labels]
    lines = [
        f"caught {sum(r.caught for r in violating)}/{len(violating)} violating (target "
        f">= {MIN_CAUGHT:.0%}); blocked {sum(r.report.verdict is Verdict.BLOCK for r in compliant)}"
        f"/{len(compliant)} compliant (target <= {MAX_COMPLIANT_BLOCKED:.0%})"
    ]
    for cat in Category:
        labelled = [r for r in results if str(cat) in r.labels]
        hit = sum(str(cat) in r.found for r in labelled)
        share = hit / len(labelled) if labelled else 1.0
        lines.append(f"  {cat!s:22} recall {share:6.1%} ({hit}/{len(labelled)})")
    return "\n".join(lines)


def _ids(rows: list[Result], limit: int = 40) -> str:
    shown = ", ".join(r.id for r in rows[:limit])
    return shown + (f" ... (+{len(rows) - limit})" if len(rows) > limit else "")


def test_violating_replies_are_caught_in_their_labelled_category(results):
    violating = [r for r in results if r.labels]
    missed = [r for r in violating if not r.caught]
    share = 1 - len(missed) / len(violating)
    assert share >= MIN_CAUGHT, f"{_summary(results)}\nmissed: {_ids(missed)}"


@pytest.mark.parametrize("category", [str(c) for c in Category])
def test_each_category_is_found(results, category):
    labelled = [r for r in results if category in r.labels]
    missed = [r for r in labelled if category not in r.found]
    recall = 1 - len(missed) / len(labelled)
    assert recall >= MIN_RECALL, (
        f"{category} recall {recall:.1%} < {MIN_RECALL:.0%}\n{_summary(results)}\n"
        f"missed: {_ids(missed)}"
    )


def test_compliant_replies_are_rarely_blocked(results):
    compliant = [r for r in results if not r.labels]
    blocked = [r for r in compliant if r.report.verdict is Verdict.BLOCK]
    share = len(blocked) / len(compliant)
    detail = "; ".join(
        f"{r.id}: " + ", ".join(f"{f.code}[{f.text}]" for f in r.report.findings if f.blocks)
        for r in blocked
    )
    assert share <= MAX_COMPLIANT_BLOCKED, f"{_summary(results)}\nblocked: {detail}"
