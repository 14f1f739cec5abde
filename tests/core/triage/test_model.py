"""The shipped model: a safe JSON file, and pure-Python inference that matches scikit-learn."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from safereply.core.triage.model import (
    MODEL_FORMAT,
    LinearTextModel,
    char_wb_ngrams,
    default_model,
    word_ngrams,
)

TEXTS = [
    "Waited two hours past my appointment and the receptionist was rude!",
    "Kind and very professional, made me feel at ease.",
    "Die Ärztin war sehr nett 😊 — café, naïve, résumé",
    "a",
    "   lots   of\tspaces\n\nand  newlines  ",
    "x-ray, co-pay: $150?? (not covered) #fail @SmileDental",
    "I I I I I repeated repeated words words words",
    "",
]


def _model_file() -> str:
    source = resources.files("safereply.core.triage").joinpath("model", "triage-model.json")
    return source.read_text(encoding="utf-8")


def test_model_file_is_plain_json_of_modest_size():
    raw = _model_file()
    assert len(raw.encode()) < 4_000_000
    data = json.loads(raw)
    assert data["format"] == MODEL_FORMAT
    assert set(data["thresholds"]) <= set(data["outputs"])
    assert "positive" in data["outputs"]


def test_default_model_is_loaded_once():
    assert default_model() is default_model()


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="format"):
        LinearTextModel({"format": "pickle"})


def test_rows_of_the_wrong_length_are_refused():
    data = {
        "format": MODEL_FORMAT,
        "outputs": ["a", "b"],
        "intercepts": [0.0, 0.0],
        "thresholds": {},
        "spaces": [{"analyzer": "word", "ngram_range": [1, 1], "terms": {"x": [1.0, 2.0]}}],
    }
    with pytest.raises(ValueError, match="wrong length"):
        LinearTextModel(data)


def test_a_tiny_model_computes_tfidf_and_logistic_by_hand():
    data = {
        "format": MODEL_FORMAT,
        "outputs": ["rude"],
        "intercepts": [-1.0],
        "thresholds": {"rude": 0.5},
        "spaces": [
            {
                "analyzer": "word",
                "ngram_range": [1, 1],
                "terms": {"rude": [2.0, 3.0], "staff": [1.0, 0.5]},
            }
        ],
    }
    model = LinearTextModel(data)
    # tf-idf: rude 2.0, staff 1.0 -> l2 norm sqrt(5); z = -1 + (2*3 + 1*0.5)/sqrt(5)
    z = -1 + 6.5 / 5**0.5
    assert model.decision("Rude staff")["rude"] == pytest.approx(z)
    assert model.decision("nothing known")["rude"] == pytest.approx(-1.0)


sklearn = pytest.importorskip("sklearn")


@pytest.mark.parametrize("text", TEXTS)
def test_analyzers_match_scikit_learn(text):
    from sklearn.feature_extraction.text import TfidfVectorizer

    word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2)).build_analyzer()
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5)).build_analyzer()
    assert word_ngrams(text, 1, 2) == word(text)
    assert char_wb_ngrams(text, 2, 5) == char(text)


def _sklearn_twin(model_data: dict):
    """Rebuild the shipped model as scikit-learn objects from the JSON file."""
    import numpy as np
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizers, columns = [], []
    for space in model_data["spaces"]:
        terms = sorted(space["terms"])
        vec = TfidfVectorizer(
            analyzer=space["analyzer"],
            ngram_range=tuple(space["ngram_range"]),
            vocabulary=terms,
            sublinear_tf=True,
        )
        vec.fit(["placeholder"])  # builds the vocabulary mapping; idf is replaced below
        vec.idf_ = np.array([space["terms"][t][0] for t in terms])
        vectorizers.append(vec)
        columns.append(np.array([space["terms"][t][1:] for t in terms]))
    coef = np.vstack(columns).T  # (outputs, features)
    models = []
    for k, intercept in enumerate(model_data["intercepts"]):
        lr = LogisticRegression()
        lr.classes_ = np.array([0, 1])
        lr.coef_ = coef[k : k + 1]
        lr.intercept_ = np.array([intercept])
        models.append(lr)

    def predict(text: str) -> list[float]:
        x = hstack([v.transform([text]) for v in vectorizers]).tocsr()
        return [float(m.predict_proba(x)[0, 1]) for m in models]

    return predict


def test_pure_python_inference_matches_scikit_learn():
    data = json.loads(_model_file())
    predict = _sklearn_twin(data)
    model = default_model()
    for text in TEXTS:
        ours = model.predict_proba(text)
        theirs = predict(text)
        for name, expected in zip(model.outputs, theirs, strict=True):
            assert ours[name] == pytest.approx(expected, abs=1e-9), (text, name)


def _training_module():
    import sys
    from pathlib import Path

    scripts = str(Path(__file__).resolve().parents[3] / "scripts")
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    import train_triage

    return train_triage


def test_nb_lr_weights_fold_the_log_count_ratios_back_in():
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    train_triage = _training_module()
    rng = np.random.default_rng(3)
    x = csr_matrix(rng.random((60, 9)) * (rng.random((60, 9)) < 0.4))
    y = (x[:, 0].toarray().ravel() + x[:, 1].toarray().ravel() > 0.5).astype(int)
    params = train_triage.Params(topic_c=2.0, nb_alpha=1.0)
    folded = train_triage._fit_topic(x, y, params)
    present = (x > 0).astype(float)
    pos = 1.0 + np.asarray(present[y == 1].sum(axis=0)).ravel()
    neg = 1.0 + np.asarray(present[y == 0].sum(axis=0)).ravel()
    ratio = np.log((pos / pos.sum()) / (neg / neg.sum()))
    scaled = LogisticRegression(C=2.0, max_iter=5000).fit(x.multiply(ratio).tocsr(), y)
    expected = scaled.decision_function(x.multiply(ratio).tocsr())
    assert np.allclose(folded.decision_function(x), expected, atol=1e-9)


def test_thresholds_maximise_pooled_micro_f1():
    import numpy as np

    train_triage = _training_module()
    rng = np.random.default_rng(5)
    y = (rng.random((400, 3)) < [0.5, 0.2, 0.05]).astype(int)
    p = np.clip(0.55 * y + rng.random((400, 3)) * [0.6, 0.7, 0.9], 0, 1)

    def micro(th):
        pred = p >= th
        tp = int((pred & (y == 1)).sum())
        return 2 * tp / (2 * tp + int((pred & (y == 0)).sum()) + int((~pred & (y == 1)).sum()))

    own = [
        max(train_triage._GRID, key=lambda t, j=j: micro(np.where(np.arange(3) == j, t, 2)))
        for j in range(3)
    ]
    chosen = train_triage._micro_thresholds(y, p)
    assert micro(chosen) >= micro(np.array(own)) - 1e-12
    assert all(t in train_triage._GRID for t in chosen)


def test_cue_modes_are_chosen_with_the_thresholds():
    import numpy as np

    train_triage = _training_module()
    rng = np.random.default_rng(7)
    y = (rng.random((300, 2)) < 0.3).astype(int)
    p = np.clip(0.5 * y + rng.random((300, 2)) * 0.6, 0, 1)
    p[:, 1] = rng.random(300)  # a useless classifier for the second topic ...
    cues = np.zeros((300, 2), dtype=bool)
    cues[:, 1] = y[:, 1] == 1  # ... and a cue that says it exactly
    thresholds, modes = train_triage.choose_topic_rules(y, p, cues, min_precision=0.8)
    assert modes[1] == "or"
    assert thresholds[1] > 0.9  # the cue decides; the classifier is kept out of the way
    assert all(t in train_triage._GRID for t in thresholds)


def test_the_engine_follows_the_models_cue_modes():
    from safereply.core.triage.engine import _topics

    model = LinearTextModel(
        {
            "format": MODEL_FORMAT,
            "outputs": ["billing", "wait-time"],
            "intercepts": [-5.0, -5.0],
            "thresholds": {"billing": 0.5, "wait-time": 0.5},
            "cue_modes": {"billing": "or", "wait-time": "classifier"},
            "spaces": [{"analyzer": "word", "ngram_range": [1, 1], "terms": {}}],
        }
    )
    norm = "charged twice after i waited 2 hours"
    probs = model.predict_proba(norm)
    assert _topics(model, probs, norm) == {"billing"}
