"""Shared pieces of the training scripts (train_triage.py, train_urgent.py).

Both train TF-IDF (word 1-2-grams + char_wb 2-5-grams) linear models with scikit-learn and export
them as plain JSON that ``safereply.core.triage.model.LinearTextModel`` scores in pure Python.
Training only: nothing here is imported by the package.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer


def read_jsonl(path: Path) -> list[dict]:
    """Read a JSON Lines file; a bad line stops with its number."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise SystemExit(f"{path}: line {number}: invalid JSON: {exc.msg}") from None
    return rows


def vectorizers(params: Any, vocab: tuple[list[str], list[str]] | None = None):
    """Return the (word, char) vectorizers; with ``vocab``, fixed to the pruned vocabularies.

    ``params`` needs ``word_min_df`` and ``char_min_df``.
    """
    word = TfidfVectorizer(
        analyzer="word",
        ngram_range=(1, 2),
        min_df=1 if vocab else params.word_min_df,
        sublinear_tf=True,
        vocabulary=vocab[0] if vocab else None,
        dtype=np.float64,
    )
    char = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        min_df=1 if vocab else params.char_min_df,
        sublinear_tf=True,
        vocabulary=vocab[1] if vocab else None,
        dtype=np.float64,
    )
    return word, char


def features(vecs, texts: list[str], fit: bool) -> csr_matrix:
    """Return the stacked word and char features of ``texts``."""
    parts = [v.fit_transform(texts) if fit else v.transform(texts) for v in vecs]
    return hstack(parts).tocsr()


def prune(vecs, models: list, params: Any) -> tuple[list[str], list[str]]:
    """Keep, per feature space, the terms whose largest |weight| over all outputs is biggest.

    ``params`` needs ``keep_word`` and ``keep_char``.
    """
    weights = np.abs(np.vstack([m.coef_[0] for m in models])).max(axis=0)
    kept = []
    start = 0
    for vec, keep in zip(vecs, (params.keep_word, params.keep_char), strict=True):
        names = vec.get_feature_names_out()
        block = weights[start : start + len(names)]
        start += len(names)
        order = np.argsort(-block, kind="stable")[:keep]
        kept.append(sorted(names[i] for i in order))
    return kept[0], kept[1]


def round_to(value: float, digits: int) -> float:
    """Round to significant digits: the file stays small and inference barely moves."""
    value = float(value)
    if value == 0.0:
        return 0.0
    return float(f"{value:.{digits}g}")
