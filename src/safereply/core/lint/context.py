"""What every rule sees: the reply, the post it answers, the practice, and shared derived facts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from safereply.core.lint.signal import SentenceScore, default_signal
from safereply.core.literals import searchable
from safereply.core.phi import Entity, find_health_terms
from safereply.core.practice import Practice

__all__ = ["LintContext"]

_BOUNDARY = re.compile(r"[.!?]+(?=\s|$)|\n")
_ABBREVIATION = re.compile(
    r"\b(?:dr|mr|mrs|ms|mx|st|jr|sr|vs|etc|dds|dmd|md|no|approx|e\.g|i\.e|sra|srta|[ap]\.m|ext|ste)$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_TOKEN = re.compile(r"\w\w+")
#: Sentences shorter than this ("Hi there,", "Thanks!") carry too little for the learned signal.
MIN_SIGNAL_TOKENS = 3
_CLOCK = re.compile(r"(?<=\d\s)[ap]\.m\.|(?<=\d)[ap]\.m\.", re.IGNORECASE)


@dataclass(slots=False)
class LintContext:
    """The reply under check and what is known around it. Derived facts are computed once."""

    reply: str
    post: str | None = None
    practice: Practice | None = None
    _allowed: list[tuple[int, int]] | None = field(default=None, repr=False)
    #: The phrase rules' findings, set by the engine before the learned rules run.
    ruled: tuple[Any, ...] = field(default=(), repr=False)

    @cached_property
    def lower(self) -> str:
        """Return the reply lower-cased; offsets are the reply's (casefold may change lengths)."""
        return self.reply.lower()

    @cached_property
    def searchable(self) -> str | None:
        """Return the reply lower-cased for ``literals.could_match`` (None: test every pattern)."""
        return searchable(self.reply)

    @cached_property
    def health_terms(self) -> list[Entity]:
        """Return the health-lexicon terms of the reply (shared by several rules)."""
        return find_health_terms(self.reply)

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        """Return (start, end) spans of the reply's sentences, trailing space trimmed."""
        spans = []
        text = self.reply
        start = 0
        cuts = []
        for m in _BOUNDARY.finditer(text):
            before = text[max(0, m.start() - 6) : m.start()]
            if m.group().startswith(".") and _ABBREVIATION.search(before):
                continue  # "Dr. Lee" does not end a sentence
            if m.group() == "." and _CLOCK.match(text, max(0, m.start() - 1)):
                continue  # the first stop of "9 a.m." does not end a sentence
            cuts.append(m.end())
        cuts.append(len(text))
        for end in cuts:
            s, e = start, end
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s < e:
                spans.append((s, e))
            start = end
        return spans

    @cached_property
    def signal(self) -> list[tuple[int, int, dict[str, SentenceScore]]]:
        """Return each sentence's span with the learned sentence model's scores (computed once)."""
        model = default_signal()
        reply = model.reply_scores(self.reply)
        if reply is not None and not model.reachable(reply):
            return []  # no sentence can reach a threshold: the reply's own score caps them all
        return [
            (s, e, model.score(self.reply[s:e], reply))
            for s, e in self.sentences
            if len(_TOKEN.findall(self.reply[s:e])) >= MIN_SIGNAL_TOKENS
        ]

    def sentence_at(self, offset: int) -> tuple[int, int]:
        """Return the span of the sentence holding ``offset``."""
        for start, end in self.sentences:
            if start <= offset < end:
                return start, end
        return 0, len(self.reply)

    @cached_property
    def staff_names(self) -> frozenset[str]:
        """Return lower-cased staff names and each of their words (first and last names)."""
        names: set[str] = set()
        if self.practice:
            for person in self.practice.staff:
                low = person.lower().strip()
                names.add(low)
                for word in _WORD.findall(low):
                    if word not in {"dr", "doctor", "the", "and"}:
                        names.add(word.strip(".'’"))
        return frozenset(names)

    @cached_property
    def practice_words(self) -> frozenset[str]:
        """Return lower-cased words of the practice's own name, address, website and sign-off."""
        words: set[str] = set()
        if self.practice:
            for value in (
                self.practice.name,
                self.practice.address,
                self.practice.website,
                self.practice.sign_off,
            ):
                if value:
                    words.update(w.lower() for w in _WORD.findall(value))
        return frozenset(words)

    @cached_property
    def allowed_spans(self) -> tuple[tuple[int, int], ...]:
        """Return spans of the reply that are the practice's own details (never identifiers)."""
        spans: list[tuple[int, int]] = []
        practice = self.practice
        if practice is None:
            return ()
        for value in (practice.address, practice.website, practice.name, practice.sign_off):
            if value:
                for m in re.finditer(re.escape(value.lower()), self.lower):
                    spans.append(m.span())
        digits = practice.phone_digits
        if digits:
            for m in re.finditer(r"\+?[\d(][\d()\s.\-]{5,}\d", self.reply):
                found = re.sub(r"\D", "", m.group())
                if found.endswith(digits[-10:]) or digits.endswith(found):
                    spans.append(m.span())
        return tuple(spans)

    def is_allowed(self, start: int, end: int) -> bool:
        """Return True when the span lies inside the practice's own details."""
        return any(a <= start and end <= b for a, b in self.allowed_spans)

    def is_staff(self, name: str) -> bool:
        """Return True when ``name`` (any case, titles stripped) is one of the practice's staff."""
        low = re.sub(r"^(dr|doctor|mr|mrs|ms|miss|nurse)\.?\s+", "", name.lower().strip())
        if low in self.staff_names:
            return True
        words = [w.strip(".'’") for w in _WORD.findall(low)]
        return bool(words) and all(w in self.staff_names for w in words)
