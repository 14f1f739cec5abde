"""The fourth blind set of replies (``data/lint_blind4``) stays as written and out of training.

Written in session 7 by two helpers that never read or ran the linter, committed before any rule
or model saw it, measured once by the lead at the end of session 7. Its digest pins the files; no
id or reply text of it may reach the learned signal's training or tune replies.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

lint_data = pytest.importorskip("lint_data")
FOLDER = ROOT / "data" / "lint_blind4"


def test_the_fourth_blind_set_is_unchanged_and_well_formed():
    digest = hashlib.sha256()
    for path in sorted(FOLDER.glob("*.jsonl")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    assert digest.hexdigest() == "dd5cbc699fb67f4b8713c7a7a6b5e8f2c106bdfc8d16dcc63fe548704cc45d44"
    rows = lint_data.load_dev(None, FOLDER)  # raises on a malformed row, with its line
    assert len(rows) == 600 and len({r.id for r in rows}) == 600
    assert all(r.id.startswith("b4-") for r in rows)


def test_the_fourth_blind_set_reaches_no_training():
    pytest.importorskip("sklearn")
    train_lint_signal = pytest.importorskip("train_lint_signal")
    data = ROOT.parent / "shared" / "data"
    if not (data / "ratemds_practice_replies.jsonl").exists():
        pytest.skip(f"the real replies are not at {data}")
    rows = lint_data.load_dev(None, FOLDER)
    for spent in (False, True):  # the default and the shipped model's (--spent) training
        train, tune = train_lint_signal.training_replies(data, spent=spent)
        assert not {r.id for r in rows} & {r.id for r in [*train, *tune]}
        assert not {r.reply for r in rows} & {r.reply for r in [*train, *tune]}
        assert not any("blind4" in r.source for r in train)
