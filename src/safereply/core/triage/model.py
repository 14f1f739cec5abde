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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from safereply.core.triage.kinds import KindStacker

__all__ = ["MODEL_FORMAT", "LinearTextModel", "default_model"]

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


@dataclass(frozen=True, slots=True)
class _Space:
    """One TF-IDF feature space: analyzer, n-gram range, and term -> (idf, weights...)."""

    analyzer: str
    min_n: int
    max_n: int
    terms: Mapping[str, Sequence[float]]

    def contribution(self, text: str, n_outputs: int) -> list[float]:
        """Return the dot product of this space's l2-normalised TF-IDF vector with each output."""
        counts = Counter(_ANALYZERS[self.analyzer](text, self.min_n, self.max_n))
        terms = self.terms
        values: list[float] = []
        rows: list[Sequence[float]] = []
        for term, tf in counts.items():
            row = terms.get(term)
            if row is not None:
                values.append((1.0 + math.log(tf)) * row[0])
                rows.append(row)
        if not rows:
            return [0.0] * n_outputs
        norm = sum(v * v for v in values)
        scale = 1.0 / math.sqrt(norm)
        # column by column (the first column is the idf): the same sums, in the same order, as a
        # loop over terms and outputs, at C speed
        columns = list(zip(*rows, strict=True))[1 : n_outputs + 1]
        return [sum(map(operator.mul, values, column)) * scale for column in columns]


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
        n = len(self.outputs)
        totals = list(self.intercepts)
        for space in self.spaces:
            for k, value in enumerate(space.contribution(text, n)):
                totals[k] += value
        return dict(zip(self.outputs, totals, strict=True))

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
