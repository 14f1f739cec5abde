"""Train the "may be urgent" text classifier and write it as JSON for pure-Python inference.

A second signal next to the emergency and crisis rules: triage escalates a post the rules let pass
when this model scores it above its threshold. It can only add escalations, never remove one.

    python scripts/train_urgent.py --real ../shared/data/nhs_fft_multilabel.jsonl \\
        ../shared/data/provider_reviews.jsonl [--posts FILE ...] [--out FILE]

``--posts`` defaults to the written posts of ``tests/core/triage`` that the rules were developed or
tuned on (``labelled_posts``, ``tuned_posts``, ``urgent_tuned_posts``, ``probe_urgent_posts``);
``--out`` to ``src/safereply/core/triage/model/urgent-model.json``. A file whose name says
``blind`` (``blind2_urgent_posts.jsonl``, ``data/*_blind.jsonl``) measures the model and is
refused. Since session 10 the spent blind triage sets (``SPENT_BLIND``: ``data/triage_blind2`` to
``triage_blind6``, each measured once and then read) are training data too, every one by default,
chosen by ``--spent`` (``bench/urgent_sets.py --loso`` trains without one set and scores that set
with it); a set still being written is no choice. The real reviews of the ``test`` split of
``data/review_labels.jsonl`` are never sampled for training (``--review-labels``): they stay with
the unseen rows. (Until issue 15 the sample was drawn from every review, and 99 of the 300 test
reviews were training negatives.)

Reproducible: the same files and arguments give the same model file. Needs scikit-learn and numpy.

What is learned, over word 1-2-grams and character 2-5-grams inside word boundaries (the layout of
``safereply.core.triage.model``, so the shipped ``LinearTextModel`` scores it unchanged):
    * ``urgent``: emergency or crisis posts against ordinary posts — the labelled ordinary posts
      (hard negatives: hyperbole, past stories, grief) and a seeded sample of real comments and
      reviews (``--real-sample`` of them; the rest stay unseen and measure false escalations);
    * ``crisis``: among urgent posts, crisis (self-harm risk) against emergency; it only decides
      which urgent kind an escalation gets.

The threshold of ``urgent`` is chosen on out-of-fold scores of the training rows, each fold
holding out whole groups (a written file or a spent set, as a new writer's set would be; real
rows spread over the folds): the lowest one
whose out-of-fold false-escalation rate on the sampled real rows is at most ``--max-real-fp``
(recall first, within that budget). The figures printed at the end are out-of-fold or on unseen
real rows: never on the training rows themselves.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from textmodel import features, prune, read_jsonl, round_to, vectorizers

MODEL_FORMAT = "safereply-triage-linear/1"
URGENT_KINDS = ("emergency", "crisis")
SEED = 13
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_POSTS = tuple(
    ROOT / "tests/core/triage" / f"{name}.jsonl"
    for name in ("labelled_posts", "tuned_posts", "urgent_tuned_posts", "probe_urgent_posts")
)
REVIEW_LABELS = ROOT / "data/review_labels.jsonl"
#: The spent blind triage sets (measured once each, then read): the only blind folders this script
#: may train on (``--spent``). A new blind set is refused until it has been measured.
SPENT_BLIND = tuple(f"triage_blind{n}" for n in range(2, 7))


@dataclass
class Params:
    """Training settings (the defaults are what the shipped model used)."""

    c: float = 10.0
    word_min_df: int = 2
    char_min_df: int = 2
    keep_word: int = 6000
    keep_char: int = 12000
    real_sample: int = 3000
    folds: int = 5
    max_real_fp: float = 0.01
    digits: int = 6


@dataclass
class Rows:
    """Training texts: ``urgent`` 1/0, ``crisis`` 1/0 (-1 when not urgent), ``real`` flag."""

    texts: list[str]
    urgent: np.ndarray
    crisis: np.ndarray
    real: np.ndarray
    groups: np.ndarray


def spent_posts(names: Sequence[str]) -> list[tuple[str, dict]]:
    """Return (group, post) for every post of the named spent blind folders."""
    posts = []
    for name in names:
        for path in sorted((ROOT / "data" / name).glob("*.jsonl")):
            posts += [(name, post) for post in read_jsonl(path)]
    return posts


def held_review_ids(path: Path | None) -> set[str]:
    """Return the ids of the ``test`` split of the review labels (never trained on)."""
    if path is None or not path.is_file():
        return set()
    return {row["id"] for row in read_jsonl(path) if row.get("split") == "test"}


def read_real(paths: Sequence[Path], held: set[str] = frozenset()) -> tuple[list[str], list[str]]:
    """Return the non-empty texts of the real comment and review files, in file order: the ones
    that may be sampled for training, and the ones whose id is in ``held`` (never trained on)."""
    texts: list[str] = []
    kept: list[str] = []
    for path in paths:
        for row in read_jsonl(path):
            text = (row.get("text") or "").strip()
            if text:
                (kept if row.get("id") in held else texts).append(text)
    return texts, kept


def sample_index(count: int, sample: int) -> set[int]:
    """Return the positions of the seeded sample of real rows used for training."""
    order = list(range(count))
    random.Random(SEED).shuffle(order)
    return set(order[:sample])


def split_real(texts: list[str], sample: int) -> tuple[list[str], list[str]]:
    """Return a seeded sample of real texts for training and the unseen rest."""
    chosen = sample_index(len(texts), sample)
    train = [t for i, t in enumerate(texts) if i in chosen]
    rest = [t for i, t in enumerate(texts) if i not in chosen]
    return train, rest


def build_rows(posts: list[tuple[str, dict]], real: list[str], folds: int = 5) -> Rows:
    """Labelled posts (urgent or not, crisis or not) plus real texts (never urgent). Each post
    keeps its group (the file or spent set it came from): out-of-fold scores hold a whole group
    out, as a new writer's set would be; real rows are spread over ``folds`` groups."""
    texts, urgent, crisis, groups = [], [], [], []
    seen: set[str] = set()
    for name, post in posts:
        text = post["text"].strip()
        if text in seen:  # the same post in two files would be counted twice in a fold
            continue
        seen.add(text)
        texts.append(text)
        groups.append(name)
        is_urgent = post["kind"] in URGENT_KINDS
        urgent.append(int(is_urgent))
        crisis.append(int(post["kind"] == "crisis") if is_urgent else -1)
    n_posts = len(texts)
    texts += real
    urgent += [0] * len(real)
    crisis += [-1] * len(real)
    groups += [f"real-{i % folds}" for i in range(len(real))]
    flags = np.zeros(len(texts), dtype=bool)
    flags[n_posts:] = True
    return Rows(texts, np.array(urgent), np.array(crisis), flags, np.array(groups))


def _fit(x: csr_matrix, rows: Rows, params: Params) -> list[LogisticRegression]:
    """Fit ``urgent`` on every row (classes balanced: urgent rows are few) and ``crisis``."""
    urgent = LogisticRegression(C=params.c, class_weight="balanced", max_iter=5000)
    urgent.fit(x, rows.urgent)
    which = np.flatnonzero(rows.crisis >= 0)
    crisis = LogisticRegression(C=params.c, class_weight="balanced", max_iter=5000)
    crisis.fit(x[which], rows.crisis[which])
    return [urgent, crisis]


def fit_pipeline(rows: Rows, params: Params):
    """Fit, prune the vocabulary, refit on it; return (vectorizers, models)."""
    vecs = vectorizers(params)
    x = features(vecs, rows.texts, fit=True)
    vocab = prune(vecs, _fit(x, rows, params), params)
    vecs = vectorizers(params, vocab)
    x = features(vecs, rows.texts, fit=True)
    return vecs, _fit(x, rows, params)


def predict(vecs, models, texts: list[str]) -> np.ndarray:
    """Return (n, 2) probabilities of ``urgent`` and ``crisis``."""
    x = features(vecs, texts, fit=False)
    return np.column_stack([m.predict_proba(x)[:, 1] for m in models])


def out_of_fold(rows: Rows, params: Params) -> np.ndarray:
    """Return out-of-fold probabilities for every training row (whole pipeline per fold). Folds
    hold out whole groups (a written file or a spent blind set), so an out-of-fold score is
    that of a post by a writer the model has not read."""
    oof = np.zeros((len(rows.texts), 2))
    folds = GroupKFold(params.folds)
    for train_idx, test_idx in folds.split(rows.texts, rows.urgent, rows.groups):
        sub = Rows(
            [rows.texts[i] for i in train_idx],
            rows.urgent[train_idx],
            rows.crisis[train_idx],
            rows.real[train_idx],
            rows.groups[train_idx],
        )
        vecs, models = fit_pipeline(sub, params)
        oof[test_idx] = predict(vecs, models, [rows.texts[i] for i in test_idx])
    return oof


def choose_threshold(rows: Rows, oof: np.ndarray, max_real_fp: float) -> float:
    """Return the lowest threshold (0.01 steps) whose real-row false-escalation rate fits."""
    real = oof[rows.real, 0]
    for t in np.arange(0.05, 0.991, 0.01):
        if float(np.mean(real >= t)) <= max_real_fp:
            return round(float(t), 2)
    return 0.99


def report(rows: Rows, oof: np.ndarray, threshold: float, say) -> dict:
    """Print and return out-of-fold figures at the chosen threshold."""
    hit = oof[:, 0] >= threshold
    figures = {}
    for kind, code in (("crisis", 1), ("emergency", 0)):
        mask = rows.crisis == code
        figures[f"oof_{kind}_recall"] = round(float(hit[mask].mean()), 4)
    written_calm = (rows.urgent == 0) & ~rows.real
    figures["oof_written_calm_fp"] = round(float(hit[written_calm].mean()), 4)
    figures["oof_real_fp"] = round(float(hit[rows.real].mean()), 4)
    urgent = rows.urgent == 1
    kind_ok = (oof[urgent, 1] >= 0.5) == (rows.crisis[urgent] == 1)
    figures["oof_kind_accuracy"] = round(float(kind_ok.mean()), 4)
    for name, value in figures.items():
        say(f"{name}: {value}")
    return figures


def export(vecs, models, threshold: float, params: Params, meta: dict) -> dict:
    """Return the model file content in the ``LinearTextModel`` JSON layout."""
    coef = np.vstack([m.coef_[0] for m in models])
    spaces = []
    start = 0
    for vec, analyzer, ngram in zip(vecs, ("word", "char_wb"), ((1, 2), (2, 5)), strict=True):
        names = vec.get_feature_names_out()
        terms = {}
        for i, name in enumerate(names):
            column = coef[:, start + i]
            terms[str(name)] = [round_to(vec.idf_[i], params.digits)] + [
                round_to(w, params.digits) for w in column
            ]
        start += len(names)
        spaces.append({"analyzer": analyzer, "ngram_range": list(ngram), "terms": terms})
    return {
        "format": MODEL_FORMAT,
        "outputs": ["urgent", "crisis"],
        "intercepts": [round_to(m.intercept_[0], params.digits) for m in models],
        "thresholds": {"urgent": threshold, "crisis": 0.5},
        "meta": {**meta, "params": asdict(params)},
        "spaces": spaces,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Train from the given files, print out-of-fold figures and write the model."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=Path, nargs="+", default=list(DEFAULT_POSTS))
    parser.add_argument("--real", type=Path, nargs="+", required=True, help="real comments")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "src/safereply/core/triage/model/urgent-model.json"
    )
    parser.add_argument(
        "--review-labels",
        type=Path,
        default=REVIEW_LABELS,
        help="review labels whose test split is never trained on (data/review_labels.jsonl)",
    )
    parser.add_argument(
        "--spent",
        nargs="*",
        default=list(SPENT_BLIND),
        choices=SPENT_BLIND,
        help="spent blind sets to train on (default: all; bench/urgent_sets.py --loso leaves "
        "one out)",
    )
    parser.add_argument("--real-sample", type=int, default=Params.real_sample)
    parser.add_argument("--max-real-fp", type=float, default=Params.max_real_fp)
    args = parser.parse_args(argv)
    for path in (*args.posts, *args.real):
        if not path.is_file():
            parser.error(f"{path}: no such file")
        if any("blind" in part.lower() for part in path.parts):  # data/triage_blind2/t1.jsonl
            parser.error(f"{path}: a blind set measures the model; never train on it")
    params = Params(real_sample=args.real_sample, max_real_fp=args.max_real_fp)

    def say(msg: str) -> None:
        print(msg, file=sys.stderr)

    posts = [(path.name, p) for path in args.posts for p in read_jsonl(path)]
    posts += spent_posts(args.spent)
    real, held = read_real(args.real, held_review_ids(args.review_labels))
    real_train, real_rest = split_real(real, params.real_sample)
    real_rest += held
    rows = build_rows(posts, real_train)
    crisis = int((rows.crisis == 1).sum())
    say(
        f"rows: {len(rows.texts)} (urgent {int(rows.urgent.sum())}, crisis {crisis}, "
        f"real {int(rows.real.sum())}); unseen real {len(real_rest)}"
    )
    oof = out_of_fold(rows, params)
    threshold = choose_threshold(rows, oof, params.max_real_fp)
    say(f"threshold urgent: {threshold}")
    figures = report(rows, oof, threshold, say)
    vecs, models = fit_pipeline(rows, params)
    unseen = predict(vecs, models, real_rest)[:, 0] >= threshold
    figures["unseen_real_fp"] = round(float(unseen.mean()), 4)
    say(f"unseen_real_fp: {figures['unseen_real_fp']} ({int(unseen.sum())}/{len(real_rest)})")
    meta = {
        "trained_on": {
            "posts": [p.name for p in args.posts] + [f"{name}/" for name in args.spent],
            "rows": len(rows.texts),
            "urgent_rows": int(rows.urgent.sum()),
            "real_rows": int(rows.real.sum()),
            "real_rows_never_sampled": len(held),
        },
        "figures": figures,
    }
    model = export(vecs, models, threshold, params, meta)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as handle:
        json.dump(model, handle, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        handle.write("\n")
    say(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
