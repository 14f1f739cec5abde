"""Print urgent recall and precision per language on the Spanish/Spanish-English urgent sets.

    PYTHONPATH=src python bench/triage_spanish.py [--file F ...] [--verbose]

Two sets, labelled by what they are:

* ``blind``: tests/core/triage/data/urgent_es_blind.jsonl, written and committed (cafed97) before
  the urgent rules were read and never used to develop them. It is measured, never tuned on.
* ``dev``: tests/core/triage/data/urgent_es_dev.jsonl, written afterwards to develop the Spanish
  rules against; figures on it say how well the rules fit what they were built on, nothing more.

Each post has ``lang`` (``en``, ``es``, ``mixed`` for Spanish-English, ``other``) and an expected
``kind``. A post is caught when triage makes it urgent (emergency or crisis); precision is the
share of escalated posts that are labelled urgent. For ``other`` the figure that matters is
whether triage says it cannot read the post (``language`` is not en/es and a reason says so).
``--verbose`` lists every miss and false escalation with its reasons.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from safereply.core.triage import triage  # noqa: E402
from safereply.core.vocab import Priority  # noqa: E402

DATA = ROOT / "tests/core/triage/data"
SETS = {"blind": DATA / "urgent_es_blind.jsonl", "dev": DATA / "urgent_es_dev.jsonl"}
URGENT = ("emergency", "crisis")
LANGS = ("en", "es", "mixed", "other")


def _ratio(num: int, den: int) -> str:
    return f"{num}/{den} = {num / den:.1%}" if den else "-"


def measure(label: str, path: Path, verbose: bool) -> list[float]:
    """Print the figures of one set and return the triage times in ms."""
    posts = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    times: list[float] = []
    stats = {
        lang: {"urgent": 0, "caught": 0, "kind": 0, "escalated": 0, "true": 0, "n": 0}
        for lang in LANGS
    }
    unreadable = {lang: 0 for lang in LANGS}
    notes: list[str] = []
    for post in posts:
        start = time.perf_counter()
        result = triage(post["text"])
        times.append((time.perf_counter() - start) * 1000)
        lang = post.get("lang", "en")
        row = stats[lang]
        row["n"] += 1
        urgent = result.priority is Priority.URGENT
        labelled = post["kind"] in URGENT
        said = getattr(result, "language", None)
        if said not in (None, "en", "es"):
            unreadable[lang] += 1
        if labelled:
            row["urgent"] += 1
            row["caught"] += urgent
            row["kind"] += str(result.kind) == post["kind"]
        if urgent:
            row["escalated"] += 1
            row["true"] += labelled
        if labelled != urgent:
            tag = "MISSED" if labelled else "ESCALATED"
            notes.append(f"{tag:9} {post['id']} [{result.kind}] {post['text']!r}")
            if result.reasons:
                notes.append(f"{'':9} reasons: {'; '.join(result.reasons)}")

    print(f"== {label}: {path.relative_to(ROOT)} ({len(posts)} posts)")
    print(
        f"{'lang':6} {'posts':>5}  {'urgent recall':18} {'right kind':10} {'precision':18} "
        "said unreadable"
    )
    total = {k: 0 for k in ("urgent", "caught", "kind", "escalated", "true", "n")}
    for lang in LANGS:
        row = stats[lang]
        if not row["n"]:
            continue
        for key in total:
            total[key] += row[key]
        print(
            f"{lang:6} {row['n']:>5}  {_ratio(row['caught'], row['urgent']):18} "
            f"{row['kind']:>3}/{row['urgent']:<6} {_ratio(row['true'], row['escalated']):18} "
            f"{unreadable[lang]}"
        )
    print(
        f"{'all':6} {total['n']:>5}  {_ratio(total['caught'], total['urgent']):18} "
        f"{total['kind']:>3}/{total['urgent']:<6} {_ratio(total['true'], total['escalated']):18} "
        f"{sum(unreadable.values())}"
    )
    if verbose:
        print("\n".join(notes))
    print()
    return times


def main() -> None:
    """Measure each set that exists and print the median triage time."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, action="append", help="measure only this file")
    parser.add_argument("--verbose", action="store_true", help="list misses and escalations")
    args = parser.parse_args()
    todo = (
        [(f"file {p.name}", p.resolve()) for p in args.file]
        if args.file
        else [(label, path) for label, path in SETS.items() if path.is_file()]
    )
    times: list[float] = []
    for label, path in todo:
        times += measure(label, path, args.verbose)
    print(f"triage median {statistics.median(times):.2f} ms, max {max(times):.2f} ms per post")


if __name__ == "__main__":
    main()
