"""Session 10: kinds and topics measured by leaving one writer out, and trained for a new writer.

Every session read kind rules off the last spent blind set and the next writer still scored about
0.71 on posts without stars: what is read from one writer does not carry to the next. Since
session 10 the figure to move is the leave-one-set-out average (``bench/triage_loso.py``: train on
every spent set but one, measure on that one), and the kind stacker's out-of-fold inputs and the
topic thresholds are worked out with whole writers held out (``Params.folds_by == "writer"``), as
a new writer's posts will be. These tests pin the pieces; docs/triage.md ("Session 10") has the
figures.
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[3]


def _scripts():
    pytest.importorskip("sklearn", reason="the training scripts need the train extra")
    for folder in ("scripts", "bench"):
        if str(ROOT / folder) not in sys.path:
            sys.path.insert(0, str(ROOT / folder))
    import train_triage

    return train_triage


#: One post of each kind the classifier learns (``train_triage.KIND_OUTPUTS`` order).
_POSTS = (
    "the wait was awful, {} hours and nobody said sorry",
    "do you take new patients on saturday {}?",
    "thank you, lovely staff, room {} was spotless",
    "parked on level {} today",
)


def _corpus(train_triage, origins: list[str]):
    """A small corpus of written posts of every kind, each row from ``origins``."""
    n = len(origins)
    kind = np.arange(n) % len(_POSTS)
    texts = [_POSTS[k].format(i) for i, k in enumerate(kind)]
    topics = np.zeros((n, len(train_triage.MODEL_TOPICS)), dtype=int)
    topics[kind == 0] = 1  # every topic on the complaints (each model needs both classes)
    return train_triage.Corpus(
        texts,
        topics,
        np.select([kind == 2, kind == 0], [1, 0], -1),
        np.array(["post"] * n),
        kind,
        origin=np.array(origins),
    )


def test_a_post_file_is_named_by_its_writer():
    train_triage = _scripts()
    assert train_triage.origin_name(ROOT / "data/triage_blind4/v3.jsonl") == "triage_blind4"
    assert train_triage.origin_name(ROOT / "data/triage_train_s10/a.jsonl") == "triage_train_s10"
    dev = ROOT / "tests/core/triage/data/triage_dev.jsonl"
    assert train_triage.origin_name(dev) == "triage_dev.jsonl"
    assert train_triage.origin_name(ROOT / "data/triage_train_social.jsonl") == (
        "triage_train_social.jsonl"
    )


def test_an_aspect_evidence_row_has_its_posts_origin(tmp_path):
    train_triage = _scripts()
    nhs = tmp_path / "nhs.jsonl"
    nhs.write_text(json.dumps({"text": "nice nurses", "topics": [], "polarity": "positive"}) + "\n")
    folder = tmp_path / "triage_train_x"
    folder.mkdir()
    post = {
        "text": "Waited two hours past my slot. Front desk shrugged.",
        "kind": "complaint",
        "topics": ["wait-time"],
        "aspects": [{"topic": "wait-time", "polarity": "negative", "evidence": "Waited two hours"}],
    }
    (folder / "a.jsonl").write_text(json.dumps(post) + "\n")
    corpus = train_triage.load_corpus(nhs, None, None, [folder / "a.jsonl"])
    assert list(corpus.source) == ["nhs", "post", "span"]
    assert list(corpus.origin) == ["nhs", "triage_train_x", "triage_train_x"]
    assert list(corpus.subset([2, 0]).origin) == ["triage_train_x", "nhs"]


def test_writer_folds_keep_each_writer_whole_and_balance_the_rows():
    train_triage = _scripts()
    origins = np.array(["a"] * 50 + ["b"] * 30 + ["c"] * 20 + ["d"] * 10 + ["e"] * 5)
    folds = train_triage.writer_folds(origins, 3)
    assert folds == [["a"], ["b", "e"], ["c", "d"]]
    assert sorted(w for fold in folds for w in fold) == ["a", "b", "c", "d", "e"]
    # never more folds than writers
    assert train_triage.writer_folds(np.array(["a", "b", "a"]), 5) == [["a"], ["b"]]


def test_by_writer_the_stacker_inputs_come_from_models_that_never_saw_the_writer(monkeypatch):
    train_triage = _scripts()
    origins = ["w1"] * 12 + ["w2"] * 12 + ["w3"] * 12
    corpus = _corpus(train_triage, origins)
    x = train_triage.features(
        train_triage.vectorizers(train_triage.Params(word_min_df=1, char_min_df=1)),
        corpus.texts,
        fit=True,
    )
    seen: list[set[str]] = []
    fit_kinds = train_triage._fit_kinds

    def spy(xs, sub, params):
        seen.append(set(sub.origin))
        return fit_kinds(xs, sub, params)

    monkeypatch.setattr(train_triage, "_fit_kinds", spy)
    params = train_triage.Params(folds_by="writer", stacker_folds=3)
    rows, oof = train_triage._kind_oof(x, corpus, params)
    assert sorted(map(sorted, seen)) == [["w1", "w2"], ["w1", "w3"], ["w2", "w3"]]
    assert len(rows) == 36 and (oof > 0).all()
    seen.clear()
    train_triage._kind_oof(x, corpus, train_triage.Params(stacker_folds=3, folds_by="random"))
    # random folds hold out posts, not writers: every fold trains on all three
    assert all(s == {"w1", "w2", "w3"} for s in seen)


def test_by_writer_the_thresholds_are_chosen_on_writers_held_out(monkeypatch):
    train_triage = _scripts()
    corpus = _corpus(train_triage, ["w1"] * 10 + ["w2"] * 10 + ["w3"] * 10)
    x = train_triage.features(
        train_triage.vectorizers(train_triage.Params(word_min_df=1, char_min_df=1)),
        corpus.texts,
        fit=True,
    )
    trained_rows: list[int] = []
    fit_topic = train_triage._fit_topic

    def spy(xs, y, params, weight=None):
        trained_rows.append(xs.shape[0])
        return fit_topic(xs, y, params, weight)

    monkeypatch.setattr(train_triage, "_fit_topic", spy)
    _, oof = train_triage._topic_oof(x, corpus, train_triage.Params(folds_by="writer"))
    # three folds, one writer each held out: every topic model saw the other two (20 rows)
    assert set(trained_rows) == {20} and len(trained_rows) == 3 * len(train_triage.MODEL_TOPICS)
    assert oof.shape == (30, len(train_triage.MODEL_TOPICS))


def test_leave_one_set_out_refuses_a_set_that_is_not_spent(tmp_path):
    _scripts()
    import triage_loso

    with pytest.raises(SystemExit):
        triage_loso.main(["--nhs", str(tmp_path / "n.jsonl"), "--sets", "triage_blind7"])
    posts = [ROOT / "data/triage_blind5/v1.jsonl", ROOT / "data/triage_train_social.jsonl"]
    assert triage_loso.held_out_posts(posts, "triage_blind5") == posts[1:]


def _meta() -> dict:
    raw = resources.files("safereply.core.triage").joinpath("model", "triage-model.json")
    return json.loads(raw.read_text(encoding="utf-8"))["meta"]


def test_the_shipped_model_was_trained_for_a_new_writer():
    # the stacker's out-of-fold inputs and the topic thresholds of the shipped model were worked
    # out with whole writers held out, and the spent sixth set is among its inputs
    train_triage = _scripts()
    meta = _meta()
    assert train_triage.Params().folds_by == "writer"
    assert meta["params"]["folds_by"] == "writer"
    assert meta["params"] == json.loads(json.dumps(train_triage.Params().__dict__))
    assert [n for n in meta["trained_on"]["posts"] if n.startswith("triage_blind6/")] == [
        f"triage_blind6/w{i}.jsonl" for i in range(1, 5)
    ]
