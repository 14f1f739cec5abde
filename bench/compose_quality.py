"""Print how good the composer's drafts and rewrites are.

Usage::

    PYTHONPATH=src python bench/compose_quality.py [--data DIR] [--seed N] [--show]

Figures, for the invented corpora under tests/core/compose/data (posts.jsonl with hand-labelled
kinds and topics, unsafe_replies.jsonl) and, with ``--data DIR``, for real posts
(DIR/provider_reviews.jsonl, triaged by ``safereply.triage``) and real practice replies
(DIR/ratemds_practice_replies.jsonl, rewritten against their reviews):

- the share of drafts and of rewrites that pass the linter (must be 100%);
- the share of complaint drafts that cite a matching recorded improvement when one exists;
- distinct replies per 100 complaints, and variety per sentence: how many complaint drafts share
  their most common sentence, and how many sentences recur in more than 10% of them (the
  practice's sign-off aside);
- improvement citation precision and recall per topic, on posts whose topics were labelled by hand
  (tests/core/triage/data/triage_blind.jsonl and triage_dev.jsonl: a complaint is about a topic
  when an aspect of that topic is negative or mixed), with a profile that records one improvement
  for every topic;
- unsafe rewrites: a rewrite that does not pass the linter OR still has a leftover (a relative of
  the poster, a promise or report of contact, a day or date, a look at the records;
  ``safereply.core.compose.leftovers``), on every set of replies, including the linter's
  development set (data/lint_dev, the replies labelled unsafe);
- the share of X replies within 280 characters, fallbacks to the acknowledgement, and speed.

Real data is read from DIR and never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safereply import check, load_practice, parse_practice
from safereply.core.compose import draft, fix, weighted_length
from safereply.core.compose.leftovers import leftovers
from safereply.core.compose.rewriting import segment
from safereply.core.vocab import TOPICS, Verdict

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


def _sentence_variety(replies: list[str]) -> str:
    counts: Counter[str] = Counter()
    for reply in replies:
        for s in {seg.text for seg in segment(reply)}:
            if not s.startswith("—"):
                counts[re.sub(r"\(\d{3}\) \d{3}-\d{4}", "PHONE", s)] += 1
    if not counts:
        return "n/a"
    top, n = counts.most_common(1)[0]
    over = sum(1 for c in counts.values() if c > 0.1 * len(replies))
    return (
        f"most common sentence in {_pct(n, len(replies))} of drafts; "
        f"{over} sentence(s) in more than 10%; {len(counts)} distinct sentences\n"
        f"                                 (most common: {top[:70]!r})"
    )


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
    print(f"  sentence variety (complaints)  {_sentence_variety(complaints)}")
    first40 = complaints[:40]
    print(f"  ... over the first 40          {_sentence_variety(first40)}")
    print(f"  X replies within 280 chars     {_pct(x_fit, x_total)}")
    print(f"  fell back to acknowledgement   {_pct(fallback, n)}")
    print(f"  speed                          {1000 * elapsed / max(n, 1):.1f} ms per draft")


def bench_fixes(
    title: str, items: Iterable[dict[str, Any]], practice, *, seed: int | None, show: bool
) -> None:
    """Rewrite every unsafe reply and print the figures."""
    n = flagged = passed = fallback = unchanged = unreadable = unsafe = with_leftover = 0
    actions: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    start = time.perf_counter()
    for item in items:
        reply, post = item["reply"], item.get("post")
        n += 1
        if check(reply, post=post, practice=practice).verdict is Verdict.PASS and not leftovers(
            reply
        ):
            continue
        flagged += 1
        result = fix(reply, post=post, practice=practice, seed=seed)
        if result.reason:
            unreadable += 1  # a language the linter cannot read: left for a person, not rewritten
            continue
        ok = check(result.reply, post=post, practice=practice).verdict is Verdict.PASS
        passed += ok and result.verdict is Verdict.PASS
        left = leftovers(result.reply)
        with_leftover += bool(left)
        unsafe += not ok or bool(left)
        if (not ok or left) and show:
            print(f"  UNSAFE {item['id']}: {result.reply!r} {[x.text for x in left]}")
        for change in result.changes:
            actions[change.action] += 1
            if change.code:
                codes[change.code] += 1
        fallback += any(c.action == "fallback" for c in result.changes)
        unchanged += all(c.action in ("add", "edit") for c in result.changes)
    elapsed = time.perf_counter() - start
    print(f"\n{title}")
    rewritten = flagged - unreadable
    print(f"  replies / flagged (linter or leftover) {n} / {flagged}")
    print(f"  left as written: unreadable lang {unreadable}")
    print(f"  UNSAFE REWRITES                  {unsafe} of {rewritten}")
    print(f"  rewrites passing the linter      {_pct(passed, rewritten)}")
    print(f"  rewrites keeping a leftover      {with_leftover}")
    print(f"  kept every sentence (edits/adds) {_pct(unchanged, flagged)}")
    print(f"  fell back to acknowledgement     {_pct(fallback, flagged)}")
    print(f"  changes by action                {dict(actions.most_common())}")
    print(f"  changes by finding (top 8)       {dict(codes.most_common(8))}")
    print(
        f"  speed                            {1000 * elapsed / max(flagged, 1):.1f} ms per rewrite"
    )


def bench_citations(title: str, path: Path) -> None:
    """Citation precision and recall per topic against hand-labelled aspects."""
    practice = parse_practice(
        {
            "practice": {"name": "Bench Clinic", "phone": "(555) 010-0000"},
            "improvements": [
                {"topic": t, "text": f"improved {t.replace('-', ' ')} work"} for t in TOPICS
            ],
        }
    )
    topic_of = {i.text: i.topic for i in practice.improvements}
    cited: Counter[str] = Counter()
    right: Counter[str] = Counter()
    about: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    n = 0
    for row in _jsonl(path):
        if row["kind"] != "complaint":
            continue
        n += 1
        gold = {a["topic"] for a in row.get("aspects", []) if a["polarity"] != "positive"}
        # The kind is the label's; the topics are triage's, as in the product.
        from safereply.core.triage import triage

        tri = triage(row["text"], platform=row.get("platform"), rating=row.get("rating"))
        d = draft(
            row["text"],
            practice=practice,
            platform=row.get("platform"),
            rating=row.get("rating"),
            post_id=row["id"],
            triage_result=_Labels("complaint", tuple(str(t) for t in tri.topics)),
        )
        got = {topic_of[c] for c in d.cited_improvements}
        for t in got:
            cited[t] += 1
            right[t] += t in gold
        for t in gold:
            about[t] += 1
            hit[t] += t in got
    print(f"\n{title}: {n} complaints, one improvement recorded for every topic")
    print(f"  {'topic':15s} {'precision':>20s} {'recall':>20s}")
    for t in TOPICS:
        print(f"  {t:15s} {_pct(right[t], cited[t]):>20s} {_pct(hit[t], about[t]):>20s}")
    tot_r, tot_c, tot_h, tot_a = (sum(c.values()) for c in (right, cited, hit, about))
    print(f"  {'all':15s} {_pct(tot_r, tot_c):>20s} {_pct(tot_h, tot_a):>20s}")


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


def _lint_dev() -> Iterator[dict[str, Any]]:
    for path in sorted((ROOT / "data" / "lint_dev").glob("d*.jsonl")):
        for row in _jsonl(path):
            if row.get("labels"):
                yield {"id": row["id"], "reply": row["reply"], "post": row.get("post") or None}


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
    triage_data = ROOT / "tests" / "core" / "triage" / "data"
    bench_citations(
        "Citations, triage blind set (labelled aspects)", triage_data / "triage_blind.jsonl"
    )
    bench_citations("Citations, triage development set", triage_data / "triage_dev.jsonl")
    bench_fixes(
        "Linter development set (data/lint_dev), replies labelled unsafe, no profile",
        _lint_dev(),
        None,
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
            f"Real practice replies ({replies.name}) against their reviews, no profile",
            _real_replies(replies),
            None,
            seed=args.seed,
            show=args.show,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
