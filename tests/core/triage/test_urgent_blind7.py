"""Session 10, after the spent seventh blind set: the signs it showed no rule knew, and the
shapes of its false escalations, each written anew (none is the set's text) beside a look-alike.

Tuned on: the spent set triage_blind7 (and, as before, triage_blind2 to triage_blind6).
"""

from __future__ import annotations

import pytest
from urgent_cases import assert_escalated, assert_not_escalated

#: New signs: (kind, urgent post, look-alike that must stay ordinary).
NEW_SIGNS = [
    # a body run through by what it fell on; not a site tour past exposed rebar
    (
        "emergency",
        "My dad slipped off the ladder and fell on a fence post, it went into his thigh",
        "We walked past exposed rebar on the site tour, so I need a tetanus booster date",
    ),
    # a racing heart at rest that will not settle; not 140 on standing, not a treadmill test
    (
        "emergency",
        "My pulse is 180 lying in bed for half an hour and it won't come down",
        "On the treadmill test my heart rate hit 160 and the nurse said that was the goal",
    ),
    # right-sided belly pain with vomiting or a fever (the appendix)
    (
        "emergency",
        "My son is holding the right side of his belly, he threw up and now he's 102",
        "The right side of my belly is sore from the new ab class, nothing else, any PT openings?",
    ),
    # Spanish: a cold sweat with dizziness or vomiting; not a cold sweat before results
    (
        "emergency",
        "Mi compadre anda en el campo sudando frío, mareado y ya vomitó dos veces",
        "Estaba sudando frío esperando los resultados, pero salió todo bien, gracias",
    ),
    # Spanish: a child's chest sinking in as it breathes, said with a diminutive
    (
        "emergency",
        "Mi bebé respira con el pechito, se le hunde el pechito con cada respiro",
        "Mi bebé tiene el pechito con un salpullido rojo, ¿tienen cita el lunes?",
    ),
    # Spanish: lamp oil swallowed is a hydrocarbon, like kerosene
    (
        "emergency",
        "Mi niña se tomó aceite de lámpara del patio y no para de toser",
        "Compré aceite de lámpara para el patio y me dio dolor de cabeza el olor, ¿es normal?",
    ),
    # Spanish: a dried-out adult who is confused; not a dry mouth from a medicine
    (
        "emergency",
        "Mi abuelo no ha orinado desde ayer y está desorientado, no sabe dónde está",
        "Tengo la boca seca por la pastilla nueva, ¿me la pueden cambiar en la próxima cita?",
    ),
    # Spanish: a farewell letter left for one's children, with a leaving
    (
        "crisis",
        "Dejé la carta para mis hijos en la cocina, cuando se duerman me voy al puente.",
        "Les dejé la carta a mis hijos para que la firme la maestra, ¿ustedes ocupan copia?",
    ),
    # Spanish: the means and "do not look for him"; not a rope for fishing
    (
        "crisis",
        "Mi primo se llevó una soga al monte y nos escribió que ya no lo busquemos",
        "Mi primo se llevó una soga al río para pescar y dijo que lo buscáramos a las seis",
    ),
    # Polish: a crushed limb gone cold and numb; not a cold foot at night
    (
        "emergency",
        "Ręka jest zimna i sina po wypadku, nie czuje palców",
        "Stopa jest zimna w nocy, czy to krążenie? Proszę o wizytę",
    ),
    # Portuguese: a cold sweat with pallor (shock); not a cold sweat before an exam
    (
        "emergency",
        "Minha mãe está pálida e suando frio, a dor na barriga não passa",
        "Fiquei suando frio antes da prova de direção, mas passei!",
    ),
    # Arabic: speech that makes no sense (low sugar, a stroke); not a doctor one cannot follow
    (
        "emergency",
        "أبي يتكلم كلاما غير مفهوم منذ نصف ساعة",
        "الطبيب يشرح بسرعة ولم أفهم التعليمات، هل يمكن الاتصال بي؟",
    ),
    # Chinese: a cold sweat with dizziness (bleeding, shock); not a cold sweat in a dream
    (
        "emergency",
        "我妈妈现在头晕，一直冒冷汗，脸色发白",
        "昨天做了噩梦，醒来出了一身汗，现在没事了",
    ),
    # Russian: every pill at once, tonight; not a dose taken as prescribed
    (
        "crisis",
        "Сегодня ночью приму все таблетки сразу, больше не могу",
        "Сегодня вечером приму таблетку, как сказал врач, спасибо",
    ),
]

#: Frightening but not urgent: the shapes of the seventh set's false escalations.
LOOK_ALIKES = [
    # a scare explained as nothing ("I thought it was a heart attack but it was just ...")
    "honestly thought i was having a stroke in the waiting room but it was just the fluorescent "
    "lights and no breakfast",
    # fainting on the table during a procedure, told by one who is fine
    "I fainted in the dental chair during the cleaning. I'm fine, but please warn people.",
    # a thing, not a body, is dead
    "my old nails are dead and buried, the new gel set is gorgeous 💀",
    # a past rescue, and everything ready now
    "Two years ago my son stopped breathing from a bee sting. He's 8 now and the school is "
    "ready with his pens.",
    # a knock with a child acting like himself
    "my 5 yo fell off the slide yesterday, bump on his head the size of an egg. he's been "
    "running around since, no throwing up, acting totally himself. do we need to come in",
    # a scare explained as a pulled muscle, by a medic
    "As a paramedic I've seen people die of heart attacks, so I was relieved my chest pain "
    "was just a pulled muscle.",
]

#: Still escalated: the same shapes where the danger is now.
STILL_URGENT = [
    (
        "emergency",
        "I thought I was having a heart attack and I still am, crushing chest pain and my "
        "left arm is numb",
    ),
    ("emergency", "He passed out in the exam chair and won't wake up"),
    (
        "emergency",
        "Last week it was just a pulled muscle, but now I have chest pain and can't breathe",
    ),
    ("emergency", "My son is not breathing and his lips are blue, the school is ready to call"),
]


@pytest.mark.parametrize(("kind", "urgent", "_"), NEW_SIGNS)
def test_new_sign_is_escalated(kind: str, urgent: str, _: str) -> None:
    assert_escalated(kind, urgent)


@pytest.mark.parametrize(("_", "__", "look_alike"), NEW_SIGNS)
def test_new_sign_look_alike_stays_ordinary(_: str, __: str, look_alike: str) -> None:
    assert_not_escalated(look_alike)


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_frightening_shape_is_not_escalated(text: str) -> None:
    assert_not_escalated(text)


@pytest.mark.parametrize(("kind", "text"), STILL_URGENT)
def test_present_danger_beside_those_shapes_is_escalated(kind: str, text: str) -> None:
    assert_escalated(kind, text)
