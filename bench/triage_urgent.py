"""Print emergency/crisis recall and false escalations of triage on the first urgent-post set.

    PYTHONPATH=src python bench/triage_urgent.py [--verbose] [--file PATH]

The set (tests/core/triage/urgent_tuned_posts.jsonl, called the "blind urgent-post set" until issue
15) was written before the urgent rules were read: emergency and crisis posts, and tricky ordinary
posts (hyperbole, past stories, questions about emergency hours). It is no longer blind: the rules
were tuned on its misses and the urgency classifier is trained on it, so the figures here are
tuned-on figures (the honest blind ones: docs/triage-urgent.md). A post counts as caught when
triage makes it urgent (emergency or crisis); the figures also say how many were filed under the
right urgent kind. ``--verbose`` lists every miss and every false escalation with its reasons.
Speed is the median of triage over the whole set, and the worst case of a maximal post with no
sentence breaks.
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

from safereply.core.triage import MAX_TEXT, triage  # noqa: E402
from safereply.core.vocab import Priority  # noqa: E402

TUNED = ROOT / "tests/core/triage/urgent_tuned_posts.jsonl"
URGENT = ("emergency", "crisis")


def main() -> None:
    """Run triage over the set and print recall, exact kind and false escalations (tuned on)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=TUNED)
    parser.add_argument("--verbose", action="store_true", help="list misses and escalations")
    args = parser.parse_args()
    posts = [json.loads(line) for line in args.file.read_text(encoding="utf-8").splitlines()]

    times: list[float] = []
    misses: list[tuple[dict, object]] = []
    escalated: list[tuple[dict, object]] = []
    caught = {kind: 0 for kind in URGENT}
    exact = {kind: 0 for kind in URGENT}
    total = {kind: 0 for kind in URGENT}
    tricky = 0
    for post in posts:
        start = time.perf_counter()
        result = triage(post["text"])
        times.append((time.perf_counter() - start) * 1000)
        urgent = result.priority is Priority.URGENT
        if post["kind"] in URGENT:
            total[post["kind"]] += 1
            caught[post["kind"]] += urgent
            exact[post["kind"]] += str(result.kind) == post["kind"]
            if not urgent:
                misses.append((post, result))
        else:
            tricky += 1
            if urgent:
                escalated.append((post, result))

    print(f"{args.file.name}: tuned on (rules widened on it, the classifier trains on it)")
    for kind in URGENT:
        print(
            f"{kind:9} recall {caught[kind]}/{total[kind]} = {caught[kind] / total[kind]:.1%}"
            f"  (right kind {exact[kind]}/{total[kind]})"
        )
    print(f"false escalations {len(escalated)}/{tricky} = {len(escalated) / tricky:.1%}")
    print(f"median {statistics.median(times):.2f} ms, max {max(times):.2f} ms per post")
    # Long posts without sentence breaks are where a careless pattern turns quadratic.
    worst = 0.0
    for word in ("baby", "bleeding", "swollen", "sorry", "pills", "won't", "i"):
        text = ((word + " ") * (MAX_TEXT // (len(word) + 1)))[: MAX_TEXT - 1]
        start = time.perf_counter()
        triage(text)
        worst = max(worst, (time.perf_counter() - start) * 1000)
    print(f"worst case, a {MAX_TEXT:,}-character post of one repeated word: {worst:.0f} ms")
    if args.verbose:
        for label, rows in (("MISSED", misses), ("ESCALATED", escalated)):
            for post, result in rows:
                print(f"{label:9} {post['id']} [{result.kind}] {post['text']!r}")
                if result.reasons:
                    print(f"{'':9} reasons: {'; '.join(result.reasons)}")


if __name__ == "__main__":
    main()
