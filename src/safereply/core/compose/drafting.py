"""Drafting: a reply for every post, suited to its kind and topics, that passes the linter.

The flow for one post::

    triage (injected or computed) ──► DraftRequest ──► composers propose ──► gate (lint) ──► Draft
                                                             │ nothing passes
                                                             ▼
                                               pre-checked acknowledgement

Replies never quote the post: every word comes from the templates, the practice profile or the
practice's recorded improvements, so a reply cannot echo what the poster disclosed or name them.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Sequence
from typing import Any

from safereply.core.compose.strategy import (
    Composer,
    Gated,
    Proposal,
    gate,
    practice_fields,
    weighted_length,
)
from safereply.core.compose.templates import Templates, load_templates
from safereply.core.compose.topics import complaint_topics
from safereply.core.compose.types import Draft, DraftRequest, TriageLike
from safereply.core.compose.urgent import needs_same_day, same_day_candidates
from safereply.core.compose.variation import rng_for
from safereply.core.lint import Linter, default_linter
from safereply.core.lint.engine import MAX_POST_CHARS, validate_text
from safereply.core.practice import Improvement, Practice
from safereply.core.vocab import PostKind, Verdict

__all__ = [
    "PLATFORM_LIMITS",
    "QUESTION_INTENTS",
    "TemplateComposer",
    "acknowledgement",
    "draft",
    "improvement_sentence_forms",
    "platform_limit",
    "question_intent",
]

#: Longest reply each platform accepts (characters; X counts wide characters twice).
PLATFORM_LIMITS: dict[str, int] = {
    "x": 280,
    "twitter": 280,
    "google": 4096,
    "facebook": 8000,
    "instagram": 2200,
    "yelp": 5000,
}
_DEFAULT_LIMIT = 4096
#: How many candidate replies a composer is asked for before falling back.
_ATTEMPTS = 24


def platform_limit(platform: str | None) -> int:
    """Return the reply length limit for a platform name (any case; unknown: 4,096)."""
    return PLATFORM_LIMITS.get(_platform_key(platform) or "", _DEFAULT_LIMIT)


def _platform_key(platform: str | None) -> str | None:
    if not platform:
        return None
    key = platform.strip().lower()
    if key in ("x", "twitter", "x/twitter", "x (twitter)", "x.com", "twitter.com"):
        return "x"
    return key.split()[0] if key else None


#: Question intents, in priority order: the first whose pattern matches picks the general answer.
#: Clinical questions come first so that a care question never gets a logistics answer.
QUESTION_INTENTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        (
            "clinical",
            r"\b(?:pain|hurts?|hurting|swollen|swelling|bleed\w*|symptoms?|normal\s+(?:to|after|for)|"
            r"should\s+i|is\s+it\s+(?:safe|normal|ok|okay)|side\s+effects?|infect\w*|medication|"
            r"dose|prescri\w*|diagnos\w*|results?)\b",
        ),
        ("records", r"\b(?:records?|forms?|paperwork|transfer|x-?rays?|referrals?|fax)\b"),
        (
            "insurance",
            r"\b(?:insurance|insured|coverage|cover|medicaid|medicare|ppo|hmo|in-?network|"
            r"out-?of-?network|delta\s+dental|cigna|aetna|blue\s+cross|metlife|guardian|humana)\b",
        ),
        (
            "cost",
            r"\b(?:cost|costs|price|prices|pricing|how\s+much|fees?|afford\w*|payment\s+plans?|"
            r"financing|cash\s+price|self-?pay)\b",
        ),
        ("new-patients", r"\b(?:new\s+patients?|accepting|taking\s+(?:on\s+)?new|new\s+here)\b"),
        (
            "scheduling",
            r"\b(?:appointments?|appt|schedul\w*|book\w*|availability|available|same[-\s]day|"
            r"walk[-\s]?ins?|reschedul\w*|openings?|wait\s*list|soonest)\b",
        ),
        (
            "hours",
            r"\b(?:hours|open\b|opens|closed?|closing|what\s+time|weekends?|saturdays?|sundays?|"
            r"evenings?|holiday\w*)\b",
        ),
        (
            "location",
            r"\b(?:where\s+(?:are|is)|located|location|address|directions|parking|park|bus|"
            r"wheelchair|accessible|elevator)\b",
        ),
        (
            "services",
            r"\b(?:do\s+you\s+(?:do|offer|provide|treat|see|have|perform)|offer|services?|"
            r"speciali[sz]e)\b",
        ),
    )
)


def question_intent(text: str, *, health: bool = False) -> str:
    """Return what a question is about (a key of ``[question.intent]``); "general" if unknown.

    ``health`` (the post discloses health details or is about clinical care) routes the question
    to the clinical answer, which never gives advice in public.
    """
    if health:
        return "clinical"
    for name, pattern in QUESTION_INTENTS:
        if pattern.search(text):
            return name
    return "general"


_POSITIVE = re.compile(
    r"\b(?:great|friendly|kind|lovely|love|loved|amazing|excellent|wonderful|nice|helpful|"
    r"professional|awesome|fantastic|thorough|caring|sweet|gentle|patient\s+with|knowledgeable)\b",
    re.IGNORECASE,
)
_NEGATED = re.compile(
    r"\b(?:not|never|no|wasn't|isn't|weren't|aren't|hardly|far\s+from|n't)\W+"
    r"(?:\w+\W+)?$",
    re.IGNORECASE,
)


def is_mixed(text: str, *, rating: float | None, sentiment: float | None) -> bool:
    """Return True when a complaint also praises something (a mixed review).

    Positive words count only when not negated ("not friendly"); a mid or high rating or a mild
    sentiment confirms it, and without either, two separate positive words are needed.
    """
    hits = [
        m
        for m in _POSITIVE.finditer(text)
        if not _NEGATED.search(text[max(0, m.start() - 24) : m.start()])
    ]
    if not hits:
        return False
    if rating is not None:
        return rating >= 3
    if sentiment is not None:
        return sentiment > -0.4
    return len(hits) >= 2


# Irregular past forms whose participle differs ("we began" / "we have begun").
_IRREGULAR = {
    "began": "begun",
    "took": "taken",
    "wrote": "written",
    "gave": "given",
    "grew": "grown",
    "chose": "chosen",
    "rode": "ridden",
    "drew": "drawn",
}
_PAST_SAME = frozenset(
    {
        "made",
        "built",
        "set",
        "put",
        "brought",
        "bought",
        "got",
        "hung",
        "held",
        "kept",
        "led",
        "left",
        "lent",
        "met",
        "paid",
        "sent",
        "spent",
        "taught",
        "told",
        "found",
        "cut",
        "shut",
        "spread",
        "bound",
    }
)


def improvement_sentence_forms(text: str) -> tuple[str, str] | None:
    """Return (simple past, present perfect) phrasings of an improvement, or None for a noun.

    "added a second check-in station" works as "we added ..." and "we have added ...";
    "began evening hours" becomes "we have begun evening hours". None means the text is not a verb
    phrase ("a second check-in station") and needs a noun template.
    """
    words = text.split()
    if not words:
        return None
    first = words[0].lower()
    if first in _IRREGULAR:
        return text, " ".join([_IRREGULAR[first], *words[1:]])
    if (first.endswith("ed") and len(first) > 3) or first in _PAST_SAME:
        return text, text
    return None


def _clean_improvement(text: str) -> str:
    text = text.strip().rstrip(".!;")
    text = re.sub(r"^(?:we\s+(?:have\s+|'ve\s+)?|we've\s+)", "", text, flags=re.IGNORECASE)
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        text = text[0].lower() + text[1:]
    return text


def _render(line: str, fields: dict[str, str]) -> str:
    return line.format(**fields)


#: Words that read as a tic when two sentences of one reply both use them ("We take what you've
#: written seriously, and we're sorry. Nobody likes waiting ..., and we take that seriously.").
_ONCE_A_REPLY = re.compile(r"\b(?:seriously|standard|frustrat\w*)\b", re.IGNORECASE)


def _repeats(first: str, second: str) -> bool:
    """Return True when ``second`` repeats one of ``first``'s once-a-reply words."""
    used = {w.lower() for w in _ONCE_A_REPLY.findall(first)}
    return any(w.lower() in used for w in _ONCE_A_REPLY.findall(second))


def _sign(reply: str, practice: Practice) -> str:
    return f"{reply}\n— {practice.sign_off}" if practice.sign_off else reply


#: Complaint topics from the most to the least serious: the reply owns the gravest concern, and
#: cites the improvement closest to it.
GRAVITY = (
    "clinical-care",
    "privacy",
    "staff-courtesy",
    "billing",
    "communication",
    "scheduling",
    "wait-time",
    "facility",
)


def _by_gravity(topics: Sequence[str]) -> list[str]:
    return sorted(topics, key=lambda t: GRAVITY.index(t) if t in GRAVITY else len(GRAVITY))


#: A template line that needs the past participle ("we have begun", "we've also taken").
_PARTICIPLE = re.compile(r"(?:\bhave|'ve)\s+(?:\w+\s+)?\{improvement\}")
_GRAVE = ("clinical-care", "privacy")
#: At most this many improvements are cited in one reply (one per topic the complaint is about).
MAX_CITED = 2


def _to_cite(practice: Practice, about: Sequence[str]) -> list[Improvement]:
    """Return the improvements to cite: the newest one of each topic the complaint is about, in
    order of salience, at most :data:`MAX_CITED`."""
    out: list[Improvement] = []
    for topic in about:
        found = practice.improvements_for(topic)
        if found:
            out.append(found[0])
        if len(out) == MAX_CITED:
            break
    return out


class TemplateComposer:
    """Propose replies by picking one line per template slot, seeded by the post.

    Candidates are yielded best first: the first uses the post's own seeded choices; later ones
    re-draw, and for short platforms drop optional parts (topic line, sign-off) to fit.
    """

    name = "template"

    def __init__(self, templates: Templates | None = None, *, attempts: int = _ATTEMPTS) -> None:
        self.templates = templates or load_templates()
        self.attempts = attempts

    def propose(self, request: DraftRequest) -> Iterator[Proposal]:
        """Yield candidate replies for ``request``, best first."""
        rng = rng_for(request.seed, request.kind)
        build = {
            "complaint": self._complaint,
            "praise": self._praise,
            "question": self._question,
            "emergency": self._emergency,
            "crisis": self._crisis,
            "other": self._other,
        }.get(request.kind, self._other)
        cites = request.kind == PostKind.COMPLAINT and bool(
            _to_cite(request.practice, complaint_topics(request.text, request.topics))
        )
        deferred: list[Proposal] = []
        for _ in range(self.attempts):
            for proposal in build(request, rng):
                if cites and proposal.cited_improvement is None:
                    deferred.append(proposal)  # rather drop the topic line than the improvement
                else:
                    yield proposal
        yield from deferred

    # --- one builder per kind; each yields the full reply, then shorter fallbacks -------------

    def _complaint(self, req: DraftRequest, rng: random.Random) -> Iterator[Proposal]:
        t, practice = self.templates, req.practice
        opener = rng.choice(t.slot("complaint", "mixed_opener" if req.mixed else "opener"))
        # What the complaint is about, from its own words (topics.py): the reply owns the most
        # salient topic and cites only improvements recorded for topics the complaint is about.
        about = complaint_topics(req.text, req.topics)
        # A concern about care or privacy is owned first, whatever else the post is about; then
        # the topic whose improvement is cited, so the two sentences are about the same thing.
        chosen = _to_cite(practice, about)
        cited_topics = [i.topic for i in chosen]
        owned = sorted(about, key=lambda x: (x not in _GRAVE, x not in cited_topics))
        own_lines = next(
            (
                list(t.slot("complaint", "topic", x, "own"))
                for x in owned
                if t.slot("complaint", "topic", x, "own")
            ),
            [],
        )
        pool = own_lines or list(t.slot("complaint", "own"))
        own = rng.choice([line for line in pool if not _repeats(opener, line)] or pool)
        first = self._improvement(req, rng, chosen[0]) if chosen else ""
        second = self._improvement(req, rng, chosen[1], also=True) if len(chosen) > 1 else ""
        cited = chosen[0].text if chosen else None
        also = tuple(i.text for i in chosen[1:])
        invite = _render(rng.choice(t.slot("complaint", "invite")), practice_fields(practice))
        full = " ".join(p for p in (opener, own, first, second, invite) if p)
        yield Proposal(_sign(full, practice), cited, also_cited=also)
        if second:
            yield Proposal(" ".join(p for p in (opener, own, first, invite) if p), cited)
            yield Proposal(
                " ".join(p for p in (opener, first, second, invite) if p), cited, None, also
            )
        yield Proposal(" ".join(p for p in (opener, first, invite) if p), cited)
        if first:
            yield Proposal(" ".join(p for p in (opener, own, invite) if p))

    def _improvement(
        self, req: DraftRequest, rng: random.Random, chosen: Improvement, *, also: bool = False
    ) -> str:
        text = _clean_improvement(chosen.text)
        forms = improvement_sentence_forms(text)
        t = self.templates
        fields = practice_fields(req.practice, improvement=text)
        if forms is None:
            slot = "improvement_noun_also" if also else "improvement_noun"
            return _render(rng.choice(t.slot("complaint", slot)), fields)
        line = rng.choice(t.slot("complaint", "improvement_also" if also else "improvement"))
        # "we have {x}" / "we've {x}" need the participle; "we {x}" the simple past.
        value = forms[1] if _PARTICIPLE.search(line) else forms[0]
        return _render(line, practice_fields(req.practice, improvement=value))

    def _praise(self, req: DraftRequest, rng: random.Random) -> Iterator[Proposal]:
        t, practice = self.templates, req.practice
        fields = practice_fields(practice)
        thanks = rng.choice(t.slot("praise", "thanks"))
        bodies = [line for topic in req.topics for line in t.slot("praise", "topic", topic, "body")]
        body = rng.choice(bodies or list(t.slot("praise", "body")))
        closing = _render(rng.choice(t.slot("praise", "closing")), fields)
        yield Proposal(_sign(" ".join(p for p in (thanks, body, closing) if p), practice))
        yield Proposal(" ".join((thanks, body)))
        yield Proposal(thanks)

    def _question(self, req: DraftRequest, rng: random.Random) -> Iterator[Proposal]:
        t, practice = self.templates, req.practice
        fields = practice_fields(practice)
        health = req.discloses_health or "clinical-care" in req.topics
        intent = question_intent(req.text, health=health)
        answer = rng.choice(
            t.slot("question", "intent", intent) or t.slot("question", "intent", "general")
        )
        opener = rng.choice(t.slot("question", "opener"))
        invite = _render(rng.choice(t.slot("question", "invite")), fields)
        extra = ""
        if intent == "location" and practice.address:
            extra = f"We're at {practice.address}."
        elif practice.website and intent not in ("clinical", "records"):
            extra = _render(rng.choice(t.slot("question", "website")), fields)
        full = " ".join(p for p in (opener, answer, extra, invite) if p)
        yield Proposal(_sign(full, practice))
        yield Proposal(" ".join(p for p in (answer, extra, invite) if p))
        yield Proposal(" ".join((answer, invite)))

    def _emergency(self, req: DraftRequest, rng: random.Random) -> Iterator[Proposal]:
        t, fields = self.templates, practice_fields(req.practice)
        if needs_same_day(req.text):
            # An urgent problem that is not life-threatening: the same-day path by phone first,
            # 911 for the red flags (see urgent.py); the plain 911 reply follows as a fallback.
            for reply in same_day_candidates(req.practice, req.text, rng):
                yield Proposal(reply)
        line = rng.choice(t.slot("emergency", "lines"))
        after = _render(rng.choice(t.slot("emergency", "after")), fields)
        yield Proposal(f"{line} {after}")
        yield Proposal(line)

    def _crisis(self, req: DraftRequest, rng: random.Random) -> Iterator[Proposal]:
        t = self.templates
        line = rng.choice(t.slot("crisis", "lines"))
        after = rng.choice(t.slot("crisis", "after"))
        yield Proposal(f"{line} {after}")

    def _other(self, req: DraftRequest, rng: random.Random) -> Iterator[Proposal]:
        t, practice = self.templates, req.practice
        opener = rng.choice(t.slot("other", "opener"))
        invite = _render(rng.choice(t.slot("other", "invite")), practice_fields(practice))
        yield Proposal(_sign(f"{opener} {invite}", practice))
        yield Proposal(f"{opener} {invite}")


def acknowledgement(
    practice: Practice,
    *,
    platform: str | None = None,
    variant: int | None = None,
    post: str | None = None,
    linter: Linter | None = None,
) -> str:
    """Return the pre-checked bland acknowledgement: the one-click safe reply to any post.

    It thanks the poster and invites them to call the office, and says nothing about anyone's
    care. ``variant`` picks one of the built-in wordings (0 by default). The text is linted before
    it is returned (with ``post``, when given, so it cannot echo it); if the requested wording does
    not pass or fit the platform, the next one is used, down to a minimal "Thank you. Please call
    us at ..." that has no word long enough to echo.
    """
    linter = linter or default_linter()
    t = load_templates()
    fields = practice_fields(practice)
    lines = t.slot("acknowledgement", "lines")
    start = (variant or 0) % len(lines)
    ordered = [*lines[start:], *lines[:start]]
    limit = platform_limit(platform)
    key = _platform_key(platform)
    candidates = [_sign(_render(line, fields), practice) for line in ordered]
    candidates += [_render(line, fields) for line in ordered]
    candidates.append(_render(t.text("acknowledgement", "minimal"), fields))
    for reply in candidates:
        if weighted_length(reply, key) > limit:
            continue
        if linter.check(reply, post=post or None, practice=practice).verdict is Verdict.PASS:
            return reply
    return candidates[-1]


def _triage(text: str, platform: str | None, rating: float | None) -> Any:
    # Imported here: triage loads its model on first use, and callers that inject a result
    # (the inbox service, tests) never pay for it.
    from safereply.core.triage import triage

    return triage(text, platform=platform, rating=rating)


def draft(
    text: str,
    *,
    practice: Practice,
    platform: str | None = None,
    rating: float | None = None,
    post_id: Any = None,
    triage_result: TriageLike | None = None,
    seed: int | str | None = None,
    composers: Sequence[Composer] | None = None,
    linter: Linter | None = None,
) -> Draft:
    """Propose a reply to one post; the reply passes the linter, or is empty for spam.

    Args:
        text: the post or review.
        practice: the practice profile (phone, sign-off, improvements).
        platform: where the post is ("x" limits the reply to 280 characters).
        rating: the star rating, if any (helps spot mixed reviews).
        post_id: the post's id; it seeds the wording so a page of replies varies.
        triage_result: a triage of the post; computed with ``safereply.triage`` when omitted.
        seed: extra seed for reproducible variation across runs (the CLI's ``--seed``).
        composers: who proposes candidates, in order (default: the templates only).
        linter: the gate (default: the built-in rules).

    Raises:
        InputError: the post is empty, not text, or too long.
    """
    validate_text(text, what="the post", limit=MAX_POST_CHARS)
    result = triage_result if triage_result is not None else _triage(text, platform, rating)
    kind = str(getattr(result.kind, "value", result.kind))
    topics = tuple(str(getattr(t, "value", t)) for t in result.topics)
    if kind == PostKind.SPAM:
        return Draft(
            id=post_id,
            reply="",
            verdict=Verdict.PASS,
            kind=kind,
            topics=topics,
            reason=load_templates().text("spam", "reason"),
            source="none",
        )
    variation = f"{seed if seed is not None else ''}:{post_id if post_id is not None else text}"
    request = _draft_request(text, result, kind, topics, practice, platform, rating, variation)
    linter = linter or default_linter()
    invite = _invite(kind, practice)
    for composer in composers or (TemplateComposer(),):
        passed = gate(composer.propose(request), request=request, linter=linter, invite=invite)
        if passed is not None:
            return _gated_draft(post_id, request, passed, composer.name)
    return _acknowledged_draft(post_id, request, platform, linter)


def _draft_request(
    text: str,
    result: Any,
    kind: str,
    topics: tuple[str, ...],
    practice: Practice,
    platform: str | None,
    rating: float | None,
    seed: str,
) -> DraftRequest:
    """Return what the composers may use: the triage's kind and topics, whether a complaint
    also praises something (mixed), the health disclosure, the platform's limit and the seed
    that varies the wording from post to post."""
    sentiment = getattr(result, "sentiment", None)
    mixed = kind == PostKind.COMPLAINT and is_mixed(text, rating=rating, sentiment=sentiment)
    return DraftRequest(
        text=text,
        kind=kind,
        topics=topics,
        practice=practice,
        platform=_platform_key(platform),
        max_chars=platform_limit(platform),
        seed=seed,
        mixed=mixed,
        discloses_health=bool(getattr(result, "discloses_health", False)),
    )


def _invite(kind: str, practice: Practice) -> str:
    """Return the sentence the gate appends when a candidate lacks the invitation to call
    (CP001), in the wording of the post's kind."""
    slot = (
        "complaint"
        if kind == PostKind.COMPLAINT
        else "question"
        if kind == PostKind.QUESTION
        else "other"
    )
    return _render(load_templates().slot(slot, "invite")[0], practice_fields(practice))


def _gated_draft(post_id: Any, request: DraftRequest, passed: Gated, composer: str) -> Draft:
    """Return the draft of the first proposal that passed the gate, with what it cites."""
    p = passed.proposal
    return Draft(
        id=post_id,
        reply=p.reply,
        verdict=passed.report.verdict,
        kind=request.kind,
        topics=request.topics,
        cited_improvement=p.cited_improvement,
        source=p.source or composer,
        cited_improvements=((p.cited_improvement, *p.also_cited) if p.cited_improvement else ()),
    )


def _acknowledged_draft(
    post_id: Any, request: DraftRequest, platform: str | None, linter: Linter
) -> Draft:
    """Return the safe acknowledgement when no composer's proposal passed the gate."""
    text, practice = request.text, request.practice
    reply = acknowledgement(practice, platform=platform, post=text, linter=linter)
    report = linter.check(reply, post=text, practice=practice)
    return Draft(
        id=post_id,
        reply=reply,
        verdict=report.verdict,
        kind=request.kind,
        topics=request.topics,
        reason="no template passed the linter for this post; using the safe acknowledgement",
        source="acknowledgement",
    )
