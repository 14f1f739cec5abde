"""Print how good the composer's drafts and rewrites are.

Usage::

    PYTHONPATH=src python bench/compose_quality.py [--data DIR] [--seed N] [--show]

Figures, for the invented corpora under tests/core/compose/data (posts.jsonl with hand-labelled
kinds and topics, unsafe_replies.jsonl) and, with ``--data DIR``, for real posts
(DIR/provider_reviews.jsonl, triaged by ``safereply.triage``) and real practice replies
(DIR/ratemds_practice_replies.jsonl, rewritten against their reviews):

- the share of drafts and of rewrites that pass the linter (must be 100%);
- the share of complaint drafts that cite a matching recorded improvement when one exists;
- distinct replies per 100 complaints (how varied a page of replies reads);
- the share of X replies within 280 characters, fallbacks to the acknowledgement, and speed.

Real data is read from DIR and never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safereply import check, load_practice
from safereply.core.compose import draft, fix, weighted_length
from safereply.core.vocab import Verdict

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "core" / "compose" / "data"
DEFAULT_DATA = ROOT.parent / "shared" / "data"


@dataclass(frozen=True)
class _Labels:
    kind: str
    topics: tuple[str, ...]
    discloses_health: bool = False


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise SystemExit(f"{path}:{n}: not valid JSON: {exc}") from exc


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:5.1f}% ({n}/{d})" if d else "  n/a"


def _distinct_per_100(replies: list[str]) -> str:
    chunks = [replies[i : i + 100] for i in range(0, len(replies) - 99, 100)]
    if not chunks:
        return f"n/a (only {len(replies)} complaints)"
    counts = [len(set(c)) for c in chunks]
    return f"{sum(counts) / len(counts):.1f} (over {len(chunks)} page(s) of 100; min {min(counts)})"


def bench_drafts(
    title: str,
    posts: Iterable[dict[str, Any]],
    practice,
    *,
    labelled: bool,
    seed: int | None,
    show: bool,
) -> None:
    """Draft a reply to every post and print the figures."""
    n = passed = x_total = x_fit = fallback = 0
    kinds: Counter[str] = Counter()
    complaints: list[str] = []
    eligible = cited = 0
    start = time.perf_counter()
    for post in posts:
        triage = _Labels(post["kind"], tuple(post["topics"])) if labelled else None
        d = draft(
            post["text"],
            practice=practice,
            platform=post.get("platform"),
            rating=post.get("rating"),
            post_id=post["id"],
            triage_result=triage,
            seed=seed,
        )
        n += 1
        kinds[d.kind] += 1
        ok = d.kind == "spam" or (
            check(d.reply, post=post["text"], practice=practice).verdict is Verdict.PASS
        )
        passed += ok and d.verdict is Verdict.PASS
        if not ok and show:
            print(f"  NOT PASS {post['id']}: {d.reply!r}")
        fallback += d.source == "acknowledgement"
        if (post.get("platform") or "").lower() in ("x", "twitter"):
            x_total += 1
            x_fit += weighted_length(d.reply, "x") <= 280
        if d.kind == "complaint":
            complaints.append(d.reply)
            if any(practice.improvements_for(t) for t in d.topics):
                eligible += 1
                cited += d.cited_improvement is not None
    elapsed = time.perf_counter() - start
    print(f"\n{title}")
    print(
        f"  posts                          {n}  "
        f"({', '.join(f'{k} {v}' for k, v in kinds.most_common())})"
    )
    print(f"  drafts passing the linter      {_pct(passed, n)}")
    print(
        f"  complaints citing improvement  {_pct(cited, eligible)}  "
        "(of complaints whose topic has one)"
    )
    print(f"  distinct replies per 100 compl {_distinct_per_100(complaints)}")
    print(f"  X replies within 280 chars     {_pct(x_fit, x_total)}")
    print(f"  fell back to acknowledgement   {_pct(fallback, n)}")
    print(f"  speed                          {1000 * elapsed / max(n, 1):.1f} ms per draft")


def bench_fixes(
    title: str, items: Iterable[dict[str, Any]], practice, *, seed: int | None, show: bool
) -> None:
    """Rewrite every unsafe reply and print the figures."""
    n = flagged = passed = fallback = unchanged = 0
    actions: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    start = time.perf_counter()
    for item in items:
        reply, post = item["reply"], item.get("post")
        n += 1
        if check(reply, post=post, practice=practice).verdict is Verdict.PASS:
            continue
        flagged += 1
        result = fix(reply, post=post, practice=practice, seed=seed)
        ok = check(result.reply, post=post, practice=practice).verdict is Verdict.PASS
        passed += ok and result.verdict is Verdict.PASS
        if not ok and show:
            print(f"  NOT PASS {item['id']}: {result.reply!r}")
        for change in result.changes:
            actions[change.action] += 1
            if change.code:
                codes[change.code] += 1
        fallback += any(c.action == "fallback" for c in result.changes)
        unchanged += all(c.action in ("add", "edit") for c in result.changes)
    elapsed = time.perf_counter() - start
    print(f"\n{title}")
    print(f"  replies / flagged by the linter  {n} / {flagged}")
    print(f"  rewrites passing the linter      {_pct(passed, flagged)}")
    print(f"  kept every sentence (edits/adds) {_pct(unchanged, flagged)}")
    print(f"  fell back to acknowledgement     {_pct(fallback, flagged)}")
    print(f"  changes by action                {dict(actions.most_common())}")
    print(f"  changes by finding (top 8)       {dict(codes.most_common(8))}")
    print(
        f"  speed                            {1000 * elapsed / max(flagged, 1):.1f} ms per rewrite"
    )


def _real_posts(path: Path) -> Iterator[dict[str, Any]]:
    for row in _jsonl(path):
        text = (row.get("text") or "").strip()
        if text:
            yield {
                "id": row["id"],
                "text": text,
                "rating": row.get("rating"),
                "platform": row.get("platform"),
            }


def _real_replies(path: Path) -> Iterator[dict[str, Any]]:
    for row in _jsonl(path):
        reply = (row.get("reply_text") or "").strip()
        if reply:
            yield {"id": row["id"], "reply": reply, "post": row.get("review_text") or None}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return the exit status (1 when anything fails the linter)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data", type=Path, default=None, help=f"folder of the real data (e.g. {DEFAULT_DATA})"
    )
    parser.add_argument("--seed", type=int, default=None, help="variation seed")
    parser.add_argument("--show", action="store_true", help="print every reply that fails")
    args = parser.parse_args(argv)
    practice = load_practice(CORPUS / "practice.toml")
    print("SafeReply composer quality (practice: tests/core/compose/data/practice.toml)")
    posts = list(_jsonl(CORPUS / "posts.jsonl"))
    bench_drafts(
        "Invented posts, hand-labelled kind and topics",
        posts,
        practice,
        labelled=True,
        seed=args.seed,
        show=args.show,
    )
    bench_drafts(
        "Invented posts, kind and topics from safereply.triage",
        posts,
        practice,
        labelled=False,
        seed=args.seed,
        show=args.show,
    )
    bench_fixes(
        "Invented unsafe replies",
        _jsonl(CORPUS / "unsafe_replies.jsonl"),
        practice,
        seed=args.seed,
        show=args.show,
    )
    if args.data:
        reviews = args.data / "provider_reviews.jsonl"
        replies = args.data / "ratemds_practice_replies.jsonl"
        for path in (reviews, replies):
            if not path.exists():
                print(f"error: {path} not found", file=sys.stderr)
                return 2
        bench_drafts(
            f"Real reviews ({reviews.name}), triaged",
            _real_posts(reviews),
            practice,
            labelled=False,
            seed=args.seed,
            show=args.show,
        )
        bench_fixes(
            f"Real practice replies ({replies.name}) against their reviews",
            _real_replies(replies),
            practice,
            seed=args.seed,
            show=args.show,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
