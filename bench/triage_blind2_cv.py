"""Cross-validated triage figures on the spent second blind set (session 6).

    python bench/triage_blind2_cv.py --nhs ../shared/data/nhs_fft_multilabel.jsonl \\
        --reviews ../shared/data/provider_reviews.jsonl [--folds 4]

``data/triage_blind2`` was measured once (session 5) and is training data since session 6. To
say what training on it is worth without measuring on posts the model was fitted on, its posts
are split into folds (by a hash of the id, so the split never changes); for each fold the model
is retrained on everything else (every other training input and the other folds of the set) and
triages that fold. The figures printed are pooled over the folds: **cross-validated**, an
estimate for posts like these, not a blind figure (the rules were tuned on the set after it was
spent). ``--without`` leaves the set out of training altogether (the session-5 training inputs),
for the same figures on the same folds without it. Minutes per fold.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))

import triage_blind2  # noqa: E402
from train_triage import DEFAULT_POSTS, REVIEW_LABELS, load_corpus, train  # noqa: E402

from safereply.core.triage.engine import triage_with  # noqa: E402
from safereply.core.triage.model import LinearTextModel  # noqa: E402

BLIND2 = ROOT / "data/triage_blind2"


def fold_of(row_id: str, folds: int) -> int:
    """The fold of a post: a hash of its id, so the split is the same on every run."""
    return int(hashlib.sha1(row_id.encode()).hexdigest(), 16) % folds


def fold_models(args: argparse.Namespace, rows: list[dict]) -> dict[str, LinearTextModel]:
    """Return, for each post's text, the model that was trained without its fold."""
    others = [p for p in DEFAULT_POSTS if BLIND2 not in p.parents]
    by_text: dict[str, LinearTextModel] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.folds):
            held = [r for r in rows if fold_of(r["id"], args.folds) == k]
            rest = Path(tmp) / f"spent2-not-fold-{k}.jsonl"
            rest.write_text(
                "".join(
                    json.dumps(r, ensure_ascii=False) + "\n"
                    for r in rows
                    if fold_of(r["id"], args.folds) != k
                ),
                encoding="utf-8",
            )
            posts = [*others, rest]
            corpus = load_corpus(args.nhs, args.reviews, REVIEW_LABELS, posts)
            model = LinearTextModel(train(corpus))
            print(f"fold {k + 1}/{args.folds}: {len(held)} posts held out", file=sys.stderr)
            for row in held:
                by_text[row["text"]] = model
    return by_text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nhs", type=Path, required=True)
    parser.add_argument("--reviews", type=Path, required=True)
    parser.add_argument("--folds", type=int, default=4)
    args = parser.parse_args()
    rows = triage_blind2.load_blind2(BLIND2)
    models = fold_models(args, rows)

    def fold_triage(text: str, platform: str | None = None, rating: float | None = None):
        return triage_with(models[text], text, platform=platform, rating=rating)

    triage_blind2.triage = fold_triage  # type: ignore[assignment]
    title = (
        f"{BLIND2.name}, {args.folds}-fold CROSS-VALIDATED (each fold held out, the rest trained"
        " on; the rules were tuned on the set)"
    )
    triage_blind2.report_blind2(triage_blind2.evaluate_blind2(rows), title)
    return 0


if __name__ == "__main__":
    sys.exit(main())
