"""The linear text models' scores, computed faster, with the same numbers.

``LinearTextModel.predict_proba`` (``safereply.core.triage.model``) cuts a text into every word
and character n-gram, counts them all, and looks each up in the vocabulary. Most character
n-grams of a word are not in the vocabulary, and the same words come back in every reply. Here
each word's in-vocabulary character n-grams are worked out once and cached, so a text costs a
count of the grams that matter. The arithmetic is the model's own, in the same order (sums of
the same terms, left to right), so the probabilities are identical to the last bit
(``tests/core/lint/test_fast_linear.py``).

One scoring pass keeps what it looked up (``Features``), so the words that drove a score are
credited from the same numbers without cutting the sentence again.

A vocabulary row is read as an ``array('d')`` (made on the row's first use): the same doubles,
held in one block instead of a list and a float object per column. Scoring reads hundreds of
rows scattered over the model, so most of its time was waiting for memory; a compact row costs
fewer cache lines.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import chain
from operator import itemgetter, mul

from safereply.core.triage.model import LinearTextModel, _word_char_grams

__all__ = ["FastLinear", "Features"]

_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern, as the model's
_STRIP = ".,!?;:\"'()[]"
#: Distinct words whose in-vocabulary grams are kept, per feature space.
WORD_CACHE = 65536


@dataclass(frozen=True, slots=True)
class SpaceFeatures:
    """One feature space's view of a text: in-vocabulary grams in first-seen order, with their
    TF-IDF values, vocabulary rows and the l2 scale; ``owners`` names the word(s) of each gram."""

    counts: Mapping[str, int]
    values: Sequence[float]
    rows: Sequence[Sequence[float]]
    scale: float
    owners: Callable[[], Mapping[str, tuple[str, ...]]]


@dataclass(frozen=True, slots=True)
class Features:
    """A text as the model sees it: one ``SpaceFeatures`` per feature space."""

    spaces: tuple[SpaceFeatures, ...]


class _Rows(dict[str, "array[float]"]):
    """A vocabulary's rows (idf, then one weight per output) as ``array('d')``, each made from
    the model's own row on first use: the same numbers, fewer cache lines to read."""

    def __init__(self, terms: Mapping[str, Sequence[float]]) -> None:
        super().__init__()
        self._terms = terms

    def __missing__(self, term: str) -> array[float]:
        row = self[term] = array("d", self._terms[term])
        return row


class _Space:
    """One feature space of a model, with a cache of each word's in-vocabulary n-grams."""

    def __init__(self, analyzer: str, min_n: int, max_n: int, terms: Mapping[str, Sequence[float]]):
        self.analyzer = analyzer
        self.min_n, self.max_n = min_n, max_n
        self.terms = terms
        self.rows = _Rows(terms)
        self.in_vocab = lru_cache(maxsize=WORD_CACHE)(self._in_vocab)

    def _in_vocab(self, word: str) -> tuple[str, ...]:
        """Return the ``char_wb`` n-grams of one lower-cased word that the vocabulary holds."""
        grams = _word_char_grams(word, self.min_n, self.max_n)
        return tuple(filter(self.terms.__contains__, grams))

    def grams(self, text: str) -> tuple[Iterable[str], Callable[[], dict[str, tuple[str, ...]]]]:
        """Return the text's in-vocabulary grams in order (an iterable read once), and a
        function giving their owners."""
        low = text.lower()
        if self.analyzer == "char_wb":
            words = low.split()
            grams = chain.from_iterable(map(self.in_vocab, words))

            def char_owners() -> dict[str, tuple[str, ...]]:
                owners: dict[str, tuple[str, ...]] = {}
                for word in words:
                    owner = (word.strip(_STRIP),)
                    for gram in self.in_vocab(word):
                        owners[gram] = owner
                return owners

            return grams, cache(char_owners)
        tokens = _TOKEN.findall(low)
        every: list[str] = []
        for n in range(self.min_n, self.max_n + 1):
            if n == 1:
                every.extend(tokens)
            else:
                every.extend(map(" ".join, zip(*(tokens[i:] for i in range(n)), strict=False)))

        def word_owners() -> dict[str, tuple[str, ...]]:
            owners: dict[str, tuple[str, ...]] = {}
            for n in range(self.min_n, self.max_n + 1):
                for i in range(len(tokens) - n + 1):
                    parts = tuple(tokens[i : i + n])
                    owners[" ".join(parts)] = parts
            return owners

        return filter(self.terms.__contains__, every), cache(word_owners)

    def features(self, text: str) -> SpaceFeatures:
        """Return this space's TF-IDF view of ``text`` (as ``_Space.contribution`` computes it:
        each value is ``(1 + log tf) * idf``, the scale ``1 / sqrt(sum of squares)``)."""
        grams, owners = self.grams(text)
        counts = Counter(grams)
        rows = list(map(self.rows.__getitem__, counts))
        values = list(map(mul, map(_TF_WEIGHT.__getitem__, counts.values()), map(_IDF, rows)))
        # sum(map(mul, v, v)) adds the same squares in the same order as a generator would
        scale = 1.0 / math.sqrt(sum(map(mul, values, values))) if values else 0.0
        return SpaceFeatures(counts, values, rows, scale, owners)


class _TfWeight(dict[int, float]):
    """``1 + log(tf)`` for a term count, worked out once per count."""

    def __missing__(self, tf: int) -> float:
        value = self[tf] = 1.0 + math.log(tf)
        return value


_TF_WEIGHT = _TfWeight()
_IDF = itemgetter(0)


class FastLinear:
    """``LinearTextModel.predict_proba`` with per-word caches; the same probabilities.

    Args:
        model: the loaded model; its vocabulary is read, never copied.
    """

    def __init__(self, model: LinearTextModel) -> None:
        self.model = model
        self.outputs = model.outputs
        self._spaces = tuple(_Space(s.analyzer, s.min_n, s.max_n, s.terms) for s in model.spaces)

    def features(self, text: str) -> Features:
        """Return what the model looks up for ``text`` (scored by ``proba``, credited by
        ``credit``)."""
        return Features(tuple(space.features(text) for space in self._spaces))

    def proba(self, features: Features) -> dict[str, float]:
        """Return every output's probability, as ``LinearTextModel.predict_proba`` does."""
        n = len(self.outputs)
        totals = list(self.model.intercepts)
        for space in features.spaces:
            if not space.rows:
                continue  # the model adds 0.0 for an empty space: nothing changes
            values, scale = space.values, space.scale
            columns = zip(*space.rows, strict=True)  # column 0: the idf; then the weights
            next(columns)
            for k, column in zip(range(n), columns, strict=False):
                totals[k] += sum(map(mul, values, column)) * scale
        return {name: _sigmoid(z) for name, z in zip(self.outputs, totals, strict=True)}

    def predict_proba(self, text: str) -> dict[str, float]:
        """Return every output's probability for one text."""
        return self.proba(self.features(text))

    def credit(self, features: Features, output: str) -> Counter[str]:
        """Return each word's share of ``output``'s score: every gram's weighted TF-IDF value
        split over the word(s) it came from (a character gram goes to the last word holding it)."""
        k = self.outputs.index(output) + 1
        weight = itemgetter(k)
        # a plain dict, then a Counter of it: the same values added in the same order (a
        # Counter's missing count is 0, as ``get``'s default here) and the same key order
        credit: dict[str, float] = {}
        get = credit.get
        for space in features.spaces:
            if not space.rows:
                continue
            owners = space.owners()
            scale = space.scale
            contributions = map(mul, space.values, map(weight, space.rows))
            for gram, contribution in zip(space.counts, contributions, strict=True):
                parts = owners[gram]
                if len(parts) == 1:  # every character gram, and single words
                    if part := parts[0]:
                        credit[part] = get(part, 0) + contribution * scale  # x / 1 is x
                    continue
                parts = tuple(p for p in parts if p)
                for part in parts:
                    credit[part] = get(part, 0) + contribution * scale / len(parts)
        return Counter(credit)


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)
