"""A lexicon of health details: conditions, symptoms, medications, procedures, tests, devices,
pregnancy, and billing/insurance details.

No clinical NER model ships on PyPI that runs offline here, so this is a curated lexicon matched
with a dictionary of word runs (plurals allowed). Words that are also everyday service words
("care", "health", "treatment") are deliberately absent: they are handled by context rules.

The terms are data, one file per kind beside this module (``data/health_<kind>.txt``, the format
of ``lexicon.py``), so a reviewer can read and extend a list without reading Python.
"""

from __future__ import annotations

import re

from safereply.core.phi.entities import Entity
from safereply.core.phi.lexicon import lexicon

__all__ = ["HEALTH_LEXICON", "SOFT_TERMS", "find_health_terms", "is_health_term"]

#: The lexicon's kinds, in order: a term listed under two kinds takes the first
#: ("infection" is a condition before it is a symptom).
HEALTH_KINDS = (
    "condition",
    "symptom",
    "medication",
    "procedure",
    "test",
    "device",
    "body",
    "pregnancy",
    "billing",
)

#: Parts of the body: a health detail only as "your knee", never on their own.
BODY_PARTS: tuple[str, ...] = lexicon("safereply.core.phi", "health_body")

HEALTH_LEXICON: dict[str, tuple[str, ...]] = {
    kind: lexicon("safereply.core.phi", f"health_{kind}") for kind in HEALTH_KINDS
}

#: Terms that are health details only when clearly about a person, never as a service or place
#: ("our billing office", "insurance we accept"). Rules require stronger context for these.
SOFT_TERMS = frozenset(lexicon("safereply.core.phi", "health_soft")) | frozenset(BODY_PARTS)


def _key(term: str) -> str:
    """Normalise a term for lookup: lower case, one space between words, no hyphens."""
    return " ".join(_TOKEN.findall(term.lower().replace("’", "'")))


_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?", re.IGNORECASE)

_KIND_OF: dict[str, str] = {}  # normalised term -> kind
_ORIGINAL: dict[str, str] = {}  # normalised term -> the lexicon's spelling (for SOFT_TERMS)
for _kind, _terms in HEALTH_LEXICON.items():
    for _term in _terms:
        for _variant in {_key(_term), _key(_term).replace(" ", "")}:
            _KIND_OF.setdefault(_variant, _kind)
            _ORIGINAL.setdefault(_variant, _term)
_SOFT_KEYS = frozenset(k for k, original in _ORIGINAL.items() if original in SOFT_TERMS)
# first word of a term -> the most words a term starting with it has (plural first words too)
_STARTS: dict[str, int] = {}
for _k in _KIND_OF:
    _words = _k.split()
    for _first in (_words[0], _words[0] + "s", _words[0] + "es"):
        _STARTS[_first] = max(_STARTS.get(_first, 0), len(_words))


def is_health_term(word: str) -> bool:
    """Return True when ``word`` (any case, plural allowed) is a lexicon term."""
    return _resolve(_key(word)) is not None


def _resolve(key: str) -> str | None:
    if key in _KIND_OF:
        return key
    for suffix in ("es", "s"):
        if key.endswith(suffix) and key[: -len(suffix)] in _KIND_OF:
            return key[: -len(suffix)]
    return None


def find_health_terms(text: str) -> list[Entity]:
    """Return every lexicon term in ``text`` (longest match first, plurals allowed);
    ``strong`` is False for soft, service-like terms.

    Matching looks up runs of up to a few word tokens in a dictionary, so its cost grows with the
    text, not with the size of the lexicon.
    """
    tokens = [
        (m.start(), m.end(), m.group().lower().replace("’", "'")) for m in _TOKEN.finditer(text)
    ]
    out: list[Entity] = []
    i = 0
    while i < len(tokens):
        longest = max(_STARTS.get(tokens[i][2], 0), 2)  # 2: split spellings ("x ray")
        if tokens[i][2] not in _STARTS and not (
            i + 1 < len(tokens) and tokens[i][2] + tokens[i + 1][2] in _STARTS
        ):
            i += 1
            continue
        for n in range(min(longest, len(tokens) - i), 0, -1):
            window = tokens[i : i + n]
            # words of a term are separated by spaces or hyphens only
            if any(text[window[k][1] : window[k + 1][0]].strip(" -") for k in range(n - 1)):
                continue
            key = _resolve(" ".join(t[2] for t in window))
            if key is None and n > 1:
                key = _resolve("".join(t[2] for t in window))
            if key is None:
                continue
            start, end = window[0][0], window[-1][1]
            found = text[start:end]
            kind = _KIND_OF[key]
            out.append(
                Entity(
                    start=start,
                    end=end,
                    text=found,
                    kind=kind,
                    why=f"'{found}' is a {kind} term",
                    strong=key not in _SOFT_KEYS,
                )
            )
            i += n
            break
        else:
            i += 1
    return out
