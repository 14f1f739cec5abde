"""Rule, Finding and Report: the values the reply linter is built from.

A rule is one small declarative value with a permanent code; its ``check`` yields ``Hit``s (a span,
a specific message, an optional suggestion). The engine stamps the rule's code, name, category and
severity onto each hit, so a check can never mislabel itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from safereply.core.vocab import BLOCKING_CATEGORIES, Category, Severity, Verdict

if TYPE_CHECKING:
    from safereply.core.lint.context import LintContext

__all__ = ["Example", "Finding", "FixSafety", "Hit", "Report", "Rule", "covered_by_rule"]


class FixSafety(StrEnum):
    """How safe it is to apply a rule's suggestion without reading it."""

    SAFE = "safe"  # deleting or replacing keeps the meaning (an echoed number, a name)
    UNSAFE = "unsafe"  # rewording changes what the sentence says; a person should read it
    DISPLAY = "display"  # advice only; nothing to apply mechanically


@dataclass(frozen=True, slots=True)
class Hit:
    """What a check found: a span of the reply and why it matters."""

    start: int
    end: int
    message: str
    suggestion: str | None = None
    low_confidence: bool = False


@dataclass(frozen=True, slots=True)
class Example:
    """A rule example. ``text`` marks each expected span as ``[[...]]`` in bad examples."""

    text: str
    post: str | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """One lint rule. Codes are permanent: never renumber or reuse one."""

    code: str
    name: str
    category: Category
    severity: Severity
    summary: str
    rationale: str
    check: Callable[[LintContext], Iterable[Hit]]
    fix_safety: FixSafety = FixSafety.UNSAFE
    bad: tuple[Example, ...] = ()
    good: tuple[Example, ...] = ()

    def describe(self) -> dict[str, Any]:
        """Return the rule's documentation as plain data."""
        return {
            "code": self.code,
            "name": self.name,
            "category": str(self.category),
            "severity": str(self.severity),
            "summary": self.summary,
            "rationale": self.rationale,
            "fix_safety": str(self.fix_safety),
            "bad": [e.text for e in self.bad],
            "good": [e.text for e in self.good],
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule's hit on a reply, with the rule's identity stamped on."""

    code: str
    name: str
    category: Category
    severity: Severity
    start: int
    end: int
    text: str
    message: str
    suggestion: str | None = None
    fix_safety: FixSafety = FixSafety.UNSAFE

    @property
    def blocks(self) -> bool:
        """Return True when this finding alone makes the verdict ``block``."""
        return self.severity is Severity.ERROR and self.category in BLOCKING_CATEGORIES

    def to_dict(self) -> dict[str, Any]:
        """Return the finding in the JSON shape of DESIGN.md §3."""
        out: dict[str, Any] = {
            "code": self.code,
            "name": self.name,
            "category": str(self.category),
            "severity": str(self.severity),
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "message": self.message,
        }
        if self.suggestion is not None:
            out["suggestion"] = self.suggestion
        return out


@dataclass(frozen=True, slots=True)
class Report:
    """The linter's answer for one reply."""

    verdict: Verdict
    findings: tuple[Finding, ...] = field(default=())

    @classmethod
    def from_findings(cls, findings: Iterable[Finding]) -> Report:
        """Build a report, ordering findings by position and deriving the verdict."""
        ordered = tuple(sorted(findings, key=lambda f: (f.start, f.end, f.code)))
        if any(f.blocks for f in ordered):
            verdict = Verdict.BLOCK
        elif ordered:
            verdict = Verdict.WARN
        else:
            verdict = Verdict.PASS
        return cls(verdict=verdict, findings=ordered)

    @property
    def categories(self) -> frozenset[str]:
        """Return the categories that have at least one finding."""
        return frozenset(str(f.category) for f in self.findings)

    def to_dict(self, id: Any = None) -> dict[str, Any]:
        """Return the report in the JSON shape of DESIGN.md §3."""
        return {
            "id": id,
            "verdict": str(self.verdict),
            "findings": [f.to_dict() for f in self.findings],
        }


def covered_by_rule(
    ruled: Iterable[Finding], category: Category, start: int, end: int, error: bool
) -> bool:
    """Return True when a phrase rule's finding of ``category`` starts inside ``start:end`` and
    outranks a learned finding there (an error covers anything; a warning covers a warning)."""
    return any(
        r.category == category
        and start <= r.start < end
        and (r.severity is Severity.ERROR or not error)
        for r in ruled
    )
