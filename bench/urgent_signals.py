"""Print what the urgency rules, the urgency classifier and both together catch on a blind set.

    PYTHONPATH=src python bench/urgent_signals.py [--file F] [--data DIR] [--verbose]

Default set: tests/core/triage/blind2_urgent_posts.jsonl, written before the rules or any training
data were read and never used to train the classifier or choose its threshold. A post is caught
when it is escalated (emergency or crisis); "right kind" counts those filed under their own kind.
False escalations are counted on the set's ordinary posts (hard negatives) and, with ``--data``,
on the real comments and reviews (nhs_fft_multilabel.jsonl, provider_reviews.jsonl), of which the
classifier saw a seeded sample of 3,000 in training (scripts/train_urgent.py prints the rate on
the unseen rest). Speed is the median time of ``triage`` per post over the set.
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
from safereply.core.triage.rules import crisis_reasons, emergency_reasons, normalise  # noqa: E402
from safereply.core.triage.urgent import urgent_signal  # noqa: E402

BLIND2 = ROOT / "tests/core/triage/blind2_urgent_posts.jsonl"
URGENT = ("emergency", "crisis")
SIGNALS = ("rules", "classifier", "combined")


def decide(text: str) -> dict[str, str | None]:
    """Return the urgent kind (or None) each signal gives one post."""
    norm = normalise(text)
    rules = "crisis" if crisis_reasons(norm) else "emergency" if emergency_reasons(norm) else None
    signal = urgent_signal(text)
    combined = triage(text).kind.value
    return {
        "rules": rules,
        "classifier": signal.kind.value if signal else None,
        "combined": combined if combined in URGENT else None,
    }


def _real_texts(data: Path) -> list[str]:
    texts = []
    for name in ("nhs_fft_multilabel.jsonl", "provider_reviews.jsonl"):
        with (data / name).open(encoding="utf-8") as handle:
            for line in handle:
                text = (json.loads(line).get("text") or "").strip() if line.strip() else ""
                if text:
                    texts.append(text)
    return texts


def main() -> None:
    """Print recall, right kind and false escalations per signal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=BLIND2)
    parser.add_argument("--data", type=Path, help="folder with the real comment files")
    parser.add_argument("--verbose", action="store_true", help="list misses and escalations")
    args = parser.parse_args()
    posts = [json.loads(line) for line in args.file.read_text(encoding="utf-8").splitlines()]

    caught = {(s, k): 0 for s in SIGNALS for k in URGENT}
    exact = {(s, k): 0 for s in SIGNALS for k in URGENT}
    false = dict.fromkeys(SIGNALS, 0)
    total = dict.fromkeys(URGENT, 0)
    calm = 0
    lines: list[str] = []
    for post in posts:
        got = decide(post["text"])
        if post["kind"] in URGENT:
            total[post["kind"]] += 1
            for s in SIGNALS:
                caught[s, post["kind"]] += got[s] is not None
                exact[s, post["kind"]] += got[s] == post["kind"]
            if got["combined"] is None or got["rules"] is None:
                lines.append(f"{post['id']} {got} {post['text']!r}")
        else:
            calm += 1
            for s in SIGNALS:
                false[s] += got[s] is not None
            if got["combined"] is not None:
                lines.append(f"ESCALATED {post['id']} {got} {post['text']!r}")

    sizes = f"{total['crisis']} crisis, {total['emergency']} emergency, {calm} ordinary"
    print(f"{args.file.name}: {sizes}")
    for s in SIGNALS:
        parts = [
            f"{k} {caught[s, k]}/{total[k]} = {caught[s, k] / total[k]:.1%} "
            f"(right kind {exact[s, k]})"
            for k in ("crisis", "emergency")
        ]
        both = sum(caught[s, k] for k in URGENT) / sum(total.values())
        parts.append(f"urgent {both:.1%}")
        parts.append(f"false escalations {false[s]}/{calm} = {false[s] / calm:.1%}")
        print(f"{s:10} " + "; ".join(parts))

    if args.data:
        texts = _real_texts(args.data)
        # The same seeded split as training: these rows were never seen by the classifier.
        sys.path.insert(0, str(ROOT / "scripts"))
        from train_urgent import Params, sample_index

        trained = sample_index(len(texts), Params.real_sample)
        flagged = {(s, part): 0 for s in SIGNALS for part in ("all", "unseen")}
        for index, text in enumerate(texts):
            got = decide(text)
            for s in SIGNALS:
                flagged[s, "all"] += got[s] is not None
                flagged[s, "unseen"] += got[s] is not None and index not in trained
        n_unseen = len(texts) - len(trained)
        for s in SIGNALS:
            every, fresh = flagged[s, "all"], flagged[s, "unseen"]
            print(
                f"{s:10} real comments escalated {every}/{len(texts)} = {every / len(texts):.2%}"
                f"; unseen by the classifier {fresh}/{n_unseen} = {fresh / n_unseen:.2%}"
            )

    times = []
    for post in posts:
        start = time.perf_counter()
        triage(post["text"])
        times.append((time.perf_counter() - start) * 1000)
    print(f"triage median {statistics.median(times):.2f} ms, max {max(times):.2f} ms per post")
    if args.verbose:
        print("\n".join(lines))


if __name__ == "__main__":
    main()
