"""The learned second signal: sentence models that recognise what phrase rules miss.

Phrase rules catch the wordings their authors thought of. Next to them, small linear models
(TF-IDF word and character n-grams, logistic regression, trained by
``scripts/train_lint_signal.py`` on labelled sentences and shipped as plain JSON) score every
sentence of a reply for each blocking concern: a sentence about the reader's own care or visit, a
health detail tied to the reader, individual clinical advice, contact outside the platform, and
defensive or argumentative tone, and a name or date tied to the reader. Each output carries two
thresholds calibrated on predictions for replies the models did not see (``signal-model.json``
holds them): at or above ``block`` the sentence is an error, in the band down to ``warn`` it is
a low-confidence warning. The signal can only add findings: the engine never lets a
learned finding hide a rule's (see ``Linter.check``).

A second model of the same kind reads the whole reply (it learnt from every labelled reply,
including those labelled as a whole); a sentence's score is the geometric mean of its own
probability and the reply's, and the thresholds apply to that combined score.

Every finding names the words that drove the score: each word of the sentence is credited with its
share of the word n-grams and character n-grams it produced, and the strongest are quoted.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from safereply.core.triage.model import (
    MODEL_FORMAT,
    LinearTextModel,
    char_wb_ngrams,
)

__all__ = ["SentenceScore", "SignalModel", "default_signal"]

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class SentenceScore:
    """One sentence's probability for one output, and the words that drove it."""

    output: str
    probability: float
    level: str  # "block", "warn" or "" (below both thresholds)
    words: tuple[str, ...]


class SignalModel:
    """A ``LinearTextModel`` with block/warn thresholds per output and word attributions.

    Args:
        data: the parsed model file; ``thresholds`` holds ``OUTPUT`` (block) and ``OUTPUT/warn``.

    Raises:
        ValueError: the file is not a model this code can read, or a threshold is missing.
    """

    def __init__(
        self, data: Mapping[str, Any], reply_data: Mapping[str, Any] | None = None
    ) -> None:
        self.model = LinearTextModel(data)
        self.reply_model = LinearTextModel(reply_data) if reply_data is not None else None
        if self.reply_model is not None and self.reply_model.outputs != self.model.outputs:
            raise ValueError("the reply model's outputs differ from the sentence model's")
        self.block: dict[str, float] = {}
        self.warn: dict[str, float] = {}
        for name in self.model.outputs:
            if name not in self.model.thresholds or f"{name}/warn" not in self.model.thresholds:
                raise ValueError(f"output {name!r} has no block and warn thresholds")
            self.block[name] = self.model.thresholds[name]
            self.warn[name] = self.model.thresholds[f"{name}/warn"]
        self._index = {name: k for k, name in enumerate(self.model.outputs)}

    @property
    def outputs(self) -> tuple[str, ...]:
        """Return the output names, in model order."""
        return self.model.outputs

    def reply_scores(self, reply: str) -> dict[str, float] | None:
        """Return the reply-level model's probabilities for the whole reply (None: no model)."""
        if self.reply_model is None:
            return None
        return self.reply_model.predict_proba(reply)

    def reachable(self, reply: Mapping[str, float]) -> bool:
        """Return True when some sentence could reach a warn threshold given the reply's scores.

        A sentence's score is at most ``sqrt(reply probability)`` (its own is at most 1), so a
        reply whose every output stays below ``warn`` squared needs no sentence scored.
        """
        return any(math.sqrt(reply[name]) >= self.warn[name] for name in self.model.outputs)

    def score(
        self, sentence: str, reply: Mapping[str, float] | None = None
    ) -> dict[str, SentenceScore]:
        """Return every output's score for one sentence.

        With ``reply`` (``reply_scores`` of the whole reply), a sentence's score is the geometric
        mean of its own probability and the reply's: the reply model reads the whole reply (it
        learnt from every reply labelled as a whole), the sentence model says where it is.
        """
        probabilities = self.model.predict_proba(sentence)
        if reply is not None:
            probabilities = {name: math.sqrt(p * reply[name]) for name, p in probabilities.items()}
        out = {}
        for name, p in probabilities.items():
            if p >= self.block[name]:
                level = "block"
            elif p >= self.warn[name]:
                level = "warn"
            else:
                level = ""
            words = self.driving_words(sentence, name) if level else ()
            out[name] = SentenceScore(name, p, level, words)
        return out

    def driving_words(self, sentence: str, output: str, top: int = 3) -> tuple[str, ...]:
        """Return the words of ``sentence`` that pushed ``output`` up most, strongest first."""
        k = self._index[output] + 1
        credit: Counter[str] = Counter()
        for space in self.model.spaces:
            if space.analyzer == "word":
                _credit_words(sentence, space.terms, k, (space.min_n, space.max_n), credit)
            else:
                _credit_chars(sentence, space.terms, k, (space.min_n, space.max_n), credit)
        ranked = [w for w, c in credit.most_common() if c > 0]
        return tuple(ranked[:top])


def _credit_words(
    sentence: str,
    terms: Mapping[str, Any],
    k: int,
    ngram: tuple[int, int],
    credit: Counter[str],
) -> None:
    """Credit each token with its share of the weighted word n-grams it belongs to."""
    tokens = _TOKEN.findall(sentence.lower())
    grams: list[tuple[str, tuple[str, ...]]] = []
    for n in range(ngram[0], ngram[1] + 1):
        for i in range(len(tokens) - n + 1):
            parts = tuple(tokens[i : i + n])
            grams.append((" ".join(parts), parts))
    _share(grams, terms, k, credit)


def _credit_chars(
    sentence: str,
    terms: Mapping[str, Any],
    k: int,
    ngram: tuple[int, int],
    credit: Counter[str],
) -> None:
    """Credit each whitespace word with the weighted character n-grams cut from it."""
    grams: list[tuple[str, tuple[str, ...]]] = []
    for raw in _WORD.findall(sentence.lower()):
        word = raw.strip(".,!?;:\"'()[]")
        grams.extend((g, (word,)) for g in char_wb_ngrams(raw, ngram[0], ngram[1]))
    _share(grams, terms, k, credit)


def _share(
    grams: list[tuple[str, tuple[str, ...]]],
    terms: Mapping[str, Any],
    k: int,
    credit: Counter[str],
) -> None:
    """Add each gram's sublinear TF-IDF weight times its coefficient, split over its words."""
    counts = Counter(g for g, _ in grams)
    owners = {g: parts for g, parts in grams}
    values = {}
    norm = 0.0
    for gram, tf in counts.items():
        row = terms.get(gram)
        if row is None:
            continue
        value = (1.0 + math.log(tf)) * row[0]
        values[gram] = value * row[k]
        norm += value * value
    if norm == 0.0:
        return
    scale = 1.0 / math.sqrt(norm)
    for gram, contribution in values.items():
        parts = [p for p in owners[gram] if p]
        for part in parts:
            credit[part] += contribution * scale / len(parts)


@cache
def default_signal() -> SignalModel:
    """Load the shipped sentence model once, on first use."""
    folder = resources.files("safereply.core.lint").joinpath("model")
    loaded = []
    for name in ("signal-model.json", "signal-reply-model.json"):
        with folder.joinpath(name).open("r", encoding="utf-8") as handle:
            data = json.load(handle)
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"{name}: unsupported signal model format {data.get('format')!r}")
        loaded.append(data)
    return SignalModel(loaded[0], loaded[1])
