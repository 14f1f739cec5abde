"""Spanish and Spanish-English urgent posts, the language check and false crises (issue 15).

The two sets under data/ (docs/triage-urgent.md, "Spanish and Spanish-English"): the blind set was
written and committed before the rules were read and measured before and after, never developed
against; the dev set is what the Spanish rules were developed on. Both are now regression tests.
"""

from __future__ import annotations

import pytest
from triage_corpus import load_posts

from safereply.core.triage import engine, triage
from safereply.core.triage.engine import UNREADABLE
from safereply.core.triage.language import detect_language, fold
from safereply.core.triage.rules import crisis_reasons, emergency_reasons, normalise
from safereply.core.triage.urgent import UrgentSignal
from safereply.core.vocab import PostKind, Priority

URGENT = ("emergency", "crisis")
BLIND = load_posts("data/urgent_es_blind.jsonl")
DEV = load_posts("data/urgent_es_dev.jsonl")
READABLE = [p for p in BLIND + DEV if p["lang"] != "other"]
READABLE_URGENT = [p for p in READABLE if p["kind"] in URGENT]
READABLE_CALM = [p for p in READABLE if p["kind"] not in URGENT]
OTHER = [p for p in BLIND + DEV if p["lang"] == "other"]
# Escalated by the urgency classifier, not the rules. There was one, a question about a child's
# check-up in Spanish-English (esb-mx-neg-006, blind); it has no word of present danger, so the
# classifier is no longer asked about it (urgent.DANGER, issue 15).
CLASSIFIER_ESCALATIONS: set[str] = set()


def test_the_sets_are_large_and_cover_both_languages():
    assert len(BLIND) >= 120
    assert len({p["id"] for p in BLIND + DEV}) == len(BLIND + DEV)
    for posts in (BLIND, DEV):
        for lang in ("es", "mixed"):
            kinds = {p["kind"] for p in posts if p["lang"] == lang}
            assert {"emergency", "crisis"} <= kinds
            assert kinds - set(URGENT)


@pytest.mark.parametrize("post", READABLE_URGENT, ids=[p["id"] for p in READABLE_URGENT])
def test_every_spanish_and_mixed_urgent_post_is_escalated_under_its_kind(post):
    result = triage(post["text"])
    assert result.priority is Priority.URGENT
    assert result.kind == post["kind"], result.reasons
    assert result.discloses_health


@pytest.mark.parametrize("post", READABLE_CALM, ids=[p["id"] for p in READABLE_CALM])
def test_no_ordinary_spanish_or_mixed_post_is_escalated(post):
    result = triage(post["text"])
    escalated = result.priority is Priority.URGENT
    assert escalated == (post["id"] in CLASSIFIER_ESCALATIONS), result.reasons
    norm = normalise(post["text"])
    assert not crisis_reasons(norm)
    assert not emergency_reasons(norm)


@pytest.mark.parametrize(
    ("with_accents", "kind"),
    [
        ("Mi bebé de 3 semanas tiene fiebre y está muy caliente", PostKind.EMERGENCY),
        ("se le hinchó la garganta y le cuesta respirar", PostKind.EMERGENCY),
        ("mi papá se desmayó y no responde", PostKind.EMERGENCY),
        ("me quiero matar, ya no aguanto más", PostKind.CRISIS),
        ("todos estarían mejor sin mí", PostKind.CRISIS),
        ("quiero hacerme daño", PostKind.CRISIS),
    ],
)
def test_accents_are_optional(with_accents, kind):
    assert triage(with_accents).kind is kind
    assert triage(fold(with_accents)).kind is kind
    assert triage(fold(with_accents).upper()).kind is kind


@pytest.mark.parametrize(
    "text",
    [
        # issue 15, verbatim
        "I just couldn't take it any more, waited 90 minutes at the chiropractor and walked out",
        "I'm going to scream",
        "this bill is killing me",
        "I almost died laughing 😂",
        "I had chest pain last year and they were great",
        "they refused to give me more pain medication",
        # and their Spanish forms
        "ya no aguanto más esta espera, dos horas",
        "esta cuenta me está matando",
        "casi me muero de la risa 😂",
        "el año pasado tuve dolor de pecho y me atendieron muy bien",
        "no me quisieron dar más medicina para el dolor",
        "me quiero morir de la vergüenza, gritaron mi nombre en la sala",
        "casi me da un infarto cuando vi la factura",
        "me ahogo en papeles del seguro",
    ],
)
def test_figures_of_speech_past_events_and_pain_complaints_do_not_escalate(text):
    result = triage(text)
    assert result.priority is not Priority.URGENT, result.reasons


def test_a_pain_relief_complaint_is_not_put_to_the_classifier(monkeypatch):
    forced = UrgentSignal(PostKind.CRISIS, 0.99, "may be a crisis (classifier): test")
    monkeypatch.setattr(engine, "urgent_signal", lambda _text: forced)
    assert triage("they cut me off my pain meds and won't call me back").kind is not (
        PostKind.CRISIS
    )
    # asked as before (a word of present danger: urgent.DANGER)
    assert triage("the clinic closed early again and I'm scared").kind is PostKind.CRISIS
    # A crisis sign next to the complaint still escalates, by rule.
    text = "Your office refused to refill my meds and now I have no reason to keep going."
    assert triage(text).kind is PostKind.CRISIS


def test_a_present_crisis_is_not_hidden_by_a_past_one_or_a_grievance():
    assert triage("Last year I wanted to kill myself and I still do").kind is PostKind.CRISIS
    assert triage("Two years ago I was suicidal. I'm doing great now.").kind is not (
        PostKind.CRISIS
    )
    assert triage("I can't take it anymore. I want to die.").kind is PostKind.CRISIS
    assert triage("I can't take it anymore").kind is PostKind.CRISIS
    assert triage("ya no aguanto más, me voy a tomar todas las pastillas").kind is PostKind.CRISIS
    assert triage("ya no aguanto más, adiós a todos").kind is PostKind.CRISIS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Waited two hours and nobody apologized", "en"),
        ("Excelente atención, la doctora es muy amable", "es"),
        ("¿Aceptan Medicaid?", "es"),
        ("kiero matarme", "es"),
        ("10/10 👍", "en"),
        ("Très bon accueil, merci beaucoup", "other"),
        ("Atendimento ótimo, recomendo", "other"),
        ("医生很好，谢谢", "other"),
        ("Bác sĩ rất tốt, cảm ơn nhiều", "other"),
        ("NA.", "en"),
    ],
)
def test_detect_language(text, expected):
    assert detect_language(text) == expected


def test_every_labelled_english_post_reads_as_english():
    for name in ("labelled_posts.jsonl", "tuned_posts.jsonl", "blind2_urgent_posts.jsonl"):
        assert {detect_language(p["text"]) for p in load_posts(name)} == {"en"}


@pytest.mark.parametrize("post", OTHER, ids=[p["id"] for p in OTHER])
def test_a_post_in_another_language_says_a_person_must_read_it(post):
    result = triage(post["text"], rating=5)
    assert result.language == "other"
    assert UNREADABLE in result.reasons
    assert result.priority in (Priority.NORMAL, Priority.HIGH, Priority.URGENT)
    out = result.to_dict("x")
    assert out["language"] == "other"
    assert out["reasons"][-1] == UNREADABLE


def test_language_is_added_to_the_json_only_by_extension():
    english = triage("Great team!").to_dict("a")
    assert "language" not in english
    spanish = triage("¡Excelente equipo, gracias!").to_dict("b")
    assert list(spanish)[-1] == "language" and spanish["language"] == "es"
    assert list(spanish)[:-1] == list(english)
    assert UNREADABLE not in spanish["reasons"]
