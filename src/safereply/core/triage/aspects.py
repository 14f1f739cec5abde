"""Aspects with polarity: for each topic a post mentions, whether it is praised or criticised.

"Dr. Patel is lovely but three appointments were cancelled on me" is a complaint about scheduling
and praise of staff courtesy; a draft must own the scheduling problem, and a report must count
the courtesy as praised. For a complaint or praise post, ``find_aspects`` returns one
``Aspect(topic, polarity, evidence)`` per topic of the triage result:

1. The post is cut into clauses (sentences, then at "but", "though", "however", ";", " - "),
   each with its character span.
2. A clause is evidence for a topic when the topic's cue pattern (``rules.cue_matches``: English
   ``TOPIC_RULES`` or Spanish ``spanish.TOPIC_CUES_ES``) matches
   it or the topic classifier gives it at least half the topic's threshold; with none, the clause
   the classifier ranks highest. A one-clause post needs no second pass of the classifier.
3. In a complaint, a clause's polarity is the classifier's tone of that clause, overruled by its
   wording: complaint words or sarcasm make it negative, and a clause whose tone is weak follows
   the post (negative). A praise post criticises nothing (a post with any complaint is a
   complaint), so each of its aspects is positive (session 7: the labelled sets agree on 549 of
   563 praise aspects, and its negations read as negative: "never made me feel rushed").
4. A topic whose evidence clauses are all positive is ``positive``, all negative ``negative``,
   both ``mixed``; ``evidence`` is ``[start, end]`` of its clause (for ``mixed``, from the first
   to the last evidence clause), character offsets into the post.

Questions, other posts, spam and urgent posts praise or criticise nothing: no aspects.
Deterministic and pure Python (the same shipped text model, run on clauses: each clause is cut
into n-grams once, when a decision first reads it, and only the outputs read are scored).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from safereply.core.triage.kinds import SARCASM
from safereply.core.triage.language import fold
from safereply.core.triage.model import LinearTextModel, TextFeatures
from safereply.core.triage.result import Aspect
from safereply.core.triage.rules import cue_matches, normalise
from safereply.core.vocab import PostKind, Topic

__all__ = ["clauses", "find_aspects"]

_BREAK = re.compile(
    r"(?<!\bdr)(?<!\bmr)(?<!\bms)(?<!\bst)(?<!\bmrs)(?<!\bjr)(?<!\b[a-z])[.!?\n]+(?!\d)\s*|;\s*|\s+[-–—]+\s+|,?\s+(?=(?:but|though|although|however|except|yet|while|"
    r"whereas|unfortunately|sadly|shame)\b)|(?<=\btoo bad)\s+|\s+(?=(?:the|our|my) (?:only|one) "
    r"(?:thing|complaint|issue|downside|gripe)\b)",
    re.IGNORECASE,
)
_NEGATIVE_WORDS = re.compile(
    r"\b(?:rude|rudely|unprofessional|terrible|horrible|awful|worst|never|nobody|no one|not|"
    r"n't|no|without|lost|wrong|rushed|dirty|filthy|broken|late|behind|still|waited|waiting|"
    r"hung up|ignored|dismissive|condescending|overcharg\w*|collections?|refus\w*|denied|"
    r"cancel+ed|double[- ]booked|mess|nightmare|joke|disaster|struggle|problem|issue|"
    r"complain\w*|disappoint\w*|frustrat\w*|ridiculous|unacceptable|forever|hours?|weeks?|"
    r"months?|impossible|hard|difficult|tight|tiny|freezing|cold|loud|gross|sticky|"
    r"doesn'?t|didn'?t|don'?t|won'?t|can'?t|couldn'?t|wasn'?t|isn'?t|lack\w*|poor|bad|"
    r"slow|pricey|expensive|surprise)\b"
)
_POSITIVE_WORDS = re.compile(
    r"\b(?:great|love|loved|lovely|best|amazing|excellent|wonderful|fantastic|awesome|kind|"
    r"friendly|nice|gentle|caring|compassionate|patient|helpful|thorough|clean|spotless|"
    r"modern|quick|fast|easy|efficient|on time|no wait|fair|honest|affordable|transparent|"
    r"professional|knowledgeable|skilled|thank\w*|grateful|appreciate\w*|recommend\w*|gem|"
    r"angel|calm\w*|warm|welcoming|respect\w*|listened|explained|fixed|perfect|comfortable|"
    r"beautiful|gorgeous|smooth\w*|painless|worth|10/10|goat|treasure|lifesaver\w*)\b"
)
#: A clause's own tone decides only when it is at least this far from neutral.
_SURE = 0.5


def clauses(text: str) -> list[tuple[int, int]]:
    """Return the character spans of the post's clauses (trimmed, non-empty)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BREAK.finditer(text):
        _add(text, start, match.start(), spans)
        start = match.end()
    _add(text, start, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if any(c.isalnum() for c in text[start:end]):
        spans.append((start, end))


def _clause_polarity(clause: _Clause, kind: PostKind) -> str:
    norm = clause.norm
    if SARCASM.search(norm) and kind is PostKind.COMPLAINT:
        return "negative"
    negative = bool(_NEGATIVE_WORDS.search(norm))
    positive = bool(_POSITIVE_WORDS.search(norm))
    if negative and positive:  # the clause's tone is not read: its kind decides
        return "negative" if kind is PostKind.COMPLAINT else "positive"
    tone = 2.0 * clause.probs["positive"] - 1.0
    if abs(tone) >= _SURE:
        if tone > 0 and negative and kind is PostKind.COMPLAINT:
            return "negative"
        if tone < 0 and positive and kind is PostKind.PRAISE:
            return "positive"
        return "positive" if tone > 0 else "negative"
    if positive:
        return "positive"
    if negative:
        return "negative" if kind is PostKind.COMPLAINT or tone < 0 else "positive"
    return "negative" if kind is PostKind.COMPLAINT else "positive"


class _Clause:
    """One clause of a post: its span and text, its classifier outputs worked out on first use."""

    __slots__ = ("_model", "_probs", "folded", "norm", "span", "text")
    _probs: Mapping[str, float] | TextFeatures | None

    def __init__(
        self,
        model: LinearTextModel,
        text: str,
        span: tuple[int, int],
        probs: Mapping[str, float] | None,
    ) -> None:
        self._model = model
        self.span = span
        self.text = text[span[0] : span[1]]
        self.norm = normalise(self.text)
        self.folded = fold(self.norm)
        self._probs = probs

    @property
    def probs(self) -> Mapping[str, float] | TextFeatures:
        """The classifier's outputs for this clause: the post's when it is the only clause,
        otherwise the clause cut into n-grams once, when a decision first needs it, and each
        output scored when read (the same numbers as ``predict_proba``)."""
        if self._probs is None:
            self._probs = self._model.features(self.text)
        return self._probs


def find_aspects(
    model: LinearTextModel,
    text: str,
    kind: PostKind,
    topics: tuple[Topic, ...],
    probs: dict[str, float] | None = None,
) -> tuple[Aspect, ...]:
    """Return one aspect per topic of a complaint or praise post (none for other kinds).

    ``probs`` are the classifier's outputs for the whole post, reused when it is one clause. A
    clause is scored only when a decision reads its outputs (a topic its cue does not settle, a
    polarity its words do not settle), at most once: the decisions are those of scoring every
    clause (``tests/core/triage/test_speed_identity.py`` pins it on every labelled set).
    """
    if kind not in (PostKind.COMPLAINT, PostKind.PRAISE) or not topics:
        return ()
    spans = clauses(text) or [(0, len(text))]
    whole = probs if len(spans) == 1 else None
    scored = [_Clause(model, text, span, whole) for span in spans]
    return tuple(_aspect(model, kind, topic, scored) for topic in topics)


def _aspect(model: LinearTextModel, kind: PostKind, topic: Topic, scored: list[_Clause]) -> Aspect:
    """The aspect of one topic: its evidence clauses, their polarity, and the evidence span."""
    name = topic.value
    threshold = model.thresholds.get(name, 0.5)
    chosen = [
        clause
        for clause in scored
        if cue_matches(name, clause.norm, clause.folded)
        or clause.probs.get(name, 0.0) >= 0.5 * threshold
    ]
    if not chosen:
        chosen = [max(scored, key=lambda clause: clause.probs.get(name, 0.0))]
    if kind is PostKind.PRAISE:
        # a praise post criticises nothing (a post with any complaint is a complaint): its
        # negations are praise ("never made me feel rushed", "nunca me hizo sentir apurada")
        polarities = ["positive"]
    else:
        polarities = [_clause_polarity(clause, kind) for clause in chosen]
    if all(p == "positive" for p in polarities):
        polarity = "positive"
    elif all(p == "negative" for p in polarities):
        polarity = "negative"
    else:
        polarity = "mixed"
    if polarity == "mixed":
        evidence = (chosen[0].span[0], chosen[-1].span[1])
    elif len(chosen) == 1:
        evidence = chosen[0].span
    else:
        evidence = max(chosen, key=lambda clause: clause.probs.get(name, 0.0)).span
    return Aspect(topic, polarity, evidence)
