"""The seventh triage blind set (``data/triage_blind7``), written in session 10 by a helper that
never read or ran the triage code and committed before any rule or model saw it, is pinned by
its digest and size and reaches no training input: it is measured once, by the lead, at the end
of session 10 (``bench/triage_quality.py --blind7``)."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
FOLDER = ROOT / "data" / "triage_blind7"
DIGEST = "5da193ed683b4ab427c5d2d4c91a86e03117919b879fead45772412c55be27d4"


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.jsonl")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _rows() -> list[dict]:
    return [json.loads(line) for p in sorted(FOLDER.glob("*.jsonl")) for line in p.open()]


def test_the_seventh_blind_set_is_unchanged_and_well_formed():
    assert _digest(FOLDER) == DIGEST
    rows = _rows()
    assert len(rows) == 240 and len({r["id"] for r in rows}) == 240
    assert all(r["id"].startswith("t7-") for r in rows)


def test_the_seventh_blind_set_is_blind_to_training():
    pytest.importorskip("sklearn")
    sys.path.insert(0, str(ROOT / "scripts"))
    import train_triage
    import train_urgent

    assert train_triage.is_blind(FOLDER / "x1.jsonl")
    assert train_triage.is_blind(ROOT / "data/triage_blind5/../triage_blind7/x1.jsonl")
    for script in (train_triage, train_urgent):
        assert not any("triage_blind7" in str(p) for p in script.DEFAULT_POSTS)
    rows = _rows()
    training = [
        json.loads(line)
        for path in sorted({*train_triage.DEFAULT_POSTS, *train_urgent.DEFAULT_POSTS})
        for line in path.open()
        if line.strip()
    ]
    assert not {r["id"] for r in rows} & {p["id"] for p in training}
