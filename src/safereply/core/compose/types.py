"""The values the composer returns: a draft reply, a rewrite and its list of changes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from safereply.core.practice import Practice
from safereply.core.vocab import Verdict

__all__ = ["Change", "Draft", "DraftRequest", "FixResult", "TriageLike"]


class TriageLike(Protocol):
    """What the composer needs from triage (``safereply.core.triage.TriageResult`` has it)."""

    @property
    def kind(self) -> Any: ...

    @property
    def topics(self) -> Sequence[Any]: ...


@dataclass(frozen=True, slots=True)
class DraftRequest:
    """Everything a composer may use to propose a reply to one post.

    ``max_chars`` is the platform's limit; ``seed`` makes variation reproducible; ``mixed`` marks
    a complaint that also praises something.
    """

    text: str
    kind: str
    topics: tuple[str, ...]
    practice: Practice
    platform: str | None = None
    max_chars: int = 4096
    seed: str = ""
    discloses_health: bool = False
    mixed: bool = False


@dataclass(frozen=True, slots=True)
class Draft:
    """A proposed reply to one post.

    ``reply`` is empty for spam (``reason`` says why). ``cited_improvement`` is the practice's
    recorded improvement the reply mentions, if any, and ``cited_improvements`` every one it
    mentions (a complaint about two topics can cite one change for each); ``source`` says which
    composer wrote it
    ("template", "acknowledgement", "none" for no reply, "llm" or "llm-fixed" for the local
    model's draft as it came or repaired by ``fix``; see ``safereply.compose_llm``).
    """

    id: Any
    reply: str
    verdict: Verdict
    kind: str
    topics: tuple[str, ...] = ()
    reason: str | None = None
    cited_improvement: str | None = None
    source: str = "template"
    cited_improvements: tuple[str, ...] = ()

    def to_dict(self, id: Any = None) -> dict[str, Any]:
        """Return the draft in the JSON shape of DESIGN.md §3 (extra keys come after)."""
        out: dict[str, Any] = {
            "id": self.id if id is None else id,
            "reply": self.reply,
            "verdict": str(self.verdict),
            "kind": self.kind,
            "topics": list(self.topics),
        }
        if self.reason is not None:
            out["reason"] = self.reason
        if self.cited_improvement is not None:
            out["cited_improvement"] = self.cited_improvement
        if len(self.cited_improvements) > 1:
            out["cited_improvements"] = list(self.cited_improvements)
        out["source"] = self.source
        return out


@dataclass(frozen=True, slots=True)
class Change:
    """One edit ``fix`` made: what it changed, how, and why.

    ``action`` is ``edit`` (a word or phrase removed or replaced inside a kept sentence),
    ``replace`` (a sentence reworded into safe wording with the same purpose), ``remove`` (a
    sentence dropped), ``add`` (a sentence added, e.g. the invitation to call) or ``fallback``
    (the whole reply replaced by the safe acknowledgement).
    """

    action: str
    before: str
    after: str
    why: str
    code: str | None = None
    category: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the change as plain data; ``code``/``category`` only when a finding caused it."""
        out: dict[str, Any] = {}
        if self.code is not None:
            out["code"] = self.code
        if self.category is not None:
            out["category"] = self.category
        out.update(action=self.action, before=self.before, after=self.after, why=self.why)
        return out


@dataclass(frozen=True, slots=True)
class FixResult:
    """A rewritten reply, its verdict, and every change made to reach it.

    ``reason`` says why a flagged reply was left as it was (a language the linter cannot read);
    it is None otherwise.
    """

    reply: str
    verdict: Verdict
    changes: tuple[Change, ...] = field(default=())
    id: Any = None
    reason: str | None = None

    def to_dict(self, id: Any = None) -> dict[str, Any]:
        """Return the rewrite in the JSON shape of DESIGN.md §3 (``reason`` only when set)."""
        out: dict[str, Any] = {
            "id": self.id if id is None else id,
            "reply": self.reply,
            "verdict": str(self.verdict),
            "changes": [c.to_dict() for c in self.changes],
        }
        if self.reason is not None:
            out["reason"] = self.reason
        return out
