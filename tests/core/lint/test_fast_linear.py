"""The linter's faster scorer gives the shipped models' own probabilities, to the last bit."""

from __future__ import annotations

import pytest

from safereply.core.lint.fastlinear import FastLinear
from safereply.core.lint.signal import default_signal
from safereply.core.triage.model import default_model

TEXTS = [
    "We hope the knee is healing well after surgery!",
    "Thank you so much for the kind words, Dr. Lee and the whole team loved reading this 😊",
    "Please call our office at (555) 388-9100 so we can talk this through.",
    "thnak u!! ur so sweet",
    "Muchas gracias por sus amables palabras, fue un placer atender a su hijo.",
    "a a a the the the of of",
    "!!! ... ??",
    "x",
    "Crowns crowns CROWNS crowns: the crown, crowned.",
]


def _models():
    signal = default_signal()
    return [signal.model, signal.reply_model, default_model()]


@pytest.mark.parametrize("text", TEXTS)
def test_probabilities_equal_the_models_own(text):
    for model in _models():
        assert FastLinear(model).predict_proba(text) == model.predict_proba(text)


def test_repeated_words_and_cache_reuse_change_nothing():
    model = default_signal().model
    fast = FastLinear(model)
    for text in TEXTS + [t.upper() for t in TEXTS] + [" ".join(TEXTS)]:
        assert fast.predict_proba(text) == model.predict_proba(text)


def test_credit_goes_to_the_words_that_raise_the_score():
    signal = default_signal()
    fast = FastLinear(signal.model)
    credit = fast.credit(fast.features("We hope the knee is healing well after surgery."), "health")
    top = [w for w, c in credit.most_common(3)]
    assert "surgery" in top or "healing" in top
    assert fast.credit(fast.features("!!! ..."), "health") == {}
