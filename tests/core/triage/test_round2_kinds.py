"""Posts without stars, round 2 of issue 15: privacy from a disclosed result, Spanish comments,
neutral questions, access complaints and praise that mentions a treatment.

Every post here was written for this test: none is a training post (``data/triage_train_*``)
or from a blind set. The cases marked "before:" failed before this round; the others guard
against over-reach (records sent where they belong, praise of a filling).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from safereply.core.triage import triage
from safereply.core.triage.rules import cue_matches, normalise, topic_cues
from safereply.core.vocab import PostKind, Priority, Topic

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    "text",
    [
        # before: clinical-care, no privacy
        "The lab tech told the guy next to me my hepatitis result before she told me.",
        # before: wait-time, no privacy
        "Your receptionist mailed my pap smear results to my old roommate.",
    ],
)
def test_a_result_given_to_the_wrong_person_is_a_privacy_complaint(text):
    result = triage(text)
    assert Topic.PRIVACY in result.topics
    assert result.kind is PostKind.COMPLAINT
    assert result.priority is Priority.HIGH
    assert "privacy complaint" in result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "They sent my records to my new doctor within a day.",
        "The doctor told me my test results were fine.",
        "Faxed my x-rays to the specialist the same afternoon.",
    ],
)
def test_records_sent_where_they_belong_are_not_a_breach(text):
    assert "privacy" not in topic_cues(normalise(text))


@pytest.mark.parametrize(
    ("text", "kind", "topics"),
    [
        # before: praise, no topics
        (
            "Me cobraron dos veces por la misma limpieza y nadie me contesta el teléfono",
            PostKind.COMPLAINT,
            {Topic.BILLING, Topic.COMMUNICATION},
        ),
        # before: praise, no topics
        (
            "Llevo tres semanas esperando que me llamen con los resultados.",
            PostKind.COMPLAINT,
            {Topic.WAIT_TIME},
        ),
        # before: praise, no topics (kind was right, topics were not)
        (
            "Muy amables en recepción, y la dentista súper paciente con mi hijo.",
            PostKind.PRAISE,
            {Topic.STAFF_COURTESY},
        ),
    ],
)
def test_spanish_comments_get_their_kind_and_topics(text, kind, topics):
    result = triage(text)
    assert result.kind is kind, result.reasons
    assert topics <= set(result.topics)


def test_spanish_cues_read_accents_or_none():
    assert cue_matches("wait-time", normalise("esperé dos horas"))
    assert cue_matches("wait-time", normalise("espere dos horas"))
    assert cue_matches("privacy", normalise("lo dijeron en voz alta"))
    assert not cue_matches("billing", normalise("the wait was long"))


@pytest.mark.parametrize(
    "text",
    [
        "Do you take new patients on Saturdays?",  # before: -0.25
        "¿Tienen horario los sábados por la mañana?",  # before: -0.37 or lower
    ],
)
def test_a_plain_question_is_neutral(text):
    result = triage(text)
    assert result.kind is PostKind.QUESTION
    assert abs(result.sentiment) <= 0.15


def test_an_access_complaint_is_a_negative_complaint():
    # before: praise, +0.17, low priority
    result = triage("The stairs are the only way in. I use a walker.")
    assert result.kind is PostKind.COMPLAINT
    assert result.sentiment < 0
    assert Topic.FACILITY in result.topics


def test_praise_that_mentions_a_filling_is_low_priority():
    for rating in (None, 5):
        result = triage("Had a filling today, completely painless, best dentist!", rating=rating)
        assert result.kind is PostKind.PRAISE
        assert result.priority is Priority.LOW


def test_the_training_file_is_well_formed_and_named_as_training():
    path = ROOT / "data/triage_train_social.jsonl"
    assert path.name.startswith("triage_train_")
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    assert len(rows) >= 250
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    kinds = {"complaint", "question", "praise", "other", "spam"}
    for row in rows:
        assert row["kind"] in kinds, row["id"]
        for aspect in row["aspects"]:
            assert aspect["topic"] in row["topics"], row["id"]
            assert aspect["evidence"] in row["text"], row["id"]
    scripts = str(ROOT / "scripts")
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    pytest.importorskip("sklearn")
    import train_triage

    assert path in train_triage.DEFAULT_POSTS


def test_a_file_inside_a_blind_folder_is_refused(tmp_path):
    pytest.importorskip("sklearn")
    scripts = str(ROOT / "scripts")
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    import train_triage

    # a new blind set (the spent triage_blind2 and triage_blind3 are training data since
    # sessions 6 and 7)
    folder = tmp_path / "triage_blind4"
    folder.mkdir()
    (folder / "t1.jsonl").write_text("{}\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="blind"):
        train_triage.refuse_blind([folder / "t1.jsonl"])
