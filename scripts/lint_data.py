"""The linter's labelled data sets and their splits, shared by training, benches and tests.

Training only: nothing here is imported by the package.

The development set (``data/lint_dev/*.jsonl``, written and labelled for this project in many
voices; see ``data/lint_dev/GUIDE.md``) is split by a hash of each id, fixed before anything was
fitted: the first byte of ``sha256(id)`` modulo 10 gives 0-2 **blind** (measured once, at the end;
never trained or tuned on), 3 **tune** (thresholds are calibrated here; nothing is fitted on it),
4-9 **train**. The real RateMDs replies labelled before this model existed (rounds 0-2) were
read while the phrase rules were tuned: they are training data here, split the same way for
tuning. Round 3 (``ratemds_holdout3.jsonl``) is the blind real set.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEV_DIR = ROOT / "data" / "lint_dev"
CORPUS_DIR = ROOT / "tests" / "core" / "lint" / "corpus"
OWN_CORPUS = CORPUS_DIR / "replies.jsonl"
REAL_TUNED = tuple(
    CORPUS_DIR / name
    for name in ("ratemds_labels.jsonl", "ratemds_holdout.jsonl", "ratemds_holdout2.jsonl")
)
REAL_BLIND = CORPUS_DIR / "ratemds_holdout3.jsonl"
#: The second blind set (measured once in session 5, spent since: it may be trained on).
BLIND2_DIR = ROOT / "data" / "lint_blind2"
#: The third blind set (measured once at the end of session 6, spent since: it may be trained on).
BLIND3_DIR = ROOT / "data" / "lint_blind3"
#: The fourth, fifth and sixth blind sets (each measured once, at the end of sessions 7, 8 and 9;
#: spent since: trained on from session 10).
BLIND4_DIR = ROOT / "data" / "lint_blind4"
BLIND5_DIR = ROOT / "data" / "lint_blind5"
BLIND6_DIR = ROOT / "data" / "lint_blind6"
#: The spent blind sets that training may read, in order. Any other ``lint_blind*`` folder (the
#: seventh, ``data/lint_blind7``, is being written in session 10) is a blind set still being
#: written or not yet measured: training refuses it (``trainable``).
SPENT_BLIND_DIRS = (BLIND2_DIR, BLIND3_DIR, BLIND4_DIR, BLIND5_DIR, BLIND6_DIR)
DEFAULT_DATA = ROOT.parent / "shared" / "data"

BLIND, TUNE, TRAIN = "blind", "tune", "train"
CATEGORIES = (
    "identifier",
    "health-detail",
    "patient-relationship",
    "outside-contact",
    "tone",
    "medical-advice",
    "missing-contact-path",
)


def split_of(item_id: str) -> str:
    """Return ``blind``, ``tune`` or ``train`` for an id, from the first byte of its sha256."""
    bucket = hashlib.sha256(item_id.encode("utf-8")).digest()[0] % 10
    if bucket < 3:
        return BLIND
    if bucket == 3:
        return TUNE
    return TRAIN


@dataclass(frozen=True)
class Labelled:
    """One labelled reply and where its labels come from."""

    id: str
    reply: str
    post: str | None
    labels: frozenset[str]
    source: str
    evidence: tuple[tuple[str, int, int], ...] = ()  # (category, start, end) into reply
    lang: str = "en"
    meta: dict[str, Any] = field(default_factory=dict, compare=False)


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-blank line; a bad line stops with its number."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{number}: invalid JSON: {exc.msg}") from None


def _evidence_offsets(reply: str, items: list[dict[str, Any]], where: str) -> list:
    spans = []
    for item in items:
        category = item.get("category")
        if "text" in item:
            start = reply.find(item["text"])
            if start < 0:
                raise SystemExit(f"{where}: evidence {item['text']!r} is not in the reply")
            spans.append((category, start, start + len(item["text"])))
        else:
            spans.append((category, int(item["start"]), int(item["end"])))
    return spans


def load_dev(split: str | None = None, directory: Path = DEV_DIR) -> list[Labelled]:
    """Return the development set (optionally one split), every row validated."""
    out = []
    for path in sorted(directory.glob("*.jsonl")):
        # A blind set's files are named after the set too: its writer is not the dev set's.
        source = f"dev/{path.stem}" if directory == DEV_DIR else f"{directory.name}/{path.stem}"
        for number, row in read_jsonl(path):
            where = f"{path.name}:{number}"
            labels = row.get("labels")
            if not isinstance(row.get("reply"), str) or not isinstance(labels, list):
                raise SystemExit(f"{where}: needs 'reply' text and a 'labels' list")
            unknown = set(labels) - set(CATEGORIES)
            if unknown:
                raise SystemExit(f"{where}: unknown labels {sorted(unknown)}")
            if split is not None and split_of(row["id"]) != split:
                continue
            out.append(
                Labelled(
                    id=row["id"],
                    reply=row["reply"],
                    post=row.get("post") or None,
                    labels=frozenset(labels),
                    source=source,
                    evidence=tuple(_evidence_offsets(row["reply"], row.get("evidence", []), where)),
                    lang=row.get("lang", "en"),
                    meta={k: row.get(k) for k in ("platform", "specialty", "voice")},
                )
            )
    return out


def load_real(paths: tuple[Path, ...], data: Path = DEFAULT_DATA) -> list[Labelled]:
    """Return labelled real replies; the text is read from the shared data, never copied."""
    texts = {}
    for _, row in read_jsonl(data / "ratemds_practice_replies.jsonl"):
        texts[row["id"]] = row
    out = []
    for path in paths:
        for number, row in read_jsonl(path):
            source = texts.get(row["id"])
            if source is None:
                raise SystemExit(f"{path.name}:{number}: unknown reply id {row['id']!r}")
            reply = source["reply_text"]
            out.append(
                Labelled(
                    id=row["id"],
                    reply=reply,
                    post=source.get("review_text") or None,
                    labels=frozenset(row["labels"]),
                    source=f"real/{path.stem}",
                    evidence=tuple(
                        _evidence_offsets(reply, row.get("evidence", []), f"{path.name}:{number}")
                    ),
                    lang=row.get("lang", "en"),
                )
            )
    return out


def trainable(directory: Path) -> Path:
    """Return ``directory`` if training may read it; refuse a blind set that is not spent.

    A folder named ``lint_blind<N>`` may be trained on only when it is one of
    ``SPENT_BLIND_DIRS`` (``data/lint_blind7`` is being written in session 10 and is blind).
    The check reads the name only, never the folder's contents.

    Raises:
        SystemExit: the folder is a blind set that is not spent.
    """
    spent = {d.name for d in SPENT_BLIND_DIRS}
    for part in directory.parts:
        if part.startswith("lint_blind") and part not in spent:
            raise SystemExit(f"{directory}: {part} is a blind set; training never reads it")
    return directory


def writer_group(item: Labelled) -> str:
    """Return the group a reply is held out with when thresholds are calibrated out of fold.

    A blind set was written by one writer (a helper session): the whole set is one group, so a
    model scoring it out of fold has seen nothing that writer wrote, as the next set's will not
    have. The development set's files and the real replies' rounds are a group each; the
    hand-written corpus and the template lines, one reply per group.
    """
    head = item.source.split("/", 1)[0]
    if head.startswith("lint_blind"):
        return head
    if head in ("dev", "real"):
        return item.source
    return f"{item.source}/{item.id}"


def load_own_corpus() -> list[Labelled]:
    """Return the hand-written corpus the phrase rules were tuned on (training data)."""
    return [
        Labelled(
            id=row["id"],
            reply=row["reply"],
            post=row.get("post") or None,
            labels=frozenset(row["labels"]),
            source="own-corpus",
        )
        for _, row in read_jsonl(OWN_CORPUS)
    ]
