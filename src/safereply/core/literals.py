"""Words a regular expression cannot match without: a pattern is skipped when none is there.

Most of a phrase rule's patterns find nothing in a given reply (and most of triage's urgent rules
nothing in a given post), and a regular expression that starts with ``\\b`` or a group is tried
at every position of the text. Every match of ``\\b(?:call|phone)\\s+us\\b`` holds "call" or
"phone", so when the lower-cased reply holds neither, the pattern cannot match and is not run: a
substring test is far cheaper than the scan.

``required_literals`` reads the pattern's parsed form (``re._parser``, as ``re.compile`` does)
and returns a set of lower-case ASCII strings of which every match holds at least one, or None
when it cannot tell. The test is sound on any text:

* only ASCII characters go into the strings; without ``re.IGNORECASE`` a match's ASCII
  characters are the text's own; under it an ASCII letter matches its other case and four
  non-ASCII characters (``ASCII_FOLDING``); a text holding one of those is never filtered
  (``searchable``), so in every other text a match's ASCII characters are the text's own, and
  lower-casing the text lower-cases them in place;
* zero-width assertions (``\\b``, ``^``) consume nothing, so literals on both sides stay next
  to each other in the matched text; look-arounds and anything optional break a run;
* a branch needs one of its alternatives' strings; a repeat at least once needs its body's.

``tests/core/lint/test_lint_speed_identity.py`` checks the folding table against ``re`` itself
and that no phrase pattern of the shipped rules is ever skipped where it matches;
``tests/core/triage/test_urgent_prefilter.py`` checks the same of triage's urgent rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from re import _constants as _c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

__all__ = ["ASCII_FOLDING", "could_match", "literal_runs", "required_literals", "searchable"]

#: The non-ASCII characters that match an ASCII letter under ``re.IGNORECASE`` (İ, ı, ſ and the
#: Kelvin sign); the test checks this against every code point.
ASCII_FOLDING = "\u0130\u0131\u017f\u212a"
_FOLDING = re.compile(f"[{ASCII_FOLDING}]")
#: Strings shorter than this say too little to be worth testing.
MIN_LITERAL = 2

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)}


def searchable(text: str) -> str | None:
    """Return ``text`` lower-cased for ``could_match``, or None when it holds a character that
    ``re.IGNORECASE`` folds into an ASCII letter (then every pattern must run)."""
    if _FOLDING.search(text):
        return None
    return text.lower()


def could_match(literals: frozenset[str] | None, low: str | None) -> bool:
    """Return False only when ``low`` (``searchable``'s answer) holds none of ``literals``."""
    if literals is None or low is None:
        return True
    return any(s in low for s in literals)


def required_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Return lower-case ASCII strings one of which every match of ``pattern`` holds, or None."""
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # pragma: no cover - a compiled pattern always parses again
        return None
    found = _sequence(list(parsed))
    return found


def _sequence(items: Sequence[tuple[Any, Any]]) -> frozenset[str] | None:
    """The best requirement of a sequence: a run of literals, or one item's requirement."""
    candidates: list[frozenset[str]] = []
    for part in literal_runs(items):
        need = frozenset([part]) if isinstance(part, str) else _node(*part)
        if need is not None:
            candidates.append(need)
    useful = [c for c in candidates if min(map(len, c)) >= MIN_LITERAL]
    return min(useful, key=_chance) if useful else None


#: Words most replies hold: a pattern that needs one of them is run on nearly every reply.
_COMMON_WORDS = (
    "you your you're are were was the and for with our we this that have has been call care "
    "thank thanks team please visit office hear sorry time about would will here there they them "
    "what when know make feel help like just more back see hope glad happy appreciate patient "
    "experience feedback review staff doctor always again"
)
_COMMON = frozenset(_COMMON_WORDS.split())
#: Rough chance that a reply holds a string of each length (longer strings are rarer).
_BY_LENGTH = (1.0, 1.0, 1.0, 0.7, 0.4, 0.25, 0.15)


def literal_runs(items: Sequence[tuple[Any, Any]]) -> Iterator[str | tuple[Any, Any]]:
    """Walk a parsed sequence in order: each run of literal ASCII characters as one lower-case
    string (a zero-width assertion inside a run, ``\\b``, keeps it whole; a group of literals
    joins it), and every other item as its ``(op, arg)``."""
    run: list[str] = []
    for op, arg in items:
        if op is _c.LITERAL and arg < 128:
            run.append(chr(arg).lower())
            continue
        if op is _c.AT:
            continue  # zero width: the literals around it stay next to each other
        if op is _c.SUBPATTERN and _pure_literal(arg[-1]):
            run.extend(chr(a).lower() for _, a in arg[-1])
            continue
        if run:
            yield "".join(run)
            run = []
        yield op, arg
    if run:
        yield "".join(run)


def _chance(strings: frozenset[str]) -> tuple[float, int]:
    """A rough cost of testing for ``strings``: the chance one is in a reply (then the pattern
    runs after all), then the fewer strings the better. Any choice is sound; this one is fast."""
    total = 0.0
    for s in strings:
        word = s.strip(" '-.")
        total += 1.0 if word in _COMMON else _BY_LENGTH[min(len(s), len(_BY_LENGTH) - 1)] * 0.6
    return total, len(strings)


def _pure_literal(items: Iterable[tuple[Any, Any]]) -> bool:
    items = list(items)
    return bool(items) and all(op is _c.LITERAL and arg < 128 for op, arg in items)


def _node(op: Any, arg: Any) -> frozenset[str] | None:
    """The requirement of one item that is not a plain literal (None: none known)."""
    if op is _c.SUBPATTERN:
        return _sequence(list(arg[-1]))
    if op is _c.BRANCH:
        union: set[str] = set()
        for alternative in arg[1]:
            need = _sequence(list(alternative))
            if need is None:
                return None
            union |= need
        return frozenset(union)
    if op in _REPEATS and arg[0] >= 1:
        return _sequence(list(arg[2]))
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _sequence(list(arg))
    return None
