"""Triage's trace (issue 13): every step says why it decided, the trace never changes a decision,
and ``safereply triage --explain`` prints it without touching the JSON contract otherwise."""

from __future__ import annotations

import json

import pytest

from safereply.cli.main import main
from safereply.core.triage import Trace, explain, triage
from safereply.core.triage.engine import triage_with
from safereply.core.triage.model import default_model

#: (text, rating): one post for each way a kind is decided.
POSTS = [
    ("I have the pills lined up and I want to end it tonight", None),  # crisis rule
    ("My dad collapsed in your waiting room and he is not breathing", None),  # emergency rule
    ("Follow me for cheap followers!!! www.best-deals.example click the link", None),  # spam
    ("The receptionist was rude and I waited two hours past my appointment.", None),
    ("Do you take new patients on Saturdays?", None),
    ("Dr. Lee fixed my root canal and the whole team was lovely!", 5),
    ("Parking was a nightmare and they lost my records.", 2),
    ("Mi hija tiene fiebre y nadie contesta el teléfono, qué mal servicio", None),
    ("Je suis très déçu, personne ne répond au téléphone", None),
    ("Someone at the front desk read my diagnosis out loud in the waiting room.", 1),
]


def _steps(trace: Trace, name: str) -> list[str]:
    return [step.why for step in trace.steps if step.name == name]


@pytest.mark.parametrize(("text", "rating"), POSTS)
def test_explain_returns_triages_result_and_a_reason_for_each_decision(text, rating):
    result, trace = explain(text, rating=rating)
    assert result == triage(text, rating=rating)
    names = [step.name for step in trace.steps]
    assert names[:2] == ["tone", "language"]
    # the last word on the kind and on the priority name them
    assert _steps(trace, "kind")[-1].startswith(result.kind.value + ":")
    assert _steps(trace, "priority")[-1].startswith(result.priority.value)
    # every topic kept says why it was added
    topic_steps = _steps(trace, "topics")
    for topic in result.topics:
        assert any(why.startswith(topic.value + ":") for why in topic_steps), topic
    assert all(step.why and step.why == step.why.strip() for step in trace.steps)


def test_the_steps_of_a_complaint_in_order():
    _, trace = explain("The receptionist was rude and I waited two hours past my appointment.")
    names = [step.name for step in trace.steps]
    assert names == [
        "tone",
        "language",
        *["topics"] * names.count("topics"),
        "health",
        "urgent-rules",
        "urgency-classifier",
        "signals",
        "kind",
        "priority",
    ]
    assert "rude" in _steps(trace, "signals")[0]
    assert _steps(trace, "kind")[0].startswith("complaint: the kind stacker")
    assert _steps(trace, "priority") == ["high: a complaint with a negative tone"]


def test_a_crisis_rule_ends_the_kind_decision():
    result, trace = explain("I have the pills lined up and I want to end it tonight")
    assert result.kind.value == "crisis"
    [kind] = _steps(trace, "kind")
    assert kind.startswith("crisis: a crisis rule matched (") and result.reasons[0] in kind
    assert "urgency-classifier" not in [step.name for step in trace.steps]
    assert _steps(trace, "priority") == ["urgent: every crisis post is urgent"]


def test_why_the_urgency_classifier_was_not_asked():
    _, glowing = explain("Dr. Lee fixed my root canal and the whole team was lovely!", rating=5)
    assert _steps(glowing, "urgency-classifier") == ["not asked: a glowing review"]
    _, calm = explain("Do you take new patients on Saturdays?")
    assert _steps(calm, "urgency-classifier") == ["not asked: no word of present danger"]
    trace = Trace()
    triage_with(default_model(), "My tooth hurts so much", urgent_classifier=False, trace=trace)
    assert _steps(trace, "urgency-classifier") == [
        "not asked: the caller leaves escalation to the rules"
    ]


def test_spam_drops_its_topics_and_says_so():
    result, trace = explain(
        "Follow me for cheap followers!!! www.best-deals.example click the link"
    )
    assert result.kind.value == "spam" and result.topics == ()
    assert _steps(trace, "kind")[0].startswith("spam: ")


def test_a_topic_cue_and_a_classifier_score_are_told_apart():
    _, trace = explain("Parking was a nightmare and they lost my records.", rating=2)
    topics = _steps(trace, "topics")
    assert "facility: the facility word 'parking' decides it" in topics
    scored = [why for why in topics if "the text classifier scores it" in why]
    assert scored and all("at least its threshold" in why for why in scored)


def test_a_question_settles_its_tone_and_says_so():
    result, trace = explain("Do you take new patients on Saturdays?")
    [settled] = _steps(trace, "sentiment")
    assert settled.endswith("without stars, a question is neutral")
    assert settled.split(" -> ")[1].startswith(f"{result.sentiment:+.2f}")


def test_a_post_triage_cannot_read_is_raised_and_traced():
    result, trace = explain("Merci beaucoup, le docteur est très gentil et très professionnel")
    assert result.language == "other"
    assert _steps(trace, "language") == [
        "neither English nor Spanish: triage cannot read it reliably"
    ]
    # high since session 10: its kind is a guess (an Arabic emergency was once read as praise)
    assert result.kind.value == "praise" and result.priority.value == "high"
    assert _steps(trace, "priority") == [
        "low: praise (even praise that mentions a treatment)",
        "high: a person must read first a post triage cannot read",
    ]


def test_health_disclosure_is_traced():
    result, trace = explain("Dr. Lee fixed my root canal and the whole team was lovely!", rating=5)
    assert result.discloses_health
    assert _steps(trace, "health") == ["tied to the poster or someone they mention: root canal"]


KEYS = ["id", "kind", "topics", "sentiment", "discloses_health", "priority", "reasons", "aspects"]


def _cli(args: list[str], capsys) -> tuple[int, str]:
    status = main(["triage", *args])
    return status, capsys.readouterr().out


def test_cli_explain_appends_an_explain_list_and_changes_nothing_else(capsys):
    for text in ("Waited two hours and the receptionist was rude. Why?", "Gracias doctora!"):
        _, plain = _cli(["--text", text, "--format", "json"], capsys)
        _, explained = _cli(["--text", text, "--format", "json", "--explain"], capsys)
        before, after = json.loads(plain), json.loads(explained)
        assert "explain" not in before and list(before)[: len(KEYS)] == KEYS
        assert list(after) == [*before, "explain"]
        assert {k: v for k, v in after.items() if k != "explain"} == before
        assert after["explain"] and all(list(s) == ["step", "why"] for s in after["explain"])
        assert after["explain"][-1]["step"] == "priority"


def test_cli_explain_in_the_table(capsys):
    status, out = _cli(
        ["--text", "Do you take new patients on Saturdays?", "--explain", "--color", "never"],
        capsys,
    )
    assert status == 0
    assert "    kind: question: the kind stacker" in out
    assert "    priority: high: a question" in out
    _, plain = _cli(
        ["--text", "Do you take new patients on Saturdays?", "--color", "never"], capsys
    )
    assert "kind:" not in plain and "priority:" not in plain


def test_an_urgent_post_without_a_health_term_says_why_it_discloses_health():
    text = "Mi hijo no puede respirar bien y tiene los labios morados, qué hago?"
    result, trace = explain(text)
    assert result.kind.value == "emergency" and result.discloses_health
    assert _steps(trace, "health")[-1].startswith("discloses all the same")
    calm, calm_trace = explain("Do you take new patients on Saturdays?")
    assert not calm.discloses_health
    assert not any(s.startswith("discloses") for s in _steps(calm_trace, "health"))


def test_a_complaint_reason_names_each_cue_once():
    result = triage("Waited 3 hours for a 10 minute visit. Never again.")
    reason = next(r for r in result.reasons if r.startswith("complaint wording: "))
    cues = reason.removeprefix("complaint wording: ").split(", ")
    assert len(cues) == len(set(cues)) >= 2
