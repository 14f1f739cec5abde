"""Triage figures on the blind split of posts as they arrive without stars (issue 15).

    PYTHONPATH=src python bench/triage_blind.py [--file PATH]

``tests/core/triage/data/triage_blind.jsonl`` was written and labelled (kind, topics, aspects with
polarity and evidence, disclosure) and committed before any rule, threshold or model saw it; no
training script reads it (a test pins that). Only aggregate figures are printed: looking at single
blind posts would turn them into development data. ``bench/triage_quality.py`` prints the same
figures first.

* kind accuracy without a rating (every post, any rating stripped) and with one (the rated
  reviews, with their rating; and the same reviews stripped, for comparison);
* topic micro precision, recall and F1 (no rating given), and per topic;
* aspect polarity accuracy: of the gold aspects whose topic triage also gives an aspect, the share
  with the same polarity; aspect recall (gold aspects triage gives at all) and evidence overlap
  (the predicted span overlaps the labelled evidence);
* escalations (no blind post is an emergency or crisis) and median/p95 milliseconds per post.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from safereply.core.triage import triage  # noqa: E402
from safereply.core.vocab import TOPICS, PostKind  # noqa: E402

BLIND = ROOT / "tests/core/triage/data/triage_blind.jsonl"
KINDS = [k.value for k in PostKind]
#: The issue-15 targets, printed beside each figure.
TARGETS = {
    "kind_no_rating": 0.92,
    "kind_rating": 0.93,
    "topic_f1": 0.82,
    "topic_precision": 0.80,
    "aspect_polarity": 0.85,
    "ms_per_post": 2.0,
}


def load(path: Path) -> list[dict]:
    """Return the labelled rows of a JSONL file."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _span(text: str, evidence: str) -> tuple[int, int]:
    start = text.find(evidence)
    return start, start + len(evidence)


def evaluate(rows: list[dict]) -> dict:
    """Triage every row without and (when rated) with its rating; return the figures."""
    fig: dict = {"n": len(rows), "rated": sum(r.get("rating") is not None for r in rows)}
    confusion: Counter = Counter()
    topic = {t: Counter() for t in TOPICS}
    aspects = Counter()
    times: list[float] = []
    escalated = 0
    rated_ok = rated_stripped_ok = 0
    for row in rows:
        started = time.perf_counter()
        result = triage(row["text"], platform=row.get("platform"))
        times.append((time.perf_counter() - started) * 1000)
        got = str(result.kind)
        confusion[(row["kind"], got)] += 1
        escalated += got in ("emergency", "crisis")
        predicted = {str(t) for t in result.topics}
        gold = set(row["topics"])
        for t in TOPICS:
            topic[t]["tp"] += t in predicted and t in gold
            topic[t]["fp"] += t in predicted and t not in gold
            topic[t]["fn"] += t not in predicted and t in gold
        mine = {str(a.topic): a for a in getattr(result, "aspects", ())}
        for want in row.get("aspects", ()):
            aspects["gold"] += 1
            have = mine.get(want["topic"])
            if have is None:
                continue
            aspects["found"] += 1
            aspects["polarity_ok"] += str(have.polarity) == want["polarity"]
            start, end = _span(row["text"], want["evidence"])
            aspects["overlap"] += have.evidence[0] < end and start < have.evidence[1]
        gold_topics = {a["topic"] for a in row.get("aspects", ())}
        aspects["predicted"] += len(mine)
        aspects["spurious"] += len(set(mine) - gold_topics)
        if row.get("rating") is not None:
            rated_stripped_ok += got == row["kind"]
            with_rating = triage(row["text"], platform=row.get("platform"), rating=row["rating"])
            rated_ok += str(with_rating.kind) == row["kind"]
    correct = sum(v for (g, p), v in confusion.items() if g == p)
    fig["kind_no_rating"] = correct / len(rows)
    fig["kind_rating"] = rated_ok / fig["rated"] if fig["rated"] else float("nan")
    fig["kind_rated_stripped"] = rated_stripped_ok / fig["rated"] if fig["rated"] else float("nan")
    fig["confusion"] = confusion
    totals = [sum(topic[t][k] for t in TOPICS) for k in ("tp", "fp", "fn")]
    fig["topic_precision"], fig["topic_recall"], fig["topic_f1"] = _prf(*totals)
    fig["per_topic"] = {
        t: (*_prf(topic[t]["tp"], topic[t]["fp"], topic[t]["fn"]), topic[t]) for t in TOPICS
    }
    found = aspects["found"]
    fig["aspect_polarity"] = aspects["polarity_ok"] / found if found else float("nan")
    fig["aspect_recall"] = found / aspects["gold"] if aspects["gold"] else float("nan")
    fig["aspect_overlap"] = aspects["overlap"] / found if found else float("nan")
    fig["aspects"] = aspects
    fig["escalated"] = escalated
    times.sort()
    fig["ms_per_post"] = statistics.median(times)
    fig["ms_p95"] = times[int(0.95 * (len(times) - 1))]
    return fig


def _mark(value: float, target: float, higher: bool = True) -> str:
    if value != value:  # nan
        return "n/a"
    met = value >= target if higher else value <= target
    return "met" if met else "NOT met"


def report(fig: dict, title: str) -> None:
    """Print the figures, each beside its target."""
    print(f"\n{title} (n={fig['n']}; {fig['rated']} rated reviews)")
    rows = [
        ("kind accuracy, no rating (all posts)", fig["kind_no_rating"], "kind_no_rating", True),
        ("kind accuracy, with the rating (rated reviews)", fig["kind_rating"], "kind_rating", True),
        ("topic micro-F1 (no rating)", fig["topic_f1"], "topic_f1", True),
        ("topic micro precision", fig["topic_precision"], "topic_precision", True),
        ("aspect polarity accuracy", fig["aspect_polarity"], "aspect_polarity", True),
        ("triage ms per post (median)", fig["ms_per_post"], "ms_per_post", False),
    ]
    for label, value, key, higher in rows:
        sign = ">=" if higher else "<="
        mark = _mark(value, TARGETS[key], higher)
        print(f"  {label:<48} {value:6.3f}   target {sign} {TARGETS[key]:<5} {mark}")
    stripped = fig["kind_rated_stripped"]
    print(f"  {'kind accuracy, rated reviews with the rating stripped':<48} {stripped:6.3f}")
    print(f"  {'topic micro recall':<48} {fig['topic_recall']:6.3f}")
    a = fig["aspects"]
    print(
        f"  aspects: {a['found']}/{a['gold']} labelled aspects found"
        f" (recall {fig['aspect_recall']:.3f}),"
        f" evidence overlaps {a['overlap']}/{a['found']}; {a['spurious']} of {a['predicted']}"
        " predicted aspects have no labelled aspect of that topic"
    )
    print(
        f"  escalated as emergency/crisis (none is): {fig['escalated']}; p95 {fig['ms_p95']:.2f} ms"
    )
    print("  per topic (precision / recall / F1, support):")
    for t, (p, r, f, c) in fig["per_topic"].items():
        print(f"    {t:<15} {p:.2f} / {r:.2f} / {f:.2f}  ({c['tp'] + c['fn']})")
    print("  kind confusion, no rating (rows = label, columns = triage):")
    confusion = fig["confusion"]
    print("    " + " " * 10 + "".join(f"{k[:6]:>7}" for k in KINDS))
    for gold in KINDS:
        if any(confusion[(gold, got)] for got in KINDS):
            print(f"    {gold:<10}" + "".join(f"{confusion[(gold, got)]:>7}" for got in KINDS))


def main() -> int:
    """Print the blind figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=BLIND)
    args = parser.parse_args()
    triage("warm up: load the model once")
    report(evaluate(load(args.file)), f"Blind split, {args.file.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
