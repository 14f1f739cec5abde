"""Composers propose replies; the linter decides. The seam for a future language model.

A :class:`Composer` turns a :class:`DraftRequest` into candidate replies, best first. The
:func:`gate` lints every candidate against the post and the practice and keeps the first that
passes, so a composer never has to be trusted. The core has one composer, the
:class:`~safereply.core.compose.drafting.TemplateComposer`. ``safereply.compose_llm.LLMComposer``
(outside the core) calls a local model over an OpenAI-compatible endpoint (llama.cpp, Ollama) and
yields its suggestions; it is listed *before* the template composer, so the templates remain the
fallback, and the pre-checked acknowledgement remains the fallback of last resort. Nothing here
knows about HTTP.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from safereply.core.compose.types import DraftRequest
from safereply.core.lint import Linter, Report
from safereply.core.practice import Practice
from safereply.core.vocab import Verdict

__all__ = ["Composer", "Gated", "Proposal", "gate", "practice_fields", "weighted_length"]


@dataclass(frozen=True, slots=True)
class Proposal:
    """One candidate reply and what it cites (so the draft can report it)."""

    reply: str
    cited_improvement: str | None = None
    source: str | None = None  # None: the composer's own name
    also_cited: tuple[str, ...] = ()  # further improvements the reply cites, after the first


@runtime_checkable
class Composer(Protocol):
    """Anything that proposes candidate replies for a post, best first.

    Implementations must be deterministic for a given request (same ``seed``, same proposals) and
    must not perform I/O at import time. A model-backed composer should yield nothing (rather than
    raise) when its endpoint is unavailable, so drafting degrades to the templates.
    """

    name: str

    def propose(self, request: DraftRequest) -> Iterable[Proposal]:
        """Yield candidate replies for ``request``, best first."""
        ...


# X counts most characters as 1 but some (CJK, emoji) as 2; see the twitter-text "weighted length".
_LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))


def weighted_length(text: str, platform: str | None = None) -> int:
    """Return the length of ``text`` as the platform counts it (X weighs wide characters 2)."""
    if platform not in ("x", "twitter"):
        return len(text)
    return sum(1 if any(a <= ord(c) <= b for a, b in _LIGHT) else 2 for c in text)


@dataclass(frozen=True, slots=True)
class Gated:
    """A proposal that passed the gate, with its report."""

    proposal: Proposal
    report: Report


def gate(
    proposals: Iterable[Proposal],
    *,
    request: DraftRequest,
    linter: Linter,
    invite: str,
    limit: int = 40,
) -> Gated | None:
    """Return the first proposal that fits the platform and passes the linter, or None.

    A proposal whose only finding is the missing invitation to call (CP001) is repaired by
    appending ``invite`` and checked again, so a composer cannot forget the office phone.
    ``limit`` bounds how many proposals are linted.
    """
    seen: set[str] = set()
    for n, proposal in enumerate(_dedupe(proposals, seen)):
        if n >= limit:
            break
        for candidate in (proposal, _with_invite(proposal, invite)):
            if candidate is None or not _fits(candidate.reply, request):
                continue
            report = linter.check(candidate.reply, post=request.text, practice=request.practice)
            if report.verdict is Verdict.PASS:
                return Gated(candidate, report)
            if not all(f.code == "CP001" for f in report.findings):
                break  # a real finding: adding the invitation will not help
    return None


def _dedupe(proposals: Iterable[Proposal], seen: set[str]) -> Iterator[Proposal]:
    for p in proposals:
        if p.reply and p.reply not in seen:
            seen.add(p.reply)
            yield p


def _fits(reply: str, request: DraftRequest) -> bool:
    return weighted_length(reply, request.platform) <= request.max_chars


_SIGN_OFF = re.compile(r"\n+—[^\n]*$")


def _with_invite(proposal: Proposal, invite: str) -> Proposal | None:
    if not invite or invite in proposal.reply:
        return None
    # Keep the sign-off last: insert the invitation before it.
    m = _SIGN_OFF.search(proposal.reply)
    if m:
        body, tail = proposal.reply[: m.start()], proposal.reply[m.start() :]
    else:
        body, tail = proposal.reply, ""
    return Proposal(
        f"{body.rstrip()} {invite}{tail}",
        proposal.cited_improvement,
        proposal.source,
        proposal.also_cited,
    )


def practice_fields(practice: Practice, **extra: str) -> dict[str, str]:
    """Return the placeholder values a template may use for this practice."""
    return {
        "phone": practice.phone,
        "name": practice.name,
        "address": practice.address or "",
        "website": practice.website or "",
        **extra,
    }
