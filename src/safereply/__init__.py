"""SafeReply: answer every review and social post quickly, kindly and without disclosing PHI.

The public Python API::

    import safereply
    report = safereply.check("Hi Karen, sorry about your crown!")
    report.verdict            # Verdict.BLOCK
    safereply.triage("Waited two hours past my appointment", rating=1).kind   # "complaint"
    safereply.draft("Great team!", practice=safereply.load_practice("practice.toml")).reply
    safereply.fix("Hi Karen, we'll call you about the crown.", practice=...).reply

Automated PHI detection is a safety net, not a guarantee: a person reviews every reply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from safereply.core.lint.types import Finding, Report, Rule
from safereply.core.practice import Improvement, Practice, load_practice, parse_practice
from safereply.core.vocab import Category, PostKind, Priority, Severity, Topic, Verdict
from safereply.errors import InputError, ProfileError, SafeReplyError

if TYPE_CHECKING:
    from safereply.core.compose import Draft, FixResult
    from safereply.core.triage import TriageResult

__version__ = "0.1.0"

__all__ = [
    "Category",
    "Draft",
    "Finding",
    "FixResult",
    "Improvement",
    "InputError",
    "PostKind",
    "Practice",
    "Priority",
    "ProfileError",
    "Report",
    "Rule",
    "SafeReplyError",
    "Severity",
    "Topic",
    "TriageResult",
    "Verdict",
    "__version__",
    "check",
    "draft",
    "fix",
    "load_practice",
    "parse_practice",
    "triage",
]


def check(reply: str, post: str | None = None, practice: Practice | None = None) -> Report:
    """Lint one reply before it is posted.

    Args:
        reply: the text the practice is about to post.
        post: the review or comment it answers, to catch echoed disclosures.
        practice: the practice profile; its phone, address and staff are never identifiers.

    Raises:
        InputError: the reply is empty, not text, or too long.
    """
    from safereply.core.lint import default_linter

    return default_linter().check(reply, post=post, practice=practice)


def triage(text: str, platform: str | None = None, rating: float | None = None) -> TriageResult:
    """Classify one post: kind, topics, sentiment, disclosure, priority and reasons."""
    from safereply.core.triage import triage as _triage

    return _triage(text, platform=platform, rating=rating)


def draft(
    text: str,
    *,
    practice: Practice,
    platform: str | None = None,
    rating: float | None = None,
    post_id: str | None = None,
    triage_result: TriageResult | None = None,
    seed: int | str | None = None,
) -> Draft:
    """Propose a reply to one post that passes the linter.

    Args:
        text: the post.
        practice: the practice profile (phone, sign-off, improvements to cite).
        platform: where the post is ("x" keeps replies within 280 characters).
        rating: the star rating, when the platform has one.
        post_id: seeds the wording, so neighbouring posts get different replies.
        triage_result: a triage already made for this post (triaged again when absent).
        seed: changes the wording; the same seed always gives the same reply.
    """
    from safereply.core.compose import draft as _draft

    return _draft(
        text,
        practice=practice,
        platform=platform,
        rating=rating,
        post_id=post_id,
        triage_result=triage_result,
        seed=seed,
    )


def fix(
    reply: str,
    *,
    post: str | None = None,
    practice: Practice | None = None,
    seed: int | str | None = None,
) -> FixResult:
    """Rewrite an unsafe reply into one that passes the linter, listing each change."""
    from safereply.core.compose import fix as _fix

    return _fix(reply, post=post, practice=practice, seed=seed)


def __getattr__(name: str) -> Any:
    if name == "TriageResult":
        from safereply.core.triage import TriageResult

        return TriageResult
    if name in ("Draft", "FixResult"):
        from safereply.core import compose

        return getattr(compose, name)
    raise AttributeError(f"module 'safereply' has no attribute {name!r}")
