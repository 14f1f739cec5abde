"""Print triage quality and speed figures.

    python bench/triage_quality.py --nhs /work/shared/data/nhs_fft_multilabel.jsonl \\
        --reviews /work/shared/data/provider_reviews.jsonl

* topic micro-F1 and per-topic F1 on held-out folds of the NHS comments, for the full triage
  pipeline (classifier + topic lexicon) and for the classifier alone;
* sentiment ROC AUC on held-out folds of NHS comments (positive vs negative polarity) and provider
  reviews (4-5 vs 1-2 stars), without passing the star rating;
* kind accuracy and confusion, emergency/crisis recall and discloses_health accuracy on the
  labelled posts in tests/core/triage/ (shipped model);
* median and p95 milliseconds per post of ``triage`` on one core.

Each fold retrains the model with ``scripts/train_triage.py``'s ``train`` on the other folds and
runs the pure-Python pipeline on the held-out fold. Needs scikit-learn (the ``train`` extra).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.model_selection import KFold  # noqa: E402
from train_triage import MODEL_TOPICS, SEED, Corpus, load_corpus, train  # noqa: E402

from safereply.core.triage import triage  # noqa: E402
from safereply.core.triage.engine import triage_with  # noqa: E402
from safereply.core.triage.model import LinearTextModel  # noqa: E402
from safereply.core.vocab import TOPICS  # noqa: E402

POSTS = ROOT / "tests/core/triage/labelled_posts.jsonl"
HELDOUT = ROOT / "tests/core/triage/heldout_posts.jsonl"


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def cross_validate(corpus: Corpus, folds: int) -> None:
    """Retrain per fold; print topic F1 and sentiment AUC on the held-out rows."""
    counts = {t: Counter() for t in TOPICS}
    clf_counts = {t: Counter() for t in TOPICS}
    scores: list[float] = []
    labels: list[int] = []
    sources: list[str] = []
    splitter = KFold(folds, shuffle=True, random_state=SEED)
    for number, (train_idx, test_idx) in enumerate(splitter.split(corpus.texts), start=1):
        started = time.perf_counter()
        model = LinearTextModel(train(corpus.subset(train_idx)))
        for i in test_idx:
            text = corpus.texts[i]
            result = triage_with(model, text)
            if corpus.topics[i, 0] >= 0:
                gold = {t for j, t in enumerate(MODEL_TOPICS) if corpus.topics[i, j]}
                predicted = {str(t) for t in result.topics}
                probs = model.predict_proba(text)
                clf = {t for t in MODEL_TOPICS if probs[t] >= model.thresholds[t]}
                for bucket, pred in ((counts, predicted), (clf_counts, clf)):
                    for t in TOPICS:
                        bucket[t]["tp"] += t in pred and t in gold
                        bucket[t]["fp"] += t in pred and t not in gold
                        bucket[t]["fn"] += t not in pred and t in gold
            if corpus.sentiment[i] >= 0:
                scores.append(result.sentiment)
                labels.append(int(corpus.sentiment[i]))
                sources.append("nhs" if corpus.topics[i, 0] >= 0 else "reviews")
        print(f"  fold {number}/{folds} done in {time.perf_counter() - started:.0f} s", flush=True)

    def micro(bucket) -> float:
        return _f1(*(sum(bucket[t][k] for t in TOPICS) for k in ("tp", "fp", "fn")))

    print(
        f"\nTopics, {folds}-fold held-out NHS comments (n={int(np.sum(corpus.topics[:, 0] >= 0))})"
    )
    print(f"  micro-F1 triage pipeline (classifier + lexicon): {micro(counts):.3f}")
    print(f"  micro-F1 classifier alone:                       {micro(clf_counts):.3f}")
    for t in TOPICS:
        c = counts[t]
        support = c["tp"] + c["fn"]
        print(
            f"  {t:<15} F1 {_f1(c['tp'], c['fp'], c['fn']):.3f}  "
            f"(classifier {_f1(*(clf_counts[t][k] for k in ('tp', 'fp', 'fn'))):.3f}, "
            f"support {support}, predicted {c['tp'] + c['fp']})"
        )
    y, s, src = np.array(labels), np.array(scores), np.array(sources)
    print(f"\nSentiment ROC AUC, held-out folds (no star rating given to triage; n={len(y)})")
    print(f"  NHS + provider reviews: {roc_auc_score(y, s):.3f}")
    for name in ("nhs", "reviews"):
        mask = src == name
        print(f"  {name:<22}  {roc_auc_score(y[mask], s[mask]):.3f}  (n={int(mask.sum())})")


def labelled_posts(path: Path, title: str) -> list[dict]:
    """Print kind accuracy, confusion, urgent recall and disclosure accuracy on a labelled file."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    confusion: Counter = Counter()
    health_ok = 0
    for row in rows:
        result = triage(row["text"], platform=row.get("platform"), rating=row.get("rating"))
        confusion[(row["kind"], str(result.kind))] += 1
        health_ok += result.discloses_health == row["discloses_health"]
    kinds = ["complaint", "question", "praise", "spam", "emergency", "crisis", "other"]
    correct = sum(v for (gold, got), v in confusion.items() if gold == got)
    print(f"\n{title} ({path.name}, n={len(rows)})")
    print(f"  kind accuracy: {correct / len(rows):.3f}")
    print("  confusion (rows = label, columns = triage):")
    print("  " + " " * 10 + "".join(f"{k[:6]:>7}" for k in kinds))
    for gold in kinds:
        print(f"  {gold:<10}" + "".join(f"{confusion[(gold, got)]:>7}" for got in kinds))
    for urgent in ("emergency", "crisis"):
        total = sum(v for (gold, _), v in confusion.items() if gold == urgent)
        caught = sum(
            v
            for (gold, got), v in confusion.items()
            if gold == urgent and got in ("emergency", "crisis")
        )
        if total:
            print(f"  {urgent} recall (escalated as emergency or crisis): {caught}/{total}")
    false_urgent = sum(
        v
        for (gold, got), v in confusion.items()
        if gold not in ("emergency", "crisis") and got in ("emergency", "crisis")
    )
    print(f"  non-urgent posts escalated: {false_urgent}")
    print(f"  discloses_health accuracy: {health_ok / len(rows):.3f}")
    return rows


def escalations(corpus: Corpus) -> None:
    """Print how many real comments and reviews triage escalates (false alarms, mostly)."""
    urgent = Counter(str(triage(text[:20_000]).kind) for text in corpus.texts)
    count = urgent["emergency"] + urgent["crisis"]
    print(f"\nReal NHS comments + provider reviews escalated (n={len(corpus.texts)})")
    print(
        f"  emergency {urgent['emergency']}, crisis {urgent['crisis']}: "
        f"{100 * count / len(corpus.texts):.1f}% (mostly past-tense narratives; read them)"
    )


def speed(texts: list[str]) -> None:
    """Print median and p95 ms per post, pinned to one core."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    triage("warm up: load the model once")
    times = []
    for text in texts:
        started = time.perf_counter()
        triage(text)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"\nSpeed, one core, {len(times)} posts (labelled posts + NHS comments + reviews)")
    print(f"  median {statistics.median(times):.2f} ms, p95 {p95:.2f} ms, max {times[-1]:.2f} ms")


def main() -> int:
    """Run every measurement."""
    parser = argparse.ArgumentParser(description="Print triage quality and speed figures.")
    parser.add_argument("--nhs", type=Path, required=True, help="nhs_fft_multilabel.jsonl")
    parser.add_argument("--reviews", type=Path, required=True, help="provider_reviews.jsonl")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--skip-cv", action="store_true", help="skip the (slow) retraining")
    args = parser.parse_args()
    corpus = load_corpus(args.nhs, args.reviews)
    posts = labelled_posts(POSTS, "Labelled posts (rules were developed against these)")
    if HELDOUT.exists():
        labelled_posts(
            HELDOUT, "Blind-round posts (written after the rules; misses since turned into rules)"
        )
    escalations(corpus)
    speed([p["text"] for p in posts] + corpus.texts[::4])
    if not args.skip_cv:
        print(f"\nCross-validating ({args.folds} folds, retraining each; takes minutes)...")
        cross_validate(corpus, args.folds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
