"""Session 9, after the spent sixth blind set: the signs it showed no rule knew, and the shapes
of its false escalations, each written anew (none is the set's text) beside a look-alike.

Tuned on: the spent set triage_blind6 (and, as before, triage_blind2 to triage_blind5).
"""

from __future__ import annotations

import pytest
from urgent_cases import assert_escalated, assert_not_escalated

from safereply.core.triage import triage
from safereply.core.triage.engine import UNREADABLE
from safereply.core.triage.language import detect_language

#: New signs: (kind, urgent post, look-alike that must stay ordinary).
NEW_SIGNS = [
    # a wish not to be alive said without "if"; "I am not alive" is not "I am fine"
    (
        "crisis",
        "Since the divorce I think it would be better I am not alive anymore",
        "It would be better if I am not late again, so I booked the first slot",
    ),
    (
        "crisis",
        "I feel it is better I am not alive. Tonight I go to the tracks behind the plant",
        "It is better I am not driving after the eye drops, my sister will take me",
    ),
    # knowing where the means are and how much; a gun at hand and a last word of where one is
    (
        "crisis",
        "Pharmacist here. I know what's in the drug cabinet and how much it takes",
        "I know what's in the medicine cabinet because I restock it; how much is the copay?",
    ),
    (
        "crisis",
        "Nurse here, I know what's in our medication cart and exactly how many it would take",
        "I've done the math and my shift ends at 5, the same time you close. Any Saturday slots?",
    ),
    (
        "crisis",
        "Sitting in the barn with my shotgun. Wanted someone to know where I am",
        "Hunting season opens Saturday and my shotgun is cleaned. Wanted to book a checkup first",
    ),
    # muscle breakdown after exertion: cola-coloured urine, not a dye
    (
        "emergency",
        "After yesterday's conditioning drills my legs are swollen and my urine is dark brown",
        "My pee was bright orange after the bladder medicine, the pharmacist said it would be",
    ),
    # bloody diarrhoea with dizziness
    (
        "emergency",
        "Bloody diarrhea all night on chemo and she's so dizzy she can't stand",
        "Had some diarrhea after the prep, no blood, feeling fine now",
    ),
    # a blow to the belly with signs of shock
    (
        "emergency",
        "The cow kicked my brother in the belly an hour ago, he's pale and in a cold sweat",
        "The horse kicked my fence last week, no one was hurt, can I bring my tetanus card?",
    ),
    # a rigid belly with sweating or paleness (Spanish)
    (
        "emergency",
        "Mi esposo tiene el estómago duro como piedra, está sudando y no se puede enderezar",
        "Mi bebé tiene la pancita dura por los gases, ¿le doy masajes?",
    ),
    # green vomiting in a baby of days or weeks, in English and Spanish
    (
        "emergency",
        "My 2 week old is throwing up bright green",
        "My 2 week old has green poop after switching formula, is that ok?",
    ),
    (
        "emergency",
        "Mi niña de 10 días vomita verde desde la mañana",
        "Mi niña de 10 días hizo popó verde, ¿es normal?",
    ),
    # a poisonous gas with collapse or confusion (Spanish)
    (
        "emergency",
        "Mi hermano respiró mucho gas en el tanque y ahora está confundido",
        "Había olor a H2S en la locación pero nadie se cayó, ¿hacen exámenes de pulmón?",
    ),
    # other languages: French fever with confusion, Hindi chest pain now, Somali fainting,
    # Vietnamese slurred speech after a head blow
    (
        "emergency",
        "Ma fille a de la fièvre depuis ce matin et maintenant elle délire",
        "Ma fille avait de la fièvre la semaine dernière, elle va bien, merci docteur",
    ),
    (
        "emergency",
        "Meri maa ke seene mein dard ho raha hai aur saans phool rahi hai",
        "Pichle saal seene mein dard tha, ab theek hoon, doctor sahab ka shukriya",
    ),
    (
        "emergency",
        "Aabahay wuu suuxay hadda, fadlan i caawiya",
        "Aabahay waa fiican yahay maanta, mahadsanid dhakhtarka",
    ),
    (
        "emergency",
        "Ông tôi té đập đầu hôm qua, giờ ông nói ngọng và ói",
        "Con tôi nói ngọng từ nhỏ, phòng khám có dạy nói không?",
    ),
]


@pytest.mark.parametrize(("kind", "urgent", "lookalike"), NEW_SIGNS)
def test_a_new_sign_escalates_and_its_lookalike_does_not(kind, urgent, lookalike):
    assert_escalated(kind, urgent)
    assert_not_escalated(lookalike)


#: False escalations fixed by their shape: (ordinary post, urgent post of the same shape).
FALSE_ESCALATIONS = [
    # a past collapse told with a school year
    (
        "Fainted at practice junior year, the cardiologist found my rhythm problem. Still grateful",
        "I just fainted at practice and my heart is racing",
    ),
    # "about had a stroke" at a bill
    (
        "My dad about had a stroke when he opened the invoice from the lab",
        "My dad's face is drooping and his words are slurred",
    ),
    # a reassurance, not self-harm
    (
        "Relax, I won't hurt myself, I'm just angry that my prior auth expired again",
        "I keep wanting to hurt myself and I can't stop thinking about it",
    ),
    # a threat about the office's hold message
    (
        "If I have to listen to that hold recording one more time I'll walk into traffic lol",
        "I'm going to walk into traffic tonight, nobody would care",
    ),
    # apnoea told beside its treatment
    (
        "He stopped breathing in his sleep for years until the CPAP, now we both sleep",
        "My baby stopped breathing in her sleep and is blue",
    ),
    # a title's full stop does not cut the time off a story
    (
        "Two weeks ago Mr. Okafor slipped on the ice and hit his head, he is fine and back at work",
        "Mr. Okafor slipped on the ice and hit his head and now he is vomiting and confused",
    ),
    # everyday uses of danger words (classifier gate)
    (
        "Do you give the yellow fever vaccine? We fly to Lima next month",
        "Fever of 104 and he is confused and won't wake up properly",
    ),
    (
        "The portal had slots that disappear when you click them, so I called instead",
        "I just want to disappear forever, I am so tired of everything",
    ),
]


@pytest.mark.parametrize(("ordinary", "urgent"), FALSE_ESCALATIONS)
def test_a_false_escalation_shape_stays_ordinary_beside_its_urgent_twin(ordinary, urgent):
    assert_not_escalated(ordinary)
    assert triage(urgent).kind in ("emergency", "crisis"), triage(urgent).reasons


def test_a_somali_post_is_read_as_a_language_triage_cannot_read():
    text = "Fadlan i caawiya, wiilkayga xanuun ayuu qabaa maanta, waxaan rabaa dhakhtarka"
    assert detect_language(text) == "other"
    assert UNREADABLE in triage(text).reasons
    assert detect_language("Way better than my last clinic, the nurse was great") == "en"
