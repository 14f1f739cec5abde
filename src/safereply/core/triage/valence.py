"""Word valence from a human-rated lexicon: a tone for short posts the classifier barely knows.

The text classifier learnt its tone from survey comments and reviews; on a two-word post ("Very
dissatisfied.", "Embarrassing.") a word it rarely saw has almost no weight and a common one
("very") decides. The VADER lexicon (Hutto & Gilbert 2014, MIT licence; ``model/valence.txt``)
rates 7,200 English words from -4 to 4 by human judgement. ``valence`` sums the ratings of a
post's words, turns a word after a negation ("not", "never", "n't" within three words) the other
way (x -0.74, as VADER does), counts words after "but" 1.5 times and before it 0.5 times, and
squashes the sum to -1..1 (``s / sqrt(s^2 + 15)``, VADER's normalisation). It is one input of the
kind decision (``kinds.py``) and of an aspect's polarity (``aspects.py``), never the answer alone.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["Valence", "emoji_only_tone", "lexicon", "valence"]

_TOKEN = re.compile(r"[a-z][a-z'-]*")
#: Emoji whose tone is plain: love and thanks, anger and a thumbs down (session 8: "@Clinic 👎",
#: "🤬🤬🤬", "🙏🙏❤️"). A raised hand, a thumbs up or eyes are not (the writers call "🙌🙌" and
#: "👍" other: an acknowledgement, not praise).
_WARM_EMOJI = re.compile(
    "[\u2764\U0001f49a-\U0001f49f\U0001f493\U0001f495-\U0001f498\U0001f9e1\U0001f90d"
    "\U0001f90e\U0001f970\U0001f60d\U0001faf6\U0001f64f\U0001f496]"
)
_ANGRY_EMOJI = re.compile(
    "[\U0001f44e\U0001f92c\U0001f621\U0001f620\U0001f4a2\U0001f92e"
    "\U0001f922\U0001f4a9\U0001f624\U0001f595]"
)
#: What a post without a word is made of once handles are set aside.
_HANDLE = re.compile(r"@\w+")
_WORDLIKE = re.compile(r"\w")
_NEGATE = frozenset(
    (
        *("aint", "arent", "cannot", "cant", "couldnt", "didnt", "doesnt", "dont", "hadnt"),
        *("hasnt", "havent", "isnt", "neither", "never", "none", "nope", "nor", "not", "nothing"),
        *("nowhere", "shouldnt", "wasnt", "werent", "without", "wont", "wouldnt", "rarely"),
        *("seldom", "no"),
    )
)


@dataclass(frozen=True, slots=True)
class Valence:
    """A post's lexicon tone: ``score`` in -1..1 and how many rated words point each way."""

    score: float
    positive: int
    negative: int


@cache
def lexicon() -> dict[str, float]:
    """Load the word valences once, on first use."""
    source = resources.files("safereply.core.triage").joinpath("model", "valence.txt")
    words: dict[str, float] = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, value = line.split("\t")
            words[word] = float(value)
    return words


def valence(norm: str) -> Valence:
    """Return the lexicon tone of normalised (lower-case) text."""
    words = lexicon()
    tokens = _TOKEN.findall(norm)
    but = max((i for i, t in enumerate(tokens) if t == "but"), default=-1)
    total = 0.0
    positive = negative = 0
    for i, token in enumerate(tokens):
        value = words.get(token)
        if value is None:
            continue
        if any(t in _NEGATE or t.endswith("n't") for t in tokens[max(0, i - 3) : i]):
            value *= -0.74
        if but >= 0:
            value *= 1.5 if i > but else 0.5
        total += value
        positive += value > 0
        negative += value < 0
    return Valence(total / math.sqrt(total * total + 15.0), positive, negative)


def emoji_only_tone(text: str) -> int:
    """Return +1 when a post with no word (handles aside) is made of warm emoji (a heart, folded
    hands), -1 when of angry ones (a thumbs down, a cursing face), 0 otherwise: a post of mixed
    emoji, of neutral ones, or with any word is left to the kind stacker, which reads words."""
    rest = _HANDLE.sub(" ", text)
    if _WORDLIKE.search(rest):
        return 0
    warm, angry = bool(_WARM_EMOJI.search(rest)), bool(_ANGRY_EMOJI.search(rest))
    return 0 if warm == angry else (1 if warm else -1)
