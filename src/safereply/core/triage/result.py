"""The value triage returns for one post, and its JSON shape (DESIGN.md §3)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from safereply.core.vocab import PostKind, Priority, Topic

__all__ = ["Aspect", "TriageResult"]

#: The polarities an aspect can have.
POLARITIES = ("positive", "negative", "mixed")


@dataclass(frozen=True, slots=True)
class Aspect:
    """One topic a post praises or criticises (``aspects.py``).

    Attributes:
        topic: the topic.
        polarity: ``"positive"``, ``"negative"`` or ``"mixed"`` (both, in different clauses).
        evidence: ``(start, end)`` character offsets into the post of the words that say it.
    """

    topic: Topic
    polarity: str
    evidence: tuple[int, int]

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"topic", "polarity", "evidence": [start, end]}``."""
        return {
            "topic": str(self.topic),
            "polarity": self.polarity,
            "evidence": [self.evidence[0], self.evidence[1]],
        }


@dataclass(frozen=True, slots=True)
class TriageResult:
    """What a post is, what it is about, and how soon it needs a reply.

    Attributes:
        kind: complaint, question, praise, spam, emergency, crisis or other.
        topics: zero or more topics, in the order of DESIGN.md.
        sentiment: from -1 (very negative) to 1 (very positive).
        discloses_health: the poster reveals health information about themselves or someone
            they name; a reply must not echo it.
        priority: urgent, high, normal or low.
        reasons: short human-readable reasons for the decision.
        language: ``"en"``, ``"es"`` or ``"other"`` (``language.detect_language``); triage reads
            English and Spanish, and says in ``reasons`` when it cannot read a post.
        aspects: for each topic a complaint or praise post mentions, whether it is praised or
            criticised and where (``Aspect``); empty for other kinds.
    """

    kind: PostKind
    topics: tuple[Topic, ...]
    sentiment: float
    discloses_health: bool
    priority: Priority
    reasons: tuple[str, ...]
    language: str = "en"
    aspects: tuple[Aspect, ...] = ()

    def to_dict(self, id: Any = None) -> dict[str, Any]:
        """Return the result in the ``safereply triage`` JSON shape, with the given id.

        ``"aspects"`` follows the contract's first keys (DESIGN.md: new fields are appended);
        ``"language"`` is added after it when the post is not in English (``"es"`` or
        ``"other"``); a consumer that does not know a key can ignore it.
        """
        out = {
            "id": id,
            "kind": str(self.kind),
            "topics": [str(t) for t in self.topics],
            "sentiment": round(float(self.sentiment), 3),
            "discloses_health": bool(self.discloses_health),
            "priority": str(self.priority),
            "reasons": list(self.reasons),
            "aspects": [a.to_dict() for a in self.aspects],
        }
        if self.language != "en":
            out["language"] = self.language
        return out
