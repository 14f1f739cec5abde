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
from collections.abc import Callable, Mapping
from functools import cache, partial
from importlib import resources
from typing import Any

from safereply.core.lint.fastlinear import FastLinear, Features
from safereply.core.triage.model import MODEL_FORMAT, LinearTextModel

__all__ = ["SentenceScore", "SignalModel", "default_signal"]


_FUNCTION_WORDS = (
    "a an the of for to and or but in on at by with from as is are was were be been it its "
    "this that these those you your yours u ur we our us i me my he she his her they them "
    "their so all here there just very really too also not no do does did have has had will "
    "would can could el la los las de del y en un una que por para con su sus lo le se es"
)
#: Words that drive a score only together with others; never quoted alone when others did.
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())


class SentenceScore:
    """One sentence's probability for one output, and the words that drove it.

    ``words`` is worked out on first use: most scored sentences never need it (below both
    thresholds, or already covered by a phrase rule).
    """

    __slots__ = ("_explain", "_words", "level", "output", "probability")

    def __init__(
        self,
        output: str,
        probability: float,
        level: str,
        words: tuple[str, ...] | Callable[[], tuple[str, ...]],
    ) -> None:
        self.output = output
        self.probability = probability
        self.level = level  # "block", "warn" or "" (below both thresholds)
        self._words = words if isinstance(words, tuple) else None
        self._explain = None if isinstance(words, tuple) else words

    @property
    def words(self) -> tuple[str, ...]:
        """Return the words of the sentence that pushed this output up most, strongest first."""
        if self._words is None:
            assert self._explain is not None
            self._words = self._explain()
        return self._words

    def __repr__(self) -> str:
        return f"SentenceScore({self.output!r}, {self.probability:.3f}, {self.level!r})"


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
        self._fast = FastLinear(self.model)
        self._reply_fast = FastLinear(self.reply_model) if self.reply_model is not None else None

    @property
    def outputs(self) -> tuple[str, ...]:
        """Return the output names, in model order."""
        return self.model.outputs

    def reply_scores(self, reply: str) -> dict[str, float] | None:
        """Return the reply-level model's probabilities for the whole reply (None: no model)."""
        if self._reply_fast is None:
            return None
        return self._reply_fast.predict_proba(reply)

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
        features = self._fast.features(sentence)
        probabilities = self._fast.proba(features)
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
            if level:
                words: tuple[str, ...] | Callable[[], tuple[str, ...]] = partial(
                    self._ranked, features, name
                )
            else:
                words = ()
            out[name] = SentenceScore(name, p, level, words)
        return out

    def driving_words(self, sentence: str, output: str, top: int = 3) -> tuple[str, ...]:
        """Return the words of ``sentence`` that pushed ``output`` up most, strongest first."""
        return self._ranked(self._fast.features(sentence), output, top)

    def _ranked(self, features: Features, output: str, top: int = 3) -> tuple[str, ...]:
        """Return the words credited most for ``output``, strongest first (ties: first seen).

        Words that carry no meaning alone ("the", "your", "de") are left out when others drove
        the score too: a finding quotes the words that matter.
        """
        credit = self._fast.credit(features, output)
        ranked = [w for w, c in credit.most_common() if c > 0]
        content = [w for w in ranked if w.lower() not in FUNCTION_WORDS]
        return tuple((content or ranked)[:top])


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
