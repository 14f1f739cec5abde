"""Print how well the reply linter catches violations, next to Presidio's analyzer alone.

Usage::

    PYTHONPATH=src python bench/lint_quality.py [--data DIR] [--show] [--no-presidio]

Passes:

0. the development set (data/lint_dev, written and labelled for this project): its train split
   (trained on) and tune split (thresholds tuned on); with ``--blind`` also its blind split and the
   round-3 real replies (tests/core/lint/corpus/ratemds_holdout3.jsonl), which nothing was fitted
   or tuned on: measure those once, at the end of a piece of work; ``--blind2`` measures only the
   second blind set (data/lint_blind2, same format as data/lint_dev), written after session 4's
   rules and read by no one who works on them (spent since session 5); ``--blind3`` measures only
   the third blind set (data/lint_blind3, written in session 6 the same way; spent since), and
   ``--blind4`` the fourth (data/lint_blind4, session 7; spent since), ``--blind5`` the fifth
   (data/lint_blind5, session 8; spent since), ``--blind6`` the sixth (data/lint_blind6,
   session 9; measured once by the lead, spent since), and ``--blind7`` the seventh
   (data/lint_blind7, written in session 10 and measured once, by the lead, at its end);
1. the hand-labelled corpus (tests/core/lint/corpus/replies.jsonl, linted with its practice.toml);
   the rules were tuned and the learned signal trained on it;
2. real RateMDs replies labelled by id (round 0, tests/core/lint/corpus/ratemds_labels.jsonl; the
   text is read from DIR/ratemds_practice_replies.jsonl, never copied into the repository);
3. rounds 1 and 2 of real replies (ratemds_holdout.jsonl, ratemds_holdout2.jsonl), blind when
   first measured in sessions 1 and 2, trained on by the learned signal since session 3;
4. the real reviews (DIR/provider_reviews.jsonl and the RateMDs review_text) checked as if they
   were replies, to see which rules fire on ordinary patient prose (false-positive hunting).

For each labelled set it prints per-category recall and precision, the share of violating replies
blocked (and, separately, the share of tone/missing-contact-path-only replies flagged), and the
share of compliant replies blocked and warned; the baseline treats any Presidio entity as a flag.
``--show`` lists every miss and false positive with its id and the text that fired.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    RATEMDS_HOLDOUT,
    RATEMDS_HOLDOUT2,
    RATEMDS_HOLDOUT3,
    Case,
    data_dir,
    load_corpus,
    load_presidio,
    load_ratemds_labelled,
    real_reviews,
)

from safereply.core.lint import Report, default_linter
from safereply.core.vocab import BLOCKING_CATEGORIES, Category, Verdict

CATEGORIES = [str(c) for c in Category]
NON_BLOCKING = {str(Category.TONE), str(Category.MISSING_CONTACT_PATH)}
BLOCKING = {str(c) for c in BLOCKING_CATEGORIES}


@dataclass
class Scored:
    """One case with what our linter and the baseline said about it."""

    case: Case
    report: Report
    entities: list[Any] | None  # Presidio results, None when the baseline did not run

    @property
    def found(self) -> frozenset[str]:
        """Return the categories our linter found."""
        return self.report.categories

    @property
    def caught(self) -> bool:
        """Return True when the reply is stopped for one of its labelled categories.

        A reply with a blocking label must be blocked and have a finding in a labelled category;
        a reply labelled only tone/missing-contact-path must have a finding in a labelled category.
        """
        labels = self.case.labels
        in_label = bool(self.found & labels)
        if labels & BLOCKING:
            return self.report.verdict is Verdict.BLOCK and in_label
        return in_label


def pct(n: int, d: int) -> str:
    """Return ``n/d`` as a percentage with the counts, or a dash when ``d`` is zero."""
    return f"{100 * n / d:5.1f}% ({n}/{d})" if d else "    -"


def score(
    cases: Sequence[Case], analyze: Callable[[str], list[Any]] | None
) -> tuple[list[Scored], float, float]:
    """Run our linter (and the baseline when given) over the cases; return results and seconds."""
    linter = default_linter()
    ours = 0.0
    theirs = 0.0
    out = []
    for case in cases:
        t0 = time.perf_counter()
        report = linter.check(case.reply, post=case.post, practice=case.practice)
        t1 = time.perf_counter()
        entities = analyze(case.reply) if analyze else None
        t2 = time.perf_counter()
        ours += t1 - t0
        theirs += t2 - t1
        out.append(Scored(case, report, entities))
    return out, ours, theirs


def print_quality(title: str, results: list[Scored], *, show: bool) -> dict[str, Any]:
    """Print the quality table for one labelled set; return the headline figures."""
    violating = [r for r in results if r.case.labels]
    compliant = [r for r in results if not r.case.labels]
    with_blocking = [r for r in violating if r.case.labels & BLOCKING]
    soft_only = [r for r in violating if not r.case.labels & BLOCKING]
    baseline = all(r.entities is not None for r in results) and bool(results)

    print(
        f"\n== {title}: {len(results)} replies, {len(violating)} violating, "
        f"{len(compliant)} compliant"
    )
    caught = sum(r.caught for r in violating)
    blocked = sum(r.report.verdict is Verdict.BLOCK for r in with_blocking)
    soft_flagged = sum(r.report.verdict is not Verdict.PASS for r in soft_only)
    comp_blocked = sum(r.report.verdict is Verdict.BLOCK for r in compliant)
    comp_warned = sum(r.report.verdict is Verdict.WARN for r in compliant)
    any_flag = sum(r.report.verdict is not Verdict.PASS for r in violating)
    print(f"violating caught in a labelled category      {pct(caught, len(violating))}")
    print(f"violating flagged at all (block or warn)     {pct(any_flag, len(violating))}")
    print(f"  with a blocking label: blocked             {pct(blocked, len(with_blocking))}")
    print(f"  tone/missing-contact-path only: flagged    {pct(soft_flagged, len(soft_only))}")
    print(f"compliant blocked                            {pct(comp_blocked, len(compliant))}")
    print(f"compliant warned                             {pct(comp_warned, len(compliant))}")
    # Real practices have no profile here, so their own phone/e-mail/address look like the
    # poster's (ID004/ID005): show how many compliant blocks are only that.
    contact_only = sum(
        r.report.verdict is Verdict.BLOCK
        and all(f.code in ("ID004", "ID005") for f in r.report.findings if f.blocks)
        for r in compliant
    )
    if contact_only:
        print(f"  of which blocked only by a phone/e-mail/address (ID004/ID005): {contact_only}")
    if baseline:
        p_viol = sum(bool(r.entities) for r in violating)
        p_comp = sum(bool(r.entities) for r in compliant)
        print(f"Presidio: violating flagged (any entity)     {pct(p_viol, len(violating))}")
        print(f"Presidio: compliant flagged (any entity)     {pct(p_comp, len(compliant))}")

    header = f"{'category':22} {'n':>4}  {'recall':>16}  {'precision':>16}"
    if baseline:
        header += f"  {'Presidio recall':>16}"
    print("\n" + header)
    for cat in CATEGORIES:
        labelled = [r for r in results if cat in r.case.labels]
        flagged = [r for r in results if cat in r.found]
        hit = sum(cat in r.found for r in labelled)
        correct = sum(cat in r.case.labels for r in flagged)
        line = f"{cat:22} {len(labelled):>4}  {pct(hit, len(labelled)):>16}  "
        line += f"{pct(correct, len(flagged)):>16}"
        if baseline:
            line += f"  {pct(sum(bool(r.entities) for r in labelled), len(labelled)):>16}"
        print(line)
    echo = [r for r in violating if r.case.echo]
    if echo:
        echo_hit = sum(bool(r.found & r.case.labels) for r in echo)
        echo_rule = sum(any(f.code.startswith("EC") for f in r.report.findings) for r in echo)
        print(
            f"{'echo (flag)':22} {len(echo):>4}  {pct(echo_hit, len(echo)):>16}  "
            f"(an EC rule fired: {echo_rule})"
        )

    _print_targets(results)
    if show:
        _show(results)
    out = {
        "caught": caught / len(violating) if violating else 0.0,
        "compliant_blocked": comp_blocked / len(compliant) if compliant else 0.0,
    }
    return out


def _finding_text(report: Report, categories: set[str] | None = None) -> str:
    return "; ".join(
        f"{f.code}[{f.text[:50]!r}]"
        for f in report.findings
        if categories is None or str(f.category) in categories
    )


def _show(results: list[Scored]) -> None:
    print("\n-- misses (labelled category not found) --")
    for r in results:
        missing = sorted(r.case.labels - r.found)
        if missing:
            got = _finding_text(r.report) or "no findings"
            print(
                f"{r.case.id:24} missed {','.join(missing)} | {r.case.reply[:110]!r} | got: {got}"
            )
    print("\n-- false positives (category found but not labelled) --")
    for r in results:
        extra = set(r.found - r.case.labels)
        if extra:
            print(
                f"{r.case.id:24} {','.join(sorted(extra))}: {_finding_text(r.report, extra)} "
                f"| {r.case.reply[:90]!r}"
            )
    if results and results[0].entities is not None:
        print("\n-- Presidio on compliant replies (false positives) --")
        for r in results:
            if not r.case.labels and r.entities:
                ents = ", ".join(
                    f"{e.entity_type}[{r.case.reply[e.start : e.end]!r}]" for e in r.entities
                )
                print(f"{r.case.id:24} {ents}")


def review_pass(data: Path, *, show: bool) -> None:
    """Lint real reviews as if they were replies and print which rules fire how often."""
    reviews = real_reviews(data)
    if not reviews:
        print(f"\n== real reviews as replies: none found in {data}")
        return
    linter = default_linter()
    per_code: Counter[str] = Counter()
    per_cat: Counter[str] = Counter()
    samples: dict[str, list[str]] = defaultdict(list)
    verdicts: Counter[str] = Counter()
    for rid, text in reviews:
        report = linter.check(text[:10_000])
        verdicts[str(report.verdict)] += 1
        for code in {f.code for f in report.findings}:
            per_code[code] += 1
        for cat in report.categories:
            per_cat[cat] += 1
        for f in report.findings:
            if len(samples[f.code]) < 8:
                samples[f.code].append(f"{rid}: {f.text[:60]!r}")
    n = len(reviews)
    print(
        f"\n== real reviews checked as replies: {n} texts (patients' own words: most rules "
        "should fire, this pass shows what fires on ordinary prose)"
    )
    print("verdicts: " + ", ".join(f"{v} {pct(c, n)}" for v, c in verdicts.most_common()))
    print("categories: " + ", ".join(f"{c} {100 * k / n:.1f}%" for c, k in per_cat.most_common()))
    print("top rules (texts where the rule fired):")
    for code, count in per_code.most_common(25):
        print(f"  {code:6} {pct(count, n)}")
        if show:
            for sample in samples[code]:
                print(f"         {sample}")


def _print_targets(results: list[Scored]) -> None:
    """Print the issue-10 headline figures: blocked, each category found, compliant rates."""
    with_blocking = [r for r in results if r.case.labels & BLOCKING]
    compliant = [r for r in results if not r.case.labels]
    blocked = sum(r.report.verdict is Verdict.BLOCK for r in with_blocking)
    parts = [f"violating blocked {pct(blocked, len(with_blocking)).strip()}"]
    for cat in CATEGORIES:
        labelled = [r for r in results if cat in r.case.labels]
        if labelled and cat != str(Category.MISSING_CONTACT_PATH):
            hit = sum(cat in r.found for r in labelled)
            parts.append(f"{cat} found {100 * hit / len(labelled):.1f}%")
    comp_blocked = sum(r.report.verdict is Verdict.BLOCK for r in compliant)
    comp_warned = sum(r.report.verdict is Verdict.WARN for r in compliant)
    parts.append(f"compliant blocked {pct(comp_blocked, len(compliant)).strip()}")
    parts.append(f"warned {pct(comp_warned, len(compliant)).strip()}")
    print("targets: " + "; ".join(parts))


def dev_cases(split: str) -> list[Case]:
    """Return one split of the development set (data/lint_dev) as cases, linted without a profile.

    The replies were written for many invented practices; the office's own phone or address in
    them is presented as the office's, which the linter must recognise without a profile.
    """
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    from lint_data import load_dev

    return [
        Case(id=r.id, reply=r.reply, post=r.post, labels=r.labels, echo=False, practice=None)
        for r in load_dev(split)
    ]


#: The second blind set (issue 10), written after session 4's rules: measured once, by the lead.
BLIND2_DIR = Path(__file__).resolve().parents[1] / "data" / "lint_blind2"
#: The third blind set (issue 10), written in session 6: measured once, by the lead (spent).
BLIND3_DIR = Path(__file__).resolve().parents[1] / "data" / "lint_blind3"
#: The fourth blind set (issue 10), written in session 7: measured once, by the lead (spent).
BLIND4_DIR = Path(__file__).resolve().parents[1] / "data" / "lint_blind4"
#: The fifth blind set (issue 10), written in session 8: measured once, by the lead (spent).
BLIND5_DIR = Path(__file__).resolve().parents[1] / "data" / "lint_blind5"
#: The sixth blind set (issue 10), written in session 9: measured once, by the lead (spent).
BLIND6_DIR = Path(__file__).resolve().parents[1] / "data" / "lint_blind6"
#: The seventh blind set (issue 10), written in session 10: measured once, by the lead.
BLIND7_DIR = Path(__file__).resolve().parents[1] / "data" / "lint_blind7"


def whole_blind_sets() -> dict[str, tuple[Path, str]]:
    """Return the folders whose every reply is blind, by flag, with the title each is printed
    under (read when called, so a test can point a flag at a folder of its own)."""
    return {
        "blind3": (
            BLIND3_DIR,
            "third blind set (data/lint_blind3; SPENT since session 6: read and tuned on in "
            "session 7)",
        ),
        "blind4": (
            BLIND4_DIR,
            "fourth blind set (data/lint_blind4; SPENT since session 7: read and tuned on in "
            "session 8)",
        ),
        "blind5": (
            BLIND5_DIR,
            "fifth blind set (data/lint_blind5; SPENT since session 8: read and tuned on in "
            "session 9)",
        ),
        "blind6": (
            BLIND6_DIR,
            "sixth blind set (data/lint_blind6; SPENT since session 9: measured once, then read)",
        ),
        "blind7": (
            BLIND7_DIR,
            "seventh blind set (data/lint_blind7; BLIND: written in session 10, measured once)",
        ),
    }


def blind2_cases(directory: Path = BLIND2_DIR) -> list[Case]:
    """Return every reply of the second blind set (``data/lint_blind2/*.jsonl``, the format of
    ``data/lint_dev``, see its GUIDE.md), linted without a profile like the development set.

    Raises:
        SystemExit: the folder holds no ``*.jsonl`` file, or a row is malformed (with its line).
    """
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    from lint_data import load_dev

    if not sorted(directory.glob("*.jsonl")):
        raise SystemExit(f"{directory}: no *.jsonl files")
    return [
        Case(id=r.id, reply=r.reply, post=r.post, labels=r.labels, echo=False, practice=None)
        for r in load_dev(None, directory)
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the quality bench; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="data directory (default: ../shared/data beside the repo)")
    parser.add_argument("--show", action="store_true", help="list misses and false positives")
    parser.add_argument("--no-presidio", action="store_true", help="skip the Presidio baseline")
    parser.add_argument("--no-reviews", action="store_true", help="skip the real-review pass")
    parser.add_argument(
        "--blind",
        action="store_true",
        help="also measure the blind sets (the dev blind split and real round 3): once, at the end",
    )
    parser.add_argument("--dev-only", action="store_true", help="only the development set")
    parser.add_argument(
        "--blind2",
        action="store_true",
        help="measure only the second blind set, data/lint_blind2/*.jsonl: once, at the end",
    )
    parser.add_argument(
        "--blind3",
        action="store_true",
        help="measure only the third blind set, data/lint_blind3/*.jsonl (spent since session 6)",
    )
    parser.add_argument(
        "--blind4",
        action="store_true",
        help="measure only the fourth blind set, data/lint_blind4/*.jsonl (spent since session 7)",
    )
    parser.add_argument(
        "--blind5",
        action="store_true",
        help="measure only the fifth blind set, data/lint_blind5/*.jsonl (spent since session 8)",
    )
    parser.add_argument(
        "--blind6",
        action="store_true",
        help="measure only the sixth blind set, data/lint_blind6/*.jsonl (spent since session 9)",
    )
    parser.add_argument(
        "--blind7",
        action="store_true",
        help="measure only the seventh blind set, data/lint_blind7/*.jsonl: once, at the end",
    )
    args = parser.parse_args(argv)
    data = data_dir(args.data)
    for flag, (folder, title) in whole_blind_sets().items():
        if getattr(args, flag):
            analyze = None if args.no_presidio else load_presidio()[0]
            results, _, _ = score(blind2_cases(folder), analyze)
            print_quality(title, results, show=args.show)
            return 0
    if args.blind2:
        analyze = None if args.no_presidio else load_presidio()[0]
        results, _, _ = score(blind2_cases(BLIND2_DIR), analyze)
        print_quality(
            "second blind set (data/lint_blind2; SPENT since session 5: tuned on, maybe "
            "trained on)",
            results,
            show=args.show,
        )
        return 0

    analyze = None
    if not args.no_presidio:
        t0 = time.perf_counter()
        analyze, what = load_presidio()
        print(what + (f" (loaded in {time.perf_counter() - t0:.1f} s)" if analyze else ""))

    for split, what in (("train", "trained on"), ("tune", "thresholds tuned on")):
        results, ours, _ = score(dev_cases(split), analyze)
        print_quality(f"development set, {split} split ({what})", results, show=args.show)
    if args.blind:
        results, ours, _ = score(dev_cases("blind"), analyze)
        print_quality(
            "development set, blind split (SPENT since session 5: tuned on, maybe trained on)",
            results,
            show=args.show,
        )
        if RATEMDS_HOLDOUT3.exists():
            results, ours, _ = score(load_ratemds_labelled(data, RATEMDS_HOLDOUT3), analyze)
            print_quality(
                "real replies round 3 (blind in session 3, spent since; "
                "tests/core/lint/corpus/ratemds_holdout3.jsonl)",
                results,
                show=args.show,
            )
    if args.dev_only:
        return 0

    corpus = load_corpus()
    results, ours, theirs = score(corpus, analyze)
    print_quality("own corpus (tests/core/lint/corpus/replies.jsonl)", results, show=args.show)
    print(f"time: SafeReply {ours:.2f} s" + (f", Presidio {theirs:.2f} s" if analyze else ""))

    try:
        real = load_ratemds_labelled(data)
    except FileNotFoundError as exc:
        print(f"\n== labelled real replies skipped: {exc}")
    else:
        results, ours, theirs = score(real, analyze)
        print_quality(
            "real replies, round 0 (rules tuned and the learned signal trained on them)",
            results,
            show=args.show,
        )
        print(f"time: SafeReply {ours:.2f} s" + (f", Presidio {theirs:.2f} s" if analyze else ""))
        # Rounds 1 and 2 were blind when first measured; the learned signal has trained on them
        # since (session 3). Round 3 (--blind) is the blind real set now.
        holdout = load_ratemds_labelled(data, RATEMDS_HOLDOUT)
        results, ours, theirs = score(holdout, analyze)
        print_quality(
            "real replies, round 1 (blind in session 1; rules tuned and the learned signal "
            "trained on them since; tests/core/lint/corpus/ratemds_holdout.jsonl)",
            results,
            show=args.show,
        )
        print(f"time: SafeReply {ours:.2f} s" + (f", Presidio {theirs:.2f} s" if analyze else ""))
        if RATEMDS_HOLDOUT2.exists():
            holdout2 = load_ratemds_labelled(data, RATEMDS_HOLDOUT2)
            results, ours, theirs = score(holdout2, analyze)
            print_quality(
                "real replies, round 2 (blind in session 2; the learned signal trained on them "
                "since; tests/core/lint/corpus/ratemds_holdout2.jsonl)",
                results,
                show=args.show,
            )

    if not args.no_reviews:
        review_pass(data, show=args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
