"""Triage scores faster and decides exactly as before (session 6), on every labelled set.

Import was triage-bound: the text model ran about six to ten times a post, once on the post
and once on each clause for its aspects, each time cutting every word into character n-grams
and looking up grams the vocabulary does not hold. Now each word's in-vocabulary grams are
worked out once (``model._Space.known_grams``) and a clause is scored only when an aspect
decision reads it (``aspects._Clause``). This test keeps the previous code as the reference
(the plain analyzers, every clause scored) and pins that every labelled post of the repository
gets the same triage JSON, aspects included, to the last bit of the sentiment.
"""

from __future__ import annotations

import json
import math
import operator
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from safereply.core.triage import aspects, engine
from safereply.core.triage.aspects import _NEGATIVE_WORDS, _POSITIVE_WORDS, _SURE, clauses
from safereply.core.triage.kinds import SARCASM
from safereply.core.triage.language import fold
from safereply.core.triage.model import (
    LinearTextModel,
    char_wb_ngrams,
    default_model,
    word_ngrams,
)
from safereply.core.triage.result import Aspect
from safereply.core.triage.rules import cue_matches, normalise
from safereply.core.vocab import PostKind

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent
#: Every labelled set in the repository (the spent second blind set included).
SETS = [
    *sorted(HERE.glob("*.jsonl")),
    *sorted((HERE / "data").glob("*.jsonl")),
    ROOT / "data/triage_train_social.jsonl",
    *sorted((ROOT / "data/triage_blind2").glob("t*.jsonl")),
]
_ANALYZERS = {"word": word_ngrams, "char_wb": char_wb_ngrams}


class PlainModel(LinearTextModel):
    """The model as scored before session 6: every n-gram of the analyzer, then the lookup."""

    def decision(self, text: str) -> dict[str, float]:
        n = len(self.outputs)
        totals = list(self.intercepts)
        for space in self.spaces:
            counts = Counter(_ANALYZERS[space.analyzer](text, space.min_n, space.max_n))
            values, rows = [], []
            for term, tf in counts.items():
                row = space.terms.get(term)
                if row is not None:
                    values.append((1.0 + math.log(tf)) * row[0])
                    rows.append(row)
            contribution = [0.0] * n
            if rows:
                scale = 1.0 / math.sqrt(sum(v * v for v in values))
                columns = list(zip(*rows, strict=True))[1 : n + 1]
                contribution = [sum(map(operator.mul, values, c)) * scale for c in columns]
            for k, value in enumerate(contribution):
                totals[k] += value
        return dict(zip(self.outputs, totals, strict=True))


def _old_polarity(text, span, kind, tone):
    """``aspects._clause_polarity`` as it was before session 6 (the tone always worked out)."""
    norm = normalise(text[span[0] : span[1]])
    if SARCASM.search(norm) and kind is PostKind.COMPLAINT:
        return "negative"
    negative = bool(_NEGATIVE_WORDS.search(norm))
    positive = bool(_POSITIVE_WORDS.search(norm))
    if abs(tone) >= _SURE and not (negative and positive):
        if tone > 0 and negative and not positive and kind is PostKind.COMPLAINT:
            return "negative"
        if tone < 0 and positive and not negative and kind is PostKind.PRAISE:
            return "positive"
        return "positive" if tone > 0 else "negative"
    if positive and not negative:
        return "positive"
    if negative and not positive:
        return "negative" if kind is PostKind.COMPLAINT or tone < 0 else "positive"
    return "negative" if kind is PostKind.COMPLAINT else "positive"


def eager_aspects(model, text, kind, topics, probs=None):
    """``find_aspects`` as it was before session 6: every clause scored up front."""
    if kind not in (PostKind.COMPLAINT, PostKind.PRAISE) or not topics:
        return ()
    spans = clauses(text) or [(0, len(text))]
    scored = []
    for span in spans:
        piece = text[span[0] : span[1]]
        norm = normalise(piece)
        whole = len(spans) == 1 and probs is not None
        scored.append((span, norm, fold(norm), probs if whole else model.predict_proba(piece)))
    out = []
    for topic in topics:
        name = topic.value
        threshold = model.thresholds.get(name, 0.5)
        chosen = [
            (span, p)
            for span, norm, folded, p in scored
            if cue_matches(name, norm, folded) or p.get(name, 0.0) >= 0.5 * threshold
        ]
        if not chosen:
            span, _, _, p = max(scored, key=lambda item: item[3].get(name, 0.0))
            chosen = [(span, p)]
        polarities = [
            _old_polarity(text, span, kind, 2.0 * p["positive"] - 1.0) for span, p in chosen
        ]
        if kind is PostKind.PRAISE:  # session 7: a praise post's aspects are all positive
            polarities = ["positive"]
        if all(x == "positive" for x in polarities):
            polarity = "positive"
        elif all(x == "negative" for x in polarities):
            polarity = "negative"
        else:
            polarity = "mixed"
        best = max(chosen, key=lambda item: item[1].get(name, 0.0))[0]
        evidence = (chosen[0][0][0], chosen[-1][0][1]) if polarity == "mixed" else best
        out.append(Aspect(topic, polarity, evidence))
    return tuple(out)


def _posts():
    for path in SETS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rating = row.get("rating")
                yield path.name, row["text"], rating if isinstance(rating, int | float) else None


@pytest.fixture(scope="module")
def plain():
    raw = resources.files("safereply.core.triage").joinpath("model", "triage-model.json")
    return PlainModel(json.loads(raw.read_text(encoding="utf-8")))


def test_the_sets_are_there():
    assert len(SETS) >= 12
    assert sum(1 for _ in _posts()) > 3000


def test_every_labelled_post_is_triaged_exactly_as_before(plain, monkeypatch):
    fast = default_model()
    posts = list(_posts())
    now = [
        engine.triage_with(fast, text, rating=rating).to_dict(id="x") for _, text, rating in posts
    ]
    monkeypatch.setattr(engine, "find_aspects", eager_aspects)
    before = [
        engine.triage_with(plain, text, rating=rating).to_dict(id="x") for _, text, rating in posts
    ]
    differ = [
        (name, text) for (name, text, _), a, b in zip(posts, now, before, strict=True) if a != b
    ]
    assert not differ, differ[:3]
    # aspects were compared: many posts have some, several clauses each
    assert sum(bool(r["aspects"]) for r in now) > 800


def test_the_scores_are_the_same_to_the_last_bit(plain):
    fast = default_model()
    for _, text, _ in list(_posts())[::7]:
        assert fast.decision(text) == plain.decision(text)


def test_one_output_at_a_time_gives_the_same_probabilities():
    model = default_model()
    for _, text, _ in list(_posts())[::11]:
        features = model.features(text)
        whole = model.predict_proba(text)
        for name in reversed(model.outputs):  # any order: each output on its own
            assert features[name] == whole[name]
    with pytest.raises(KeyError):
        model.features("hello")["no-such-output"]
    assert model.features("hello").get("no-such-output", -1.0) == -1.0


def test_a_clause_is_cut_once_and_only_the_outputs_read_are_scored(monkeypatch):
    model = default_model()
    text = "Dr. Lee was wonderful. The billing office overcharged me twice and never called back."
    topics = engine.triage(text).topics
    probs = model.predict_proba(text)
    cut: list[str] = []
    real = model.features
    monkeypatch.setattr(model, "features", lambda text: cut.append(text) or real(text))
    monkeypatch.setattr(model, "predict_proba", lambda text: pytest.fail("scored every output"))
    result = aspects.find_aspects(model, text, PostKind.COMPLAINT, topics, probs)
    assert [a.topic.value for a in result] == [t.value for t in topics]
    assert len(cut) == len(set(cut)) <= len(clauses(text))
