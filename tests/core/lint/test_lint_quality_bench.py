"""bench/lint_quality.py --blind2 reads a folder in the development set's format and prints the
same table. The real second blind set is never read here: a folder written by the test stands
in for it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "bench"))
lint_quality = pytest.importorskip("lint_quality")

ROWS = [
    {"id": "t-0001", "reply": "We hope your knee surgery went well!", "labels": ["health-detail"]},
    {"id": "t-0002", "reply": "Thank you for the kind words!", "labels": []},
]


def test_blind2_reads_the_dev_format_and_prints_the_table(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "lint_blind2"
    folder.mkdir()
    (folder / "b1.jsonl").write_text("\n".join(json.dumps(r) for r in ROWS) + "\n")
    monkeypatch.setattr(lint_quality, "BLIND2_DIR", folder)
    assert lint_quality.main(["--blind2", "--no-presidio"]) == 0
    out = capsys.readouterr().out
    assert (
        "second blind set" in out
        and "SPENT" in out
        and "2 replies, 1 violating, 1 compliant" in out
    )
    assert "targets: violating blocked 100.0% (1/1)" in out


def test_blind2_without_files_says_so(tmp_path):
    with pytest.raises(SystemExit, match=r"no \*\.jsonl files"):
        lint_quality.blind2_cases(tmp_path)


@pytest.mark.parametrize(
    "flag, attribute, other, said",
    [
        ("blind3", "BLIND3_DIR", "BLIND2_DIR", ("third blind set", "SPENT since session 6")),
        ("blind4", "BLIND4_DIR", "BLIND3_DIR", ("fourth blind set", "SPENT since session 7")),
        ("blind5", "BLIND5_DIR", "BLIND4_DIR", ("fifth blind set", "SPENT since session 8")),
        ("blind6", "BLIND6_DIR", "BLIND5_DIR", ("sixth blind set", "SPENT since session 9")),
        ("blind7", "BLIND7_DIR", "BLIND6_DIR", ("seventh blind set", "BLIND", "session 10")),
    ],
)
def test_a_whole_blind_set_reads_its_own_folder_and_says_what_it_is(
    tmp_path, monkeypatch, capsys, flag, attribute, other, said
):
    folder = tmp_path / f"lint_{flag}"
    folder.mkdir()
    (folder / "c1.jsonl").write_text("\n".join(json.dumps(r) for r in ROWS) + "\n")
    monkeypatch.setattr(lint_quality, attribute, folder)
    monkeypatch.setattr(lint_quality, other, tmp_path / "absent")  # never read
    assert lint_quality.main([f"--{flag}", "--no-presidio"]) == 0
    out = capsys.readouterr().out
    assert all(words in out for words in said)
    assert "2 replies, 1 violating, 1 compliant" in out
