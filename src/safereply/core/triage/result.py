"""The value triage returns for one post, and its JSON shape (DESIGN.md §3)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from safereply.core.vocab import PostKind, Priority, Topic

__all__ = ["TriageResult"]


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
    """

    kind: PostKind
    topics: tuple[Topic, ...]
    sentiment: float
    discloses_health: bool
    priority: Priority
    reasons: tuple[str, ...]
    language: str = "en"

    def to_dict(self, id: Any = None) -> dict[str, Any]:
        """Return the result in the ``safereply triage`` JSON shape, with the given id.

        ``"language"`` is added, after the contract's keys, when the post is not in English
        (``"es"`` or ``"other"``); a consumer that does not know the key can ignore it.
        """
        out = {
            "id": id,
            "kind": str(self.kind),
            "topics": [str(t) for t in self.topics],
            "sentiment": round(float(self.sentiment), 3),
            "discloses_health": bool(self.discloses_health),
            "priority": str(self.priority),
            "reasons": list(self.reasons),
        }
        if self.language != "en":
            out["language"] = self.language
        return out
