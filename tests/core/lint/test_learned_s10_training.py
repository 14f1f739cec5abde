"""The learned signal is calibrated for the next writer, not for the writers it learnt from.

Session 10: out-of-fold scores, on which the block and warn thresholds are chosen, come from folds
grouped by writer (a whole blind set, a file of the development set), so twin replies of one
writer never sit on both sides of a fold; the tune split is scored by the fold model that left
its writer out. All the spent blind sets (``lint_blind2`` ... ``lint_blind6``) are trained on;
``lint_blind7``, being written in session 10, is refused by name. A training run is a fixed
function of its inputs: two runs write the same bytes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

pytest.importorskip("sklearn")
lint_data = pytest.importorskip("lint_data")
train_lint_signal = pytest.importorskip("train_lint_signal")

Labelled = lint_data.Labelled


def _reply(source: str, n: int, text: str, labels: frozenset[str] = frozenset()) -> Labelled:
    evidence = tuple((label, 0, len(text)) for label in sorted(labels))
    return Labelled(f"{source}-{n}", text, None, labels, source, evidence)


def test_a_reply_is_grouped_with_its_writer():
    group = lint_data.writer_group
    assert group(_reply("lint_blind6/e1", 1, "x")) == group(_reply("lint_blind6/e4", 2, "y"))
    assert group(_reply("lint_blind6/e1", 1, "x")) != group(_reply("lint_blind5/e1", 1, "x"))
    assert group(_reply("dev/d1", 1, "x")) == "dev/d1" != group(_reply("dev/d2", 1, "x"))
    assert group(_reply("real/ratemds_labels", 1, "x")) == "real/ratemds_labels"
    assert group(_reply("own-corpus", 1, "x")) != group(_reply("own-corpus", 2, "x"))


def test_blind_sets_carry_their_own_name_as_source():
    rows = lint_data.load_dev(None, lint_data.BLIND6_DIR)
    assert {r.source.split("/")[0] for r in rows} == {"lint_blind6"}
    assert {lint_data.writer_group(r) for r in rows} == {"lint_blind6"}
    assert all(r.source.startswith("dev/d") for r in lint_data.load_dev("tune"))


def _rows(groups: list[str]) -> tuple:
    """Sentences whose positives carry a marker word: "zebra" from writer z alone, "urgent"
    from every other writer."""
    texts, reply, labels = [], [], []
    words = ["clinic", "office", "visit", "team", "staff", "parking", "phone", "hours"]
    for i, group in enumerate(groups):
        positive = i % 2 == 0
        marker = "zebra" if group == "writer-z" else "urgent"
        filler = f"{words[i % 8]} {words[(i + 3) % 8]} {words[(i + 5) % 8]}"
        texts.append(f"{marker} {marker} {filler}" if positive else filler)
        reply.append(i)
        labels.append([int(positive)] * 6)
    return train_lint_signal.Rows(texts, reply, np.array(labels)), groups


def test_out_of_fold_scores_never_come_from_a_model_that_read_the_writer():
    # Writer z's "zebra" sentences are the only positives with that word: grouped by writer, a
    # fold model never saw it when scoring them. Folds grouped by reply (the old way) let the
    # writer's twins leak, and the same sentences score high.
    params = train_lint_signal.Params(word_min_df=1, char_min_df=1, folds=3, c=10.0)
    groups = [f"writer-{k}" for k in "abcdefz" for _ in range(12)]
    rows, names = _rows(groups)
    final = train_lint_signal.fit_pipeline(rows, params)
    zebra = np.array([t.startswith("zebra") for t in rows.texts])
    grouped, _ = train_lint_signal.out_of_fold(rows, params, names, final)
    by_reply, _ = train_lint_signal.out_of_fold(rows, params, [str(r) for r in rows.reply], final)
    assert grouped[zebra, 0].mean() < 0.5 < by_reply[zebra, 0].mean()


def test_a_held_row_is_scored_by_the_fold_that_left_its_writer_out():
    params = train_lint_signal.Params(word_min_df=1, char_min_df=1, folds=3, c=10.0)
    groups = [f"writer-{k}" for k in "abcdefz" for _ in range(12)]
    rows, names = _rows(groups)
    final = train_lint_signal.fit_pipeline(rows, params)
    held = train_lint_signal.Rows(["zebra zebra clinic team phone"], [0], np.zeros((1, 6)))
    _, as_z = train_lint_signal.out_of_fold(rows, params, names, final, held, ["writer-z"])
    _, as_new = train_lint_signal.out_of_fold(rows, params, names, final, held, ["writer-new"])
    final_probs = train_lint_signal.predict(*final, held.texts)
    assert as_z[0, 0] < 0.5 < as_new[0, 0] == final_probs[0, 0]


EVERY_OUTPUT = frozenset(train_lint_signal.OUTPUTS.values())


def _tiny_training() -> dict:
    """Train and calibrate on a tiny set of replies, as ``main`` does; return the file's JSON."""
    params = train_lint_signal.Params(word_min_df=1, char_min_df=1, folds=3)
    train = [
        _reply(f"dev/d{n % 4}", n, text, labels)
        for n, (text, labels) in enumerate(
            [
                (f"Thanks for the kind words about our team number {n}.", frozenset())
                for n in range(12)
            ]
            + [(f"We saw you for your root canal on visit {n}.", EVERY_OUTPUT) for n in range(12)]
        )
    ]
    tune = [_reply("dev/d1", 99, "Thanks for the kind words about our team today.")]
    rows, tune_rows = train_lint_signal.sentence_rows(train), train_lint_signal.sentence_rows(tune)
    calibration, (vecs, models), _ = train_lint_signal.calibration_scores(
        train, tune, rows, tune_rows, params
    )
    thresholds, figures = train_lint_signal.thresholds_of(calibration, params, lambda _: None)
    model = train_lint_signal.export(vecs, models, thresholds, params, {"figures": figures})
    return json.loads(json.dumps(model, sort_keys=True))


def test_training_is_a_fixed_function_of_its_inputs():
    first, second = _tiny_training(), _tiny_training()
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert set(first["thresholds"]) == {
        f"{name}{suffix}" for name in train_lint_signal.OUTPUTS for suffix in ("", "/warn")
    }


def test_every_spent_set_is_trained_on_and_a_left_out_one_is_not():
    assert [d.name for d in lint_data.SPENT_BLIND_DIRS] == [f"lint_blind{n}" for n in range(2, 7)]
    kept = train_lint_signal._spent_dirs(["lint_blind6"])
    assert [d.name for d in kept] == [f"lint_blind{n}" for n in range(2, 6)]
    with pytest.raises(SystemExit, match="lint_blind7"):
        train_lint_signal._spent_dirs(["lint_blind7"])


def test_the_seventh_blind_set_is_refused_by_name():
    with pytest.raises(SystemExit, match="lint_blind7"):
        lint_data.trainable(ROOT / "data" / "lint_blind7")
    for directory in lint_data.SPENT_BLIND_DIRS:
        assert lint_data.trainable(directory) == directory
