"""Echo rules: the reply repeats a health detail or identifier that the poster disclosed.

The poster's own disclosure is no waiver: a practice that repeats it confirms it, in public.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from safereply.core.lint.context import LintContext
from safereply.core.lint.rules._util import (
    in_idiom,
    service_or_statement,
    speaks_to_anyone,
    tie_to_reader,
)
from safereply.core.lint.types import Example, FixSafety, Hit, Rule
from safereply.core.phi import (
    find_contact_details,
    find_dates,
    find_health_terms,
    find_money,
    find_names,
    find_record_numbers,
    find_street_addresses,
    find_times,
)
from safereply.core.phi.entities import Entity
from safereply.core.phi.health import is_health_term
from safereply.core.phi.lexicon import lexicon_set
from safereply.core.vocab import Category, Severity

_MY_PHRASE = re.compile(
    r"\b(?:my|our|his|her)\s+(?:(?:\w+|\w+'s)\s+){0,2}?(?P<word>[a-z][a-z'’-]{4,})\b", re.IGNORECASE
)
#: Words after "my" or "our" that a reply may echo without disclosing anything (a data file).
_NOT_DISCLOSURE = lexicon_set("safereply.core.lint.rules", "echo_not_disclosure")
_GENERIC_SENTENCE = re.compile(
    r"\b(?:all|every|each|any|many|most|some|other)\s+(?:of\s+our\s+)?(?:patients?|clients?|people|"
    r"cases?|families)|\b(?:a|the)\s+patient(?:'s)?\b|\bpatients\b|\bin\s+general\b|\bgenerally\b|"
    r"\bpeople\s+(?:who|with)\b|\bothers\b|"
    r"\busually\b|\btypically\b|\bsometimes\b|\bwe\s+(?:offer|provide|accept|take|do|perform|"
    r"treat|specialize|bill)\b|\b(?:if\s+)?(?:anyone|everyone|anybody|everybody|someone|those\s+"
    r"(?:with|who))\b|\bany\s+(?:new\s+)?[\w-]+|"
    # reading for everyone, and the practice's process for everyone who comes in
    r"\b(?:read|learn)\s+(?:more\s+)?about\b|\b(?:before|when|once)\s+you\s+(?:arrive|get\s+"
    r"here|come\s+in|check\s+in)\b",
    re.IGNORECASE,
)
#: "our surgery center", "our new discharge coordinator": the term names the practice's own service.
_PRACTICE_OWNED = re.compile(r"\b(?:our|a|every|each)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
#: "prior authorizations can be frustrating", "postpartum care matters": a statement in general.
_STATEMENT = re.compile(
    r"^\s*(?:[\w-]+\s+){0,2}(?:can\s+be|matters?|has\s+been|have\s+been|is\s+(?:one|a|an|"
    r"important|high)|are\s+(?:a|an|one|important|high)|requests?\s+(?:can|should)|depends?|"
    # "Surprise bills are the worst", "problems that reach collections are stressful"
    r"(?:is|are)\s+(?:so\s+|really\s+|very\s+|such\s+)?(?:the\s+worst|stressful|frustrating|"
    r"confusing|common))\b",
    re.IGNORECASE,
)
#: A determiner right before a term: "the root canal", "that biopsy", "su cirugía".
_DETERMINED = re.compile(
    r"\b(?:the|that|this|those|these|el|la|los|las|su|sus|tu|tus)\s+(?:[\w'’-]+\s+)?$",
    re.IGNORECASE,
)
_ABOUT_READER = re.compile(r"\b(?:you|your|you're|u|ur|yours|usted|su|sus|tu|tus)\b", re.I)
_IDENTIFIER_FINDERS = (
    find_names,
    find_dates,
    find_times,
    find_record_numbers,
    find_contact_details,
    find_street_addresses,
    find_money,
)


def _norm(text: str) -> str:
    return re.sub(r"[\s-]+", " ", text.lower()).rstrip("s")


def _occurrences(ctx: LintContext, needle: str) -> Iterator[tuple[int, int]]:
    pattern = re.escape(needle).replace(r"\ ", r"[\s-]+")
    for m in re.finditer(rf"(?<!\w){pattern}(?!\w)", ctx.reply, re.IGNORECASE):
        yield m.span()


_FIRST_PERSON = re.compile(
    r"\b(?:i|i'm|i've|i'd|i'll|me|my|mine|myself|we|our|us|son|daughter|husband|wife|mom|dad|"
    r"kid|kids|child|baby)\b",
    re.IGNORECASE,
)


def _is_disclosure(post: str, start: int) -> bool:
    """Return True unless the term sits in a question about the practice's services
    ("Do you do crowns?"), which discloses nothing about the poster."""
    left = max(post.rfind(".", 0, start), post.rfind("!", 0, start), post.rfind("?", 0, start))
    ends = [i for i in (post.find(c, start) for c in ".!?") if i != -1]
    right = min(ends) if ends else len(post)
    sentence = post[left + 1 : right + 1]
    return bool(_FIRST_PERSON.search(sentence)) or not sentence.rstrip().endswith("?")


def _echoed_health(ctx: LintContext) -> Iterator[Hit]:
    if not ctx.post:
        return
    # Only a term the reply also holds can be echoed: without any, the post's scan is skipped.
    disclosed = (
        {_norm(e.text): e for e in find_health_terms(ctx.post) if _is_disclosure(ctx.post, e.start)}
        if ctx.health_terms
        else {}
    )
    seen: set[tuple[int, int]] = set()
    for e in ctx.health_terms:
        source = disclosed.get(_norm(e.text))
        if source is None or ctx.is_allowed(e.start, e.end) or in_idiom(ctx, e.start, e.end):
            continue
        tie = tie_to_reader(ctx, e.start, e.end)
        tied = tie is not None
        s, end = ctx.sentence_at(e.start)
        if tie != "possessive" and (
            _practice_service(ctx, s, e.start, e.end) or service_or_statement(ctx, e.start, e.end)
        ):
            # "the infusion nurses", "a same-day line for toothaches": the practice's;
            # "Surprise bills are the worst": a statement about all of them
            continue
        generic = (
            _GENERIC_SENTENCE.search(ctx.reply[s:end]) is not None
            or _PRACTICE_OWNED.search(ctx.reply[s : e.start]) is not None
            or _STATEMENT.search(ctx.reply[e.end : end]) is not None
            or speaks_to_anyone(ctx, e.start, e.end)
        )
        about_reader = _ABOUT_READER.search(ctx.reply[s:end]) is not None
        if not tied and (
            generic or not (about_reader or _DETERMINED.search(ctx.reply, s, e.start))
        ):
            # "Postpartum care deserves time", "we take Medicare", "any new pair of glasses":
            # the practice speaking of its services, to no one in particular.
            continue
        # Untied, the repeated word may be the practice speaking of its own services ("our
        # refill line", "plantar warts are common in kids"): a person must look, not a block.
        strong = tied or (source.strong and not generic and about_reader)
        seen.add((e.start, e.end))
        yield Hit(
            e.start,
            e.end,
            f"'{e.text}' repeats a health detail the poster disclosed; repeating it confirms it",
            suggestion="",
            low_confidence=not strong,
        )
    yield from _echoed_own_words(ctx, ctx.post, seen)


def _echoed_own_words(ctx: LintContext, post: str, seen: set[tuple[int, int]]) -> Iterator[Hit]:
    """Yield disclosures the lexicon does not know: "my hashimoto's", "my son's bruxism"."""
    for m in _MY_PHRASE.finditer(post):
        word = m.group("word").lower().strip("'’")
        if word in _NOT_DISCLOSURE or is_health_term(word):
            continue
        for start, end in _occurrences(ctx, word):
            if (start, end) in seen or ctx.is_allowed(start, end):
                continue
            if not re.search(r"\b(?:your|ur|the|that|his|her|their)\s+$", ctx.reply[:start], re.I):
                continue
            if _SERVICE_NOUN_AFTER.match(ctx.reply, end):
                continue  # "the sleep lab team": the practice's own team, not the poster's
            if _INVITED_TO_CALL.match(ctx.reply, end):
                continue  # "Your uncle, or anyone in your family, is welcome to call": an offer
            seen.add((start, end))
            yield Hit(
                start,
                end,
                f"'{ctx.reply[start:end]}' repeats what the poster said about themselves",
                suggestion="",
                low_confidence=True,
            )


#: A noun after a term that makes it the name of the practice's own team or service: "the
#: infusion nurses", "our Labor & Delivery unit", "the refill line", "the discharge process".
_SERVICE_NOUN_AFTER = re.compile(
    r"(?:\s*&\s*[\w-]+)?\s+(?:nurses?|team|teams|staff|unit|units|department|dept|center|centre|"
    r"clinic|line|desk|office|coordinators?|specialists?|classes|class|workshops?|suite|"
    r"lab|ward|floor|wing|tours?|support\s+groups?|leadership|navigator|educator|counselors?|"
    r"techs?|technicians?|process|processes|cards?|system|company|companies|carriers?|"
    r"estimates?|questions|schedule|talks?|screens?|screenings?|gym)\b",
    re.IGNORECASE,
)
#: The person the poster named, invited to get in touch: "Your neighbor or their family is
#: welcome to call us", "your uncle can call the front desk", "your mom may reach us at ...".
_INVITED_TO_CALL = re.compile(
    r"(?:\s*,?\s+(?:or|and)\s+[^.!?]{0,40}?)?,?\s+(?:is|are)\s+(?:always\s+|also\s+|more\s+than\s+)?"
    r"welcome\s+to\s+(?:call|contact|reach|phone|ask|come\s+in|stop\s+by)\b|"
    r"\s+(?:can|may|could)\s+(?:always\s+|also\s+)?(?:call|contact|reach|phone)\s+(?:us|our|the)\b",
    re.IGNORECASE,
)
#: A service for a kind of problem: "a same-day line for toothaches", "walk-in slots for sprains".
_SERVICE_FOR = re.compile(
    r"\b(?:line|lines|slots?|appointments?|appts?|hours|walk-?ins?|clinics?|workshops?|"
    r"classes)\s+for\s+(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)


def _practice_service(ctx: LintContext, s: int, start: int, end: int) -> bool:
    """Return True when a term names the practice's own team or service rather than the
    reader's health: a service noun follows it, or it is what a service is for."""
    return bool(
        _SERVICE_NOUN_AFTER.match(ctx.reply, end)
        or _SERVICE_FOR.search(ctx.reply[max(s, start - 40) : start])
    )


#: Finders whose every entity holds a digit (or an "@"): a reply without one cannot echo them.
_NEEDS_DIGIT = (find_record_numbers, find_contact_details, find_street_addresses, find_money)
_DIGIT = re.compile(r"\d")
_TIME_WORD = re.compile(r"noon|midnight", re.IGNORECASE)


def _echoable(ctx: LintContext) -> tuple[Callable[[str], list[Entity]], ...]:
    """Return the identifier finders worth running on the post: an echo is the entity's own text
    found again in the reply, so a finder whose entities all hold a digit or an "@" is skipped
    when the reply has neither (the post is often long; this is most of the rule's cost)."""
    digit = _DIGIT.search(ctx.reply) is not None
    at = "@" in ctx.reply
    out = []
    for finder in _IDENTIFIER_FINDERS:
        if finder in _NEEDS_DIGIT and not digit and not (finder is find_contact_details and at):
            continue
        if finder is find_times and not digit and not _TIME_WORD.search(ctx.reply):
            continue
        out.append(finder)
    return tuple(out)


def _echoed_identifier(ctx: LintContext) -> Iterator[Hit]:
    from safereply.core.lint.rules.identifiers import RATING, is_sign_off, staff_by_context

    if not ctx.post:
        return
    done: set[tuple[int, int]] = set()
    for finder in _echoable(ctx):
        for e in finder(ctx.post):
            if e.kind == "name":
                if ctx.is_staff(e.text) or e.text.lower() in ctx.practice_words:
                    continue
                if not e.strong:
                    continue  # a bare name in a review is usually a staff member the poster met
            for start, end in _occurrences(ctx, e.text):
                if (start, end) in done or ctx.is_allowed(start, end):
                    continue
                if e.kind == "name" and (
                    staff_by_context(ctx, start, end) or is_sign_off(ctx, start, end)
                ):
                    # "we'll share this with Dana and the team": the poster met staff; "— Coach
                    # Marcus" signing the reply: the writer, whom the poster named
                    continue
                if e.kind in ("date", "time") and _practice_schedule(ctx, start):
                    continue  # "closed on the 4th", "open till 6pm today": the practice's own
                if e.kind == "date" and _practice_day(ctx, start, end):
                    continue  # "We had the best time at the walk today!": the practice's day
                if e.kind == "date" and (
                    RATING.match(ctx.reply, start) or _SCORE_GIVEN.search(ctx.post)
                ):
                    continue  # "10/10 would read again", "8/10, lost points": a score, not a day
                if e.kind == "money" and _price_for_everyone(ctx, start, end):
                    continue  # "retainers are $250 for everyone": the price list, not a bill
                done.add((start, end))
                yield Hit(
                    start,
                    end,
                    f"'{ctx.reply[start:end]}' repeats {e.kind.replace('-', ' ')} the poster "
                    "gave; repeating it confirms it in public",
                    suggestion="",
                )


#: A score the poster gave out of ten or five: "rating my appts 1-10", "8/10, lost points".
_SCORE_GIVEN = re.compile(
    r"\b(?:rat(?:e|ed|ing|ings)|scores?|out\s+of\s+(?:10|ten|5|five))\b|\b1\s*-\s*10\b",
    re.IGNORECASE,
)
#: An amount said as the practice's price: "are $250 for everyone", "visits are $39 flat".
_PRICE_BEFORE = re.compile(
    r"\b(?:is|are|costs?|runs?|starts?\s+at|from|only|just)\s+(?:only\s+|just\s+)?$", re.I
)
_PRICE_AFTER = re.compile(
    r"^\s*(?:flat|each|per\b|a\s+(?:session|visit|month|pair|year)|for\s+(?:everyone|everybody|"
    r"all|anyone|every|families|new))",
    re.IGNORECASE,
)
#: Words that make an amount the reader's charge: "you were charged $250", "the $39 you paid".
_CHARGED = re.compile(
    r"\b(?:you|your|ur|u|charged|billed|paid|owe[ds]?|balance|refund\w*|was|were)\b", re.I
)


def _price_for_everyone(ctx: LintContext, start: int, end: int) -> bool:
    """Return True when an amount the poster gave is said as the practice's price for
    everyone ("Replacement retainers are $250 for everyone"), with no charge of the reader's
    before it in the sentence."""
    s, _ = ctx.sentence_at(start)
    if _CHARGED.search(ctx.reply, s, start):
        return False
    return bool(
        _PRICE_BEFORE.search(ctx.reply[s:start])
        and (_PRICE_AFTER.match(ctx.reply, end) or not _CHARGED.search(ctx.reply[end : end + 60]))
    )


#: A day named relative to now: "today", "tonight", "this morning".
_RELATIVE_DAY = re.compile(
    r"today|tonight|this\s+(?:morning|afternoon|evening|week|weekend)|hoy|esta\s+(?:mañana|"
    r"tarde|noche|semana)",
    re.IGNORECASE,
)
_WE = re.compile(r"\b(?:we|we['’](?:re|ve|ll|d)|our|us|nosotros|nuestr[oa]s?)\b", re.IGNORECASE)


def _practice_day(ctx: LintContext, start: int, end: int) -> bool:
    """Return True when a relative day the poster gave ("today") sits in a sentence about the
    practice's own doing ("We had the best time walking with the community today!"): "we" or
    "our" speaks, and nothing in it is the reader's or a visit ("we saw you today" stays)."""
    from safereply.core.lint.rules.identifiers import reader_or_visit

    if not _RELATIVE_DAY.fullmatch(ctx.reply, start, end):
        return False
    s, stop = ctx.sentence_at(start)
    sentence = ctx.reply[s:stop]
    return _WE.search(sentence) is not None and not reader_or_visit(sentence)


def _practice_schedule(ctx: LintContext, start: int) -> bool:
    """Return True when the sentence at ``start`` is about the practice's hours or news."""
    from safereply.core.lint.rules.identifiers import is_practice_schedule

    s, end = ctx.sentence_at(start)
    return is_practice_schedule(ctx.reply[s:end])


RULES = (
    Rule(
        code="EC001",
        name="echoed-health-detail",
        category=Category.HEALTH_DETAIL,
        severity=Severity.ERROR,
        summary="Repeats a health detail that the poster disclosed.",
        rationale="The poster's own disclosure is no waiver: a reply that repeats it confirms it.",
        check=_echoed_health,
        fix_safety=FixSafety.SAFE,
        bad=(
            Example(
                "We're sorry to hear about the [[root canal]].",
                post="My root canal at this office was a nightmare.",
            ),
        ),
        good=(
            Example(
                "We're sorry to hear this. Please call us at (555) 388-9100.",
                post="My root canal at this office was a nightmare.",
            ),
        ),
    ),
    Rule(
        code="EC002",
        name="echoed-identifier",
        category=Category.IDENTIFIER,
        severity=Severity.ERROR,
        summary="Repeats a name, date, number or contact detail that the poster gave.",
        rationale="Repeating an identifier ties the practice's reply to one person.",
        check=_echoed_identifier,
        fix_safety=FixSafety.SAFE,
        bad=(
            Example(
                "We're sorry about what happened on [[6/2]].",
                post="I was treated horribly on 6/2.",
            ),
        ),
        good=(Example("We're sorry to hear this.", post="I was treated horribly on 6/2."),),
    ),
)
