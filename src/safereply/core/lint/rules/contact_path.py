"""Contact-path rule: a reply to a complaint or a care question must invite the reviewer to call.

Rule 4: the practice never initiates contact; the reply gives the office phone number and invites
the reviewer to call, so the conversation can continue privately.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from safereply.core.lint.context import LintContext
from safereply.core.lint.types import Example, FixSafety, Hit, Rule
from safereply.core.vocab import Category, Severity
from safereply.errors import SafeReplyError

_INVITE = re.compile(
    r"\b(?:call|phone|ring|reach|contact|text)\s+(?:us|our|the\s+office|me|the\s+practice|the\s+clinic|"
    r"\(?\d)|\bgive\s+(?:us|our\s+office|the\s+office)\s+a\s+(?:call|ring)\b|\b(?:speak|talk|chat)\s+"
    r"(?:with|to)\s+(?:us|our|me|someone|the\s+office|a\s+member)\b|\breach(?:able|ed)?\s+at\b|"
    r"\b(?:our|the)\s+(?:office|front\s+desk|practice)\s+(?:line|number|phone)\b|"
    r"\bcall\b.{0,40}\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}",
    re.IGNORECASE,
)
_THANKS_FOR_PRAISE = re.compile(
    r"\b(?:thank(?:s|\s+you)(?:\s+(?:so|very)\s+much)?\s+(?:for\s+(?:the|your|this|such\s+a)\s+"
    r"(?:\w+\s+){0,2}(?:kind|lovely|nice|sweet|wonderful|great|thoughtful|heartfelt|glowing|"
    r"positive|five|5)|for\s+the\s+(?:love|shout-?out|stars))|means\s+(?:a\s+lot|so\s+much|the\s+world|a\s+great\s+deal)|"
    r"muchas\s+gracias\s+por\s+sus\s+(?:amables|bonitas|lindas)|gracias\s+por\s+sus\s+"
    r"(?:amables|bonitas|lindas)\s+palabras)",
    re.IGNORECASE,
)
_POST_PREFIX = 800  # characters of the post that the call-invitation rule triages
_PHONE = re.compile(r"\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}")
_EMERGENCY = re.compile(
    r"\b(?:911|988|emergency\s+room|nearest\s+(?:er|emergency))\b", re.IGNORECASE
)
_COMPLAINT_REPLY = re.compile(
    r"\b(?:sorry|apologi[sz]e|apologies|regret|unfortunately|concerns?|frustrat\w*|disappoint\w*|"
    r"upset|not\s+the\s+experience|fell\s+short|falls\s+short|make\s+(?:this|it|things)\s+right|"
    r"hear\s+more|take\s+(?:this|your\s+feedback|feedback|it)\s+seriously|understand\s+(?:how|"
    r"your)|inconvenience|that's\s+not\s+(?:ok|okay|acceptable))\b",
    re.IGNORECASE,
)
_POST_CONCERN = re.compile(
    r"\b(?:[12]\s*(?:/\s*5|stars?|out\s+of\s+5)|one\s+star|slow\w*|worst|meh|nobody|no\s+one|"
    r"won't|wouldn't|didn't|doesn't|never|still|sore|hurts?|hurting|pain|rude|terrible|horrible|awful|"
    r"wait\w*|late|mistake|wrong|refund|charged|bill\w*|lost|ignored|rushed|cares?\s+about|"
    r"properly|anyone\s+(?:at|here|there)|know\s+how\s+to)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=512)
def _post_kind(post: str) -> str | None:
    """Return the post's kind for this rule: its triage kind, with "care-question" for a question
    about health or care; None when triage cannot say."""
    from safereply.core.triage.engine import triage_with
    from safereply.core.triage.model import default_model

    try:
        # Rules-only escalation: the urgency classifier flags short complaints ("Tooth still
        # hurts.") for a person to read, which must not excuse a reply from inviting a call.
        result = triage_with(default_model(), post, urgent_classifier=False)
    except SafeReplyError:  # an unusable post must never break linting
        return None
    kind = str(result.kind)
    if kind == "complaint" and result.sentiment >= 0.5:
        return "praise"  # a glowing review with a passing gripe: thanks, not a call, is expected
    if kind in ("question", "other") and _POST_CONCERN.search(post):
        return "complaint"  # "Does anyone here answer the phone?", "Meh service."
    if kind == "question" and ("clinical-care" in result.topics or result.discloses_health):
        return "care-question"
    if (
        kind == "other"
        and result.sentiment < 0.2
        and (result.sentiment < 0 or result.topics or result.discloses_health)
    ):
        return "complaint"  # "Waited forever." - short, but about a concern
    return kind


def needs_call_invitation(ctx: LintContext) -> bool:
    """Return True when the reply answers a complaint or a care question."""
    if _EMERGENCY.search(ctx.reply):
        return False
    if _THANKS_FOR_PRAISE.search(ctx.reply) and not _COMPLAINT_REPLY.search(ctx.reply):
        return False  # thanks for kind words: the post was praise, whatever triage made of it
    if ctx.post:
        # The opening of a review says what it is; triaging a long post whole would cost more
        # than the rest of the linter together.
        kind = _post_kind(ctx.post[:_POST_PREFIX])
        if kind is not None:
            if kind in ("complaint", "care-question"):
                return True
            if kind in ("emergency", "crisis", "spam", "question", "praise"):
                return False
    return bool(_COMPLAINT_REPLY.search(ctx.reply))


def has_call_invitation(ctx: LintContext) -> bool:
    """Return True when the reply invites the reviewer to call (or gives the office number)."""
    if _INVITE.search(ctx.reply) or _PHONE.search(ctx.reply):
        return True
    return bool(ctx.practice and ctx.practice.phone_digits[-7:] in re.sub(r"\D", "", ctx.reply))


def _missing_call(ctx: LintContext) -> Iterator[Hit]:
    if has_call_invitation(ctx) or not needs_call_invitation(ctx):
        return  # the cheap test first: triage of the post only when no invitation is there
    start, end = ctx.sentences[-1] if ctx.sentences else (0, len(ctx.reply))
    phone = f" at {ctx.practice.phone}" if ctx.practice else ""
    yield Hit(
        start,
        end,
        "this reply answers a complaint or care question but never invites the reviewer to call "
        "the office",
        suggestion=f"Please call our office{phone} so we can talk this through.",
    )


RULES = (
    Rule(
        code="CP001",
        name="missing-call-invitation",
        category=Category.MISSING_CONTACT_PATH,
        severity=Severity.WARNING,
        summary="A reply to a complaint or care question that never invites the reviewer to call.",
        rationale="The practice never reaches out; the reply must give the reviewer the way to "
        "continue privately: the office phone.",
        check=_missing_call,
        fix_safety=FixSafety.SAFE,
        bad=(Example("[[We're sorry to hear about the wait.]]"),),
        good=(Example("We're sorry to hear about the wait. Please call us at (555) 388-9100."),),
    ),
)
