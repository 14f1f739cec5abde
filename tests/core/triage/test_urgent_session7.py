"""Urgent signs the fourth blind set (session 7) showed triage missing, each beside a look-alike.

``data/triage_blind4`` was measured once, at the end of session 7 (urgent recall 23/27 English,
12/15 Spanish): then its eight missed urgent posts were read, and a rule was written for each
family in other words. From then on the set is spent. Every case here is written anew; the
look-alikes must stay ordinary (past events, the office's things, figures of speech).
"""

from __future__ import annotations

import pytest
from urgent_cases import assert_escalated, assert_not_escalated

from safereply.core.triage import triage
from safereply.core.triage.language import detect_language
from safereply.core.triage.rules import crisis_reasons, emergency_reasons, normalise

URGENT = [
    # vomiting blood or "coffee grounds" (a bleed in the stomach)
    ("emergency", "My husband keeps throwing up what looks like coffee grounds and he's so pale"),
    ("emergency", "Mi papá está vomitando sangre desde la mañana, ¿qué hacemos?"),
    ("emergency", "Mi tía vomitó algo como café molido y casi no puede caminar"),
    # a curtain over the eye, a shower of new floaters with flashes (a detached retina)
    ("emergency", "There's a dark shadow coming down over my right eye since this morning"),
    ("emergency", "Sudden new floaters and flashes of light in one eye, can someone see me today?"),
    # pregnant, with pain and fainting (an ectopic pregnancy)
    ("emergency", "I'm 8 weeks pregnant, stabbing pain low on the left and my shoulder hurts"),
    # red streaks spreading from a wound (a spreading infection)
    ("emergency", "The cut on her hand has red lines spreading up her arm and she has chills"),
    # carbon monoxide
    ("emergency", "Our carbon monoxide alarm is going off and my son says his head is pounding"),
    ("emergency", "We've had the space heater on all night and now we're all dizzy and nauseous"),
    ("emergency", "Tenemos el calentador prendido y mi esposo y yo estamos mareados, con vómito"),
    # self-harm that is escalating, in the poster's own words
    ("crisis", "Cut myself again with a razor and it's not enough anymore, I want to hurt myself"),
    # standing where a life could end, and cannot go on
    ("crisis", "Estoy en el puente de la autopista. Ya no doy más, perdón."),
]

ORDINARY = [
    "The coffee in your waiting room tastes like coffee grounds lol",
    "I threw up after the anesthesia last year but the staff were lovely about it",
    "Thank you for finding the floaters early at my annual exam, all fine!",
    "Love the gray curtain over the window in the eye exam room, so calming",
    "When I was pregnant with my first, the shoulder pain from your chairs was rough",
    "Your parking lot has red lines painted going up to the entrance, very confusing",
    "The heater in the waiting room was broken and it was freezing",
    "No doy más con este calor en la sala de espera, pongan aire acondicionado",
    "Fuimos al puente del feriado y por eso cancelamos la cita",
]


@pytest.mark.parametrize("kind, text", URGENT)
def test_the_sign_is_escalated(kind, text):
    assert_escalated(kind, text)


@pytest.mark.parametrize("text", ORDINARY)
def test_the_look_alike_is_not_escalated(text):
    assert_not_escalated(text)


def test_an_accident_told_with_again_is_not_read_as_self_harm_by_the_rules():
    # The urgency classifier may still ask a person to read it; the rule itself must not fire.
    text = normalise("Cut myself again on that broken clipboard at check-in, please fix it")
    assert "mentions deliberate self-harm" not in crisis_reasons(text)
    text = normalise("cut myself again with a razor, it's not enough anymore")
    assert "mentions deliberate self-harm" in crisis_reasons(text)


def test_vomiting_blood_told_of_a_past_stay_is_not_read_as_now_by_its_rule():
    # A real comment about a hospital stay; another rule (heavy bleeding) may still escalate it.
    told = normalise("I was very poorly, vomiting blood for days, and the ward nurses were kind")
    assert "mentions vomiting blood" not in emergency_reasons(told)
    now = normalise("he is vomiting blood right now")
    assert "mentions vomiting blood" in emergency_reasons(now)


def test_a_post_in_haitian_creole_is_said_to_be_unreadable():
    # The fourth blind set's emergency in Haitian Creole came out as a plain complaint with no
    # word that triage cannot read it: a person must read such a post at once.
    text = "Tanpri ede nou, pitit mwen malad anpil epi li pa ka respire byen. Kisa pou nou fè?"
    assert detect_language(text) == "other"
    result = triage(text)
    assert result.to_dict()["language"] == "other"
    assert any("a person must read it" in reason for reason in result.reasons)
    assert detect_language("Thanks Dr. Jodi, my epi pen refill was quick") == "en"
