"""The lint engine: runs rules over a reply and builds the report."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from safereply.core.lint.context import LintContext
from safereply.core.lint.rules.learned import LEARNED_CODES
from safereply.core.lint.types import Finding, Report, Rule, covered_by_rule
from safereply.core.practice import Practice
from safereply.core.vocab import Severity
from safereply.errors import InputError

__all__ = ["MAX_REPLY_CHARS", "Linter"]

#: Longest reply the linter accepts. Platforms cap replies far below this (Google: 4,096).
MAX_REPLY_CHARS = 10_000
#: Longest post the linter reads for echo checks.
MAX_POST_CHARS = 50_000


def validate_text(value: object, *, what: str, limit: int, required: bool = True) -> str | None:
    """Return ``value`` if it is usable text; raise InputError saying why not."""
    if value is None:
        if required:
            raise InputError(f"{what} is missing")
        return None
    if not isinstance(value, str):
        raise InputError(f"{what} must be text, not {type(value).__name__}")
    if required and not value.strip():
        raise InputError(f"{what} is empty")
    if len(value) > limit:
        raise InputError(f"{what} is {len(value):,} characters long; the limit is {limit:,}")
    return value


class Linter:
    """Checks replies against a fixed set of rules. Build one and reuse it."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        codes = [r.code for r in rules]
        if len(set(codes)) != len(codes):
            raise ValueError("duplicate rule codes")
        self.rules: tuple[Rule, ...] = tuple(rules)
        self._by_code = {r.code: r for r in rules}

    def rule(self, code: str) -> Rule:
        """Return the rule with this code (or name). Raises KeyError."""
        if code in self._by_code:
            return self._by_code[code]
        for rule in self.rules:
            if rule.name == code:
                return rule
        raise KeyError(code)

    def check(
        self,
        reply: str,
        post: str | None = None,
        practice: Practice | None = None,
        *,
        select: Iterable[str] | None = None,
    ) -> Report:
        """Check one reply; ``post`` is what it answers, ``practice`` the profile.

        Raises:
            InputError: the reply is empty, not text or too long; or the post is not text.
        """
        validate_text(reply, what="the reply", limit=MAX_REPLY_CHARS)
        validate_text(post, what="the post", limit=MAX_POST_CHARS, required=False)
        ctx = LintContext(reply=reply, post=post or None, practice=practice)
        wanted = set(select) if select is not None else None
        chosen = [r for r in self.rules if wanted is None or r.code in wanted]
        findings: list[Finding] = []
        # Phrase rules first: a learned rule skips the sentences they already cover (see
        # ``_defer_learned``) before it explains its score, which is the costly part.
        for rule in chosen:
            if rule.code not in LEARNED_CODES:
                findings.extend(_run(rule, ctx))
        ctx.ruled = tuple(findings)
        for rule in chosen:
            if rule.code in LEARNED_CODES:
                findings.extend(_run(rule, ctx))
        return Report.from_findings(_dedupe(_defer_learned(findings)))


def _run(rule: Rule, ctx: LintContext) -> Iterator[Finding]:
    """Yield one rule's findings on the reply, with the rule's identity stamped on each hit."""
    for hit in rule.check(ctx):
        severity = Severity.WARNING if hit.low_confidence else rule.severity
        yield Finding(
            code=rule.code,
            name=rule.name,
            category=rule.category,
            severity=severity,
            start=hit.start,
            end=hit.end,
            text=ctx.reply[hit.start : hit.end],
            message=hit.message,
            suggestion=hit.suggestion,
            fix_safety=rule.fix_safety,
        )


def _is_learned(finding: Finding) -> bool:
    return finding.code in LEARNED_CODES


def _defer_learned(findings: list[Finding]) -> list[Finding]:
    """Drop a learned finding where a phrase rule of its category already covers the sentence.

    The phrase rule's span, message and fix are more specific; the learned signal is there for
    what the rules miss, never to replace what they found.
    """
    ruled = [f for f in findings if not _is_learned(f)]
    kept = list(ruled)
    for f in findings:
        if _is_learned(f) and not covered_by_rule(
            ruled, f.category, f.start, f.end, f.severity is Severity.ERROR
        ):
            kept.append(f)
    return kept


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """Drop findings covered by another of the same category at equal or higher severity.

    A learned finding never hides a phrase rule's finding: the signal only adds.
    """
    kept: list[Finding] = []
    order = sorted(
        findings,
        key=lambda f: (f.severity is not Severity.ERROR, -(f.end - f.start), f.code),
    )
    for f in order:
        if any(
            k.category == f.category
            and k.start <= f.start
            and f.end <= k.end
            and (k.severity is Severity.ERROR or f.severity is not Severity.ERROR)
            and (_is_learned(f) or not _is_learned(k))
            for k in kept
        ):
            continue
        kept.append(f)
    return kept
