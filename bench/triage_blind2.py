"""Triage figures on the second blind set, ``data/triage_blind2/*.jsonl`` (issue 15).

    python bench/triage_quality.py --blind2          # the lead runs it once, at the end

The set was written and labelled by a session that never read the triage code (its README gives
the fields: ``text``, ``platform``, ``source``, ``rating`` (null without one), ``lang`` (``en``,
``es``, ``es-en``), ``kind``, ``topics``, ``aspects`` (``topic``, ``polarity``, ``evidence``:
``[start, end]``), ``urgent`` (``none``, ``emergency``, ``crisis``), ``discloses_health``, ``tags``
such as ``frightening-not-urgent``). Nobody developing triage runs this over it: only aggregate
figures are printed, never a post, so that a single run cannot turn the set into development data.

Figures, each beside its issue-15 target:

* kind accuracy on the posts that arrive without a rating, on every post with any rating
  stripped, and on the rated reviews with their rating;
* topic micro precision, recall and F1 (posts as they arrive), and per topic;
* aspect polarity accuracy (labelled aspects whose topic triage also gives an aspect);
* urgent recall (escalated as emergency or crisis at all, and under the labelled kind), English
  and Spanish (``es`` and ``es-en``) apart; urgent precision on the posts built to sound
  frightening (the urgent posts and the ``frightening-not-urgent`` ones) and on every post;
* sentiment ROC AUC when rows carry a ``sentiment`` label, otherwise praise against complaint
  as a proxy (said so);
* kind accuracy per tag (sarcastic, plain-complaint, question-complaint), ``discloses_health``
  accuracy and milliseconds per post.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from pathlib import Path

from safereply.core.triage import triage
from safereply.core.vocab import TOPICS, PostKind

__all__ = ["TARGETS", "evaluate_blind2", "load_blind2", "report_blind2", "roc_auc"]

KINDS = [k.value for k in PostKind]
URGENT = ("emergency", "crisis")
#: Fields every row must have (the set's README).
FIELDS = ("id", "text", "rating", "lang", "kind", "topics", "aspects", "urgent")
#: The issue-15 targets, printed beside each figure.
TARGETS = {
    "kind_unrated": (0.92, True),
    "kind_rating": (0.93, True),
    "topic_f1": (0.82, True),
    "topic_precision": (0.80, True),
    "aspect_polarity": (0.85, True),
    "urgent_recall_en": (1.0, True),
    "urgent_recall_es": (1.0, True),
    "urgent_recall_other": (1.0, True),
    "urgent_precision_frightening": (0.85, True),
    "sentiment_auc": (0.97, True),
    "ms_per_post": (2.0, False),
}


def load_blind2(folder: Path) -> list[dict]:
    """Return the rows of every ``*.jsonl`` file of ``folder``, in file order.

    Raises:
        SystemExit: no file, a line that is not JSON, or a row without a documented field
            (named by file and line, never by its text).
    """
    files = sorted(Path(folder).glob("*.jsonl"))
    if not files:
        raise SystemExit(f"{folder}: no .jsonl files")
    rows: list[dict] = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path.name}: line {number}: not JSON ({exc.msg})") from None
            missing = [f for f in FIELDS if not isinstance(row, dict) or f not in row]
            if missing:
                raise SystemExit(f"{path.name}: line {number}: missing {', '.join(missing)}")
            rows.append(row)
    return rows


def roc_auc(labels: list[int], scores: list[float]) -> float:
    """Return the ROC AUC of scores for binary labels (ties count half); NaN with one class."""
    pos = [s for s, y in zip(scores, labels, strict=True) if y == 1]
    neg = [s for s, y in zip(scores, labels, strict=True) if y == 0]
    if not pos or not neg:
        return float("nan")
    ranked = sorted(neg)
    wins = 0.0
    for s in pos:
        below = _count_below(ranked, s)
        equal = _count_below(ranked, s, inclusive=True) - below
        wins += below + 0.5 * equal
    return wins / (len(pos) * len(neg))


def _count_below(ranked: list[float], value: float, inclusive: bool = False) -> int:
    import bisect

    return (bisect.bisect_right if inclusive else bisect.bisect_left)(ranked, value)


def _rating(row: dict) -> float | None:
    value = row.get("rating")
    return None if value in (None, "") else float(value)


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _ratio(num: int, den: int) -> float:
    return num / den if den else float("nan")


def evaluate_blind2(rows: list[dict]) -> dict:
    """Triage every row as it arrives (and stripped of its rating); return aggregate figures."""
    c: Counter = Counter()
    topic = {t: Counter() for t in TOPICS}
    tags: Counter = Counter()
    times: list[float] = []
    sentiment: tuple[list[int], list[float]] = ([], [])
    proxy: tuple[list[int], list[float]] = ([], [])
    for row in rows:
        rating = _rating(row)
        started = time.perf_counter()
        result = triage(row["text"], platform=row.get("platform"), rating=rating)
        times.append((time.perf_counter() - started) * 1000)
        got = str(result.kind)
        stripped = got if rating is None else str(triage(row["text"]).kind)
        c["n"] += 1
        c["stripped_ok"] += stripped == row["kind"]
        if rating is None:
            c["unrated"] += 1
            c["unrated_ok"] += got == row["kind"]
        else:
            c["rated"] += 1
            c["rated_ok"] += got == row["kind"]
        c["health_ok"] += result.discloses_health == bool(row.get("discloses_health"))
        _topics(topic, {str(t) for t in result.topics}, set(row["topics"]))
        _aspects(c, result, row)
        _urgent(c, got, row)
        for tag in row.get("tags") or ():
            tags[(tag, "n")] += 1
            tags[(tag, "ok")] += got == row["kind"]
        if isinstance(row.get("sentiment"), int | float):
            sentiment[0].append(int(row["sentiment"] > 0))
            sentiment[1].append(result.sentiment)
        if row["kind"] in ("praise", "complaint"):
            proxy[0].append(int(row["kind"] == "praise"))
            proxy[1].append(result.sentiment)
    return _figures(c, topic, tags, times, sentiment, proxy)


def _topics(topic: dict[str, Counter], predicted: set[str], gold: set[str]) -> None:
    for t in TOPICS:
        topic[t]["tp"] += t in predicted and t in gold
        topic[t]["fp"] += t in predicted and t not in gold
        topic[t]["fn"] += t not in predicted and t in gold


def _aspects(c: Counter, result, row: dict) -> None:
    mine = {str(a.topic): a for a in result.aspects}
    for want in row["aspects"]:
        c["aspects_gold"] += 1
        have = mine.get(want["topic"])
        if have is None:
            continue
        c["aspects_found"] += 1
        c["aspects_polarity_ok"] += have.polarity == want["polarity"]
        start, end = want["evidence"]
        c["aspects_overlap"] += have.evidence[0] < end and start < have.evidence[1]


def _urgent(c: Counter, got: str, row: dict) -> None:
    lang = {"en": "en", "es": "es", "es-en": "es"}.get(row["lang"], "other")
    escalated = got in URGENT
    urgent = row["urgent"] in URGENT
    frightening = "frightening-not-urgent" in (row.get("tags") or ())
    c["escalated"] += escalated
    c["escalated_urgent"] += escalated and urgent
    if urgent:
        c[f"urgent_{lang}"] += 1
        c[f"urgent_{lang}_caught"] += escalated
        c[f"urgent_{lang}_kind"] += got == row["urgent"]
    if frightening:
        c["frightening"] += 1
        c["frightening_escalated"] += escalated


def _figures(c, topic, tags, times, sentiment, proxy) -> dict:
    totals = [sum(topic[t][k] for t in TOPICS) for k in ("tp", "fp", "fn")]
    precision, recall, f1 = _prf(*totals)
    caught = sum(c[f"urgent_{lang}_caught"] for lang in ("en", "es", "other"))
    times.sort()
    return {
        "counts": c,
        "kind_unrated": _ratio(c["unrated_ok"], c["unrated"]),
        "kind_stripped": _ratio(c["stripped_ok"], c["n"]),
        "kind_rating": _ratio(c["rated_ok"], c["rated"]),
        "topic_f1": f1,
        "topic_precision": precision,
        "topic_recall": recall,
        "per_topic": {t: (*_prf(*(topic[t][k] for k in ("tp", "fp", "fn"))),) for t in TOPICS},
        "topic_support": {t: topic[t]["tp"] + topic[t]["fn"] for t in TOPICS},
        "aspect_polarity": _ratio(c["aspects_polarity_ok"], c["aspects_found"]),
        "urgent_recall_en": _ratio(c["urgent_en_caught"], c["urgent_en"]),
        "urgent_recall_es": _ratio(c["urgent_es_caught"], c["urgent_es"]),
        "urgent_recall_other": _ratio(c["urgent_other_caught"], c["urgent_other"]),
        "urgent_precision_frightening": _ratio(caught, caught + c["frightening_escalated"]),
        "urgent_precision_all": _ratio(c["escalated_urgent"], c["escalated"]),
        "sentiment_auc": roc_auc(*sentiment),
        "sentiment_proxy_auc": roc_auc(*proxy),
        "tags": {tag: _ratio(tags[(tag, "ok")], n) for (tag, k), n in tags.items() if k == "n"},
        "ms_per_post": statistics.median(times) if times else float("nan"),
        "ms_p95": times[int(0.95 * (len(times) - 1))] if times else float("nan"),
    }


def _line(label: str, value: float, key: str | None = None) -> str:
    text = f"  {label:<58} {value:6.3f}"
    if key is None:
        return text
    target, higher = TARGETS[key]
    if value != value:  # nan: nothing to measure
        return text + "   n/a"
    met = value >= target if higher else value <= target
    sign = ">=" if higher else "<="
    return text + f"   target {sign} {target:<5} {'met' if met else 'NOT met'}"


def report_blind2(fig: dict, title: str) -> None:
    """Print the figures, each beside its target; never a post."""
    c = fig["counts"]
    print(f"\n{title} (n={c['n']}; {c['unrated']} without a rating, {c['rated']} rated)")
    print(
        _line(
            f"kind accuracy, posts without a rating (n={c['unrated']})",
            fig["kind_unrated"],
            "kind_unrated",
        )
    )
    print(
        _line(
            f"kind accuracy, rated reviews with the rating (n={c['rated']})",
            fig["kind_rating"],
            "kind_rating",
        )
    )
    print(_line("kind accuracy, every post with any rating stripped", fig["kind_stripped"]))
    print(_line("topic micro-F1", fig["topic_f1"], "topic_f1"))
    print(_line("topic micro precision", fig["topic_precision"], "topic_precision"))
    print(_line("topic micro recall", fig["topic_recall"]))
    print(
        _line(
            f"aspect polarity accuracy ({c['aspects_found']} of {c['aspects_gold']} found)",
            fig["aspect_polarity"],
            "aspect_polarity",
        )
    )
    languages = [("en", "English"), ("es", "Spanish and Spanish-English")]
    if c["urgent_other"]:
        languages.append(("other", "other languages (French, Creole...)"))
    for lang, name in languages:
        label = (
            f"urgent recall, {name} ({c[f'urgent_{lang}_caught']}/{c[f'urgent_{lang}']};"
            f" right kind {c[f'urgent_{lang}_kind']})"
        )
        print(_line(label, fig[f"urgent_recall_{lang}"], f"urgent_recall_{lang}"))
    label = f"urgent precision, frightening posts ({c['frightening_escalated']} of "
    label += f"{c['frightening']} not urgent escalated)"
    print(_line(label, fig["urgent_precision_frightening"], "urgent_precision_frightening"))
    print(
        _line(
            f"urgent precision, every post ({c['escalated']} escalated)",
            fig["urgent_precision_all"],
        )
    )
    if fig["sentiment_auc"] == fig["sentiment_auc"]:
        print(
            _line("sentiment ROC AUC (labelled sentiment)", fig["sentiment_auc"], "sentiment_auc")
        )
    else:
        print("  sentiment: no row carries a sentiment label; proxy below")
    print(_line("sentiment ROC AUC, praise against complaint (proxy)", fig["sentiment_proxy_auc"]))
    print(_line("discloses_health accuracy", c["health_ok"] / c["n"] if c["n"] else float("nan")))
    print(_line("triage ms per post (median)", fig["ms_per_post"], "ms_per_post"))
    print(_line("triage ms per post (p95)", fig["ms_p95"]))
    for tag, value in sorted(fig["tags"].items()):
        print(_line(f"kind accuracy, tag {tag}", value))
    print("  per topic (precision / recall / F1, support):")
    for t, (p, r, f) in fig["per_topic"].items():
        print(f"    {t:<15} {p:.2f} / {r:.2f} / {f:.2f}  ({fig['topic_support'][t]})")
