"""Why triage decided what it did: the named steps a post went through, each with a short reason.

``TriageResult.reasons`` is the short answer a person reads in the inbox ("complaint wording:
rude"); a trace is the long one, for whoever must understand or contest a decision: which rule or
score settled the kind, why the urgency classifier was or was not asked, why each topic was
added, why the priority is what it is. Every step of ``engine.triage_with`` appends to it in the
order the decisions are made (like the decision process Presidio's analyzer can return), and
``safereply triage --explain`` prints it. A trace explains; it never changes a decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Step", "Trace"]


@dataclass(frozen=True, slots=True)
class Step:
    """One decision: the step that made it (``"kind"``, ``"topics"``, ...) and why."""

    name: str
    why: str

    def to_dict(self) -> dict[str, str]:
        """Return ``{"step", "why"}`` (the ``explain`` entries of ``safereply triage``)."""
        return {"step": self.name, "why": self.why}


@dataclass(slots=True)
class Trace:
    """The steps of one post's triage, in the order they were taken."""

    steps: list[Step] = field(default_factory=list)

    def add(self, name: str, why: str) -> None:
        """Record that step ``name`` decided something, and why."""
        self.steps.append(Step(name, why))

    def to_list(self) -> list[dict[str, str]]:
        """Return the steps as JSON-ready dicts."""
        return [step.to_dict() for step in self.steps]
