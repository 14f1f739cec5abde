"""A second, independent urgency signal: a small text classifier that can only add escalations.

The crisis and emergency rules (``rules.py``) miss crisis posts phrased in ways they have not seen
(docs/triage-urgent.md). This classifier, trained by ``scripts/train_urgent.py`` on the labelled
urgent and ordinary posts plus a sample of real comments, is asked only about posts the rules let
pass; when it scores one at or above its threshold, triage escalates it. It never lowers a rule's
decision, so the rules' recall is a floor.

The model (``model/urgent-model.json``, scored by the shared ``LinearTextModel``) has two outputs:
``urgent`` (emergency or crisis, against ordinary posts) decides whether to escalate; ``crisis``
(against emergency, trained on urgent posts only) decides which urgent kind to file it under. It is
read on first use, so importing triage or triaging posts the rules escalate never loads it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from safereply.core.triage.model import LinearTextModel
from safereply.core.vocab import PostKind

__all__ = ["UrgentSignal", "urgent_model", "urgent_signal"]

_REASON = "may be {article} {kind} (classifier): a person should read this now"


@dataclass(frozen=True, slots=True)
class UrgentSignal:
    """The classifier's escalation of one post.

    Attributes:
        kind: ``PostKind.CRISIS`` or ``PostKind.EMERGENCY``.
        score: the probability of ``urgent`` (at or above the model's threshold).
        reason: a short human-readable reason for the triage result.
    """

    kind: PostKind
    score: float
    reason: str


@cache
def urgent_model() -> LinearTextModel:
    """Load the shipped urgency model once, on first use."""
    source = resources.files("safereply.core.triage").joinpath("model", "urgent-model.json")
    with source.open("r", encoding="utf-8") as handle:
        model = LinearTextModel(json.load(handle))
    if set(model.outputs) != {"urgent", "crisis"} or "urgent" not in model.thresholds:
        raise ValueError("the urgency model must have outputs 'urgent' and 'crisis'")
    return model


def urgent_signal(text: str, model: LinearTextModel | None = None) -> UrgentSignal | None:
    """Return the classifier's escalation of a post, or None when it scores below threshold.

    Args:
        text: the post as written (the model was trained on raw text, like the topic model).
        model: a model to use instead of the shipped one (tests and benchmarks).
    """
    model = model or urgent_model()
    probs = model.predict_proba(text)
    score = probs["urgent"]
    if score < model.thresholds["urgent"]:
        return None
    crisis = probs["crisis"] >= model.thresholds.get("crisis", 0.5)
    kind = PostKind.CRISIS if crisis else PostKind.EMERGENCY
    article = "a" if crisis else "an"
    return UrgentSignal(kind, score, _REASON.format(article=article, kind=kind.value))
