"""The linter's data splits are honest: blind items never reach training or tuning.

The development set's split is fixed by a hash of each id (``scripts/lint_data.py``); the blind
split and the round-3 real replies were measured once (session 3) and never fitted on until they
were spent; since session 6 the shipped model trains on them and on the spent second blind set
(``--spent``), and the tune split, on which thresholds are chosen, is still never trained on.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

lint_data = pytest.importorskip("lint_data")


def test_the_split_is_a_fixed_function_of_the_id():
    assert lint_data.split_of("d1-0001") == lint_data.split_of("d1-0001")
    splits = [lint_data.split_of(f"x-{n}") for n in range(2000)]
    share = {name: splits.count(name) / len(splits) for name in ("blind", "tune", "train")}
    assert 0.26 <= share["blind"] <= 0.34 and 0.07 <= share["tune"] <= 0.13


def test_every_dev_row_is_well_formed_and_the_blind_split_is_at_least_30_percent():
    rows = lint_data.load_dev()  # raises on a bad row, an unknown label or missing evidence text
    assert len(rows) >= 3000
    assert len({r.id for r in rows}) == len(rows)
    blind = [r for r in rows if lint_data.split_of(r.id) == "blind"]
    assert len(blind) / len(rows) >= 0.28
    for r in rows:
        for category, start, end in r.evidence:
            assert category in lint_data.CATEGORIES and 0 <= start < end <= len(r.reply), r.id


def test_no_blind_item_reaches_training_or_tuning():
    pytest.importorskip("sklearn")
    train_lint_signal = pytest.importorskip("train_lint_signal")
    data = ROOT.parent / "shared" / "data"
    if not (data / "ratemds_practice_replies.jsonl").exists():
        pytest.skip(f"the real replies are not at {data}")
    train, tune = train_lint_signal.training_replies(data)
    used = {r.id for r in train} | {r.id for r in tune}
    blind = {r.id for r in lint_data.load_dev("blind")}
    assert blind and not blind & used
    round3 = {row["id"] for _, row in lint_data.read_jsonl(lint_data.REAL_BLIND)}
    assert round3 and not round3 & used
    blind_texts = {r.reply for r in lint_data.load_dev("blind")}
    assert not blind_texts & {r.reply for r in train}


def test_spent_sets_join_training_but_the_tune_split_never_does():
    pytest.importorskip("sklearn")
    train_lint_signal = pytest.importorskip("train_lint_signal")
    data = ROOT.parent / "shared" / "data"
    if not (data / "ratemds_practice_replies.jsonl").exists():
        pytest.skip(f"the real replies are not at {data}")
    train, tune = train_lint_signal.training_replies(data, spent=True)
    train_ids = {r.id for r in train}
    tune_dev = lint_data.load_dev("tune")
    tune_texts = {r.reply for r in tune}
    spent = lint_data.load_dev("blind") + lint_data.load_dev(None, lint_data.BLIND2_DIR)
    assert {r.id for r in spent if r.reply not in tune_texts} <= train_ids
    assert not {r.id for r in spent if r.reply in tune_texts} & train_ids
    assert tune_dev and not {r.id for r in tune_dev} & train_ids
    assert not {r.reply for r in tune_dev} & {r.reply for r in train}
    assert {r.id for r in tune_dev} <= {r.id for r in tune}
    assert not any("blind3" in r.source for r in train)
