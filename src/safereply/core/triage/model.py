"""Pure-Python inference for the shipped TF-IDF + logistic-regression models.

The model file is plain JSON written by ``scripts/train_triage.py`` (never pickle): for each feature
space (word n-grams, character n-grams inside word boundaries) a vocabulary mapping each term to its
idf and one weight per output, then one intercept per output. Inference reproduces scikit-learn's
``TfidfVectorizer(sublinear_tf=True, norm="l2")`` per space, the two spaces stacked side by side,
followed by ``LogisticRegression.predict_proba``; ``tests/core/triage/test_model.py`` checks that
the numbers agree with scikit-learn's.
"""

from __future__ import annotations

import json
import math
import operator
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from itertools import chain
from typing import Any

from safereply.core.triage.kinds import KindStacker

__all__ = ["MODEL_FORMAT", "LinearTextModel", "TextFeatures", "default_model"]

#: The ``format`` value every model file carries; bumped when the layout changes.
MODEL_FORMAT = "safereply-triage-linear/1"

_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern


def word_ngrams(text: str, min_n: int, max_n: int) -> list[str]:
    """Return scikit-learn's word n-grams of lower-cased text (default tokenizer)."""
    tokens = _TOKEN.findall(text.lower())
    grams = list(tokens) if min_n == 1 else []
    count = len(tokens)
    for n in range(max(min_n, 2), min(max_n, count) + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(count - n + 1))
    return grams


def char_wb_ngrams(text: str, min_n: int, max_n: int) -> list[str]:
    """Return scikit-learn's ``char_wb`` n-grams: padded words, grams never cross a space."""
    grams: list[str] = []
    for word in text.lower().split():
        grams.extend(_word_char_grams(word, min_n, max_n))
    return grams


@lru_cache(maxsize=65536)
def _word_char_grams(word: str, min_n: int, max_n: int) -> tuple[str, ...]:
    """Return the ``char_wb`` n-grams of one lower-cased word (words repeat: cached, since the
    linter scores every sentence and the whole reply)."""
    grams: list[str] = []
    padded = f" {word} "
    length = len(padded)
    for n in range(min_n, max_n + 1):
        if length <= n:  # a short word is counted once, whole
            grams.append(padded)
            break
        grams.extend(padded[offset : offset + n] for offset in range(length - n + 1))
    return tuple(grams)


_ANALYZERS = {"word": word_ngrams, "char_wb": char_wb_ngrams}


class _TfWeight(dict[int, float]):
    """``1 + log(tf)`` for a term count, worked out once per count."""

    def __missing__(self, tf: int) -> float:
        value = self[tf] = 1.0 + math.log(tf)
        return value


_TF_WEIGHT = _TfWeight()
_IDF = operator.itemgetter(0)
#: Distinct words whose in-vocabulary character n-grams a feature space keeps.
WORD_CACHE = 65536


@dataclass(frozen=True, slots=True)
class _Space:
    """One TF-IDF feature space: analyzer, n-gram range, and term -> (idf, weights...)."""

    analyzer: str
    min_n: int
    max_n: int
    terms: Mapping[str, Sequence[float]]
    #: A word's in-vocabulary ``char_wb`` n-grams, worked out once per word (``known_grams``).
    _known: Callable[[str], tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_known", lru_cache(maxsize=WORD_CACHE)(self._in_vocab))

    def _in_vocab(self, word: str) -> tuple[str, ...]:
        terms = self.terms
        return tuple(g for g in _word_char_grams(word, self.min_n, self.max_n) if g in terms)

    def known_grams(self, text: str) -> list[str]:
        """Return the text's n-grams that the vocabulary holds, in the order the analyzer gives
        them (``_ANALYZERS``): the same terms, counts and first-seen order as filtering the
        analyzer's output, without cutting a word into grams again each time it comes back (a
        post's clauses are scored after the post, and the same words recur in every post)."""
        if self.analyzer == "char_wb":
            return list(chain.from_iterable(map(self._known, text.lower().split())))
        terms = self.terms
        return [g for g in _ANALYZERS[self.analyzer](text, self.min_n, self.max_n) if g in terms]

    def seen(self, text: str) -> _Seen:
        """Return this space's l2-normalised TF-IDF view of ``text``: for each term the
        vocabulary holds, in first-seen order, ``(1 + log tf) * idf`` and its vocabulary row."""
        counts = Counter(self.known_grams(text))
        rows: list[Sequence[float]] = list(map(self.terms.__getitem__, counts))
        # (1 + log tf) * idf, the idf being a row's first column, at C speed
        values = list(
            map(operator.mul, map(_TF_WEIGHT.__getitem__, counts.values()), map(_IDF, rows))
        )
        scale = 1.0 / math.sqrt(sum(map(operator.mul, values, values))) if rows else 0.0
        return _Seen(values, rows, scale)

    def contribution(self, text: str, n_outputs: int) -> list[float]:
        """Return the dot product of this space's l2-normalised TF-IDF vector with each output.

        Term by term in first-seen order, as over the analyzer's whole output with the terms the
        vocabulary lacks skipped: the same sums in the same order, so the same numbers to the
        last bit (``tests/core/triage/test_speed_identity.py`` checks it against the plain
        analyzers)."""
        return self.seen(text).dots(n_outputs)


@dataclass(frozen=True, slots=True)
class _Seen:
    """One feature space's view of a text (``_Space.seen``)."""

    values: Sequence[float]
    rows: Sequence[Sequence[float]]
    scale: float

    def dot(self, k: int) -> float:
        """Return output ``k``'s share of the decision value (0.0 when no term is known)."""
        if not self.rows:
            return 0.0
        # the first column of a row is the idf: output k is column k + 1
        column = map(operator.itemgetter(k + 1), self.rows)
        return float(sum(map(operator.mul, self.values, column))) * self.scale

    def dots(self, n: int) -> list[float]:
        """Return the first ``n`` outputs' shares: ``dot`` of each, column by column at C speed
        (the same sums in the same order)."""
        if not self.rows:
            return [0.0] * n
        columns = list(zip(*self.rows, strict=True))[1 : n + 1]
        return [sum(map(operator.mul, self.values, column)) * self.scale for column in columns]


class TextFeatures:
    """A text as the model sees it, each output's probability worked out on first use.

    Aspects score a post's clauses: a clause needs the outputs of the topics in question and the
    tone, not every kind; each is the same number ``predict_proba`` gives."""

    __slots__ = ("_model", "_probs", "_seen")

    def __init__(self, model: LinearTextModel, text: str) -> None:
        self._model = model
        self._seen = tuple(space.seen(text) for space in model.spaces)
        self._probs: dict[str, float] = {}

    def get(self, name: str, default: float = 0.0) -> float:
        """Return the probability of output ``name`` (``default`` for an unknown output)."""
        if name not in self._probs:
            index = self._model.index.get(name)
            if index is None:
                return default
            z = self._model.intercepts[index]
            for seen in self._seen:
                z += seen.dot(index)
            self._probs[name] = _sigmoid(z)
        return self._probs[name]

    def __getitem__(self, name: str) -> float:
        if name not in self._model.index:
            raise KeyError(name)
        return self.get(name)


class LinearTextModel:
    """Several binary logistic-regression outputs over shared TF-IDF features.

    Args:
        data: the parsed model file (see the module docstring).

    Raises:
        ValueError: the data is not a model this code can read.
    """

    def __init__(self, data: Mapping[str, Any]) -> None:
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"unsupported triage model format {data.get('format')!r}")
        self.outputs: tuple[str, ...] = tuple(data["outputs"])
        self.index: dict[str, int] = {name: k for k, name in enumerate(self.outputs)}
        self.intercepts: tuple[float, ...] = tuple(float(b) for b in data["intercepts"])
        self.thresholds: dict[str, float] = {k: float(v) for k, v in data["thresholds"].items()}
        self.meta: dict[str, Any] = dict(data.get("meta", {}))
        #: How each topic's cue pattern joins its classifier ("classifier", "or", "halve"),
        #: chosen with the thresholds on written posts (``scripts/train_triage.py``); empty in
        #: older model files (the engine's defaults then apply).
        self.cue_modes: dict[str, str] = dict(data.get("cue_modes", {}))
        stacker = data.get("kind_stacker")
        #: The kind decision over wording, classifier and stars (``kinds.py``), when trained.
        self.kind_stacker: KindStacker | None = KindStacker(stacker) if stacker else None
        self.spaces = tuple(
            _Space(s["analyzer"], int(s["ngram_range"][0]), int(s["ngram_range"][1]), s["terms"])
            for s in data["spaces"]
        )
        width = len(self.outputs) + 1
        for space in self.spaces:
            if space.analyzer not in _ANALYZERS:
                raise ValueError(f"unknown analyzer {space.analyzer!r}")
            bad = next((t for t, row in space.terms.items() if len(row) != width), None)
            if bad is not None:
                raise ValueError(f"term {bad!r} has a row of the wrong length")

    def decision(self, text: str) -> dict[str, float]:
        """Return the linear decision value of every output for one text."""
        totals = list(self.intercepts)
        for space in self.spaces:
            for k, value in enumerate(space.seen(text).dots(len(totals))):
                totals[k] += value
        return dict(zip(self.outputs, totals, strict=True))

    def features(self, text: str) -> TextFeatures:
        """Return ``text`` as the model sees it; its outputs are scored one by one on use."""
        return TextFeatures(self, text)

    def predict_proba(self, text: str) -> dict[str, float]:
        """Return the probability of every output (the positive class) for one text."""
        return {name: _sigmoid(z) for name, z in self.decision(text).items()}


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@cache
def default_model() -> LinearTextModel:
    """Load the shipped model once, on first use."""
    source = resources.files("safereply.core.triage").joinpath("model", "triage-model.json")
    with source.open("r", encoding="utf-8") as handle:
        return LinearTextModel(json.load(handle))
