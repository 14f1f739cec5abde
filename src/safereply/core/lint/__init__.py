"""The reply linter: rules, engine and the default rule set."""

from __future__ import annotations

from functools import lru_cache

from safereply.core.lint.engine import MAX_REPLY_CHARS, Linter
from safereply.core.lint.types import Example, Finding, FixSafety, Hit, Report, Rule

__all__ = [
    "MAX_REPLY_CHARS",
    "Example",
    "Finding",
    "FixSafety",
    "Hit",
    "Linter",
    "Report",
    "Rule",
    "default_linter",
    "default_rules",
]


def default_rules() -> tuple[Rule, ...]:
    """Return a fresh tuple of every built-in rule, ordered by code."""
    from safereply.core.lint.rules import all_rules

    return tuple(sorted(all_rules(), key=lambda r: r.code))


@lru_cache(maxsize=1)
def default_linter() -> Linter:
    """Return the shared linter with the built-in rules (built once per process)."""
    return Linter(default_rules())
