"""Session 9: urgent signs no rule covered, and false escalations fixed by their shape.

Three kinds of cases, every one written anew (none is a blind set's or a real review's text):

* present-danger signs an emergency nurse would expect in posts (stroke, anaphylaxis, sepsis,
  bleeding after surgery, a child not breathing, an overdose, chest pain, indirect and Spanish
  ways of saying a life will end), each beside a look-alike told in the past, about the office,
  or as a figure of speech;
* the shapes of the false escalations read in the real reviews and comments (111 of 9,551 before
  this session) and in the spent fifth blind set, each beside the urgent post it must not hide;
* the still-missed post of the fifth set: an abscess "from last week's appointment" that is
  swollen now.

Tuned on: the spent sets triage_blind2 to triage_blind5 and the real texts of ../shared/data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from urgent_cases import URGENT_KINDS, assert_escalated, assert_not_escalated

from safereply.core.triage import triage
from safereply.core.triage.engine import UNREADABLE
from safereply.core.triage.language import detect_language
from safereply.core.triage.rules import normalise
from safereply.core.triage.urgent import mentions_danger

ROOT = Path(__file__).resolve().parents[3]

#: New signs: (kind, urgent post, look-alike that must stay ordinary).
NEW_SIGNS = [
    # stroke: sudden loss of understanding, a hand that will not work, a mouth hanging on one side
    (
        "emergency",
        "Dad suddenly can't understand what we're saying and his right hand won't work",
        "I suddenly realised I can't understand the new billing statement at all",
    ),
    (
        "emergency",
        "Grandma all of a sudden has double vision and can't walk straight",
        "My double vision was fixed by Dr. Moss's prism glasses years ago, thank you",
    ),
    (
        "emergency",
        "He woke up and one side of his mouth is hanging down",
        "Do you do fillers for jowls? They sag more since I lost weight",
    ),
    # sepsis or meningitis: a fever with confusion, in English and Spanish
    (
        "emergency",
        "My dad is shivering with a fever and so confused after his surgery",
        "I had a fever and was confused about which of the new meds to take first",
    ),
    (
        "emergency",
        "Mi mamá tiene escalofríos, fiebre alta y está muy confundida después de la cirugía",
        "Tuve fiebre la semana pasada y estoy confundida con la factura del laboratorio",
    ),
    # bleeding after an extraction or a tonsillectomy
    (
        "emergency",
        "Wisdom teeth out this morning and my mouth keeps filling with blood",
        "A little pink when I spit after the cleaning, is that normal?",
    ),
    (
        "emergency",
        "Two days after her tonsillectomy she's spitting up bright red blood",
        "Last year after my extraction I was spitting bright red blood for a day, all healed",
    ),
    (
        "emergency",
        "Me sacaron la muela hoy y no deja de salirme sangre de la boca",
        "Después de la limpieza me salió un poquito de sangre al escupir, ¿es normal?",
    ),
    # a blow to the head with vomiting and drowsiness, in English and Spanish
    (
        "emergency",
        "Baby fell off the bed, threw up twice and is really sleepy now",
        "My baby fell asleep in the car on the way to the appointment",
    ),
    (
        "emergency",
        "Mi bebé se cayó de la cama, vomitó y está muy dormido",
        "Mi bebé se quedó dormido en la sala de espera, muy tranquilo todo",
    ),
    # a blood clot after surgery
    (
        "emergency",
        "My calf is swollen, red and hot three days after my knee surgery",
        "My calf was sore after the 5K but the PT fixed it",
    ),
    (
        "emergency",
        "Mi papá tiene la pantorrilla hinchada y caliente después de la operación",
        "Mi papá tiene la pantorrilla cansada de tanto caminar, ¿dan masajes?",
    ),
    # diabetic ketoacidosis, heat stroke, breathing that slows
    (
        "emergency",
        "My teen is vomiting, breathing fast and his breath smells fruity, he's type 1",
        "Breath smells fruity after the cleaning, love the mint flavor",
    ),
    (
        "emergency",
        "My dad was working outside all day, now he's confused, not sweating and really hot",
        "The waiting room is really hot, I was sweating the whole time",
    ),
    (
        "emergency",
        "My son is breathing really slowly and I can't get him to stay awake after the party",
        "My son slept through the whole cleaning, the hygienist was so gentle",
    ),
    (
        "emergency",
        "Mi hijo respira muy lento y casi no abre los ojos",
        "Mi hijo respira mejor desde que le quitaron las amígdalas, gracias",
    ),
    # indirect farewells in English
    (
        "crisis",
        "I've made my arrangements, the kids will be with their dad",
        "I've made arrangements for my mom's ride to her appointment on Friday",
    ),
    (
        "crisis",
        "Nobody will have to put up with me after this weekend",
        "Nobody will have to put up with my calls once the portal works",
    ),
    (
        "crisis",
        "This is the last time anyone will hear from me",
        "That's the last time anyone will hear from me about billing, I'm switching practices",
    ),
    # Spanish across countries: leaving this world, getting out of the way, ceasing to exist
    (
        "crisis",
        "Ya me quiero ir de este mundo",
        "Ya me quiero ir de este consultorio, llevo dos horas esperando",
    ),
    (
        "crisis",
        "Ya me cansé de todo, me voy a quitar del medio",
        "Tuve que quitarme del medio para que pasara la camilla, el pasillo es muy angosto",
    ),
    ("crisis", "Quiero dejar de existir, neta", "Quiero dejar de fumar, ¿tienen parches?"),
    (
        "crisis",
        "Me quiero pegar un tiro, weón",
        "Nos vamos a dar un tiempo para pagar la cuenta, gracias",
    ),
    (
        "crisis",
        "Tengo las pastillas guardadas para cuando ya no pueda más",
        "Tengo las pastillas guardadas en el botiquín como me dijo la doctora",
    ),
    (
        "crisis",
        "Estoy en la azotea y quiero saltar",
        "Estoy en el puente del feriado y quiero saltar la cita a la próxima semana",
    ),
    (
        "crisis",
        "Siento que sobro en este mundo",
        "Siento que sobro en la sala de espera, nadie me atiende",
    ),
    (
        "crisis",
        "Quiero irme con mi mamá al cielo, ya no tengo nada aquí",
        "Mi mamá ya está en el cielo y la extraño, gracias por cuidarla tantos años",
    ),
]

#: False escalations fixed by shape: (ordinary post, urgent post of the same words, its kind).
FIXED_SHAPES = [
    # a symptom now, told with the visit that caused it ("from last week's appointment")
    (
        "The abscess from last week's extraction was swollen but the antibiotics worked, thanks",
        "The abscess from last week's extraction is so swollen now that his eye is swollen shut "
        "and he has a fever",
        "emergency",
    ),
    # an anniversary, a story of a night, a weekday, a date
    (
        "A year ago today my dad collapsed in your parking lot and your nurse did CPR. He's alive "
        "and golfing. Thank you!",
        "My dad collapsed in your parking lot today and he's not breathing",
        "emergency",
    ),
    (
        "The night my daughter turned blue, your nurse stayed on the line until the ambulance "
        "came. She's 3 now. Thank you forever.",
        "Tonight my daughter turned blue and stopped breathing for a few seconds",
        "emergency",
    ),
    (
        "Had chest pain last Friday, it turned out to be reflux and I'm doing fine.",
        "Chest pain since last Friday and now it's spreading to my jaw",
        "emergency",
    ),
    (
        "On the 3rd of March I rang because I was short of breath, and the receptionist was "
        "lovely.",
        "I'm short of breath right now and my inhaler isn't helping",
        "emergency",
    ),
    # a state denied, a counterfactual, a price or a place as the cause
    (
        "I'm not suicidal, just tired of chasing this referral for three months.",
        "I'm not suicidal yet but I keep thinking about taking all my pills",
        "crisis",
    ),
    (
        "This phone tree would drive anyone to suicide or drink.",
        "This phone tree is the last straw, I'm going to kill myself tonight",
        "crisis",
    ),
    (
        "They refused to refill my blood pressure pills, I could have had a stroke!",
        "My mom is having a stroke, her face is drooping",
        "emergency",
    ),
    (
        "$400 for one filling? cheaper to just die honestly",
        "Honestly it would be easier to just die, I've got the pills ready",
        "crisis",
    ),
    (
        "These deductibles are going to put me in an early grave",
        "I'm going to end it all tonight, I've written my note",
        "crisis",
    ),
    (
        "As a past anaphylaxis sufferer I'd like your allergy policy posted at the desk",
        "My son is having anaphylaxis and the EpiPen didn't work",
        "emergency",
    ),
    (
        "Heart attack patients shouldn't have to wait an hour for a bed.",
        "I think I'm having a heart attack, my left arm is numb",
        "emergency",
    ),
    (
        "Dr. Vale told me my chest pains were just anxiety; another doctor found the cause a "
        "month later.",
        "Dr. Vale told me my chest pains were just anxiety but right now it feels like an "
        "elephant is sitting on my chest",
        "emergency",
    ),
    (
        "Hoping that at the end everything is covered by my insurance",
        "I just want to end everything tonight",
        "crisis",
    ),
    (
        "After a month I couldn't take it any more and switched to a physical therapist.",
        "I can't take it any more, I want to die",
        "crisis",
    ),
    # the body words of a review: a left arm massaged, eyelids lifted, a nose, a lung, a metal
    (
        "Dr. Ames worked out the knots in my left arm, great massage",
        "Pain going down my left arm and my chest feels tight",
        "emergency",
    ),
    (
        "Dr. Lu fixed my drooping eyelids, I look ten years younger",
        "His face is drooping on one side and he can't lift his arm",
        "emergency",
    ),
    (
        "After the rhinoplasty part of my nose collapsed and I need a revision",
        "My wife collapsed in the kitchen and won't wake up",
        "emergency",
    ),
    (
        "Recovering from mercury poisoning and Dr. Pak has been great",
        "My toddler got poisoned by something under the sink",
        "emergency",
    ),
    (
        "The nurse called to check that I ate and that I took my medicine, so sweet.",
        "My toddler ate some of grandma's pills",
        "emergency",
    ),
    (
        "Dr. Foy has been unresponsive and unreachable since my surgery, no follow-up at all.",
        "My dad is unresponsive and his lips are blue",
        "emergency",
    ),
    (
        "We drove ourselves, didn't need an ambulance in the end.",
        "We need an ambulance, my son fell and can't move",
        "emergency",
    ),
    (
        "I was 30 weeks pregnant and started bleeding, and your midwives were amazing.",
        "I'm 30 weeks pregnant and started bleeding, what do I do?",
        "emergency",
    ),
    (
        "My daughter had daily hives for two years until Dr. Ng found the cause.",
        "Hives all over and my throat is closing",
        "emergency",
    ),
    (
        "Dr. Sato finally found what it was and we have a plan. I cried in the car (happy tears).",
        "I have a plan and I've written my note",
        "crisis",
    ),
    # a joke before a procedure
    (
        "Root canal tomorrow, see you on the other side Dr. Patel 😂",
        "I've said my goodbyes. See you on the other side.",
        "crisis",
    ),
    # Spanish: a toothache and shame, not a wish to die
    (
        "Me duele tanto la muela que me quiero morir, ¿tienen cita hoy?",
        "Me duele tanto el alma que me quiero morir, ya no aguanto esta vida",
        "crisis",
    ),
    (
        "Me quiero morir, gritaron mi diagnóstico en la sala de espera. Qué vergüenza.",
        "Me quiero morir, ya no aguanto esta vida",
        "crisis",
    ),
]

#: Everyday uses of danger words: the urgency classifier is not asked about these (the real
#: reviews and the fifth set's portal lock-out, telehealth thanks, "sneeze without panic" and a
#: wrong-account tag were its false escalations).
NOT_DANGER = [
    "The help line just plays a recording and I'm locked out of the portal again",
    "Now I can laugh without panic thanks to the pelvic floor program",
    "Telehealth refills took five minutes on my break, the future is now",
    "Oops wrong account, sorry! cute puppy though",
    "I've been seeing Dr. Hale my whole life, kind and smart",
    "Straight to the point and kind",
    "Happy to speak to someone so quickly",
    "This clinic has changed my life",
    "Since I live a block away I keep telling myself to go back",
]


@pytest.mark.parametrize(("kind", "urgent", "ordinary"), NEW_SIGNS)
def test_a_new_sign_is_escalated_and_its_look_alike_is_not(kind, urgent, ordinary):
    assert_escalated(kind, urgent)
    assert_not_escalated(ordinary)


@pytest.mark.parametrize(("ordinary", "urgent", "kind"), FIXED_SHAPES)
def test_a_fixed_false_escalation_keeps_its_urgent_twin(ordinary, urgent, kind):
    assert_not_escalated(ordinary)
    assert_escalated(kind, urgent)


@pytest.mark.parametrize("text", NOT_DANGER)
def test_an_everyday_use_of_a_danger_word_is_not_danger(text):
    assert not mentions_danger(normalise(text))
    assert_not_escalated(text)


@pytest.mark.parametrize(
    "text",
    [
        "I need help, my chest hurts so much",
        "I don't see a future for myself",
        "He keeps cutting his arms",
        "My whole body is shaking and my lips are numb",
    ],
)
def test_a_word_of_danger_still_counts_next_to_its_everyday_uses(text):
    assert mentions_danger(normalise(text))


def _spent(folder: str) -> list[dict]:
    path = ROOT / "data" / folder
    return [json.loads(line) for p in sorted(path.glob("*.jsonl")) for line in p.open() if line]


@pytest.mark.parametrize("folder", ["triage_blind4", "triage_blind5"])
def test_every_urgent_post_of_the_later_spent_sets_is_still_escalated(folder):
    rows = [r for r in _spent(folder) if r["urgent"] in URGENT_KINDS]
    assert rows
    missed = [
        r["id"] for r in rows if triage(r["text"], rating=r["rating"]).kind not in URGENT_KINDS
    ]
    assert missed == []


def test_few_frightening_posts_of_the_spent_sets_are_escalated():
    """Session 9 (tuned on these sets): 2 of 204 frightening-not-urgent posts, from 13."""
    folders = ("triage_blind2", "triage_blind3", "triage_blind4", "triage_blind5")
    rows = [
        r
        for folder in folders
        for r in _spent(folder)
        if "frightening-not-urgent" in (r.get("tags") or ())
    ]
    assert len(rows) == 204
    escalated = [
        r["id"] for r in rows if triage(r["text"], rating=r["rating"]).kind in URGENT_KINDS
    ]
    assert len(escalated) <= 2, escalated


@pytest.mark.parametrize(
    "text",
    [
        "Fui atendida duas vezes pela mesma dentista e ainda não sei o resultado",
        "Melhor clínica que já fui, fez tudo sem dor",
        "Deux heures d'attente et le médecin était pressé comme jamais",
    ],
)
def test_portuguese_and_french_posts_are_not_read_as_spanish(text):
    """Both were read as Spanish before session 9 (Spanish shares 'que', 'la', 'un', 'me'), so
    triage did not say that a person must read them."""
    assert detect_language(text) == "other"
    assert UNREADABLE in triage(text).reasons


def test_every_post_of_the_spent_sets_in_another_language_is_read_as_one():
    folders = ("triage_blind2", "triage_blind3", "triage_blind4", "triage_blind5")
    rows = [
        r for folder in folders for r in _spent(folder) if r["lang"] not in ("en", "es", "es-en")
    ]
    assert len(rows) == 22
    assert [r["id"] for r in rows if detect_language(r["text"]) != "other"] == []
