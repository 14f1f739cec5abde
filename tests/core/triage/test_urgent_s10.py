"""Session 10: urgent signs and look-alikes written anew in many voices, no blind set read.

Each urgent post stands beside an ordinary post in the same words (a story, a figure of speech,
praise, the office's things). Families: pregnancy and after-birth bleeding, a baby that stops
moving, dehydration in children (English and Spanish), an infected wound with fever (Spanish),
and the plainest signs and wishes to die in the most common other languages of US patients
(Chinese, Russian, Polish, Vietnamese, Korean, Arabic, Tagalog), which triage still says it
cannot read. Tuned on: nothing but these cases (the spent sets were only measured).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from urgent_cases import assert_escalated, assert_not_escalated

from safereply.core.triage import rules, triage
from safereply.core.triage.engine import UNREADABLE
from safereply.core.triage.language import detect_language, fold
from safereply.core.triage.rules import normalise
from safereply.core.triage.urgent import asked_ahead, mentions_danger, reassured, resolved

#: (kind, urgent post, look-alike that must stay ordinary).
NEW_SIGNS = [
    # after a birth: bleeding counted from the birth, not told of it
    (
        "emergency",
        "Gave birth a week ago, soaking a pad every 30 minutes and passing clots the size of a "
        "lemon, feeling dizzy",
        "Gave birth 3 weeks ago and the nurses were amazing, bleeding was heavy the first day "
        "but they handled it",
    ),
    (
        "emergency",
        "Passing clots bigger than a golf ball since the miscarriage this morning, feeling faint",
        "I passed a small clot after my period started, is that something to mention at my annual?",
    ),
    (
        "emergency",
        "Had my surgery 4 days ago and now the incision is red, hot and leaking pus with a fever "
        "of 102",
        "Had my wisdom teeth out 2 weeks ago, the stitches were out last week and I was fine",
    ),
    # a baby that stops moving late in a pregnancy; "not yet" at 16 weeks is not this
    (
        "emergency",
        "I'm 34 weeks and I haven't felt the baby move since yesterday",
        "I'm 16 weeks and haven't felt the baby move yet, is that normal? Booking my anatomy scan",
    ),
    (
        "emergency",
        "I'm 36 weeks and the baby has stopped moving since this morning",
        "The fibroid they found was the size of a lemon, surgery is scheduled for March. Great "
        "team",
    ),
    # dehydration in a child: no urine for hours with dry lips, no tears
    (
        "emergency",
        "My 2 yr old hasn't peed in 12 hours, lips are dry and cracked and she's not making "
        "tears when she cries",
        "my toddler hasn't peed in the potty for 3 days, regression is real. any advice?",
    ),
    (
        "emergency",
        "Mi nena de 1 año tiene diarrea y vómitos desde anoche, no ha hecho pipí y tiene los "
        "ojos hundidos",
        "Mi nena tuvo diarrea la semana pasada, ya está bien, ¿necesita cita de seguimiento?",
    ),
    # an infected wound with fever, in Spanish
    (
        "emergency",
        "La herida de la cesárea me está botando pus y tengo una fiebre de 39, el corazón me "
        "late bien rápido",
        "La herida de la operación ya sanó, tuve fiebre la primera semana pero ya se quitó",
    ),
    # a dismissal of chest pain told, beside chest pain now
    (
        "emergency",
        "Chest pain going down my left arm and I'm sweating, what do I do",
        "The ER doctor said my chest pain last week was just anxiety, follow-up went fine",
    ),
]

#: Posts in another language: (kind, urgent post, ordinary post in the same language).
OTHER_LANGUAGES = [
    ("emergency", "我爸爸胸口很痛，喘不过气来，现在怎么办", "您好，请问周六开门吗？"),
    ("emergency", "孩子发高烧，现在叫不醒", "笑死我了，候诊室的电视在放动画片"),
    ("crisis", "我不想活了，我想自杀", "我想死你了，医生！谢谢你的照顾"),
    (
        "emergency",
        "Мой сын не дышит, губы синие",
        "У меня нос не дышит уже неделю, можно записаться?",
    ),
    ("emergency", "Бабушка без сознания, что делать?", "Здравствуйте, можно записаться на прием?"),
    (
        "crisis",
        "Я хочу умереть, у меня есть таблетки",
        "Мне нравится этот врач, очень внимательный",
    ),
    (
        "emergency",
        "Mój mąż nie może oddychać i ma ból w klatce piersiowej",
        "Dzień dobry, czy mogę umówić wizytę na przyszły tydzień?",
    ),
    (
        "emergency",
        "Moja córka jest nieprzytomna, co robić?",
        "Bardzo dobry lekarz, polecam wszystkim",
    ),
    ("crisis", "Chcę umrzeć, mam tabletki", "Dziękuję bardzo, wizyta była szybka i miła"),
    (
        "emergency",
        "Con tôi không thở được, môi tím tái",
        "Xin chào, phòng khám có mở cửa thứ bảy không?",
    ),
    ("crisis", "Tôi muốn chết, tôi không muốn sống nữa", "Cảm ơn bác sĩ, tôi từ từ khỏe lại rồi"),
    ("emergency", "아이가 숨을 못 쉬어요", "죽을 만큼 배고파요 ㅋㅋ 대기 시간이 너무 길어요"),
    ("emergency", "ابني لا يستطيع التنفس", "شكرا للدكتور على الرعاية الممتازة"),
    (
        "emergency",
        "Nawalan ng malay ang lola ko, hindi siya gumigising",
        "Salamat po sa lahat, ang bait ng doktor at ng mga nurse",
    ),
]

#: Ordinary posts with the classifier's danger words used of the office or of good numbers.
GATED = [
    "I'm exhausted from being on hold, tired of being transferred",
    "my mom's blood sugar has been great since she started seeing Dr. Kim",
]


@pytest.mark.parametrize(("kind", "urgent", "lookalike"), NEW_SIGNS)
def test_new_signs_are_escalated(kind, urgent, lookalike):
    assert_escalated(kind, urgent)


@pytest.mark.parametrize(("kind", "urgent", "lookalike"), NEW_SIGNS)
def test_their_lookalikes_are_not(kind, urgent, lookalike):
    assert_not_escalated(lookalike)


@pytest.mark.parametrize(("kind", "urgent", "ordinary"), OTHER_LANGUAGES)
def test_plain_danger_in_another_language_is_escalated_and_flagged(kind, urgent, ordinary):
    result = triage(urgent)
    assert result.kind == kind, result.reasons
    assert result.language == "other"
    assert UNREADABLE in result.reasons


@pytest.mark.parametrize(("kind", "urgent", "ordinary"), OTHER_LANGUAGES)
def test_an_ordinary_post_in_that_language_is_flagged_not_escalated(kind, urgent, ordinary):
    result = triage(ordinary)
    assert result.kind.value not in ("emergency", "crisis"), result.reasons
    assert result.language == "other"
    assert UNREADABLE in result.reasons


def test_polish_letters_mark_polish_not_english():
    assert detect_language("Mój mąż nie może oddychać") == "other"
    assert detect_language("My husband can't breathe, ñ is Spanish") == "en"


@pytest.mark.parametrize("text", GATED)
def test_the_office_and_good_numbers_are_no_present_danger(text):
    assert_not_escalated(text)


def test_the_gate_still_reads_danger_beside_those_words():
    assert mentions_danger("tired of being transferred and tired of living")
    assert not reassured("her blood sugar has been great but now she is confused and sweating")
    assert reassured("her blood sugar has been great since she started the new insulin")


def _ascii_posts() -> list[str]:
    here = Path(__file__).resolve().parent
    root = here.parents[2]
    paths = [*here.glob("*.jsonl"), *(here / "data").glob("*.jsonl")]
    for n in range(2, 7):  # the spent sets only (RULES: never a set being written)
        paths += sorted((root / "data" / f"triage_blind{n}").glob("*.jsonl"))
    rows = [json.loads(line) for p in paths for line in p.read_text("utf-8").splitlines() if line]
    texts = [r["text"] for r in rows if r.get("text")]
    return [t for t in texts if not rules._OTHER_SCRIPT.search(fold(normalise(t)))]


def test_the_rules_of_other_scripts_never_match_text_without_their_letters():
    # _possible skips them on a post without a letter of their scripts: sound only if no such
    # text can match them (Spanish, Polish, Vietnamese and emoji posts included)
    posts = _ascii_posts()
    assert len(posts) > 2000 and any(not p.isascii() for p in posts)
    texts = [*posts, *(t for _, u, lookalike in NEW_SIGNS for t in (u, lookalike))]
    matched = [
        (rule.reason, text[:60])
        for text in texts
        for rule in (*rules.EMERGENCY_RULES_SCRIPT, *rules.CRISIS_RULES_SCRIPT)
        if rule.search(fold(normalise(text)))
    ]
    assert not matched
    for rule in (*rules.EMERGENCY_RULES_SCRIPT, *rules.CRISIS_RULES_SCRIPT):
        assert not rule.search("i can't breathe, i want to die"), rule.reason


def _train_urgent():
    pytest.importorskip("sklearn", reason="the training script needs the train extra")
    scripts = str(Path(__file__).resolve().parents[3] / "scripts")
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    import train_urgent

    return train_urgent


def test_the_urgency_script_trains_on_the_spent_sets_only(tmp_path):
    train_urgent = _train_urgent()
    assert tuple(f"triage_blind{n}" for n in range(2, 7)) == train_urgent.SPENT_BLIND
    with pytest.raises(SystemExit):  # a set being written is no choice
        train_urgent.main(["--real", __file__, "--spent", "triage_blind7", "--out", "x"])
    posts = train_urgent.spent_posts(["triage_blind6"])
    assert {group for group, _ in posts} == {"triage_blind6"} and len(posts) == 240


def test_out_of_fold_scores_hold_out_whole_sets():
    train_urgent = _train_urgent()
    posts = [("a", {"text": f"a{i}", "kind": "crisis"}) for i in range(3)]
    posts += [("b", {"text": "b", "kind": "other"}), ("a", {"text": "a0", "kind": "other"})]
    rows = train_urgent.build_rows(posts, ["r1", "r2", "r3"], folds=2)
    assert list(rows.groups) == ["a", "a", "a", "b", "real-0", "real-1", "real-0"]
    assert list(rows.urgent) == [1, 1, 1, 0, 0, 0, 0]  # the same text twice is kept once


def test_a_spanish_post_that_ends_by_saying_it_is_over_is_resolved():
    assert resolved(normalise("Tuve fiebre la primera semana pero ya se quitó"))
    assert resolved(normalise("Se cayó de la bici, ya está bien, gracias a Dios"))
    assert not resolved(normalise("Tengo fiebre de 39 y pus, ya no sé qué hacer"))


def test_a_spanish_post_that_says_the_child_is_well_now_is_reassured():
    calm = "mi hija tiene fiebre de 101 desde ayer pero está jugando y comiendo bien. ¿cita hoy?"
    assert reassured(normalise(calm))
    assert_not_escalated(calm)
    worse = "Mi hijo se tragó una moneda, está jugando normal pero ahora está vomitando"
    assert not reassured(normalise(worse))
    assert_escalated("emergency", worse)


def test_planning_as_feedback_is_no_present_danger():
    assert_not_escalated("Better planning.")
    assert mentions_danger(normalise("better planning of how i end it tonight"))


#: Short Spanish posts the retrained model scored high, beside urgent posts in the same words.
SPANISH_GATED = [
    ("¿Tienen horario de emergencias el fin de semana?", "Es una emergencia, mi hijo no respira"),
    (
        "ya no aguanto más esta espera, 3 horas en la sala y nada",
        "ya no aguanto más, tengo las pastillas y nada me importa",
    ),
    (
        "¿Qué hago si mi hijo de 5 años tiene fiebre de 38? ¿Le doy paracetamol?",
        "¿Qué hago? mi hijo se tragó una pila ahora mismo",
    ),
    (
        "Mi hijo perdió un diente de leche, ¿es normal que sangre un poquito?",
        "Mi hijo se cayó y le sale mucha sangre de la boca, no para",
    ),
]


@pytest.mark.parametrize(("calm", "urgent"), SPANISH_GATED)
def test_short_spanish_questions_and_waits_are_not_escalated(calm, urgent):
    assert_not_escalated(calm)
    result = triage(urgent)
    assert result.kind.value in ("emergency", "crisis"), result.reasons


def test_a_question_asked_ahead_says_nothing_of_now():
    assert asked_ahead(normalise("What should I do if my son swallows a coin?"))
    assert not asked_ahead(normalise("What do I do if he is not breathing right now"))
