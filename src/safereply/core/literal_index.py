"""Which of many patterns could match a text, found with one scan of the text.

``core.literals`` lets a caller skip one pattern when the text holds none of the strings every
match of it holds; testing each pattern's strings one by one costs a Python step per string, and
triage's urgent rules have about 850 of them, tested on the post and again on each sentence.
A ``LiteralIndex`` reads every string of a table of patterns into one regular expression (a trie
of the strings, tried at every position of the text in one scan, ``_trie``), so the strings a
text holds are found at C speed; a pattern is then kept when the text holds one string of each
of its requirements.

``required_groups`` keeps more of a pattern than ``required_literals``: every requirement of its
top-level sequence (all must hold, where ``required_literals`` keeps the rarest), and the body of
a positive look-around, whose match lies in the text searched if not in the match itself. A rule
written as ``^(?=[^.!?]*\\burine\\b)(?=[^.!?]*\\bworkout\\b)`` has no string ``required_literals``
can see; here it needs "urine" and "workout". The test is sound on any text for the same reasons
as ``core.literals``'s (``searchable`` turns away a text that ``re.IGNORECASE`` could fold into
ASCII), and ``tests/core/test_literal_index.py`` checks it beside every pattern run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from re import _constants as _c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

from safereply.core.literals import MIN_LITERAL, _chance, literal_runs, searchable

__all__ = ["LiteralIndex", "required_groups"]

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)}
_ATOMIC = getattr(_c, "ATOMIC_GROUP", None)


def required_groups(pattern: re.Pattern[str]) -> tuple[frozenset[str], ...]:
    """Return sets of lower-case ASCII strings such that every text in which ``pattern`` finds a
    match holds one string of each set; empty when none is known (then the pattern always runs).
    The rarest set comes first (``literals._chance``)."""
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # pragma: no cover - a compiled pattern always parses again
        return ()
    groups = set(_all_of(list(parsed)))
    return tuple(sorted(groups, key=lambda g: (_chance(g), sorted(g))))


def _all_of(items: Sequence[tuple[Any, Any]]) -> list[frozenset[str]]:
    """Every requirement of a sequence: its runs of literals and each item's requirements."""
    groups: list[frozenset[str]] = []
    for part in literal_runs(items):
        if isinstance(part, str):
            groups.append(frozenset([part]))
        else:
            groups.extend(_item(*part))
    return [g for g in groups if min(map(len, g)) >= MIN_LITERAL]


def _item(op: Any, arg: Any) -> list[frozenset[str]]:
    """The requirements of one item that is not a plain literal (none known: empty)."""
    if op is _c.SUBPATTERN:
        return _all_of(list(arg[-1]))
    if op is _c.ASSERT:  # a positive look-ahead or look-behind: its body is in the text
        return _all_of(list(arg[1]))
    if op in _REPEATS and arg[0] >= 1:
        return _all_of(list(arg[2]))
    if op is _ATOMIC:
        return _all_of(list(arg))
    if op is _c.BRANCH:
        union: set[str] = set()
        for alternative in arg[1]:
            groups = _all_of(list(alternative))
            if not groups:
                return []
            rarest: frozenset[str] = min(groups, key=_chance)
            union |= rarest
        return [frozenset(union)]
    return []


def _trie(strings: Sequence[str]) -> str:
    """Return a pattern matching, at a position, the longest of ``strings`` that starts there."""
    root: dict[str, Any] = {}
    for string in strings:
        node = root
        for char in string:
            node = node.setdefault(char, {})
        node[""] = {}
    return _branches(root)


def _branches(node: dict[str, Any]) -> str:
    alternatives = [re.escape(char) + _branches(node[char]) for char in sorted(node) if char]
    if not alternatives:
        return ""
    body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
    return f"(?:{body})?" if "" in node else body


class LiteralIndex:
    """The patterns of a table that could match a text, each kept only when the text holds a
    string of each of its requirements (``required_groups``).

    Args:
        patterns: the table's patterns, in its order.
    """

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.groups = tuple(required_groups(p) for p in patterns)
        strings = sorted({s for groups in self.groups for group in groups for s in group})
        #: Each string's position in the text, tried everywhere: the longest string found there.
        self._finder = re.compile("(?=(" + _trie(strings) + "))") if strings else None
        #: The strings that start where a longer one does: its prefixes among the strings.
        self._prefixes = {s: frozenset(p for p in strings if s.startswith(p)) for s in strings}
        self._always = frozenset(i for i, groups in enumerate(self.groups) if not groups)
        keyed: dict[str, set[int]] = {s: set() for s in strings}
        for i, groups in enumerate(self.groups):
            for s in groups[0] if groups else ():
                keyed[s].add(i)
        #: The patterns whose rarest requirement a string meets.
        self._keyed = {s: frozenset(found) for s, found in keyed.items()}

    def strings_in(self, text: str) -> frozenset[str] | None:
        """Return the strings of the index that ``text`` holds, or None when the text holds a
        character ``re.IGNORECASE`` folds into ASCII (``literals.searchable``)."""
        low = searchable(text)
        if low is None:
            return None
        if self._finder is None:
            return frozenset()
        found: set[str] = set()
        for longest in set(self._finder.findall(low)):
            found |= self._prefixes[longest]
        return frozenset(found)

    def possible(self, text: str) -> list[int]:
        """Return the positions of the patterns that could match in ``text``, in table order:
        every pattern that matches is among them."""
        found = self.strings_in(text)
        if found is None:
            return list(range(len(self.groups)))
        chosen = set(self._always)
        for s in found:
            chosen |= self._keyed[s]
        groups = self.groups
        return [
            i for i in sorted(chosen) if all(not group.isdisjoint(found) for group in groups[i][1:])
        ]
