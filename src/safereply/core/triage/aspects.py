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
3. A clause's polarity is the classifier's tone of that clause, overruled by its wording: complaint
   words or sarcasm make it negative, praise words in a praise post positive, and a clause whose
   tone is weak follows the post (negative in a complaint, positive in praise).
4. A topic whose evidence clauses are all positive is ``positive``, all negative ``negative``,
   both ``mixed``; ``evidence`` is ``[start, end]`` of its clause (for ``mixed``, from the first
   to the last evidence clause), character offsets into the post.

Questions, other posts, spam and urgent posts praise or criticise nothing: no aspects.
Deterministic and pure Python (the same shipped text model, run on clauses).
"""

from __future__ import annotations

import re

from safereply.core.triage.kinds import SARCASM
from safereply.core.triage.language import fold
from safereply.core.triage.model import LinearTextModel
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


def _clause_polarity(
    model: LinearTextModel, text: str, span: tuple[int, int], kind: PostKind, tone: float
) -> str:
    norm = normalise(text[span[0] : span[1]])
    if SARCASM.search(norm) and kind is PostKind.COMPLAINT:
        return "negative"
    negative = bool(_NEGATIVE_WORDS.search(norm))
    positive = bool(_POSITIVE_WORDS.search(norm))
    if abs(tone) >= _SURE and not (negative and positive):
        if tone > 0 and negative and not positive and kind is PostKind.COMPLAINT:
            return "negative"
        if tone < 0 and positive and not negative and kind is PostKind.PRAISE:
            return "positive"
        return "positive" if tone > 0 else "negative"
    if positive and not negative:
        return "positive"
    if negative and not positive:
        return "negative" if kind is PostKind.COMPLAINT or tone < 0 else "positive"
    return "negative" if kind is PostKind.COMPLAINT else "positive"


def find_aspects(
    model: LinearTextModel,
    text: str,
    kind: PostKind,
    topics: tuple[Topic, ...],
    probs: dict[str, float] | None = None,
) -> tuple[Aspect, ...]:
    """Return one aspect per topic of a complaint or praise post (none for other kinds).

    ``probs`` are the classifier's outputs for the whole post, reused when it is one clause.
    """
    if kind not in (PostKind.COMPLAINT, PostKind.PRAISE) or not topics:
        return ()
    spans = clauses(text) or [(0, len(text))]
    scored = []
    for span in spans:
        piece = text[span[0] : span[1]]
        whole = len(spans) == 1 and probs is not None
        norm = normalise(piece)
        clause_probs = probs if whole and probs is not None else model.predict_proba(piece)
        scored.append((span, norm, fold(norm), clause_probs))
    out: list[Aspect] = []
    for topic in topics:
        name = topic.value
        threshold = model.thresholds.get(name, 0.5)
        chosen = [
            (span, probs)
            for span, norm, folded, probs in scored
            if cue_matches(name, norm, folded) or probs.get(name, 0.0) >= 0.5 * threshold
        ]
        if not chosen:
            span, _, _, probs = max(scored, key=lambda item: item[3].get(name, 0.0))
            chosen = [(span, probs)]
        polarities = [
            _clause_polarity(model, text, span, kind, 2.0 * probs["positive"] - 1.0)
            for span, probs in chosen
        ]
        if all(p == "positive" for p in polarities):
            polarity = "positive"
        elif all(p == "negative" for p in polarities):
            polarity = "negative"
        else:
            polarity = "mixed"
        best = max(chosen, key=lambda item: item[1].get(name, 0.0))[0]
        evidence = (chosen[0][0][0], chosen[-1][0][1]) if polarity == "mixed" else best
        out.append(Aspect(topic, polarity, evidence))
    return tuple(out)
