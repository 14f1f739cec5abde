"""Print (or check) the ids of the blind held-out sample of real RateMDs replies.

Usage::

    python bench/select_holdout.py [--data DIR] [--check]

The held-out sample is chosen by a fixed rule, so anyone can re-derive it from the data file:

1. drop every id already labelled in tests/core/lint/corpus/ratemds_labels.jsonl (the replies
   the rules were tuned on);
2. order the remaining rows by ``sha256(id)`` (hex digest, ascending): a stable order that has
   nothing to do with the text, the specialty or the file order;
3. walk that order and skip empty replies, non-English replies (more French/Spanish function words
   than English ones: about 20 in the file, all but one French) and replies whose text, with
   whitespace collapsed, equals a reply already labelled or already taken (templates);
4. keep the first 200 (round 1, ``ratemds_holdout.jsonl``); round 2 (``ratemds_holdout2.jsonl``,
   session 2, after round 1 had been used to fix rules) is the next 200 of the same walk.

``--check`` compares the selection with the ids in the round's label file and exits 1 when they
differ. The linter is never run here.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import RATEMDS_HOLDOUT, RATEMDS_HOLDOUT2, RATEMDS_LABELS, data_dir, read_jsonl

#: Size of the held-out sample.
HOLDOUT_SIZE = 200

# Function words only: content words ("docteur", "patient") are shared across the languages.
_ENGLISH_WORDS = "the and you your we our to of for is thank with in it that this i"
_FRENCH_SPANISH_WORDS = (
    "le la les de des du et est pour vous nous votre vos merci une un que qui dans avec pas je "
    "mon ma au aux sur très tres bien gracias por sus esperamos"
)
_ENGLISH = frozenset(_ENGLISH_WORDS.split())
_FRENCH_SPANISH = frozenset(_FRENCH_SPANISH_WORDS.split())
_WORD = re.compile(r"[a-zà-ÿ']+")


def is_english(text: str) -> bool:
    """Return True unless the text has more French/Spanish function words than English ones."""
    words = _WORD.findall(text.lower())
    english = sum(w in _ENGLISH for w in words)
    other = sum(w in _FRENCH_SPANISH for w in words)
    return english >= other


def normalise(text: str) -> str:
    """Return the text with runs of whitespace collapsed, to spot repeated templates."""
    return " ".join(text.split())


def select_holdout(
    rows: Iterable[dict[str, Any]], tuned_ids: set[str], size: int = HOLDOUT_SIZE
) -> list[str]:
    """Return the held-out ids in sha256(id) order (the rule in the module docstring).

    Args:
        rows: every row of ratemds_practice_replies.jsonl.
        tuned_ids: ids labelled for tuning (ratemds_labels.jsonl); never selected.
        size: how many ids to return.
    """
    rows = list(rows)
    seen = {normalise(r.get("reply_text") or "") for r in rows if r["id"] in tuned_ids}
    candidates = sorted(
        (r for r in rows if r["id"] not in tuned_ids),
        key=lambda r: hashlib.sha256(r["id"].encode("utf-8")).hexdigest(),
    )
    chosen: list[str] = []
    for row in candidates:
        text = normalise(row.get("reply_text") or "")
        if not text or not is_english(text) or text in seen:
            continue
        seen.add(text)
        chosen.append(row["id"])
        if len(chosen) == size:
            break
    return chosen


def main(argv: list[str] | None = None) -> int:
    """Print the selected ids, or check them against the held-out label file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="data directory (default: ../shared/data beside the repo)")
    parser.add_argument("--check", action="store_true", help="compare with the round's label file")
    parser.add_argument("--round", type=int, choices=(1, 2), default=1, help="held-out round")
    args = parser.parse_args(argv)
    labels = RATEMDS_HOLDOUT if args.round == 1 else RATEMDS_HOLDOUT2
    source = data_dir(args.data) / "ratemds_practice_replies.jsonl"
    if not source.exists():
        print(f"{source} not found (pass --data DIR)", file=sys.stderr)
        return 2
    tuned = {row["id"] for row in read_jsonl(RATEMDS_LABELS)}
    chosen = select_holdout(read_jsonl(source), tuned, size=HOLDOUT_SIZE * args.round)
    chosen = chosen[HOLDOUT_SIZE * (args.round - 1) :]
    if not args.check:
        print("\n".join(chosen))
        return 0
    labelled = [row["id"] for row in read_jsonl(labels)]
    if sorted(labelled) == sorted(chosen):
        print(f"{labels.name}: the {len(chosen)} ids match the selection rule")
        return 0
    print(
        f"{labels.name} differs from the selection rule: "
        f"{len(set(labelled) - set(chosen))} extra, {len(set(chosen) - set(labelled))} missing"
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
