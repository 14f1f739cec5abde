"""The labelled lint corpora are well formed: known labels, unique ids, enough rows of each kind."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections import Counter
from pathlib import Path

import pytest

from safereply.core.practice import load_practice
from safereply.core.vocab import Category

CORPUS_DIR = Path(__file__).parent / "corpus"
CATEGORIES = {str(c) for c in Category}
#: Every category must be labelled at least this often in the hand-written corpus.
MIN_PER_CATEGORY = 25


def _rows(name: str) -> list[dict]:
    rows = []
    with (CORPUS_DIR / name).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            assert line.strip(), f"{name}:{n} is blank"
            rows.append(json.loads(line))
    return rows


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return _rows("replies.jsonl")


@pytest.fixture(scope="module")
def ratemds() -> list[dict]:
    return _rows("ratemds_labels.jsonl")


def test_corpus_rows_have_the_documented_fields(corpus):
    allowed = {"id", "reply", "post", "labels", "echo", "note"}
    for row in corpus:
        assert set(row) <= allowed, row["id"]
        assert isinstance(row["id"], str) and row["id"], row
        assert isinstance(row["reply"], str) and row["reply"].strip(), row["id"]
        assert len(row["reply"]) <= 600, f"{row['id']} is longer than a realistic reply"
        assert row.get("post") is None or (isinstance(row["post"], str) and row["post"].strip())
        assert isinstance(row["labels"], list), row["id"]
        assert isinstance(row["echo"], bool), row["id"]


def test_corpus_labels_are_known_categories_without_repeats(corpus):
    for row in corpus:
        assert set(row["labels"]) <= CATEGORIES, (row["id"], set(row["labels"]) - CATEGORIES)
        assert len(set(row["labels"])) == len(row["labels"]), row["id"]


def test_corpus_ids_are_unique(corpus):
    dupes = [i for i, n in Counter(r["id"] for r in corpus).items() if n > 1]
    assert not dupes


def test_corpus_replies_are_not_repeated(corpus):
    dupes = [t for t, n in Counter(r["reply"] for r in corpus).items() if n > 1]
    assert not dupes


def test_corpus_is_large_enough(corpus):
    compliant = [r for r in corpus if not r["labels"]]
    assert len(corpus) >= 450
    assert len(compliant) >= 180
    assert len(corpus) - len(compliant) >= 200


def test_every_category_is_labelled_many_times(corpus):
    counts = Counter(label for row in corpus for label in row["labels"])
    thin = {c: counts[c] for c in CATEGORIES if counts[c] < MIN_PER_CATEGORY}
    assert not thin


def test_echo_rows_answer_a_post_and_carry_a_disclosure_label(corpus):
    for row in corpus:
        if row["echo"]:
            assert row.get("post"), row["id"]
            assert {"identifier", "health-detail"} & set(row["labels"]), row["id"]


def test_the_corpus_practice_profile_loads_with_the_documented_phone():
    practice = load_practice(CORPUS_DIR / "practice.toml")
    assert practice.phone == "(555) 388-9100"
    assert practice.staff


def test_ratemds_labels_store_no_text_only_ids(ratemds):
    for row in ratemds:
        assert set(row) <= {"id", "labels", "echo", "note"}, row["id"]
        assert row["id"].startswith("ratemds-"), row["id"]
        assert set(row["labels"]) <= CATEGORIES, row["id"]
        assert len(row.get("note", "")) <= 160, f"{row['id']}: keep notes short, never quote"


def test_ratemds_labels_cover_enough_replies(ratemds):
    ids = [r["id"] for r in ratemds]
    assert len(set(ids)) == len(ids)
    assert len(ids) >= 250


# The blind held-out real replies: labelled after the rules were tuned, never used for tuning.
REPO_ROOT = Path(__file__).resolve().parents[3]
#: Where the benches look for the real data by default (the same rule as bench/_common.py).
DATA_FILE = (
    Path(os.environ.get("SAFEREPLY_DATA") or REPO_ROOT.parent / "shared" / "data")
    / "ratemds_practice_replies.jsonl"
)
needs_data = pytest.mark.skipif(
    not DATA_FILE.exists(),
    reason=f"real data not present at {DATA_FILE} (set SAFEREPLY_DATA to check the held-out ids)",
)


HOLDOUT_ROUNDS = {1: "ratemds_holdout.jsonl", 2: "ratemds_holdout2.jsonl"}


@pytest.fixture(scope="module", params=sorted(HOLDOUT_ROUNDS), ids=lambda r: f"round{r}")
def holdout_round(request) -> int:
    return request.param


@pytest.fixture(scope="module")
def holdout(holdout_round) -> list[dict]:
    return _rows(HOLDOUT_ROUNDS[holdout_round])


@pytest.fixture(scope="module")
def data_rows() -> list[dict]:
    with DATA_FILE.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_holdout_rows_store_labels_only_never_text(holdout):
    for row in holdout:
        assert set(row) == {"id", "labels", "echo", "note"}, row["id"]
        assert row["id"].startswith("ratemds-"), row["id"]
        assert isinstance(row["labels"], list) and isinstance(row["echo"], bool), row["id"]
        assert set(row["labels"]) <= CATEGORIES, (row["id"], set(row["labels"]) - CATEGORIES)
        assert len(set(row["labels"])) == len(row["labels"]), row["id"]
        assert 0 < len(row["note"]) <= 160, f"{row['id']}: keep notes short, never quote"


def test_holdout_echo_rows_carry_a_disclosure_label(holdout):
    for row in holdout:
        if row["echo"]:
            assert {"identifier", "health-detail"} & set(row["labels"]), row["id"]


def test_holdout_is_large_enough_with_unique_ids(holdout):
    ids = [r["id"] for r in holdout]
    assert len(set(ids)) == len(ids)
    assert len(ids) >= 200
    assert any(not r["labels"] for r in holdout) and any(r["labels"] for r in holdout)


def test_holdout_does_not_overlap_the_tuning_labels(holdout, ratemds):
    shared = {r["id"] for r in holdout} & {r["id"] for r in ratemds}
    assert not shared


def test_holdout_rounds_do_not_overlap():
    first, second = ({r["id"] for r in _rows(name)} for name in HOLDOUT_ROUNDS.values())
    assert not first & second


@needs_data
def test_holdout_ids_exist_in_the_data_file(holdout, data_rows):
    known = {r["id"] for r in data_rows}
    missing = [r["id"] for r in holdout if r["id"] not in known]
    assert not missing


@needs_data
def test_holdout_is_the_documented_selection(holdout, holdout_round, ratemds, data_rows):
    # Load bench/select_holdout.py by path: bench/ is scripts, not a package.
    spec = importlib.util.spec_from_file_location(
        "select_holdout", REPO_ROOT / "bench" / "select_holdout.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(REPO_ROOT / "bench"))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(REPO_ROOT / "bench"))
    size = module.HOLDOUT_SIZE
    chosen = module.select_holdout(data_rows, {r["id"] for r in ratemds}, size=size * holdout_round)
    assert [r["id"] for r in holdout] == chosen[size * (holdout_round - 1) :]
