"""Replies to emergency and crisis posts: the help line they must carry, and the safe template.

A reply to an emergency post must tell the poster to call 911, and a reply to a crisis post to
call or text 988 (DESIGN.md §1): :func:`directs_to_help` checks that, and the inbox refuses to
approve or post a reply to such a post without it. :func:`urgent_reply` is the one-click safe reply
for those posts (their "acknowledgement").

Not every post triage calls an emergency is life-threatening: "my crown came loose and my jaw is
swollen" needs the office today, not an ambulance. When the post names an urgent dental or
medical problem and none of the red flags (trouble breathing or swallowing, swelling that spreads
to the eye or neck, fever with swelling, heavy bleeding, chest pain, stroke signs...), the reply
offers the same-day path by phone first and 911 for the red flags. When in doubt it is the plain
911 reply.
"""

from __future__ import annotations

import re
from typing import Any

from safereply.core.compose.strategy import practice_fields, weighted_length
from safereply.core.compose.templates import load_templates
from safereply.core.lint import Linter, default_linter
from safereply.core.practice import Practice
from safereply.core.vocab import PostKind, Verdict

__all__ = [
    "HELP_LINES",
    "directs_to_help",
    "help_line",
    "needs_same_day",
    "red_flags",
    "same_day_candidates",
    "urgent_reply",
]

#: The number a reply to each urgent kind of post must give.
HELP_LINES = {PostKind.EMERGENCY.value: "911", PostKind.CRISIS.value: "988"}

_SENTENCES = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
_CALL = re.compile(r"\b(?:call|calling|dial|text|phone|ring)\b", re.IGNORECASE)


def help_line(kind: str | None) -> str | None:
    """Return the number a reply to a post of this kind must give ("911", "988"), or None."""
    return HELP_LINES.get(str(getattr(kind, "value", kind)))


def directs_to_help(text: str, kind: str | None) -> bool:
    """Return True when ``text`` tells the reader to call the help line for a post of ``kind``.

    Posts of other kinds need no help line (True). The number must stand in a sentence that also
    says to call, dial or text it: "call 911", "call or text 988", "dial 911 now".
    """
    number = help_line(kind)
    if number is None:
        return True
    found = re.compile(rf"(?<![\d-]){number}(?![\d-])")
    return any(found.search(s) and _CALL.search(s) for s in _SENTENCES.findall(text or ""))


# Life-threatening signs: any of them in the post, and the reply is the plain 911 one.
_RED_FLAGS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("chest pain", r"\bchest\s+(?:pains?|pressure|tightness|hurts?)|\bheart\s+attack|cardiac"),
        (
            "trouble breathing",
            r"\b(?:can'?t|cannot|could\s*n'?t|unable\s+to|not|trouble|difficulty|hard|struggl\w*|"
            r"problems?)\s+(?:to\s+)?breath\w*|\bshort(?:ness)?\s+of\s+breath|\bgasping|\bchok(?:e|ing)\b|"
            r"\bwheez\w*|\bturn\w*\s+blue|\bblue\s+lips",
        ),
        (
            "trouble swallowing",
            r"\b(?:can'?t|cannot|could\s*n'?t|unable\s+to|trouble|difficulty|hard|hurts?\s+to|"
            r"problems?)\s+(?:to\s+)?swallow\w*|\bswallowed\s+(?:a\s+|an\s+|the\s+)?(?:\w+\s+)?"
            r"(?:battery|batteries|magnets?|coin|pills?|bleach)",
        ),
        (
            "swelling to the eye or neck",
            r"\bswell\w*[^.!?\n]{0,40}\b(?:eyes?|neck|throat|tongue|lips?)\b|"
            r"\b(?:eyes?|neck|throat|tongue|lips?)\b[^.!?\n]{0,20}\b(?:swell\w*|swollen|puff\w*)|"
            r"\bthroat\s+(?:is\s+)?(?:closing|tight)",
        ),
        (
            "heavy bleeding",
            r"\b(?:heavy|heavily|severe|a\s+lot\s+of|lots\s+of|uncontrolled|non-?stop|profuse\w*|"
            r"gushing|pouring|excessive)\s+(?:\w+\s+)?(?:bleed\w*|blood)|"
            r"\bbleed\w*\s+(?:\w+\s+)?(?:heavily|badly|a\s+lot|everywhere|profusely|non-?stop)|"
            r"\b(?:won'?t|will\s+not|wo\s+not|can'?t|cannot|doesn'?t|does\s+not|hasn'?t|has\s+not)"
            r"\s+(?:stop|stopped)\s+(?:the\s+|his\s+|her\s+|my\s+)?bleed\w*|"
            r"\bbleed\w*\s+(?:\w+\s+)?(?:won'?t|will\s+not|doesn'?t|hasn'?t)\s+stop|blood\s+everywhere",
        ),
        (
            "allergic reaction",
            r"\banaphyla\w*|\ballergic\s+reaction|\bepi-?pen|\bhives\b",
        ),
        (
            "stroke signs",
            r"\bstroke\b|\bdroop\w*|\bslurr\w*|\bnumb\w*\s+(?:on\s+)?(?:one|the\s+left|the\s+right)",
        ),
        (
            "loss of consciousness",
            r"\b(?:passed|blacked)\s+out|\bfaint\w*|\bunconscious|\bunresponsive|\bcollaps\w*|"
            r"\bwon'?t\s+wake",
        ),
        ("seizure", r"\bseiz\w*|\bconvuls\w*"),
        ("overdose or poisoning", r"\boverdos\w*|\bpoison\w*"),
        (
            "head injury",
            r"\bhit\s+(?:his|her|my|their)\s+head|\bconcuss\w*|\bbroken\s+jaw|"
            r"\bjaw\s+(?:is\s+)?(?:broken|fractured)",
        ),
        ("self-harm", r"\bsuicid\w*|\bkill\s+(?:my|him|her)self|\bend\s+(?:it\s+all|my\s+life)"),
        (
            "serious burn",
            r"\b(?:bad|severe|serious)\s+burns?\b|\bburn(?:ed|t)\s+(?:badly|severely)",
        ),
    )
)
_FEVER = re.compile(r"\bfever\w*|\btemperature\s+of\b|\b10[2-9](?:\.\d)?\s*(?:°|degrees|f\b)", re.I)
_SWELLING = re.compile(r"\bswell\w*|\bswollen\b|\bpuff(?:y|ed|ing)\b", re.IGNORECASE)

# An urgent dental or medical problem the office can see the same day.
_URGENT_CARE = re.compile(
    r"\b(?:tooth|teeth|toothache|crowns?|fillings?|caps?|bridge|implants?|dentures?|braces|"
    r"brackets?|wires?|retainer|jaw|gums?|abscess\w*|wisdom|molars?|root\s+canal|knocked|chipped|"
    r"cracked|broke|broken|loose|swell\w*|swollen|infect\w*|pain\w*|aches?|aching|hurts?|"
    r"hurting|throbbing|fever\w*|rash|ear|sore|sprain\w*|cut|stitches|bleed\w*|temperature)\b",
    re.IGNORECASE,
)


def red_flags(post: str | None) -> list[str]:
    """Return the life-threatening signs a post mentions (empty when none are found)."""
    text = post or ""
    found = [name for name, pattern in _RED_FLAGS if pattern.search(text)]
    if _FEVER.search(text) and _SWELLING.search(text):
        found.append("fever with swelling")
    return found


def needs_same_day(post: str | None) -> bool:
    """Return True when an emergency post is an urgent problem that is not life-threatening:
    it names an urgent dental or medical problem and none of the red flags."""
    return bool(post) and bool(_URGENT_CARE.search(post or "")) and not red_flags(post)


def _join(items: list[str]) -> str:
    return ", ".join(items[:-1]) + f", or {items[-1]}" if len(items) > 2 else " or ".join(items)


def _flag_lists(post: str | None) -> list[str]:
    """Return the red flags in words, first those that repeat no word of the post."""
    t = load_templates()
    node = t.data.get("urgent", {}).get("flags", {})
    low = (post or "").lower()
    first: list[str] = []
    other: list[str] = []
    for wordings in node.values():
        fresh = [w for w in wordings if not (_words(w) & _words(low))]
        first.append((fresh or list(wordings))[0])
        other.append(wordings[-1])
    return list(dict.fromkeys([_join(first), _join(other)]))


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", text.lower())} - {"that", "with", "from", "toward"}


def _candidates(kind: str, practice: Practice, post: str | None) -> list[str]:
    t, fields = load_templates(), practice_fields(practice)
    if kind == PostKind.CRISIS.value:
        lines, after = t.slot("crisis", "lines"), t.slot("crisis", "after")
        out = [f"{line} {a}" for line in lines for a in after]
        return [
            *out,
            *lines,
            "Please call or text 988 any time. If there is immediate danger, call 911 now.",
        ]
    emergency = [
        f"{line} {a.format(**fields)}"
        for line in t.slot("emergency", "lines")
        for a in t.slot("emergency", "after")
    ]
    emergency += list(t.slot("emergency", "lines"))
    emergency.append("If this is an emergency, please call 911 now.")
    if not needs_same_day(post):
        return emergency
    return [*same_day_candidates(practice, post), *emergency]


def same_day_candidates(practice: Practice, post: str | None, rng: Any = None) -> list[str]:
    """Return the same-day replies (office phone first, 911 for the red flags), best first.

    ``rng`` (a ``random.Random``) varies the order of the wordings; the short one for X is last.
    """
    t, fields = load_templates(), practice_fields(practice)
    lines, reds = list(t.slot("urgent", "lines")), list(t.slot("urgent", "red_flags"))
    if rng is not None:
        rng.shuffle(lines)
        rng.shuffle(reds)
    out = []
    for flags in _flag_lists(post):
        out += [
            f"{line.format(**fields)} {red.format(**fields, flags=flags)}"
            for line in lines
            for red in reds
        ]
    out += [t.text("urgent", "short").format(**fields, flags=f) for f in _flag_lists(post)]
    return out


def urgent_reply(
    kind: str,
    practice: Practice,
    *,
    post: str | None = None,
    platform: str | None = None,
    linter: Linter | None = None,
) -> str:
    """Return the safe one-click reply to an emergency or crisis post.

    Crisis: call or text 988, and 911 for immediate danger. Emergency: call 911 or go to the
    nearest emergency room, the office number for anything else; or, for an urgent problem that is
    not life-threatening (:func:`needs_same_day`), the same-day path by phone with 911 for the red
    flags. The reply is linted (with ``post``, so it cannot echo it), fits the platform and
    always carries the help line.

    Raises:
        ValueError: ``kind`` is not emergency or crisis.
    """
    from safereply.core.compose.drafting import _platform_key, platform_limit

    kind = str(getattr(kind, "value", kind))
    if help_line(kind) is None:
        raise ValueError(f"{kind!r} posts have no help line; use acknowledgement()")
    linter = linter or default_linter()
    limit, key = platform_limit(platform), _platform_key(platform)
    candidates = _candidates(kind, practice, post)
    for reply in candidates:
        if weighted_length(reply, key) > limit or not directs_to_help(reply, kind):
            continue
        if linter.check(reply, post=post or None, practice=practice).verdict is Verdict.PASS:
            return reply
    return candidates[-1]
