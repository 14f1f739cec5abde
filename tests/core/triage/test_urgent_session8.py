"""Urgent signs the fifth blind set (session 8) showed triage missing, each beside a look-alike.

``data/triage_blind5`` was measured once, at the end of session 8 (urgent recall 22/27 English,
9/15 Spanish, 0/3 other languages): then its missed urgent posts were read and a rule written for
each family in other words. From then on the set is spent. Every case here is written anew; the
look-alikes must stay ordinary (past events, chronic states, figures of speech, the office's
things).
"""

from __future__ import annotations

import pytest
from urgent_cases import assert_escalated, assert_not_escalated

URGENT = [
    # a rash that does not fade under a glass, a stiff neck with fever (meningitis)
    ("emergency", "My son has tiny red spots on his chest that don't fade when I press on them"),
    ("emergency", "She has a high fever and a stiff neck and the light hurts her eyes"),
    ("emergency", "Mi hija tiene fiebre y unas manchitas que no se quitan al apretar con un vaso"),
    # confusion and vomiting after a blow to the head (a concussion getting worse)
    ("emergency", "After he fell off the trampoline he keeps asking the same thing and vomited"),
    # a rigid belly after a procedure (a perforation)
    (
        "emergency",
        "Two days after my endoscopy my stomach is rock hard and I'm shaking with chills",
    ),
    # an infection swelling an eye shut
    ("emergency", "Her tooth infection spread and now her eye is swollen shut and she has a fever"),
    # a baby's dehydration
    ("emergency", "Our 4 month old has had no wet diapers since last night and won't feed"),
    ("emergency", "El niño lleva vomitando todo el día y ya no ha mojado el pañal"),
    # a fall with loss of feeling in the legs
    ("emergency", "My dad fell off a ladder and says he can't feel his legs, he's on the ground"),
    ("emergency", "Se cayó del caballo y no siente las piernas, ¿lo movemos?"),
    # pain low on the right with fever or vomiting (appendicitis)
    ("emergency", "Sharp pain in her lower right side since noon and now a fever and vomiting"),
    ("emergency", "Tiene un dolor fuerte abajo a la derecha y ya le dio fiebre"),
    # a blackened foot with fever or confusion
    ("emergency", "A mi mamá se le puso el dedo del pie negro y tiene fiebre"),
    # other languages: can't breathe (Tagalog, Korean), poisoning with confusion (Korean)
    ("emergency", "Tulong, hindi makahinga ang anak ko at namumutla siya"),
    ("emergency", "아이가 숨을 못 쉬어요 도와주세요"),
    ("emergency", "엄마가 약을 많이 드시고 계속 토하시고 헛소리를 하세요"),
    # ending one's life: a car crash planned, resting forever tonight, no longer a burden
    ("crisis", "Mi hermano dice que va a estrellar el carro contra un puente y no contesta"),
    ("crisis", "Perdónenme todos. Esta noche por fin descanso para siempre."),
    ("crisis", "I don't want to be a burden anymore, everyone will be better off"),
    # a gun the poster says is not for protection
    ("crisis", "Picked up a gun at the pawn shop today. It's not for protection, sorry mom."),
    ("crisis", "لا أستطيع الاستمرار، سأنهي حياتي الليلة"),
]

ORDINARY = [
    "The spots on your waiting room carpet don't fade no matter how hard you scrub, gross",
    "I had a stiff neck from the chair in the exam room, please get better chairs",
    "The front desk keeps asking the same questions every visit, can you fix the forms?",
    "My belly was rock hard from laughing at Dr. Kim's jokes, best visit ever",
    "My eyes were swollen shut from allergies last spring and Dr. Ruiz fixed it, thank you",
    "Do you sell wet wipes and diapers in the pharmacy?",
    "My grandmother has not been able to move her legs for years, is the office accessible?",
    "Mi abuela no puede mover las piernas desde hace años, ¿tienen rampa?",
    "Pain in my lower right back after moving boxes, any massage openings Saturday?",
    "El dedo del pie se me puso negro de tanto caminar con zapatos nuevos jaja",
    "Ya no quiero ser una carga para la recepción con tantas preguntas, ¿hay un portal?",
    "Vamos a chocar los cinco con el doctor, es el mejor",
    "Mi papá va a chocar la camioneta de mi tío si sigue manejando así, jaja",
    "Got a new mouthguard from Dr. Lee. It's not for protection in sports, it's for my grinding",
]


@pytest.mark.parametrize("kind, text", URGENT)
def test_the_sign_is_escalated(kind, text):
    assert_escalated(kind, text)


@pytest.mark.parametrize("text", ORDINARY)
def test_the_look_alike_is_not_escalated(text):
    assert_not_escalated(text)
