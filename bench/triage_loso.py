"""Leave one spent set out: how triage does on a writer it was not trained on (session 10).

    python bench/triage_loso.py --nhs /work/shared/data/nhs_fft_multilabel.jsonl \\
        --reviews /work/shared/data/provider_reviews.jsonl [--sets triage_blind2 ...] [--jobs 2]

For each spent blind set (``data/triage_blind2`` to ``data/triage_blind6``) in turn, the model is
trained on every default input of ``scripts/train_triage.py`` but that set (and without any
training post whose text is word for word in it: writers repeat a line now and then), then
triage, with that model, is measured on the set left out (``bench/triage_blind2.py``'s
figures): kinds without and with a rating, topic micro-F1 and precision. The average over the
sets is the figure to move: rules and shapes read off one writer's posts score well on that
writer and not on the next, so accuracy on a set that was read is no estimate.

The rules of ``engine`` and ``kinds.SHAPES`` were read off these sets (sessions 6-9), so even
these figures are optimistic for a new writer; they are honest about the model and its training.
Needs scikit-learn (the ``train`` extra).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402
from train_triage import (  # noqa: E402
    DEFAULT_POSTS,
    REVIEW_LABELS,
    SPENT_BLIND,
    Corpus,
    Params,
    load_corpus,
    train,
)
from triage_blind2 import evaluate_blind2, load_blind2  # noqa: E402

from safereply.core.triage import engine  # noqa: E402
from safereply.core.triage.model import LinearTextModel  # noqa: E402

#: The figures printed per set (``evaluate_blind2``'s keys).
FIGURES = ("kind_unrated", "kind_rating", "topic_f1", "topic_precision")


def held_out_posts(posts: Sequence[Path], held: str) -> list[Path]:
    """Return the training inputs without the files of the spent set ``held``."""
    return [Path(p) for p in posts if Path(p).parent.name != held]


def fold_corpus(
    held: str, nhs: Path, reviews: Path | None, labels: Path | None, posts: Sequence[Path]
) -> Corpus:
    """The training corpus without ``held``: its files, and any row whose text (or whose post's
    text, for an aspect's evidence) is word for word one of its posts."""
    corpus = load_corpus(nhs, reviews, labels, held_out_posts(posts, held))
    seen = {row["text"].strip() for row in load_blind2(ROOT / "data" / held)}
    leaked = {int(corpus.group[i]) for i, text in enumerate(corpus.texts) if text in seen}
    return corpus.subset(np.flatnonzero(~np.isin(corpus.group, sorted(leaked))))


def measure(model: dict, held: str) -> dict[str, float]:
    """Triage the set ``held`` with ``model``; return its figures."""
    text_model = LinearTextModel(model)
    engine.default_model = lambda: text_model  # type: ignore[assignment]
    figures = evaluate_blind2(load_blind2(ROOT / "data" / held))
    return {key: float(figures[key]) for key in FIGURES}


def fold_figures(
    held: str,
    nhs: Path,
    reviews: Path | None,
    labels: Path | None,
    posts: Sequence[Path],
    params: Params,
) -> dict[str, float]:
    """Train without ``held`` (``fold_corpus``) and return its figures."""
    return measure(train(fold_corpus(held, nhs, reviews, labels, posts), params), held)


def run(
    sets: Sequence[str],
    nhs: Path,
    reviews: Path | None,
    labels: Path | None,
    posts: Sequence[Path],
    params: Params,
    jobs: int = 1,
) -> dict[str, dict[str, float]]:
    """Return each set's figures when left out, and their mean (``"mean"``)."""
    args = [(held, nhs, reviews, labels, posts, params) for held in sets]
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            results = list(pool.map(fold_figures, *zip(*args, strict=True)))
    else:
        results = [fold_figures(*a) for a in args]
    table = dict(zip(sets, results, strict=True))
    table["mean"] = {key: float(np.mean([r[key] for r in results])) for key in FIGURES}
    return table


def report(table: dict[str, dict[str, float]], title: str) -> None:
    """Print the table: one line per set left out, then the mean."""
    print(f"\n{title}")
    print(f"  {'left out':<14}" + "".join(f"{k:>16}" for k in FIGURES))
    for held, row in table.items():
        print(f"  {held:<14}" + "".join(f"{row[k]:>16.3f}" for k in FIGURES))


def main(argv: Sequence[str] | None = None) -> int:
    """Leave each spent set out in turn; print the table (and write it as JSON with --out)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nhs", type=Path, required=True, help="nhs_fft_multilabel.jsonl")
    parser.add_argument("--reviews", type=Path, help="provider_reviews.jsonl")
    parser.add_argument("--review-labels", type=Path, default=REVIEW_LABELS)
    parser.add_argument("--sets", nargs="*", default=list(SPENT_BLIND), help="sets to leave out")
    parser.add_argument("--posts", type=Path, nargs="*", default=list(DEFAULT_POSTS))
    parser.add_argument("--jobs", type=int, default=1, help="sets trained at once")
    parser.add_argument("--out", type=Path, help="write the table here as JSON")
    args = parser.parse_args(argv)
    unknown = [s for s in args.sets if s not in SPENT_BLIND]
    if unknown:
        parser.error(f"not a spent set: {', '.join(unknown)}")
    labels = args.review_labels if args.reviews else None
    table = run(args.sets, args.nhs, args.reviews, labels, args.posts, Params(), args.jobs)
    report(table, "Leave one spent set out (trained on the rest, measured on the one left out)")
    if args.out:
        args.out.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
