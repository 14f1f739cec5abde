"""The call-invitation rule reads a post the way triage does, only faster.

``contact_path.post_facts`` runs triage's steps without the parts the rule never reads (aspects,
language, priority). These tests pin that its kind, sentiment, topics and disclosure are exactly
what ``triage_with`` says, on written posts of every kind and on the development set's posts.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from safereply.core.lint.rules.contact_path import post_facts
from safereply.core.triage.engine import triage_with
from safereply.core.triage.model import default_model

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

WRITTEN = [
    "My root canal hurt for a week and nobody called me back.",
    "Do you take Delta Dental? Looking for a new dentist for my kids.",
    "Is it normal for my gums to bleed after a deep cleaning?",
    "Best office ever, Dr. Lee and Jen are wonderful!",
    "Waited forever.",
    "I can't breathe and my chest hurts, what do I do",
    "I don't want to be here anymore.",
    "CHEAP FOLLOWERS!!! click www.example.com for free likes",
    "Meh.",
    "Great staff but the billing office charged me twice for the same visit.",
    "Excelente servicio, la doctora fue muy amable con mi hija.",
    "La recepcionista fue grosera y la cuenta llegó con un cargo doble.",
    "¿Atienden niños con asma? Mi hijo tiene tos desde hace semanas.",
    "Tooth still hurts.",
    "   ",
]


def _triage(post: str) -> tuple[str, float, frozenset[str], bool] | None:
    try:
        result = triage_with(default_model(), post, urgent_classifier=False)
    except Exception:  # the rule treats an unusable post as unknown
        return None
    topics = frozenset(str(t) for t in result.topics)
    return str(result.kind), result.sentiment, topics, result.discloses_health


def _facts(post: str) -> tuple[str, float, frozenset[str], bool] | None:
    facts = post_facts(post)
    if facts is None:
        return None
    kind, sentiment, topics, discloses = facts
    return kind, sentiment, topics, discloses()


@pytest.mark.parametrize("post", WRITTEN)
def test_written_posts_read_as_triage_reads_them(post):
    assert _facts(post) == _triage(post)


def test_development_posts_read_as_triage_reads_them():
    lint_data = pytest.importorskip("lint_data")
    posts = sorted({r.post[:800] for r in lint_data.load_dev("train") if r.post})
    assert len(posts) > 500
    differ = [p for p in posts if _facts(p) != _triage(p)]
    assert differ == []
