"""Shared helpers for rule checks: phrase rules and "is this about the reader?" context."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from safereply.core.lint.context import LintContext
from safereply.core.lint.types import Hit
from safereply.core.literals import could_match, required_literals

__all__ = [
    "Phrase",
    "in_idiom",
    "phrase_check",
    "service_or_statement",
    "speaks_to_anyone",
    "tie_to_reader",
]


@dataclass(frozen=True, slots=True)
class Phrase:
    """A pattern with its message; ``{m}`` in the message is replaced by the matched text."""

    pattern: re.Pattern[str]
    message: str
    suggestion: str | None = None
    low_confidence: bool = False
    unless: re.Pattern[str] | None = None  # skip when the sentence matches this


def phrases(
    specs: Sequence[tuple[str, str] | tuple[str, str, str | None]], **kw: Any
) -> tuple[Phrase, ...]:
    """Compile (regex, message[, suggestion]) tuples into Phrases (case-insensitive)."""
    out = []
    for spec in specs:
        pattern, message, *rest = spec
        suggestion = rest[0] if rest else None
        out.append(Phrase(re.compile(pattern, re.IGNORECASE), message, suggestion, **kw))
    return tuple(out)


#: Every phrase set a check was built from (``test_lint_speed_identity.py`` reads them).
PHRASE_SETS: list[tuple[Phrase, ...]] = []


def phrase_check(
    items: Iterable[Phrase], *, suggestion: Callable[[LintContext], str | None] | None = None
) -> Callable[[LintContext], Iterator[Hit]]:
    """Return a check that yields one hit per phrase match (an "existence" rule kind)."""
    items = tuple(items)
    PHRASE_SETS.append(items)
    # what each pattern cannot match without: a reply holding none of it skips the pattern
    needs = tuple(required_literals(item.pattern) for item in items)

    def check(ctx: LintContext) -> Iterator[Hit]:
        seen: list[tuple[int, int]] = []
        low = ctx.searchable
        for item, need in zip(items, needs, strict=True):
            if not could_match(need, low):
                continue
            for m in item.pattern.finditer(ctx.reply):
                start, end = m.span()
                if "hit" in item.pattern.groupindex and m.group("hit") is not None:
                    start, end = m.span("hit")
                while start < end and ctx.reply[start].isspace():
                    start += 1
                while end > start and ctx.reply[end - 1].isspace():
                    end -= 1
                if start == end or any(a <= start < b or start <= a < end for a, b in seen):
                    continue
                if item.unless is not None:
                    s, e = ctx.sentence_at(start)
                    if item.unless.search(ctx.reply[s:e]):
                        continue
                seen.append((start, end))
                text = ctx.reply[start:end]
                fix = item.suggestion
                if fix is None and suggestion is not None:
                    fix = suggestion(ctx)
                yield Hit(
                    start,
                    end,
                    item.message.replace("{m}", text),
                    fix.replace("{phone}", _phone(ctx)) if fix else None,
                    item.low_confidence,
                )

    return check


def _phone(ctx: LintContext) -> str:
    return ctx.practice.phone if ctx.practice else "our office"


def call_invitation(ctx: LintContext) -> str:
    """Return the standard invitation to call the office."""
    if ctx.practice:
        return f"please call our office at {ctx.practice.phone}"
    return "please call our office"


_POSSESSIVE = re.compile(
    r"\b(?:your|ur|yours|you'?re|his|her|hubby's|husband's|wife's|son's|daughter's|mom's|"
    r"dad's|mother's|father's|child's|kid's|baby's)\b",
    re.IGNORECASE,
)
_YOU = re.compile(
    r"(?<!thank\s)(?<!see\s)(?<!appreciate\s)\b(?:you|u|yourself|you've|you'd|you'll|you're|"
    r"youre)\b",
    re.IGNORECASE,
)
_GENERIC = re.compile(
    r"\b(?:if\s+(?:you|anyone|someone)|whether\s+you|when\s+you\s+need|for\s+(?:anyone|those|all|patients|people|families)|"
    # "Nobody wants to ...", "For any athlete facing a big injury: ...": said of anyone
    r"(?:nobody|no\s+one)\s+(?:wants|likes|should|deserves|expects|enjoys)|for\s+any\s+[\w-]+|"
    r"anyone|everyone|someone|many\s+(?:people|patients|families)|all\s+(?:ages|patients)|"
    r"we\s+(?:offer|provide|accept|take|do|perform|treat|welcome|specialize|also|now\s+offer|bill|file)|"
    r"(?:do|can|could)\s+you\s+(?:offer|accept|take)|questions?\s+about|about\s+(?:our|any)|"
    r"in\s+general|generally|most\s+(?:plans|insurance)|can\s+help\s+(?:you\s+)?(?:with|understand)|"
    r"our\s+(?:billing|insurance|front|office|team)|you\s+can\s+(?:also\s+)?(?:ask|call|reach|"
    r"find|read|learn)|for\s+(?:ppl|folks)|(?:before|when|once)\s+you\s+(?:arrive|get\s+here|"
    r"come\s+in|check\s+in)|"
    r"our\s+(?:[\w-]+\s+){0,3}?(?:fees|prices|pricing|financing|rates|polic(?:y|ies))\s+and\b|"
    r"happy\s+to\s+(?:answer|explain|help|go\s+over|walk)|any\s+(?:questions?|concerns?)|"
    r"any\s+(?:[\w-]+\s+)?(?:statement|bill|claim|account|charge|balance|coverage|plan|"
    r"insurance|issue|test|result|prescription|medication|refill)s?|(?:pregnant|new|adult|"
    r"pediatric|older|young|other)\s+(?:patients|families|moms|mothers|parents))\b",
    re.IGNORECASE,
)
_SPECIFIC_EVENT = re.compile(
    r"\b(?:the|that|this|those|these)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
_CARE_VERBS = re.compile(
    r"\b(?:we|dr\.?\s+\w+|our\s+\w+)\s+(?:placed|prescribed|did|performed|removed|pulled|fitted|"
    r"ordered|took|gave|recommended|diagnosed|found|treated|started|adjusted|extracted|filled|"
    r"referred|caught|detected|spotted|noticed|missed)\b|\b(?:went|turned\s+out|came\s+back|"
    r"healed|healing|hurt|hurts|hurting|failed|fell\s+out|cracked|broke|is\s+giving|was\s+giving|"
    r"caused|bothering|acting\s+up|flared|came\s+off|fitting|fits|worked|working|wasn't|weren't|"
    r"didn't|wouldn't|won't|will\s+(?:stop|clear|pass|heal)|should\s+(?:stop|clear|pass|heal|"
    r"break|wear)|can\s+take|hit)\b",
    re.IGNORECASE,
)


_DIAGNOSIS = re.compile(
    r"\b(?:sounds?|looks?|seems?)\s+like\s+(?:(?:a|an|some|just|the|you\s+have)\s+)?(?:\w+\s+)?$|"
    r"\b(?:most\s+likely|almost\s+certainly|probably|just)\s+(?:a|an|from|the)?\s*(?:\w+\s+)?$",
    re.IGNORECASE,
)
_AFTER_EVENT = re.compile(
    r"\b(?:after|since|following)\s+(?:the|your|that|this|her|his)\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_FEELING = re.compile(
    r"\b(?:sorry|apologi[sz]e|glad|happy|hope|hoping|thrilled|congrat\w*|thanks|thank|relieved|"
    r"proud|wishing|best\s+wishes|unfortunate|unfortunately)\b",
    re.IGNORECASE,
)


def tie_to_reader(ctx: LintContext, start: int, end: int) -> str | None:
    """Say how a span is tied to the person the reply answers, or None when it is generic.

    Returns "possessive" ("your crown", "his braces"), "you" (the sentence is about "you" and is
    not a generic statement), or "specific" ("the extraction we did", "the crown fell out").
    """
    s, e = ctx.sentence_at(start)
    sentence = ctx.reply[s:e]
    window = _word_start(ctx.reply, max(s, start - 28))
    before = ctx.reply[window:start]
    if _POSSESSIVE.search(before):
        # "your" within a few words: "your crown", "your son's new braces", "your recent A1C";
        # "his"/"her"/"their" only right before the term ("her braces", not "see her for a")
        at = _last(_POSSESSIVE, before)
        tail = before[at:]
        words = tail.split()
        limit = 4 if words and words[0].lower() in ("your", "ur", "yours") else 2
        if (
            len(words) <= limit
            and not re.search(r"[,;:.!?()]", tail)
            and not (len(words) > 1 and _FEEDBACK.fullmatch(words[1]))
            and not _ANY_ONE.search(before, 0, at)
        ):
            return None if _generic_you(ctx, s, window + at, end) else "possessive"
    if _DIAGNOSIS.search(ctx.reply[max(s, start - 40) : start]):
        return "specific"  # "sounds like a sinus infection": a public diagnosis
    if _GENERIC.search(sentence):
        return None
    if _YOU.search(sentence):
        return "you"
    if _QUANTIFIED.search(ctx.reply, max(s, start - 12), start):
        return None  # "every refill", "any bill": all of them, no one's in particular
    if _AFTER_EVENT.search(ctx.reply[s:start]):
        return "specific"  # "looks amazing after the whitening"
    if _SPECIFIC_EVENT.search(ctx.reply[s:start]) and (
        _CARE_VERBS.search(sentence) or _FEELING.search(sentence)
    ):
        return "specific"  # "the crown we placed", "sorry the implant wasn't covered"
    return None


#: A message for everyone before the possessive: "important message for everybody: check your
#: skin", "PSA: ...".
_EVERYONE = re.compile(
    r"\b(?:for|to)\s+(?:everybody|everyone|anybody|anyone|all)\s*:|\bpsa\b", re.IGNORECASE
)
#: A sentence opening with a gerund before the possessive: "Touching your eye ...".
_GERUND_OPENING = re.compile(r"\W*[A-Za-z]+ing\s+$")
#: A present-tense general predicate after the term: "... is scary", "... can be hard".
_GENERAL_PREDICATE = re.compile(r"\s+(?:is|are|can\s+be|isn't|aren't)\b", re.IGNORECASE)


def _generic_you(ctx: LintContext, s: int, at: int, end: int) -> bool:
    """Return True when "your" speaks to anyone: a message for everybody ("important message for
    everybody: check your skin"), or a gerund that opens a general statement ("Touching your eye
    IS scary"). "Losing your tooth was scary" stays the reader's."""
    if _EVERYONE.search(ctx.reply, s, at):
        return True
    return bool(
        _GERUND_OPENING.fullmatch(ctx.reply, s, at) and _GENERAL_PREDICATE.match(ctx.reply, end)
    )


def speaks_to_anyone(ctx: LintContext, start: int, end: int) -> bool:
    """Return True when the "your" before a term speaks to anyone (see ``_generic_you``)."""
    s, _ = ctx.sentence_at(start)
    found = list(re.finditer(r"\b(?:your|ur)\b", ctx.reply[s:start], re.IGNORECASE))
    return bool(found) and _generic_you(ctx, s, s + found[-1].start(), end)


#: A quantifier right before a term: "every refill", "each crown", "any bill".
_QUANTIFIED = re.compile(r"\b(?:every|each|any|all)\s+$", re.IGNORECASE)
#: "a child's fever", "any patient's chart": someone's, not the reader's.
_ANY_ONE = re.compile(r"\b(?:a|an|any|every|each|no|one)\s+$", re.IGNORECASE)
#: Idioms that hold a body word: "fingers crossed", "our hearts go out".
_IDIOM = re.compile(
    r"\bfingers\s+crossed|\bcross(?:ing)?\s+(?:our|my)\s+fingers|\bbreak\s+a\s+leg|"
    r"\bhearts?\s+(?:go|goes|went)\s+out|\bsight\s+for\s+sore\s+eyes|\bpain\s+in\s+the\s+neck|"
    r"\bon\s+(?:our|my|their)\s+toes|\bkeep\s+an\s+eye\s+(?:on|out)|\bwith\s+open\s+arms|"
    r"\bgive\s+(?:us\s+)?a\s+hand|\bheads?[-\s]up\b|"
    # the heart as feeling: "a special place in her heart", "warms our hearts"
    r"\bplace\s+in\s+(?:our|my|his|her|their|your)\s+hearts?|\bwarm(?:s|ed)?\s+(?:our|my)\s+"
    r"hearts?|\bbottom\s+of\s+(?:our|my)\s+hearts?|\b(?:close|near\s+and\s+dear)\s+to\s+"
    r"(?:our|my|his|her|their)\s+hearts?|\bheart\s+and\s+soul|"
    # what sits on a face: "a smile on your face", "those frames on your face"
    r"\b(?:smiles?|grin|frames|glasses|sunglasses|specs|shades)\s+on\s+(?:your|ur|his|her|"
    r"their)\s+faces?|"
    # a hassle, a burden, feelings: "such a headache", "the weight of it", "the pain in your words"
    r"\b(?:such|what|quite)\s+a\s+(?:\w+\s+)?headache|\ba\s+(?:real|total|huge|big|major|"
    r"massive)\s+headache|\b(?:sorry|apologi[sz]e)\s+(?:for|about)\s+(?:the|this|that|all\s+"
    r"the|all\s+this)\s+headaches?(?=\s*(?:[.!,;]|$))|\b(?:feel|felt|feeling|carry|carrying|"
    r"carried|know|understand)\s+the\s+weight\s+of|\bweight\s+off\s+(?:your|our|my)\s+"
    r"shoulders|\bpain\s+(?:in|behind|through)\s+(?:your|ur)\s+(?:words|voice|message|review|"
    r"post|note|letter)|"
    # nothing to pay: "at no charge", "free of charge"; the one responsible: "in charge"
    r"\bno(?:\s+extra)?\s+charge|\bfree\s+of\s+charge|\bin\s+charge\b",
    re.IGNORECASE,
)


#: The body words the idioms hold: only these are looked up (most terms are none of them).
_IDIOM_WORDS = frozenset(
    {
        "finger",
        "fingers",
        "leg",
        "legs",
        "heart",
        "hearts",
        "eye",
        "eyes",
        "neck",
        "toes",
        "arms",
        "hand",
        "head",
        "heads",
        "face",
        "faces",
        "headache",
        "headaches",
        "weight",
        "shoulders",
        "pain",
        "charge",
    }
)


def in_idiom(ctx: LintContext, start: int, end: int) -> bool:
    """Return True when the span lies in an idiom ("fingers crossed!"): no health word."""
    if ctx.reply[start:end].lower() not in _IDIOM_WORDS:
        return False
    s, e = ctx.sentence_at(start)
    return any(m.start() <= start and end <= m.end() for m in _IDIOM.finditer(ctx.reply, s, e))


#: What a reader's possessive may own without owning the health word after it: "your comments
#: about the discharge process", "your message across the cancer center".
_FEEDBACK = re.compile(
    r"(?:comments?|feedback|review|reviews|words|note|notes|message|messages|thoughts|"
    r"suggestions?|remarks?|post|shout-?out|kindness|support|question|questions)",
    re.IGNORECASE,
)


def _word_start(text: str, offset: int) -> int:
    """Return ``offset`` moved forward past a word it cuts ("our" cut to "ur" is no "ur")."""
    while 0 < offset < len(text) and text[offset - 1].isalnum() and text[offset].isalnum():
        offset += 1
    return offset


def _last(pattern: re.Pattern[str], text: str) -> int:
    last = 0
    for m in pattern.finditer(text):
        last = m.start()
    return last


#: A service for a kind of problem, named without the reader: "CBT for insomnia", "a group for
#: anxiety", "payment plans for people without insurance".
_SERVICE_FOR = re.compile(
    r"\b(?:cbt|therapy|therapies|treatments?|care|programs?|groups?|classes|clinics?|services?|"
    r"support|options?|screenings?|plans?|help|specialists?|appointments?|slots?)\s+for\s+"
    r"(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
#: A determiner or possessive before the service: "the therapy for ...", "your plan for ...".
_OWNED_SERVICE = re.compile(r"\b(?:the|that|this|your|ur|his|her|their)\s+(?:[\w-]+\s+)?$", re.I)
#: A general statement right after a term used without a determiner: "Fatigue has a lot of
#: possible causes", "Surprise bills are the worst", "results can vary person to person".
_STATEMENT_AFTER = re.compile(
    r"\s*(?:(?:and|or)\s+[\w-]+\s+)?(?:has|have)\s+(?:a\s+lot\s+of|many|several|lots\s+of|so\s+many)\s+"
    r"(?:possible\s+|different\s+)?causes|\s*(?:(?:and|or)\s+[\w-]+\s+)?(?:can|may)\s+"
    r"(?:vary|differ|have\s+many)|\s*(?:(?:and|or)\s+[\w-]+\s+)?(?:vary|differ)\b|"
    r"\s*(?:(?:and|or)\s+[\w-]+\s+)?(?:is|are)\s+(?:so\s+|really\s+|very\s+|such\s+)?"
    r"(?:the\s+worst|stressful|frustrating|confusing|common|something)\b|"
    # a norm or a habit of everyone's: "results should never fall through the cracks",
    # "surgeries are sometimes postponed for safety"
    r"\s*(?:(?:and|or)\s+[\w-]+\s+)?(?:should|must)(?:n't|\s+not)?\s+(?:never|always|not)\b|"
    r"\s*(?:(?:and|or)\s+[\w-]+\s+)?(?:is|are)\s+(?:sometimes|occasionally|often|always)\s+"
    r"[a-z]+ed\b",
    re.IGNORECASE,
)
_DETERMINER_BEFORE = re.compile(
    r"\b(?:the|that|this|those|these|your|ur|his|her|their|my|our)\s+(?:[\w-]+\s+)?$", re.I
)


def service_or_statement(ctx: LintContext, start: int, end: int) -> bool:
    """Return True when a term names what a service is for ("CBT for insomnia") or opens a
    general statement ("Fatigue has a lot of possible causes"): no one's health in particular."""
    s, stop = ctx.sentence_at(start)
    before = ctx.reply[max(s, start - 40) : start]
    service = _SERVICE_FOR.search(before)
    if service and not _OWNED_SERVICE.search(before, 0, service.start()):
        return True
    return bool(
        _STATEMENT_AFTER.match(ctx.reply, end, stop)
        and not _DETERMINER_BEFORE.search(ctx.reply, max(s, start - 24), start)
    )
