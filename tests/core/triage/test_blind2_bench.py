"""``bench/triage_quality.py --blind2``: the second blind set's format, aggregates only.

These tests run the evaluator over a few posts written here in that format (the README of
``data/triage_blind2`` documents the fields); the blind set itself is never read by a test.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "bench"))

from triage_blind2 import evaluate_blind2, load_blind2, report_blind2, roc_auc  # noqa: E402

_ROWS = [
    {
        "id": "f-1",
        "text": "My dad is clutching his chest and can't breathe, we are in your parking lot",
        "platform": "facebook", "source": "comment", "rating": None, "lang": "en",
        "kind": "emergency", "topics": [], "aspects": [], "urgent": "emergency",
        "discloses_health": True, "tags": [],
    },
    {
        "id": "f-2",
        "text": "Mi hijo no puede respirar y tiene los labios morados",
        "platform": "facebook", "source": "comment", "rating": None, "lang": "es",
        "kind": "emergency", "topics": [], "aspects": [], "urgent": "emergency",
        "discloses_health": True, "tags": [],
    },
    {
        "id": "f-3",
        "text": "Waited two hours past my appointment and nobody apologized",
        "platform": "google", "source": "review", "rating": 1, "lang": "en",
        "kind": "complaint", "topics": ["wait-time"],
        "aspects": [{"topic": "wait-time", "polarity": "negative", "evidence": [0, 36],
                     "text": "Waited two hours past my appointment"}],
        "urgent": "none", "discloses_health": False, "tags": ["plain-complaint"],
    },
    {
        "id": "f-4",
        "text": "this bill is going to kill me 😂😂",
        "platform": "x", "source": "mention", "rating": "", "lang": "en",
        "kind": "complaint", "topics": ["billing"], "aspects": [], "urgent": "none",
        "discloses_health": False, "tags": ["frightening-not-urgent"],
    },
    {
        "id": "f-5",
        "text": "Dr. Lee and her team are wonderful, so kind to my kids!",
        "platform": "instagram", "source": "comment", "rating": None, "lang": "en",
        "kind": "praise", "topics": ["staff-courtesy"], "aspects": [], "urgent": "none",
        "discloses_health": False, "tags": [],
    },
]  # fmt: skip


def _write(folder: Path, rows: list[dict]) -> Path:
    folder.mkdir()
    half = len(rows) // 2
    for name, part in (("t1.jsonl", rows[:half]), ("t2.jsonl", rows[half:])):
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_blind2_figures_from_its_format(tmp_path, capsys):
    rows = load_blind2(_write(tmp_path / "set", _ROWS))
    assert [r["id"] for r in rows] == ["f-1", "f-2", "f-3", "f-4", "f-5"]
    fig = evaluate_blind2(rows)
    counts = fig["counts"]
    assert (counts["unrated"], counts["rated"]) == (4, 1)  # "" counts as no rating
    assert fig["urgent_recall_en"] == 1.0 and fig["urgent_recall_es"] == 1.0
    assert counts["frightening"] == 1
    false = counts["frightening_escalated"]
    assert fig["urgent_precision_frightening"] == pytest.approx(2 / (2 + false))
    assert fig["kind_rating"] == 1.0
    assert counts["aspects_gold"] == 1 and counts["aspects_found"] == 1
    assert fig["aspect_polarity"] == 1.0 and counts["aspects_overlap"] == 1
    assert fig["sentiment_auc"] != fig["sentiment_auc"]  # no sentiment labels: NaN
    assert fig["sentiment_proxy_auc"] == 1.0
    report_blind2(fig, "fixture")
    out = capsys.readouterr().out
    assert "urgent recall, Spanish" in out and "topic micro-F1" in out
    for row in _ROWS:  # aggregates only: no post is ever printed
        assert row["text"] not in out


def test_blind2_bad_rows_are_named_by_line(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "t1.jsonl").write_text('{"id": "x", "text": "hi"}\n', encoding="utf-8")
    with pytest.raises(SystemExit, match=r"t1\.jsonl: line 1: missing rating"):
        load_blind2(folder)
    (folder / "t1.jsonl").write_text("not json\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="line 1: not JSON"):
        load_blind2(folder)
    with pytest.raises(SystemExit, match=r"no \.jsonl"):
        load_blind2(tmp_path / "empty")


def test_roc_auc_counts_ties_half():
    assert roc_auc([1, 0, 1, 0], [0.9, 0.1, 0.5, 0.5]) == pytest.approx(0.875)
    assert roc_auc([1, 1], [0.2, 0.3]) != roc_auc([1, 1], [0.2, 0.3])  # one class: NaN


def test_the_cross_validation_folds_are_fixed_and_cover_every_post():
    pytest.importorskip("sklearn", reason="the cross-validation retrains: the train extra")
    sys.path.insert(0, str(ROOT / "scripts"))
    from triage_blind2_cv import fold_of

    ids = [f"t2-{n:04d}" for n in range(1, 323)]
    folds = [fold_of(i, 4) for i in ids]
    assert folds == [fold_of(i, 4) for i in ids]  # a hash of the id: the same on every run
    sizes = [folds.count(k) for k in range(4)]
    assert sorted(set(folds)) == [0, 1, 2, 3] and min(sizes) > 50


def test_urgent_posts_in_other_languages_are_counted_apart(tmp_path, capsys):
    creole = {
        **_ROWS[0],
        "id": "f-6",
        "text": "Manman m ap touse san, bouch li ble, li pa ka respire",
        "lang": "ht",
        "tags": ["other-language"],
    }
    fig = evaluate_blind2(load_blind2(_write(tmp_path / "set", [*_ROWS, creole])))
    counts = fig["counts"]
    assert (counts["urgent_en"], counts["urgent_es"], counts["urgent_other"]) == (1, 1, 1)
    assert fig["urgent_recall_es"] == counts["urgent_es_caught"]  # Creole is not Spanish
    caught = sum(counts[f"urgent_{lang}_caught"] for lang in ("en", "es", "other"))
    false = counts["frightening_escalated"]
    assert fig["urgent_precision_frightening"] == pytest.approx(caught / (caught + false))
    report_blind2(fig, "fixture")
    assert "urgent recall, other languages" in capsys.readouterr().out


def test_without_other_languages_no_line_is_printed_for_them(tmp_path, capsys):
    fig = evaluate_blind2(load_blind2(_write(tmp_path / "set", _ROWS)))
    assert fig["urgent_recall_other"] != fig["urgent_recall_other"]  # none: NaN
    report_blind2(fig, "fixture")
    assert "other languages" not in capsys.readouterr().out
