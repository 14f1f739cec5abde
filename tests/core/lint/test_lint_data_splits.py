"""The linter's data splits are honest: blind items never reach training or tuning.

The development set's split is fixed by a hash of each id (``scripts/lint_data.py``); the blind
split and the round-3 real replies were measured once (session 3) and never fitted on until they
were spent; since session 6 the shipped model trains on them and on the spent second blind set
(``--spent``), with the spent third blind set since session 7, and the tune split, on which
thresholds are chosen, is still never trained on; the fourth to sixth blind sets join it in
session 10. A blind set that is not spent (``data/lint_blind7``, being written in session 10) is
refused by its folder's name, before anything in it is read.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

lint_data = pytest.importorskip("lint_data")


def _signal_training():
    """Return the learned signal's training script and the real replies' folder; skip the test
    without the train extra or without ``../shared/data``."""
    pytest.importorskip("sklearn")
    train_lint_signal = pytest.importorskip("train_lint_signal")
    data = ROOT.parent / "shared" / "data"
    if not (data / "ratemds_practice_replies.jsonl").exists():
        pytest.skip(f"the real replies are not at {data}")
    return train_lint_signal, data


def _folder_digest(folder: Path) -> str:
    """SHA-256 over a blind folder's ``*.jsonl`` files, each name then its bytes, in order."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.jsonl")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


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
    train_lint_signal, data = _signal_training()
    train, tune = train_lint_signal.training_replies(data)
    used = {r.id for r in train} | {r.id for r in tune}
    blind = {r.id for r in lint_data.load_dev("blind")}
    assert blind and not blind & used
    round3 = {row["id"] for _, row in lint_data.read_jsonl(lint_data.REAL_BLIND)}
    assert round3 and not round3 & used
    blind_texts = {r.reply for r in lint_data.load_dev("blind")}
    assert not blind_texts & {r.reply for r in train}


def test_the_third_blind_set_is_unchanged_and_only_spent_training_reads_it():
    # data/lint_blind3: written in session 6 by helpers that never read or ran the linter,
    # committed before any rule or model saw it, measured once by the lead; spent since, and
    # trained on by the shipped model (--spent) from session 7.
    folder = ROOT / "data" / "lint_blind3"
    assert _folder_digest(folder) == (
        "7651e3caeeba578cc16d25ca01e1d866c12160e7d8f4b21ad04916342863af3b"
    )
    rows = lint_data.load_dev(None, folder)
    assert len(rows) == 600
    train_lint_signal, data = _signal_training()
    train, tune = train_lint_signal.training_replies(data, spent=False)
    used = {r.id for r in train} | {r.id for r in tune}
    assert not {r.id for r in rows} & used
    assert not {r.reply for r in rows} & {r.reply for r in [*train, *tune]}
    train, tune = train_lint_signal.training_replies(data, spent=True)
    tune_texts = {r.reply for r in tune}
    assert {r.id for r in rows if r.reply not in tune_texts} <= {r.id for r in train}
    assert not {r.id for r in rows} & {r.id for r in tune}


def test_a_blind_set_that_is_not_spent_is_refused_by_name():
    # The name alone decides: data/lint_blind7 (being written in session 10) is never opened.
    for name in ("lint_blind7", "lint_blind8"):
        with pytest.raises(SystemExit, match=name):
            lint_data.trainable(ROOT / "data" / name)
    for directory in lint_data.SPENT_BLIND_DIRS:
        assert lint_data.trainable(directory) == directory
    spent = [d.name for d in lint_data.SPENT_BLIND_DIRS]
    assert spent == ["lint_blind2", "lint_blind3", "lint_blind4", "lint_blind5", "lint_blind6"]


def test_training_refuses_a_seventh_blind_set_before_reading_it(tmp_path, monkeypatch):
    # A stand-in folder of the same name (the real data/lint_blind7 is never touched): training
    # must stop on its name, and no file under it may be read.
    train_lint_signal, data = _signal_training()
    folder = tmp_path / "data" / "lint_blind7"
    folder.mkdir(parents=True)
    (folder / "e1.jsonl").write_text('{"id": "e-1", "reply": "Hi", "labels": []}\n')
    read: list[Path] = []
    real_read = lint_data.read_jsonl

    def recording(path):
        read.append(Path(path))
        return real_read(path) if folder not in Path(path).parents else iter(())

    monkeypatch.setattr(lint_data, "read_jsonl", recording)
    with pytest.raises(SystemExit, match="lint_blind7"):
        train_lint_signal.training_replies(
            data, spent=True, spent_dirs=(lint_data.BLIND2_DIR, folder)
        )
    assert read and not [p for p in read if folder in p.parents]


def test_spent_sets_join_training_but_the_tune_split_never_does():
    train_lint_signal, data = _signal_training()
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
    sources = {r.source.split("/")[0] for r in train}
    assert {f"lint_blind{n}" for n in range(2, 7)} <= sources
    assert not any("blind7" in r.source for r in [*train, *tune])


#: The whole blind sets, each pinned by its digest and size: blind4 written in session 7 and
#: blind5 in session 8, each by two helpers, and blind6 in session 9 by one, none of which read or
#: ran the linter, and blind7 in session 10 by one; each committed before any rule or model saw it
#: and measured once by the lead at the end of its session (blind4, blind5 and blind6 spent since,
#: and trained on from session 10; blind7 blind until the end of session 10).
WHOLE_BLIND_SETS = [
    ("lint_blind4", "b4-", 600, "dd5cbc699fb67f4b8713c7a7a6b5e8f2c106bdfc8d16dcc63fe548704cc45d44"),
    ("lint_blind5", "b5-", 600, "c423c7e44f73fcb37de9fdad461780d0daa2679dcd8042a223faffb05da88a84"),
    ("lint_blind6", "b6-", 360, "91d3f2d9287e0b760002436d93d16810b2589f8485d252d0adc81c9d0b179851"),
    ("lint_blind7", "b7-", 360, "fc2bdf8f84e1b882280316c3bd0a92ea8a189496dd248b19656c151f6ef277ae"),
]


@pytest.mark.parametrize(("name", "prefix", "size", "digest"), WHOLE_BLIND_SETS)
def test_a_whole_blind_set_is_unchanged_and_well_formed(name, prefix, size, digest):
    folder = ROOT / "data" / name
    assert _folder_digest(folder) == digest
    rows = lint_data.load_dev(None, folder)  # raises on a malformed row, with its line
    assert len(rows) == size and len({r.id for r in rows}) == size
    assert all(r.id.startswith(prefix) for r in rows)


def test_the_blind_set_of_this_session_reaches_no_training():
    # lint_blind7, written in session 10, is blind until the lead measures it at the session's
    # end: neither training reads it, whatever sets are left out.
    train_lint_signal, data = _signal_training()
    rows = lint_data.load_dev(None, ROOT / "data" / "lint_blind7")
    for spent in (False, True):
        train, tune = train_lint_signal.training_replies(data, spent=spent)
        assert not {r.id for r in rows} & {r.id for r in [*train, *tune]}
        assert not {r.reply for r in rows} & {r.reply for r in [*train, *tune]}


@pytest.mark.parametrize("name", [name for name, *_ in WHOLE_BLIND_SETS if name != "lint_blind7"])
def test_a_whole_blind_set_reaches_training_only_once_spent(name):
    # Spent since the end of its session: the shipped model's training (--spent) reads it from
    # session 10 on; the default training never does, and it never reaches the tune split.
    train_lint_signal, data = _signal_training()
    rows = lint_data.load_dev(None, ROOT / "data" / name)
    train, tune = train_lint_signal.training_replies(data, spent=False)
    assert not {r.id for r in rows} & {r.id for r in [*train, *tune]}
    assert not {r.reply for r in rows} & {r.reply for r in [*train, *tune]}
    train, tune = train_lint_signal.training_replies(data, spent=True)
    tune_texts = {r.reply for r in tune}
    assert {r.id for r in rows if r.reply not in tune_texts} <= {r.id for r in train}
    assert not {r.id for r in rows} & {r.id for r in tune}
    left_out = train_lint_signal._spent_dirs([name])
    train, tune = train_lint_signal.training_replies(data, spent=True, spent_dirs=left_out)
    assert not {r.id for r in rows} & {r.id for r in [*train, *tune]}
